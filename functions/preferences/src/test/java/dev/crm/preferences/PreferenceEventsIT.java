package dev.crm.preferences;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.StreamRecords;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.preferences.entrypoints.PreferenceEventsHandler;
import dev.crm.preferences.entrypoints.PreferencesHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.store.dynamodb.DynamoDbEventRepository;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * consent.changed through the real stream handler against DynamoDB Local: consent changed through
 * the API, each new ledger entry's stream record as the table now holds the item.
 */
class PreferenceEventsIT {
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final PreferencesHandler api = new PreferencesHandler(infra);
    private final PreferenceEventsHandler handler = new PreferenceEventsHandler(infra);
    private final DynamoDbEventRepository stored = new DynamoDbEventRepository(infra.table(), clock);
    private final Fixtures fx = new Fixtures(infra, api);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();

    private void optIn(String contactId) {
        status(fx.call(ApiEvents.request("PUT", "/v1/contacts/{id}/preferences").as(tenant, Scope.WRITE).path("id", contactId)
                .header("If-Match", "\"0\"").json("{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\":"
                        + " {\"newsletter\": \"opted_in\"}}}, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}")), 200);
    }

    /** Delivers each ledger entry's INSERT; returns the stream record id used per entry id. */
    private Map<String, String> deliverLedger(String contactId) {
        Map<String, String> recordOf = new LinkedHashMap<>();
        for (Map<String, AttributeValue> item : fx.items(tenant, contactId, Keys.LEDGER_PREFIX)) {
            String record = "rec-" + Attr.str(item, "entryId");
            handler.handleRequest(StreamRecords.change(record, clock.instant(), null, item), new LambdaContext());
            recordOf.put(Attr.str(item, "entryId"), record);
        }
        return recordOf;
    }

    @Test
    void eachLedgerEntryIsStoredAsTheConsentHistoryShowsIt() {
        fx.topic(tenant, "newsletter");
        String c = fx.contact(tenant, "Europe/London");
        optIn(c);
        Map<String, String> recordOf = deliverLedger(c);
        assertEquals(2, recordOf.size(), "the channel and the topic");
        var history = fx.call(ApiEvents.request("GET", "/v1/contacts/{id}/consent-history").as(tenant, Scope.READ).path("id", c));
        status(history, 200);
        List<?> items = (List<?>) body(history).get("items");
        assertEquals(2, items.size());
        for (Object o : items) {
            @SuppressWarnings("unchecked")
            Map<String, Object> entry = new LinkedHashMap<>((Map<String, Object>) o);
            String id = EventIds.derive(Instant.parse((String) entry.get("at")), recordOf.get(entry.get("id")), "consent.changed");
            Map<?, ?> envelope = (Map<?, ?>) Json.parse(stored.envelope(tenant, id, c).orElseThrow());
            assertEquals(id, envelope.get("id"));
            assertEquals("consent.changed", envelope.get("type"));
            assertEquals(tenant.value(), envelope.get("tenantId"));
            assertEquals(entry.get("at"), envelope.get("timestamp"));
            entry.remove("ip");
            entry.remove("userAgent");
            assertEquals(entry, envelope.get("data"));
            assertHasRequiredFields("consent.changed", envelope.get("data"));
            assertTrue(stored.envelope(TestInfrastructure.tenant(infra).id(), id, c).isEmpty(), "another tenant never reads it");
        }
        deliverLedger(c); // the stream redelivers the records: nothing new is stored
        assertEquals(2, fx.items(tenant, c, "EV#").size());
    }

    @Test
    void aContactBeingErasedGetsNoStoredEvent() {
        fx.topic(tenant, "newsletter");
        String c = fx.contact(tenant, "Europe/London");
        optIn(c);
        fx.markErasing(tenant, c);
        Map<String, String> recordOf = deliverLedger(c);
        assertFalse(recordOf.isEmpty());
        assertEquals(List.of(), fx.items(tenant, c, "EV#"));
        recordOf.forEach((entryId, record) -> assertTrue(stored.envelope(tenant,
                EventIds.derive(clock.instant(), record, "consent.changed"), c).isEmpty()));
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
