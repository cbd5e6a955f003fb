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
                c.subject(), c.description(), c.assignee(), c.orderRef(), SupportCase.Status.NEW, now, now, 1));
    }

    public Optional<SupportCase> find(TenantId tenant, String id) {
        return repository.find(tenant, id);
    }
}
