package dev.crm.journeys.domain;

import dev.crm.shared.consent.Send;
import dev.crm.shared.events.Event;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Journeys, their definition versions, enrolments and the due index the sweep reads. */
public interface JourneyRepository {
    /** @throws StoreException.UniqueViolation the id is taken (a re-run of the same keyed request) */
    void create(TenantId t, Journey journey);

    Optional<Journey> find(TenantId t, String journeyId);

    /**
     * Writes the journey's next state (version = expected + 1); a new definition version is stored beside
     * the earlier ones; the tenant's index of active journeys follows the status. With {@code scanDates}
     * (a date journey activated, or its date trigger changed) the scan of the tenant's contacts that
     * schedules its occurrences ({@link JourneyDates}) starts in the same transaction.
     *
     * @throws StoreException.VersionConflict the journey is no longer at {@code expectedVersion}
     */
    void update(TenantId t, Journey next, long expectedVersion, boolean newDefinition, boolean scanDates);

    /** A definition version as stored; empty when it does not exist. */
    Optional<JourneyDefinition> definition(TenantId t, String journeyId, long definitionVersion);

    /** The tenant's active journeys (their current definitions), for the events that trigger or end enrolments. */
    List<Journey> activeJourneys(TenantId t);

    /** A segment's rule (the contacts function's segments); empty when there is no such segment. */
    Optional<dev.crm.shared.segment.SegmentRule> segment(TenantId t, String segmentId);

    /** What a segment rule looks at for the contact; {@code full} adds the purchase summary and scores. */
    dev.crm.shared.segment.ContactFacts facts(TenantId t, dev.crm.shared.contact.Contact contact, boolean full);

    /** The tenant's topic keys (the preferences function's topics). */
    Set<String> topicKeys(TenantId t);

    /** How {@link #enrol} ended. */
    enum EnrolOutcome { ENROLLED, DUPLICATE, ENTRY_REFUSED, CONTACT_MISSING }

    /**
     * Enrols once per (journey, contact, trigger event), as one transaction: the enrolment is new, the
     * contact's entry guard for the journey allows the entry ({@link Entry}) and is stamped with it,
     * and the journey's {@code entered} count grows.
     */
    EnrolOutcome enrol(TenantId t, Enrolment enrolment, Entry entry, Instant now);

    Optional<Enrolment> enrolment(TenantId t, String contactId, String journeyId, String enrolmentId);

    /** The contact's enrolments in a journey (every status), oldest first. */
    List<Enrolment> enrolments(TenantId t, String journeyId, String contactId);

    /** The contact's active enrolments in any journey. */
    List<Enrolment> activeEnrolments(TenantId t, String contactId);

    /**
     * What a step does besides moving the enrolment, in the same transaction: a recorded send, counters,
     * and stored events (an {@code emit}'s custom event, a {@code createCase} request), so an event is
     * stored exactly when the step commits.
     */
    record Effect(Send send, Map<String, Long> counts, List<Event> events) {
        public Effect {
            events = events == null ? List.of() : List.copyOf(events);
        }

        public static Effect none() {
            return new Effect(null, Map.of(), List.of());
        }

        public static Effect count(String... names) {
            Map<String, Long> m = new java.util.LinkedHashMap<>();
            for (String n : names) {
                m.merge(n, 1L, Long::sum);
            }
            return new Effect(null, m, List.of());
        }

        public Effect withSend(Send s) {
            return new Effect(s, counts, events);
        }

        public Effect withEvent(Event e) {
            List<Event> more = new java.util.ArrayList<>(events);
            more.add(e);
            return new Effect(send, counts, more);
        }
    }

    /**
     * Moves an enrolment from {@code current} to {@code next} (revision + 1) with the effect (a recorded
     * send, the journey's counters) in one transaction, so a crash leaves either both or neither.
     *
     * @return false when the enrolment moved on meanwhile (another sweep ran it) or the contact is gone:
     *         nothing was written
     */
    boolean advance(TenantId t, Enrolment current, Enrolment next, Effect effect);

    /** A due enrolment as the index names it. */
    record DueRef(TenantId tenant, String contactId, String journeyId, String enrolmentId) {}

    /** Enrolments due at or before {@code now}, at most {@code limit}, oldest due first per shard. */
    List<DueRef> due(Instant now, int limit);

    /** The journey's counters (entered, completed, exited:…, sent, blocked:…), summed over their shards. */
    Map<String, Long> counts(TenantId t, String journeyId);

    /**
     * The tenant's journeys, newest first, one page ({@code GET /v1/journeys}).
     *
     * @param status only journeys of this status; null: every status
     * @param from   where the previous page stopped; null: the first page
     */
    dev.crm.shared.store.Slice<Journey> list(TenantId t, Journey.Status status, int limit, dev.crm.shared.store.Cursor from);

    /**
     * A stored event as the enrolment function reads it from the stream.
     *
     * @param changeId the stream record's id (what a failed record is reported by)
     */
    record StoredEvent(String changeId, Event event, String contactId) {}
}
