package dev.crm.churn;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.churn.domain.ChurnAlert;
import dev.crm.churn.entrypoints.ChurnAlertEventsHandler;
import dev.crm.churn.entrypoints.ChurnAlertsHandler;
import dev.crm.churn.store.dynamodb.DynamoDbChurnRepository;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.StreamRecords;
import dev.crm.devkit.TestHistories;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.store.dynamodb.DynamoDbEventRepository;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The churn alert events through the real stream handler against DynamoDB Local: the alert raised
 * as the run raises it, acknowledged and resolved through the API, each change's stream record as
 * the table now holds the item.
 */
class ChurnAlertEventsIT {
    private final MutableClock clock = MutableClock.at("2026-11-24T12:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock, Map.of("CRM_LOCAL", "true"));
    private final ChurnAlertsHandler api = new ChurnAlertsHandler(infra);
    private final ChurnAlertEventsHandler handler = new ChurnAlertEventsHandler(infra);
    private final DynamoDbEventRepository stored = new DynamoDbEventRepository(infra.table(), clock);
    private TenantId t;
    private String contactId;

    @BeforeEach
    void aCustomer() {
        t = TestInfrastructure.tenant(infra).id();
        var customer = TestHistories.fromWeeks(LocalDate.parse("2026-11-24"), "EUR", 3, 20, 40, 50, BigDecimal.TEN, 0, null);
        TestHistories.write(infra.table(), t, List.of(customer), clock.instant());
        contactId = customer.contactId();
    }

    private String raise() {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("firstName", "Ada");
        card.put("lastName", "Lovelace");
        ChurnAlert a = new ChurnAlert(ChurnAlert.id(contactId, "202611"), contactId, "202611", ChurnAlert.Status.OPEN,
                0.1234567, "high", new BigDecimal("321.5"), new BigDecimal("281.8"), "EUR", List.of("p_alive_below_threshold"),
                new LinkedHashMap<>(Map.of("detail", "call them")), card, "run_a", clock.instant(), null, null, null, null, null);
        assertTrue(new DynamoDbChurnRepository(infra.table()).createAlert(t, a));
        return a.id();
    }

    private Map<String, AttributeValue> alertItem() {
        return infra.table().get(Keys.contact(t, contactId), "AL#202611");
    }

    private void deliver(String recordId, Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        handler.handleRequest(StreamRecords.change(recordId, clock.instant(), before, after), new LambdaContext());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> envelope(String eventId) {
        Optional<String> json = stored.envelope(t, eventId, contactId);
        assertTrue(json.isPresent(), "no stored event " + eventId);
        return (Map<String, Object>) Json.parse(json.get());
    }

    @Test
    void raisedAcknowledgedAndResolvedAreStoredWithTheAlertAsTheApiShowsIt() {
        Instant raisedAt = clock.instant();
        String alertId = raise();
        Map<String, AttributeValue> open = alertItem();
        deliver("rec-1", null, open);
        String raisedId = EventIds.derive(raisedAt, "rec-1", "churn_alert.raised");
        Map<String, Object> raised = envelope(raisedId);
        assertEquals("churn_alert.raised", raised.get("type"));
        assertEquals(t.value(), raised.get("tenantId"));
        assertEquals(dev.crm.shared.json.Times.format(raisedAt), raised.get("timestamp"));
        var listed = body(api.handleRequest(ApiEvents.request("GET", "/v1/churn-alerts").as(t, Scope.READ).build(),
                new LambdaContext()));
        assertEquals(((List<?>) listed.get("items")).get(0), raised.get("data"), "the data is the alert as the API lists it");
        assertHasRequiredFields("churn_alert.raised", raised.get("data"));

        clock.advance(java.time.Duration.ofHours(2));
        var ack = api.handleRequest(ApiEvents.request("POST", "/v1/churn-alerts/{id}/acknowledge").path("id", alertId)
                .as(t, Scope.WRITE).build(), new LambdaContext());
        status(ack, 200);
        Map<String, AttributeValue> acknowledged = alertItem();
        deliver("rec-2", open, acknowledged);
        deliver("rec-2", open, acknowledged); // the stream redelivers a record: the same event, stored once
        Map<String, Object> acked = envelope(EventIds.derive(clock.instant(), "rec-2", "churn_alert.acknowledged"));
        assertEquals("churn_alert.acknowledged", acked.get("type"));
        assertEquals(body(ack), acked.get("data"));
        assertHasRequiredFields("churn_alert.acknowledged", acked.get("data"));

        clock.advance(java.time.Duration.ofHours(2));
        var res = api.handleRequest(ApiEvents.request("POST", "/v1/churn-alerts/{id}/resolve").path("id", alertId)
                .as(t, Scope.WRITE).json("{\"resolution\": \"retained\"}").build(), new LambdaContext());
        status(res, 200);
        deliver("rec-3", acknowledged, alertItem());
        Map<String, Object> resolved = envelope(EventIds.derive(clock.instant(), "rec-3", "churn_alert.resolved"));
        assertEquals(body(res), resolved.get("data"));
        assertEquals("retained", ((Map<?, ?>) resolved.get("data")).get("resolution"));
        assertHasRequiredFields("churn_alert.resolved", resolved.get("data"));

        assertEquals(3, storedEventsOfTheContact(), "one per change, none twice");
        TenantId other = TestInfrastructure.tenant(infra).id();
        assertNotEquals(other, t);
        assertTrue(stored.envelope(other, raisedId, contactId).isEmpty(), "another tenant never reads it");
    }

    @Test
    void aContactBeingErasedGetsNoStoredEvent() {
        raise();
        Map<String, AttributeValue> open = alertItem();
        infra.table().client().updateItem(b -> b.tableName(infra.table().name())
                .key(Table.key(Keys.contact(t, contactId), Keys.CONTACT_PROFILE))
                .updateExpression("SET #st = :s").expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Map.of(":s", Attr.s("erasing"))));
        deliver("rec-9", null, open);
        assertTrue(stored.envelope(t, EventIds.derive(clock.instant(), "rec-9", "churn_alert.raised"), contactId).isEmpty());
        assertEquals(0, storedEventsOfTheContact());
    }

    private int storedEventsOfTheContact() {
        return infra.table().client().query(b -> b.tableName(infra.table().name()).consistentRead(true)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :ev)")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contact(t, contactId)), ":ev", Attr.s("EV#")))).count();
    }

    /** The data has every field its type's JSON Schema (docs/events/{type}.json) requires. */
    static void assertHasRequiredFields(String type, Object data) {
        try {
            Map<?, ?> schema = (Map<?, ?>) Json.parse(Files.readString(
                    SamTemplate.locate().getParent().resolve("docs/events/" + type + ".json")));
            for (Object field : (List<?>) schema.get("required")) {
                assertTrue(((Map<?, ?>) data).containsKey(field), type + " data lacks " + field);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
