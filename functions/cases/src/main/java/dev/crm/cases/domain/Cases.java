package dev.crm.cases.domain;

import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The case API's use cases. */
public final class Cases {
    public static final Pattern CATEGORY = Pattern.compile("[a-z0-9_-]{1,40}");

    private final CaseRepository repository;
    private final Function<TenantId, List<String>> categoriesOf;
    private final Function<TenantId, SlaTerms> termsOf;
    private final Clock clock;

    /** With the default SLA terms for every tenant. */
    public Cases(CaseRepository repository, Function<TenantId, List<String>> categoriesOf, Clock clock) {
        this(repository, categoriesOf, t -> SlaTerms.defaults(), clock);
    }

    /**
     * @param categoriesOf the keys of the tenant's configured {@code caseCategories} (empty: none configured)
     * @param termsOf      the tenant's SLA terms as of now (calendar, policies, auto-close)
     */
    public Cases(CaseRepository repository, Function<TenantId, List<String>> categoriesOf,
            Function<TenantId, SlaTerms> termsOf, Clock clock) {
        this.repository = repository;
        this.categoriesOf = categoriesOf;
        this.termsOf = termsOf;
        this.clock = clock;
    }

    /** A page of the tenant's cases as the API shows them now (the tenant's calendar read once). */
    public List<java.util.Map<String, Object>> shown(TenantId tenant, List<SupportCase> page) {
        if (page.isEmpty()) {
            return List.of();
        }
        var calendar = termsOf.apply(tenant).calendar();
        Instant now = clock.instant();
        return page.stream().map(c -> c.toJson(calendar, now)).toList();
    }

    /** The case as the API shows it now: with its SLA figures at this instant. */
    public java.util.Map<String, Object> shown(SupportCase c) {
        return c.toJson(termsOf.apply(c.tenant()).calendar(), clock.instant());
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

    /**
     * @throws CaseRepository.ContactNotActive when the contact is not an active contact of the tenant
     * @throws CaseRepository.AssigneeNotActive when the assignee is not an active agent of the tenant (checked
     *         in the create's transaction, not before it)
     */
    public SupportCase create(TenantId tenant, String id, NewCase c) {
        CaseLifecycle.Step step = CaseLifecycle.open(tenant, id, c, termsOf.apply(tenant), clock.instant());
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
     * @throws CaseRepository.AssigneeNotActive when a new assignee is not an active agent of the tenant at the
     *         write; nothing is written
     */
    public SupportCase change(SupportCase current, Change c) {
        CaseLifecycle.Step step = CaseLifecycle.change(current, c, termsOf.apply(current.tenant()), clock.instant());
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
        SlaTerms terms = termsOf.apply(tenant);
        for (int attempt = 0; attempt < 10; attempt++) {
            Optional<SupportCase> found = repository.find(tenant, caseId);
            if (found.isEmpty()) {
                return found;
            }
            SupportCase current = found.get();
            CaseLifecycle.Step step = CaseLifecycle.message(current, messageId, m, terms, clock.instant());
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

    /** What one SLA schedule run did. */
    public record CheckRun(int examined, int breaches, int closed) {}

    /**
     * The SLA schedule's work at this instant: each case whose next check passed (at most {@code max})
     * is read again and checked ({@link CaseLifecycle#check}); breaches not recorded yet are recorded
     * and solved cases whose auto-close time came are closed. A case that changed meanwhile is read
     * again; one that still changes after a few tries waits for the next run.
     */
    public CheckRun runChecks(int max) {
        Instant now = clock.instant();
        java.util.Map<TenantId, SlaTerms> terms = new java.util.HashMap<>();
        int examined = 0;
        int breaches = 0;
        int closed = 0;
        for (CaseRepository.CaseRef ref : repository.dueForCheck(now, max)) {
            examined++;
            SlaTerms t = terms.computeIfAbsent(ref.tenant(), termsOf);
            for (int attempt = 0; attempt < 5; attempt++) {
                Optional<SupportCase> found = repository.find(ref.tenant(), ref.id());
                if (found.isEmpty()) {
                    break;
                }
                SupportCase current = found.get();
                CaseLifecycle.Step step = CaseLifecycle.check(current, t, now);
                try {
                    if (step.isEmpty()) {
                        // nothing due (the index lagged, or the settings changed): look again when it is
                        CaseSla was = current.sla();
                        CaseSla fresh = step.after().sla();
                        if (!java.util.Objects.equals(was.nextCheck(), fresh.nextCheck())
                                || !java.util.Objects.equals(was.nextDue(), fresh.nextDue())) {
                            repository.refreshCheck(step.after());
                        }
                    } else {
                        repository.replace(step.after(), current.version(), step.entries());
                        breaches += (int) step.entries().stream().filter(e -> e.kind().equals(HistoryEntry.SLA_BREACHED))
                                .count();
                        closed += step.after().status() != current.status() ? 1 : 0;
                    }
                    break;
                } catch (StoreException.VersionConflict e) {
                    // a write came first (and checked the case itself): read it again
                } catch (StoreException.NotFound e) {
                    break;
                }
            }
        }
        return new CheckRun(examined, breaches, closed);
    }
}
