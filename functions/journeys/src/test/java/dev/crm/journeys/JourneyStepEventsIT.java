package dev.crm.journeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.devkit.EventSchemas;
import dev.crm.devkit.FaultInjector;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The {@code emit} and {@code createCase} steps on DynamoDB Local through the real handlers: each stores
 * its event (the item every outlet reads) in the step's own transaction, so a duplicated trigger or a
 * sweep killed mid-batch still leaves exactly one event per enrolment and step, valid by its schema.
 */
class JourneyStepEventsIT {
    static final String STEPS = "[{\"emit\": {\"type\": \"recovery.started\", \"data\": {\"campaign\": \"nps\", \"round\": 2}}},"
            + " {\"createCase\": {\"subject\": \"Call back: unhappy customer\", \"priority\": \"high\"}}]";

    /** The stored events of the fixture's tenant (of one type, or all), as the outlets read them (envelope JSON). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> storedEvents(JourneyFixture f, String type) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanResponse r = f.infra.table().client().scan(ScanRequest.builder().tableName(f.infra.table().name())
                    .filterExpression("#e = :e AND tenantId = :t" + (type == null ? "" : " AND eventType = :y"))
                    .expressionAttributeNames(Map.of("#e", Table.ENTITY))
                    .expressionAttributeValues(type == null ? Map.of(":e", Attr.s("EVENT"), ":t", Attr.s(f.tenant.value()))
                            : Map.of(":e", Attr.s("EVENT"), ":t", Attr.s(f.tenant.value()), ":y", Attr.s(type)))
                    .exclusiveStartKey(start).build());
            for (var item : r.items()) {
                out.add((Map<String, Object>) Json.parse(Attr.str(item, "envelope")));
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTriggerDeliveredTwiceAnnouncesTheCustomEventAndTheCaseRequestOnceAndBothFollowTheirSchemas() {
        JourneyFixture f = new JourneyFixture("2026-12-07T10:00:00Z");
        String journey = f.journey(JourneysIT.purchaseJourney("{\"mode\": \"once\"}", STEPS, null));
        String contact = f.contact("Ann", "UTC");
        Event purchase = f.purchase(contact);
        f.deliver(purchase);
        f.deliver(purchase);
        f.runSweep();

        List<Map<String, Object>> custom = storedEvents(f, EventTypes.JOURNEY_CUSTOM);
        List<Map<String, Object>> requests = storedEvents(f, EventTypes.JOURNEY_CASE_REQUESTED);
        assertEquals(1, custom.size(), custom.toString());
        assertEquals(1, requests.size(), requests.toString());
        for (Map<String, Object> envelope : List.of(custom.get(0), requests.get(0))) {
            assertEquals(List.of(), EventSchemas.violations((String) envelope.get("type"), envelope.get("data")));
            assertTrue(EventIds.isValid((String) envelope.get("id")));
            assertEquals(f.tenant.value(), envelope.get("tenantId"));
        }
        Map<String, Object> data = (Map<String, Object>) custom.get(0).get("data");
        assertEquals("recovery.started", data.get("name"));
        assertEquals(Map.of("campaign", "nps", "round", 2L), Map.copyOf((Map<String, Object>) data.get("data")));
        assertEquals(journey, data.get("journeyId"));
        assertEquals(contact, data.get("contactId"));
        assertEquals("/steps/0", data.get("step"));
        Map<String, Object> request = (Map<String, Object>) requests.get(0).get("data");
        assertEquals("Call back: unhappy customer", request.get("subject"));
        assertEquals("high", request.get("priority"));
        assertEquals("jc:" + request.get("enrolmentId") + ":1", request.get("requestId"));

        Map<String, Object> enrolment = f.enrolments(journey, contact).get(0);
        assertEquals("completed", enrolment.get("status"));
        List<Object> outcomes = ((List<Map<String, Object>>) enrolment.get("steps")).stream().map(s -> s.get("outcome")).toList();
        assertEquals(List.of("entered", "emitted:recovery.started", "requested", "completed"), outcomes);
    }

    /** As JourneySweepCrashIT, with the event steps between the wait and the send. */
    @Test
    @SuppressWarnings("unchecked")
    void aSweepKilledMidBatchAndResumedStoresOneEventPerEnrolmentAndStep() {
        int enrolments = 24;
        JourneyFixture f = new JourneyFixture("2026-12-08T10:00:00Z");
        String journey = f.journey(JourneysIT.purchaseJourney("{\"mode\": \"once\"}", "[{\"wait\": \"PT5M\"}, "
                + STEPS.substring(1, STEPS.length() - 1) + ", " + JourneysIT.SEND_OFFER.formatted("wait") + "]", null));
        for (int i = 0; i < enrolments; i++) {
            f.deliver(f.purchase(f.contact("C" + i, "UTC")));
        }
        f.clock.advance(Duration.ofMinutes(5));
        int kills = 0;
        for (int writesBeforeDeath : new int[] {37, 23}) {
            f.faults.crashAfter(writesBeforeDeath, FaultInjector.WRITES);
            try {
                f.runSweep();
            } catch (RuntimeException killed) {
                kills++;
            }
            f.faults.off();
        }
        assertEquals(2, kills, "both sweeps died mid-batch");
        for (int i = 0; i < 10 && f.messages().size() < enrolments; i++) {
            f.runSweep();
        }
        List<Map<String, Object>> stored = storedEvents(f, null); // one scan for both types
        for (String type : List.of(EventTypes.JOURNEY_CUSTOM, EventTypes.JOURNEY_CASE_REQUESTED)) {
            Map<String, Integer> perEnrolment = new TreeMap<>();
            for (Map<String, Object> e : stored.stream().filter(e -> type.equals(e.get("type"))).toList()) {
                perEnrolment.merge((String) ((Map<String, Object>) e.get("data")).get("enrolmentId"), 1, Integer::sum);
            }
            assertEquals(enrolments, perEnrolment.size(), type + ": every enrolment's step stored its event");
            assertTrue(perEnrolment.values().stream().allMatch(n -> n == 1), type + ": none twice " + perEnrolment.values());
        }
        assertEquals(enrolments, f.messages().size());
        assertEquals((long) enrolments, ((Number) f.stats(journey).get("completed")).longValue());
    }
}
