package dev.crm.journeys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Date triggers ("three days before the birthday, at 10:00 in the contact's zone, yearly") through the
 * real handlers on DynamoDB Local: activation's scan, the sweep at the instant, contact events moving an
 * occurrence, the entry rules and the idempotency per (journey, contact, occurrence). Messages are
 * counted in the sender's outbox.
 */
class JourneyDatesIT {
    static final String BIRTHDAY = "{\"date\": \"attributes.birthday\", \"offsetDays\": %d, \"at\": \"10:00\"}";

    static String birthdayJourney(int offsetDays, String entry, String steps) {
        return "{\"name\": \"Birthday\", \"trigger\": " + BIRTHDAY.formatted(offsetDays) + ", \"entry\": " + entry
                + ", \"steps\": " + steps + "}";
    }

    static final String EVERY = "{\"mode\": \"every\", \"minInterval\": \"P300D\"}";
    static final String ONCE = "{\"mode\": \"once\"}";
    static final String SEND = "[" + JourneysIT.SEND_OFFER.formatted("skip") + "]";

    private static List<String> occurrences(JourneyFixture f, String journey, String contact) {
        return f.enrolments(journey, contact).stream().map(e -> (String) e.get("triggerEventId")).toList();
    }

    @Test
    void aBirthdayJourneyEnrolsAtTheInstantInTheContactsZoneAndAYearLaterOnlyForEvery() {
        JourneyFixture f = new JourneyFixture("2026-12-07T08:00:00Z");
        String ann = f.contact(f.tenant, "Ann", "Europe/Berlin", Map.of("birthday", "1990-12-12"));
        String noDate = f.contact("Bob", "Europe/Berlin");
        TenantId other = TestInfrastructure.tenant(f.infra).id();
        String theirs = f.contact(other, "Eve", "Europe/Berlin", Map.of("birthday", "1990-12-12"));
        String every = f.journey(birthdayJourney(-3, EVERY, SEND));
        String once = f.journey(birthdayJourney(-3, ONCE, "[{\"wait\": \"PT1M\"}]"));
        f.runSweep(); // the activations' scans schedule each contact's next occurrence

        // three days before 12 December, 10:00 in Berlin (CET) = 09:00Z
        f.clock.set(Instant.parse("2026-12-09T08:59:00Z"));
        f.runSweep();
        assertEquals(List.of(), f.messagesTo(ann), "nothing before the instant");
        f.clock.set(Instant.parse("2026-12-09T09:00:00Z"));
        Map<String, Object> figures = f.sweep.handleRequest(Map.of(), new LambdaContext());
        assertEquals(1, f.messagesTo(ann).size());
        assertEquals(2, figures.get("dateEnrolled"));
        assertEquals(1, figures.get("sent"), "the sweep's figure counts what a date enrolment's first step sent");
        assertEquals(List.of("date:2026-12-09"), occurrences(f, every, ann));
        assertEquals(List.of("date:2026-12-09"), occurrences(f, once, ann));

        f.clock.set(Instant.parse("2027-12-09T09:00:00Z"));
        f.runSweep();
        assertEquals(List.of("date:2026-12-09", "date:2027-12-09"), occurrences(f, every, ann));
        assertEquals(List.of("date:2026-12-09"), occurrences(f, once, ann), "once: never again");
        assertEquals(2, f.messagesTo(ann).size());
        assertEquals(2L, ((Number) f.stats(every).get("entered")).longValue());
        assertEquals(1L, ((Number) f.stats(once).get("entered")).longValue());
        assertEquals(List.of(), f.enrolments(every, noDate));
        assertEquals(List.of(), f.messagesTo(theirs), "another tenant's contact is not this tenant's audience");
    }

    @Test
    void aContactWhoseBirthdayChangesIsEnrolledOnTheNewDateOnlyEvenWhenTheChangeEventIsLost() {
        JourneyFixture f = new JourneyFixture("2026-12-07T08:00:00Z");
        String announced = f.contact(f.tenant, "Ann", "UTC", Map.of("birthday", "1990-12-20"));
        String silent = f.contact(f.tenant, "Bob", "UTC", Map.of("birthday", "1990-12-20"));
        String journey = f.journey(birthdayJourney(-3, EVERY, SEND));
        f.runSweep();
        f.clock.set(Instant.parse("2026-12-08T12:00:00Z"));
        f.changeAttributes(announced, Map.of("birthday", "1990-12-14"));
        f.deliver(f.event(EventTypes.CONTACT_UPDATED, announced, Map.of("id", announced)));
        f.changeAttributes(silent, Map.of("birthday", "1990-12-25")); // its contact.updated never arrives

        f.clock.set(Instant.parse("2026-12-11T10:00:00Z"));
        f.runSweep();
        assertEquals(List.of("date:2026-12-11"), occurrences(f, journey, announced));
        f.clock.set(Instant.parse("2026-12-17T10:00:00Z"));
        f.runSweep(); // the old date: nobody (the silent change is found at due time and moves the occurrence)
        assertEquals(List.of("date:2026-12-11"), occurrences(f, journey, announced));
        assertEquals(List.of(), occurrences(f, journey, silent));
        f.clock.set(Instant.parse("2026-12-22T10:00:00Z"));
        f.runSweep();
        assertEquals(List.of("date:2026-12-22"), occurrences(f, journey, silent));
        assertEquals(1, f.messagesTo(announced).size());
        assertEquals(1, f.messagesTo(silent).size());
    }

