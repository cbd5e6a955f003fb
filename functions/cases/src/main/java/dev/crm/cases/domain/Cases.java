package dev.crm.cases.domain;

import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The case API's use cases. */
public final class Cases {
    public static final Pattern CATEGORY = Pattern.compile("[a-z0-9_-]{1,40}");

    private final CaseRepository repository;
    private final Function<TenantId, List<String>> categoriesOf;
    private final Clock clock;

    /** @param categoriesOf the keys of the tenant's configured {@code caseCategories} (empty: none configured) */
    public Cases(CaseRepository repository, Function<TenantId, List<String>> categoriesOf, Clock clock) {
        this.repository = repository;
        this.categoriesOf = categoriesOf;
        this.clock = clock;
    }

    public record NewCase(String contactId, SupportCase.Channel channel, String category, SupportCase.Priority priority,
            String subject, String description, String assignee, String orderRef) {}

    /** Null when the category is acceptable, else why not. */
    public String categoryProblem(TenantId tenant, String category) {
        List<String> configured = categoriesOf.apply(tenant);
        if (!configured.isEmpty()) {
            return configured.contains(category) ? null : "must be one of the tenant's case categories: " + configured;
        }
        return CATEGORY.matcher(category).matches() ? null : "must match [a-z0-9_-]{1,40}";
    }

    /** @throws CaseRepository.ContactNotActive when the contact is not an active contact of the tenant */
    public SupportCase create(TenantId tenant, String id, NewCase c) {
        Instant now = clock.instant();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", SupportCase.wire(SupportCase.Status.NEW));
        if (c.assignee() != null) {
            fields.put("assignee", c.assignee());
        }
        return repository.create(new SupportCase(tenant, id, 0, c.contactId(), c.channel(), c.category(), c.priority(),
                c.subject(), c.description(), c.assignee(), c.orderRef(), SupportCase.Status.NEW, null, null, now, now, 1),
                entry(now, HistoryEntry.CREATED, fields));
    }

    private static HistoryEntry entry(Instant at, String kind, Map<String, Object> fields) {
        return new HistoryEntry(Ids.random(HistoryEntry.ID_PREFIX, 20), at, kind, fields);
    }

    /** The history entries of a change from {@code before} to {@code after}: status and assignment changes. */
    private static List<HistoryEntry> changes(SupportCase before, SupportCase after, Instant at) {
        List<HistoryEntry> out = new ArrayList<>();
        if (before.status() != after.status()) {
            out.add(entry(at, HistoryEntry.STATUS_CHANGED, Map.of("from", SupportCase.wire(before.status()), "to",
                    SupportCase.wire(after.status()))));
        }
        if (!Objects.equals(before.assignee(), after.assignee())) {
            Map<String, Object> f = new LinkedHashMap<>();
            if (before.assignee() != null) {
                f.put("from", before.assignee());
            }
            if (after.assignee() != null) {
                f.put("to", after.assignee());
            }
            out.add(entry(at, HistoryEntry.ASSIGNED, f));
        }
        return out;
    }

    /**
     * A change of some fields; a null field is left as it is, except where its {@code clears} flag says
     * the client asked to remove it.
     */
    public record Change(SupportCase.Status status, SupportCase.Priority priority, String category, String subject,
            boolean setsAssignee, String assignee, boolean setsDescription, String description, boolean setsOrderRef,
            String orderRef) {}

    /**
     * Applies {@code change} to {@code current} (read at the version the client named).
     *
     * @throws CaseWorkflow.InvalidTransition when the status change is not allowed; nothing is written
     * @throws dev.crm.shared.store.StoreException.VersionConflict when the case changed meanwhile
     */
    public SupportCase change(SupportCase current, Change c) {
        SupportCase.Status status = current.status();
        Instant now = clock.instant();
        Instant solvedAt = current.solvedAt();
        if (c.status() != null && c.status() != current.status()) {
            if (!CaseWorkflow.allows(current.status(), c.status())) {
                throw new CaseWorkflow.InvalidTransition(current.status(), c.status());
            }
            status = c.status();
            if (status == SupportCase.Status.SOLVED) {
                solvedAt = now;
            }
        }
        SupportCase updated = new SupportCase(current.tenant(), current.id(), current.number(), current.contactId(),
                current.channel(), c.category() != null ? c.category() : current.category(),
                c.priority() != null ? c.priority() : current.priority(),
                c.subject() != null ? c.subject() : current.subject(),
                c.setsDescription() ? c.description() : current.description(),
                c.setsAssignee() ? c.assignee() : current.assignee(),
                c.setsOrderRef() ? c.orderRef() : current.orderRef(), status, solvedAt, current.firstResponseAt(),
                current.createdAt(), now, current.version() + 1);
        return repository.replace(updated, current.version(), changes(current, updated, now));
    }

    public enum Author { AGENT, CUSTOMER }

    public enum Visibility { PUBLIC, INTERNAL }

    public record NewMessage(Author author, Visibility visibility, String body) {}

    /**
     * Adds a message to the case's history. A customer's message reopens a pending or solved case;
     * the first public agent message sets {@code firstResponseAt}. Retries with fresh state when the
     * case changed meanwhile.
     *
     * @return the case after the message, or empty when it does not exist
     */
    public Optional<SupportCase> addMessage(TenantId tenant, String caseId, String messageId, NewMessage m) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Optional<SupportCase> found = repository.find(tenant, caseId);
            if (found.isEmpty()) {
                return found;
            }
            SupportCase current = found.get();
            Instant now = clock.instant();
            SupportCase.Status status = current.status();
            if (m.author() == Author.CUSTOMER
                    && (status == SupportCase.Status.PENDING || status == SupportCase.Status.SOLVED)) {
                status = SupportCase.Status.OPEN;
            }
            Instant firstResponse = current.firstResponseAt();
            if (firstResponse == null && m.author() == Author.AGENT && m.visibility() == Visibility.PUBLIC) {
                firstResponse = now;
            }
            SupportCase updated = new SupportCase(current.tenant(), current.id(), current.number(), current.contactId(),
                    current.channel(), current.category(), current.priority(), current.subject(), current.description(),
                    current.assignee(), current.orderRef(), status, current.solvedAt(), firstResponse,
                    current.createdAt(), now, current.version() + 1);
            List<HistoryEntry> entries = new ArrayList<>();
            entries.add(new HistoryEntry(messageId, now, HistoryEntry.MESSAGE, Map.of("messageId", messageId,
                    "author", SupportCase.wire(m.author()), "visibility", SupportCase.wire(m.visibility()),
                    "body", m.body())));
            entries.addAll(changes(current, updated, now));
            try {
                return Optional.of(repository.replace(updated, current.version(), entries));
            } catch (StoreException.VersionConflict e) {
                // another change came first: apply the message to the new state
            }
        }
        throw new StoreException.Contention();
    }

    public Slice<SupportCase> list(TenantId tenant, CaseRepository.Filter filter, Cursor after, int limit) {
        return repository.list(tenant, filter, after, limit);
    }

    public Slice<HistoryEntry> history(TenantId tenant, String caseId, Cursor after, int limit) {
        return repository.history(tenant, caseId, after, limit);
    }

    public Optional<SupportCase> find(TenantId tenant, String id) {
        return repository.find(tenant, id);
    }
}
