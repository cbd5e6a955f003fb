package dev.crm.contacts.domain;

import dev.crm.shared.store.Backoff;
import dev.crm.shared.segment.ContactFacts;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.Contact;
import dev.crm.contacts.domain.ContactRepository.AppendOutcome;
import dev.crm.contacts.domain.ContactRepository.ListQuery;
import dev.crm.contacts.domain.ContactRepository.PurchaseState;
import dev.crm.contacts.domain.ContactRepository.PurchaseUpdate;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.metrics.MetricNames;
import dev.crm.shared.metrics.Metrics;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Contacts, touch points and segments: the rules, over the repository port. */
public final class ContactService {
    /** Contended writes (concurrent purchases on one contact) are retried this often before giving up. */
    static final int MAX_ATTEMPTS = 60;

    private final ContactRepository contacts;
    private final Clock clock;

    public ContactService(ContactRepository contacts, Clock clock) {
        this.contacts = contacts;
        this.clock = clock;
    }

    /** @throws StoreException.UniqueViolation naming the contact that holds the email or external id */
    public Contact create(TenantId t, ContactData data) {
        return create(t, data, Ids.random(Contact.ID_PREFIX, 20));
    }

    /**
     * Creates the contact under {@code id}. A contact that already has that id is the answer instead
     * of a second one: the id derives from a request's Idempotency-Key, and an earlier run of the same
     * request (whose completion was lost) created it.
     *
     * @throws StoreException.UniqueViolation naming the contact that holds the email or external id
     * @throws StoreException.VersionConflict when the contact with that id is being erased
     */
    public Contact create(TenantId t, ContactData data, String id) {
        Instant now = clock.instant();
        Contact c = new Contact(id, data, now, now, 1, Contact.Status.ACTIVE);
        for (int attempt = 1; ; attempt++) {
            try {
                contacts.create(t, c);
                Metrics.count(MetricNames.CONTACTS_CREATED);
                return c;
            } catch (StoreException.VersionConflict e) {
                Contact existing = get(t, id);
                if (existing == null) {
                    throw e;
                }
                return existing;
            } catch (StoreException.Contention e) {
                // Another transaction touched the same guard at the same moment: try again; the
                // next attempt either wins or sees the holder.
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                Backoff.JITTER.pause(attempt);
            }
        }
    }

    public Contact get(TenantId t, String id) {
        Contact c = contacts.find(t, id);
        return c == null || c.status() == Contact.Status.ERASING ? null : c;
    }

    /** Filters of the contact list; {@code segmentId} (optional) narrows it to a segment's members. */
    public record ContactFilter(LifecycleStage stage, String tag, Instant updatedSince, String segmentId) {
        boolean admits(Contact c) {
            return (stage == null || stage == c.data().lifecycleStage())
                    && (tag == null || c.data().tags().contains(tag))
                    && (updatedSince == null || !c.updatedAt().isBefore(updatedSince));
        }
    }

