package dev.crm.cases.domain;

import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The case API's use cases. */
public final class Cases {
    public static final Pattern CATEGORY = Pattern.compile("[a-z0-9_-]{1,40}");

    private final CaseRepository repository;
    private final Clock clock;

    public Cases(CaseRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public record NewCase(String contactId, SupportCase.Channel channel, String category, SupportCase.Priority priority,
            String subject, String description, String assignee, String orderRef) {}

    /** Null when the category is acceptable, else why not. */
    public String categoryProblem(TenantId tenant, String category) {
        List<String> configured = repository.categories(tenant);
        if (!configured.isEmpty()) {
            return configured.contains(category) ? null : "must be one of the tenant's case categories: " + configured;
        }
        return CATEGORY.matcher(category).matches() ? null : "must match [a-z0-9_-]{1,40}";
    }

    /** @throws CaseRepository.ContactNotActive when the contact is not an active contact of the tenant */
    public SupportCase create(TenantId tenant, String id, NewCase c) {
        Instant now = clock.instant();
        return repository.create(new SupportCase(tenant, id, 0, c.contactId(), c.channel(), c.category(), c.priority(),
                c.subject(), c.description(), c.assignee(), c.orderRef(), SupportCase.Status.NEW, null, now, now, 1));
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
                c.setsOrderRef() ? c.orderRef() : current.orderRef(), status, solvedAt, current.createdAt(), now,
                current.version() + 1);
        return repository.replace(updated, current.version());
    }

    public Optional<SupportCase> find(TenantId tenant, String id) {
        return repository.find(tenant, id);
    }
}