    @Test
    void aContactCreatedAfterActivationIsEnrolled() {
        JourneyFixture f = new JourneyFixture("2026-12-07T08:00:00Z");
        String journey = f.journey(birthdayJourney(0, EVERY, SEND));
        f.runSweep(); // the scan finds nobody
        f.clock.set(Instant.parse("2026-12-08T08:00:00Z"));
        String late = f.contact(f.tenant, "Ann", "America/New_York", Map.of("birthday", "2001-12-10"));
        f.deliver(f.event(EventTypes.CONTACT_CREATED, late, Map.of("id", late)));
        f.clock.set(Instant.parse("2026-12-10T14:59:00Z"));
        f.runSweep();
        assertEquals(List.of(), occurrences(f, journey, late));
        f.clock.set(Instant.parse("2026-12-10T15:00:00Z")); // 10:00 EST
        f.runSweep();
        assertEquals(List.of("date:2026-12-10"), occurrences(f, journey, late));
        assertEquals(1, f.messagesTo(late).size());
    }

    @Test
    void concurrentSweepsAndReplayedContactEventsEnrolOnce() throws Exception {
        JourneyFixture f = new JourneyFixture("2026-12-07T08:00:00Z");
        String ann = f.contact(f.tenant, "Ann", "UTC", Map.of("birthday", "1990-12-12"));
        String journey = f.journey(birthdayJourney(-3, EVERY, SEND));
        f.runSweep();
        var updated = f.event(EventTypes.CONTACT_UPDATED, ann, Map.of("id", ann));
        f.clock.set(Instant.parse("2026-12-09T10:00:00Z"));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Object>> done = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            boolean sweep = i % 2 == 0;
            done.add(pool.submit((Callable<Object>) () -> {
                start.await();
                if (sweep) {
                    f.runSweep();
                } else {
                    f.deliver(updated); // a replay of a change that moved nothing
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<Object> d : done) {
            d.get();
        }
        pool.shutdown();
        f.runSweep();
        f.deliver(updated);
        f.runSweep();
        assertEquals(List.of("date:2026-12-09"), occurrences(f, journey, ann));
        assertEquals(1, f.messagesTo(ann).size());
        assertEquals(1L, ((Number) f.stats(journey).get("entered")).longValue());
    }

    @Test
    void the29thOfFebruaryAndTheYearBoundary() {
        JourneyFixture f = new JourneyFixture("2026-12-07T08:00:00Z");
        String leap = f.contact(f.tenant, "Leap", "UTC", Map.of("birthday", "2000-02-29"));
        String newYear = f.contact(f.tenant, "Jan", "UTC", Map.of("birthday", "1985-01-02"));
        String journey = f.journey(birthdayJourney(-3, EVERY, SEND));
        f.runSweep();
        f.clock.set(Instant.parse("2026-12-30T10:00:00Z")); // 2 January − 3 days, in the year before
        f.runSweep();
        assertEquals(List.of("date:2026-12-30"), occurrences(f, journey, newYear));
        f.clock.set(Instant.parse("2027-02-25T10:00:00Z")); // 2027 has no 29 February: 28 February − 3 days
        f.runSweep();
        assertEquals(List.of("date:2027-02-25"), occurrences(f, journey, leap));
        f.clock.set(Instant.parse("2027-12-30T10:00:00Z"));
        f.runSweep();
        assertEquals(List.of("date:2026-12-30", "date:2027-12-30"), occurrences(f, journey, newYear));
        f.clock.set(Instant.parse("2028-02-25T10:00:00Z"));
        f.runSweep();
        assertEquals(List.of("date:2027-02-25"), occurrences(f, journey, leap), "2028 has a 29 February: not yet");
        f.clock.set(Instant.parse("2028-02-26T10:00:00Z"));
        f.runSweep();
        assertEquals(List.of("date:2027-02-25", "date:2028-02-26"), occurrences(f, journey, leap));
    }

    @Test
    void aPausedJourneyEnrolsNobodyAndItsReactivationSchedulesFromThen() {
        JourneyFixture f = new JourneyFixture("2026-12-07T08:00:00Z");
        String ann = f.contact(f.tenant, "Ann", "UTC", Map.of("birthday", "1990-12-12"));
        String journey = f.journey(birthdayJourney(-3, EVERY, SEND));
        f.runSweep();
        var paused = f.call(ApiEvents.request("POST", "/v1/journeys/{id}/pause").path("id", journey).as(f.tenant, Scope.WRITE));
        assertEquals(200, paused.getStatusCode(), paused.getBody());
        f.clock.set(Instant.parse("2026-12-09T10:00:00Z"));
        f.runSweep();
        assertEquals(List.of(), occurrences(f, journey, ann));
        f.clock.set(Instant.parse("2026-12-10T10:00:00Z"));
        var active = f.call(ApiEvents.request("POST", "/v1/journeys/{id}/activate").path("id", journey).as(f.tenant, Scope.WRITE));
        assertEquals(200, active.getStatusCode(), active.getBody());
        f.runSweep();
        f.clock.set(Instant.parse("2027-12-09T10:00:00Z"));
        f.runSweep();
        assertEquals(List.of("date:2027-12-09"), occurrences(f, journey, ann), "the missed occurrence is not made up");
    }

    @Test
    void theAudienceIsJudgedAtTheOccurrence() {
        JourneyFixture f = new JourneyFixture("2026-12-07T08:00:00Z");
        String vip = f.contact(f.tenant, "Vera", "UTC", Map.of("birthday", "1990-12-12", "vip", true));
        String other = f.contact(f.tenant, "Otto", "UTC", Map.of("birthday", "1990-12-12"));
        String segment = "seg_vipsonly000000000000";
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = new java.util.HashMap<>(
                dev.crm.shared.store.dynamodb.Table.key(dev.crm.shared.store.dynamodb.Keys.segments(f.tenant), segment));
        item.put("entity", dev.crm.shared.store.dynamodb.Attr.s("SEGMENT"));
        item.put("tenantId", dev.crm.shared.store.dynamodb.Attr.s(f.tenant.value()));
        item.put("rule", dev.crm.shared.store.dynamodb.Attr.s("{\"field\": \"attributes.vip\", \"op\": \"eq\", \"value\": true}"));
        f.infra.table().client().putItem(b -> b.tableName(f.infra.table().name()).item(item));
        String journey = f.journey(birthdayJourney(-3, EVERY, SEND).replace("\"entry\"", "\"audience\": \"" + segment + "\", \"entry\""));
        f.runSweep();
        f.clock.set(Instant.parse("2026-12-09T10:00:00Z"));
        f.runSweep();
        assertEquals(List.of("date:2026-12-09"), occurrences(f, journey, vip));
        assertEquals(List.of(), occurrences(f, journey, other));
        f.changeAttributes(other, Map.of("birthday", "1990-12-12", "vip", true)); // in the segment by next year
        f.clock.set(Instant.parse("2027-12-09T10:00:00Z"));
        f.runSweep();
        assertEquals(List.of("date:2027-12-09"), occurrences(f, journey, other));
    }

    /**
     * Two sweeps that read the same due item: the second's transaction is refused by the enrolment's id
     * (same occurrence) and, on its own, by the item's revision (whatever id it would enrol under).
     */
    @Test
    void eachOccurrenceGuardAloneRefusesASecondEnrolmentFromAStaleRead() {
        JourneyFixture f = new JourneyFixture("2026-12-09T10:00:00Z");
        String ann = f.contact(f.tenant, "Ann", "UTC", Map.of("birthday", "1990-12-12"));
        var journeys = new dev.crm.journeys.store.dynamodb.DynamoDbJourneyRepository(f.infra.table());
        var dates = new dev.crm.journeys.store.dynamodb.DynamoDbJourneyDates(f.infra.table(), journeys);
        Instant due = f.clock.instant();
        String trigger = "{\"date\":\"attributes.birthday\",\"offsetDays\":-3,\"at\":\"10:00\"}";
        assertEquals(true, dates.schedule(f.tenant, ann, "jrn_stalereads0000000000", trigger, due, null));
        var stale = dates.find(f.tenant, ann, "jrn_stalereads0000000000").orElseThrow();
        var every = new dev.crm.journeys.domain.Entry(true, java.time.Duration.ofMinutes(1));
        var e = dev.crm.journeys.domain.Enrolment.enter("jrn_stalereads0000000000", ann, 1, "date:2026-12-09", "0", due);
        Instant nextYear = due.plus(java.time.Duration.ofDays(365));
        assertEquals(dev.crm.journeys.domain.JourneyRepository.EnrolOutcome.ENROLLED,
                dates.enrol(f.tenant, e, every, due, stale, nextYear));
        assertEquals(dev.crm.journeys.domain.JourneyRepository.EnrolOutcome.DUPLICATE,
                dates.enrol(f.tenant, e, every, due, stale, nextYear), "the same occurrence's id exists");
        Instant later = due.plusSeconds(120); // the entry rule would let a new id in now
        var other = dev.crm.journeys.domain.Enrolment.enter("jrn_stalereads0000000000", ann, 1, "date:another", "0", later);
        assertEquals(dev.crm.journeys.domain.JourneyRepository.EnrolOutcome.DUPLICATE,
                dates.enrol(f.tenant, other, every, later, stale, nextYear), "the item moved on since it was read");
        assertEquals(1, journeys.enrolments(f.tenant, "jrn_stalereads0000000000", ann).size());
        assertEquals(nextYear, dates.find(f.tenant, ann, "jrn_stalereads0000000000").orElseThrow().dueAt());
    }
}
