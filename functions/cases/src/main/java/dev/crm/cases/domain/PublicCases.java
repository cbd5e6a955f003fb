package dev.crm.cases.domain;

import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The self-service side of cases: a contact form anyone may post to (the tenant named by its slug), and
 * a case's status page and replies for whoever holds the signed link the sender was emailed. Nothing
 * here tells a caller whether an address was known.
 */
public final class PublicCases {
    /** Requests from one client address (an office behind one NAT writes in a few times at most). */
    public static final PublicLimit REQUESTS_PER_CLIENT = new PublicLimit("case-client", 10, Duration.ofMinutes(10));
    /** Emails to one address: enough for a few requests and retries, too few to mail-bomb anyone. */
    public static final PublicLimit REQUESTS_PER_ADDRESS = new PublicLimit("case-address", 5, Duration.ofHours(1));
    /** All of a tenant's public requests: bounds what a distributed flood can store and send. */
    public static final PublicLimit REQUESTS_PER_TENANT = new PublicLimit("case-tenant", 600, Duration.ofMinutes(1));
    /** Replies from one client address. */
    public static final PublicLimit REPLIES_PER_CLIENT = new PublicLimit("reply-client", 30, Duration.ofMinutes(10));
    /** Replies on one case: a leaked link cannot flood the case's history. */
    public static final PublicLimit REPLIES_PER_CASE = new PublicLimit("reply-case", 20, Duration.ofHours(1));
    /** The history a status page reads at most (entries of every kind), oldest first. */
    static final int MAX_HISTORY_READ = 2_000;

    private final Cases cases;
    private final CaseContactRepository contacts;
    private final PublicRateCounterRepository counters;
    private final Clock clock;

    public PublicCases(Cases cases, CaseContactRepository contacts, PublicRateCounterRepository counters, Clock clock) {
        this.cases = cases;
        this.contacts = contacts;
        this.counters = counters;
        this.clock = clock;
    }

    /** What the contact form sends; the text fields are validated by the route. */
    public record Request(String email, String name, String category, String subject, String body) {}

    /** Null when the category is acceptable, else why not (the tenant's categories are the form's). */
    public String categoryProblem(TenantId tenant, String category) {
        return cases.categoryProblem(tenant, category);
    }

    /**
     * Counts a contact-form request against the client's, the address's and the tenant's limits, in
     * that order, so one client over its limit does not use up the others' budgets.
     *
     * @return the limit exceeded, or null when the request may go ahead
     */
    public PublicLimit admitRequest(TenantId t, String clientPseudonym, String addressPseudonym) {
        Instant now = clock.instant();
        if (over(t, REQUESTS_PER_CLIENT, clientPseudonym, now)) {
            return REQUESTS_PER_CLIENT;
        }
        if (over(t, REQUESTS_PER_ADDRESS, addressPseudonym, now)) {
            return REQUESTS_PER_ADDRESS;
        }
        return over(t, REQUESTS_PER_TENANT, PublicRateCounterRepository.EVERYONE, now) ? REQUESTS_PER_TENANT : null;
    }

    /** As {@link #admitRequest}, for a reply: per client, then per case. */
    public PublicLimit admitReply(TenantId t, String clientPseudonym, String caseId) {
        Instant now = clock.instant();
        if (over(t, REPLIES_PER_CLIENT, clientPseudonym, now)) {
            return REPLIES_PER_CLIENT;
        }
        return over(t, REPLIES_PER_CASE, caseId, now) ? REPLIES_PER_CASE : null;
    }

    private boolean over(TenantId t, PublicLimit limit, String subject, Instant now) {
        Instant start = limit.windowStart(now);
        // kept one window past its end, to outlive clock skew between instances
        return limit.exceededBy(counters.increment(t, limit.name(), subject, start, limit.windowEnd(now).plus(limit.window())));
    }

    /**
     * Opens a web case for the sender, linked to the tenant's contact with this address or to a new one.
     *
     * @return the case (the existing one when a case with this id exists: a keyed request's re-run), or
     *         null when the address belongs to a contact being erased: nothing is stored
     */
    public SupportCase submit(TenantId t, String caseId, Request r) {
        String contactId = contacts.findOrCreateByEmail(t, r.email(), r.name(), clock.instant());
        if (contactId == null) {
            return null;
        }
        try {
            return cases.create(t, caseId, new Cases.NewCase(contactId, SupportCase.Channel.WEB, r.category(),
                    SupportCase.Priority.NORMAL, r.subject(), r.body(), null, null));
        } catch (CaseRepository.ContactNotActive e) {
            return null; // erased between the lookup and the create
        }
    }

    /** A case as its sender sees it: the case and its public messages, oldest first. */
    public record PublicView(SupportCase supportCase, List<HistoryEntry> messages) {}

    /**
     * The case of this contact with its public messages only (never internal notes).
     *
     * @return empty when the case does not exist in the tenant or is another contact's
     */
    public Optional<PublicView> view(TenantId t, String caseId, String contactId) {
        Optional<SupportCase> found = ofContact(t, caseId, contactId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        List<HistoryEntry> messages = new ArrayList<>();
        Cursor after = null;
        int read = 0;
        do {
            Slice<HistoryEntry> page = cases.history(t, caseId, after, 100);
            for (HistoryEntry e : page.items()) {
                if (isPublicMessage(e)) {
                    messages.add(e);
                }
            }
            read += page.items().size();
            after = page.next();
        } while (after != null && read < MAX_HISTORY_READ);
        return Optional.of(new PublicView(found.get(), messages));
    }

    /** Only a public message is shown to the customer; an internal note, a status change or an assignment never. */
    public static boolean isPublicMessage(HistoryEntry e) {
        Map<String, Object> f = e.fields();
        return HistoryEntry.MESSAGE.equals(e.kind()) && "public".equals(f.get("visibility"));
    }

    public enum ReplyOutcome { ADDED, NOT_FOUND, CLOSED }

    /** @param after the case after the reply (null unless added) */
    public record Reply(ReplyOutcome outcome, SupportCase after) {}

    /**
     * The sender's reply: a public customer message, which reopens a pending or solved case. A closed
     * case takes no more messages (closed is final; the sender writes a new request).
     */
    public Reply reply(TenantId t, String caseId, String contactId, String messageId, String body) {
        Optional<SupportCase> found = ofContact(t, caseId, contactId);
        if (found.isEmpty()) {
            return new Reply(ReplyOutcome.NOT_FOUND, null);
        }
        if (found.get().status() == SupportCase.Status.CLOSED) {
            return new Reply(ReplyOutcome.CLOSED, null);
        }
        return cases.addMessage(t, caseId, messageId, new Cases.NewMessage(Cases.Author.CUSTOMER, Cases.Visibility.PUBLIC,
                body)).map(c -> new Reply(ReplyOutcome.ADDED, c)).orElse(new Reply(ReplyOutcome.NOT_FOUND, null));
    }

    private Optional<SupportCase> ofContact(TenantId t, String caseId, String contactId) {
        return cases.find(t, caseId).filter(c -> c.contactId().equals(contactId));
    }
}
