package dev.crm.journeys.domain;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.consent.ConsentRepository;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.segment.SegmentRule;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a stored event does to journeys: ends the contact's enrolments whose {@code exitOn} it matches,
 * then enrols the contact in the active journeys it triggers (audience permitting), idempotently per
 * (journey, contact, event id), and runs the new enrolment's first steps at once.
 */
public final class JourneyEntry {
    private final JourneyRepository repository;
    private final ConsentRepository consent;
    private final JourneyRunner runner;
    private final Clock clock;
    private final DateEntries dates;

    public JourneyEntry(JourneyRepository repository, ConsentRepository consent, JourneyRunner runner, Clock clock) {
        this(repository, consent, runner, clock, null);
    }

    /** @param dates what a contact's creation or change does to its date triggers' schedule; null: nothing */
    public JourneyEntry(JourneyRepository repository, ConsentRepository consent, JourneyRunner runner, Clock clock,
            DateEntries dates) {
        this.repository = repository;
        this.consent = consent;
        this.runner = runner;
        this.clock = clock;
        this.dates = dates;
    }

    public record Result(int enrolled, int duplicates, int refused, int exited) {}

    /** One event on its own (its tenant's active journeys read for it). */
    public Result onEvent(Event event, String contactId) {
        return batch().onEvent(event, contactId);
    }

    /** The events of one stream batch, which read each tenant's active journeys once between them. */
    public Batch batch() {
        return new Batch();
    }

    /**
     * A stream batch's events, in order. A tenant's active journeys are read at its first event that
     * concerns journeys and kept for the batch: a journey activated or paused meanwhile is met from
     * the next batch, as it would be had its write come a moment later.
     */
    public final class Batch {
        private final Map<TenantId, List<Journey>> activeJourneys = new HashMap<>();

        private Batch() {}

        /** @param contactId the contact the event is about, or null (then it concerns no journey) */
        public Result onEvent(Event event, String contactId) {
            if (contactId == null || event.type().startsWith("journey.")) {
                return new Result(0, 0, 0, 0);
            }
            return JourneyEntry.this.onEvent(event, contactId,
                    activeJourneys.computeIfAbsent(event.tenant(), repository::activeJourneys));
        }
    }

    private Result onEvent(Event event, String contactId, List<Journey> journeys) {
        TenantId t = event.tenant();
        if (dates != null && (event.type().equals(EventTypes.CONTACT_CREATED) || event.type().equals(EventTypes.CONTACT_UPDATED))) {
            dates.contactChanged(t, contactId, journeys); // its date, or zone, may have changed: move its occurrences
        }
        int enrolled = 0;
        int duplicates = 0;
        int refused = 0;
        int exited = 0;
        List<Enrolment> active = null;
        for (Journey j : journeys) {
            if (j.definition().exitOn().stream().anyMatch(x -> x.matches(event.type(), event.data()))) {
                if (active == null) {
                    active = repository.activeEnrolments(t, contactId);
                }
                for (Enrolment e : active) {
                    if (e.journeyId().equals(j.id()) && !e.triggerEventId().equals(event.id())
                            && e.enteredAt().isBefore(event.timestamp().plusMillis(1))) {
                        exited += exit(t, e) ? 1 : 0;
                    }
                }
            }
        }
        for (Journey j : journeys) {
            if (!(j.definition().trigger() instanceof Trigger.EventTrigger et) || !et.matches(event.type(), event.data())) {
                continue;
            }
            if (!inAudience(t, j, contactId)) {
                continue;
            }
            Instant now = clock.instant();
            Enrolment e = Enrolment.enter(j.id(), contactId, j.definitionVersion(), event.id(),
                    StepPath.first(j.definition().steps()), now);
            switch (repository.enrol(t, e, j.definition().entry(), now)) {
                case ENROLLED -> {
                    enrolled++;
                    runner.process(t, contactId, j.id(), e.id(), new HashMap<>(Map.of(t.value() + "/" + j.id() + "/"
                            + j.definitionVersion(), j.definition())));
                }
                case DUPLICATE -> duplicates++;
                default -> refused++;
            }
        }
        return new Result(enrolled, duplicates, refused, exited);
    }

    private boolean inAudience(TenantId t, Journey j, String contactId) {
        if (j.definition().audience() == null) {
            return true;
        }
        return inAudience(repository, runner, t, j, consent.findContact(t, contactId));
    }

    /** Whether the contact (null: gone) is in the journey's audience now (no audience: everyone). */
    static boolean inAudience(JourneyRepository repository, JourneyRunner runner, TenantId t, Journey j, Contact c) {
        if (j.definition().audience() == null) {
            return c != null;
        }
        Optional<SegmentRule> rule = repository.segment(t, j.definition().audience());
        if (rule.isEmpty()) {
            return false; // the segment was deleted: nobody is in it
        }
        return c != null && runner.matches(rule.get(), t, c);
    }

    /** Ends an enrolment for its exitOn event; retried on a fresh read when a sweep moved it meanwhile. */
    private boolean exit(TenantId t, Enrolment e) {
        Enrolment current = e;
        for (int attempt = 0; attempt < 3; attempt++) {
            Instant now = clock.instant();
            if (repository.advance(t, current, current.exited(JourneyRunner.EXIT_ON_EVENT, now, current.position(),
                    "exitOn"), JourneyRepository.Effect.count("exited:" + JourneyRunner.EXIT_ON_EVENT))) {
                return true;
            }
            Optional<Enrolment> fresh = repository.enrolment(t, e.contactId(), e.journeyId(), e.id());
            if (fresh.isEmpty() || !fresh.get().isActive()) {
                return false;
            }
            current = fresh.get();
        }
        return false;
    }
}