    /** Thrown when a list names a segment that does not exist. */
    public static final class NoSuchSegment extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NoSuchSegment() {
            super("no such segment", null, false, false);
        }
    }

    /**
     * A page of the contact list. With a segment, examines at most {@code segmentBudget} contacts and
     * filters the members by the other criteria.
     *
     * @throws NoSuchSegment when the filter names a segment that does not exist
     */
    public Slice<Contact> list(TenantId t, ContactFilter filter, int limit, Cursor from, int segmentBudget) {
        if (filter.segmentId() == null) {
            return contacts.list(t, new ListQuery(filter.stage(), filter.tag(), filter.updatedSince()), limit, from);
        }
        Segment s = contacts.findSegment(t, filter.segmentId());
        if (s == null) {
            throw new NoSuchSegment();
        }
        Slice<Contact> members = members(t, s, limit, from, segmentBudget);
        return new Slice<>(members.items().stream().filter(filter::admits).toList(), members.next());
    }

    /**
     * The contact with this email and/or external id (both must name the same one), if it also
     * passes the filter's other criteria; null otherwise.
     */
    public Contact lookup(TenantId t, String email, String externalId, ContactFilter filter) {
        String byEmail = email == null ? null : contacts.findIdByEmail(t, email);
        String byExt = externalId == null ? null : contacts.findIdByExternalId(t, externalId);
        String id = email != null ? byEmail : byExt;
        Contact c = id == null || (email != null && externalId != null && !id.equals(byExt)) ? null : get(t, id);
        return c != null && filter.admits(c) ? c : null;
    }

    /**
     * Replaces the contact's fields if it is still at {@code expectedVersion}.
     *
     * @throws StoreException.VersionConflict when it is not
     */
    public Contact update(TenantId t, Contact current, ContactData data) {
        Contact updated = new Contact(current.id(), data, current.createdAt(), later(current.updatedAt()),
                current.version() + 1, current.status());
        contacts.replace(t, current, updated);
        return updated;
    }

    /** Strictly after the previous update, so the list index orders every change. */
    private Instant later(Instant previous) {
        Instant now = clock.instant();
        return now.isAfter(previous) ? now : previous.plusMillis(1);
    }

    // ---- touch points ----

    public enum Recorded { CREATED, REPLAYED, ID_CONFLICT, CONTACT_NOT_FOUND }

    public record RecordResult(Recorded outcome, Map<String, Object> interaction) {}

    /**
     * Records a touch point once: a replay (same id, same content) stores nothing; the same id with
     * other content is a conflict. A purchase updates the purchase summary in the same transaction;
     * concurrent purchases on one contact are retried until each is applied exactly once.
     */
    public RecordResult record(TenantId t, String contactId, Interaction i, ZoneId tenantZone, String tenantCurrency) {
        Instant now = clock.instant();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            PurchaseUpdate purchase = null;
            if (i.type() == InteractionType.PURCHASE) {
                LocalDate day = i.occurredAt().atZone(tenantZone).toLocalDate();
                PurchaseState state = contacts.purchaseState(t, contactId, day, tenantCurrency);
                PurchaseSummary before = state.summary();
                BigDecimal amount = i.value().currency().equals(before.currency()) ? i.value().amount() : null;
                PurchaseSummary after = before.add(new PurchaseSummary.Purchase(day, amount), state.dayHadPurchases());
                BigDecimal daySpend = state.daySpend().add(amount == null ? BigDecimal.ZERO : amount);
                purchase = new PurchaseUpdate(after, before.version(), day, daySpend, state.dayPurchases() + 1,
                        state.dayHadPurchases());
            }
            try {
                AppendOutcome outcome = contacts.appendInteraction(t, contactId, i, purchase,
                        i.type() == InteractionType.COMPLAINT, now);
                switch (outcome) {
                    case CREATED:
                        return new RecordResult(Recorded.CREATED, i.toJson());
                    default:
                        return new RecordResult(Recorded.CONTACT_NOT_FOUND, null);
                }
            } catch (StoreException.Contention e) {
                Backoff.JITTER.pause(attempt);
            } catch (ContactRepository.InteractionExists e) {
                boolean same = i.fingerprint().equals(e.existing().fingerprint());
                return new RecordResult(same ? Recorded.REPLAYED : Recorded.ID_CONFLICT, e.existing().json());
            }
        }
        throw new IllegalStateException("touch point still contended after " + MAX_ATTEMPTS + " attempts");
    }

    /** A page of an existing contact's timeline, newest first. */
    public Slice<TimelineEntry> timeline(TenantId t, String contactId, int limit, Cursor from) {
        return contacts.timeline(t, contactId, limit, from);
    }

    /** The 360° view; null when the contact does not exist (or is being erased). */
    public ContactRepository.View360 view360(TenantId t, String contactId, int recent, String tenantCurrency) {
        ContactRepository.View360 v = contacts.view360(t, contactId, recent, tenantCurrency);
        return v == null || v.contact().status() == Contact.Status.ERASING ? null : v;
    }

    /** The summary as derived from every raw purchase: what the incremental one must equal. */
    public PurchaseSummary recomputePurchases(TenantId t, String contactId, ZoneId tenantZone, String currency) {
        List<PurchaseSummary.Purchase> raw = new ArrayList<>();
        for (Interaction p : contacts.purchases(t, contactId)) {
            BigDecimal amount = p.value() != null && p.value().currency().equals(currency) ? p.value().amount() : null;
            raw.add(new PurchaseSummary.Purchase(p.occurredAt().atZone(tenantZone).toLocalDate(), amount));
        }
        return PurchaseSummary.recompute(currency, raw);
    }

    // ---- segments ----

    /** @throws StoreException.LimitReached over the per-tenant cap */
    public Segment createSegment(TenantId t, Segment.Draft draft) {
        return createSegment(t, draft, Ids.random(Segment.ID_PREFIX, 20));
    }

    /**
     * Creates the segment under {@code id}; a segment that already has that id is the answer instead
     * (the id derives from an Idempotency-Key, and an earlier run of the same request created it).
     *
     * @throws StoreException.LimitReached over the per-tenant cap
     */
    public Segment createSegment(TenantId t, Segment.Draft draft, String id) {
        Segment s = new Segment(id, draft.name(), draft.description(), draft.rule(), clock.instant());
        try {
            // No read first: the create's own condition finds an existing segment (and wins over the
            // cap, so a re-run at 100 segments still answers with its first segment).
            contacts.createSegment(t, s);
        } catch (StoreException.VersionConflict e) {
            Segment existing = contacts.findSegment(t, id);
            if (existing == null) {
                throw e;
            }
            return existing;
        }
        return s;
    }

    public Segment segment(TenantId t, String segmentId) {
        return contacts.findSegment(t, segmentId);
    }

    public List<Segment> segments(TenantId t) {
        return contacts.segments(t);
    }

    /** @return false when there was no such segment */
    public boolean deleteSegment(TenantId t, String segmentId) {
        return contacts.deleteSegment(t, segmentId);
    }

    /** A page of segment members and where to continue; examines at most {@code budget} contacts. */
    public Slice<Contact> members(TenantId t, Segment s, int limit, Cursor from, int budget) {
        List<Contact> out = new ArrayList<>();
        Cursor next = from;
        int examined = 0;
        do {
            int page = Math.min(100, Math.max(limit - out.size(), 25));
            var slice = contacts.list(t, ListQuery.ALL, page, next);
            List<Contact> candidates = slice.items();
            Map<String, ContactFacts> facts = s.rule().needsFacts() ? contacts.facts(t, candidates) : Map.of();
            next = slice.next();
            for (Contact c : candidates) {
                examined++;
                ContactFacts f = facts.getOrDefault(c.id(), new ContactFacts(c, null, null, null));
                if (s.rule().matches(f)) {
                    out.add(c);
                    if (out.size() == limit) {
                        // resume right after the last member returned, not after the whole page
                        next = c == candidates.get(candidates.size() - 1) ? slice.next() : contacts.resumeAfter(t, c);
                        break;
                    }
                }
            }
        } while (next != null && out.size() < limit && examined < budget);
        return new Slice<>(out, next);
    }
}
