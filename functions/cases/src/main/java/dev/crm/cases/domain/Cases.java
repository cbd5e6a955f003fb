package dev.crm.cases.domain;

import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import java.util.List;
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
        CaseLifecycle.Step step = CaseLifecycle.open(tenant, id, c, clock.instant());
        return repository.create(step.after(), step.entries().get(0));
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
        CaseLifecycle.Step step = CaseLifecycle.change(current, c, clock.instant());
        return repository.replace(step.after(), current.version(), step.entries());
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
            CaseLifecycle.Step step = CaseLifecycle.message(current, messageId, m, clock.instant());
            try {
                return Optional.of(repository.replace(step.after(), current.version(), step.entries()));
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
