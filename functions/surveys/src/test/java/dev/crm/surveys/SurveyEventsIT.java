package dev.crm.surveys;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.StreamRecords;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.store.dynamodb.DynamoDbEventRepository;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.entrypoints.SurveyEventsHandler;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * survey.response_submitted through the real stream handler against DynamoDB Local: responses
 * submitted through the public route, each response item's INSERT as the table now holds it.
 */
class SurveyEventsIT {
    static final String NPS = "{\"kind\": \"nps\", \"title\": \"How did we do?\", \"rateLimit\": {\"perClientPerMinute\": 10000},"
            + " \"questions\": [{\"id\": \"score\", \"type\": \"score\", \"label\": \"Recommend us?\"},"
            + " {\"id\": \"why\", \"type\": \"text\", \"label\": \"Anything else?\", \"maxLength\": 40}]}";

    private final SurveyFixture f = new SurveyFixture("2026-11-24T10:00:10Z");
    private final TenantId tenant = f.tenant("{\"defaultTimeZone\": \"Europe/London\"}");
    private final SurveyEventsHandler handler = new SurveyEventsHandler(f.infra);
    private final DynamoDbEventRepository stored = new DynamoDbEventRepository(f.infra.table(), f.clock);

    /** Submits, then delivers the new response item's INSERT; returns the id its event must have. */
    private String submitAndDeliver(String surveyId, String json, String record) {
        var r = f.submit(surveyId, json);
        status(r, 201);
        String responseId = (String) body(r).get("id");
        Map<String, AttributeValue> item = f.responseItems(tenant, surveyId).stream()
                .filter(i -> responseId.equals(Attr.str(i, "responseId"))).findFirst().orElseThrow();
        handler.handleRequest(StreamRecords.change(record, f.clock.instant(), null, item), new LambdaContext());
        return EventIds.derive(Instant.parse((String) body(r).get("submittedAt")), record, "survey.response_submitted");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aContactsResponseIsStoredWithTheContactAsItsTimelineShowsIt() {
        String contactId = f.contact(tenant);
        String survey = f.survey(tenant, NPS);
        String token = f.token(tenant, survey, contactId);
        String id = submitAndDeliver(survey, "{\"answers\": {\"score\": 3, \"why\": \"slow support\"}, \"respondentToken\": \""
                + token + "\"}", "rec-1");
        Map<String, Object> envelope = (Map<String, Object>) Json.parse(stored.envelope(tenant, id, contactId).orElseThrow());
        assertEquals("survey.response_submitted", envelope.get("type"));
        assertEquals(tenant.value(), envelope.get("tenantId"));
        assertEquals("2026-11-24T10:00:10Z", envelope.get("timestamp"));
        Map<String, Object> data = (Map<String, Object>) envelope.get("data");
        assertEquals("detractor", data.get("npsCategory"));
        assertEquals(contactId, data.get("contactId"));
        assertHasRequiredFields("survey.response_submitted", data);

        var timeline = f.contactsCall(ApiEvents.request("GET", "/v1/contacts/{id}/timeline").path("id", contactId)
                .as(tenant, Scope.READ));
        Map<String, Object> entry = ((List<Map<String, Object>>) body(timeline).get("items")).get(0);
        for (String field : List.of("id", "surveyId", "surveyTitle", "surveyKind", "submittedAt", "score", "riskSignal", "answers")) {
            assertEquals(entry.get(field), data.get(field), field + " as the timeline shows it");
        }
        assertTrue(stored.envelope(f.tenant(), id, contactId).isEmpty(), "another tenant never reads it");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAnonymousResponseIsStoredWithoutAContact() {
        String survey = f.survey(tenant, NPS);
        String id = submitAndDeliver(survey, "{\"answers\": {\"score\": 10}}", "rec-2");
        handler.handleRequest(StreamRecords.change("rec-2", f.clock.instant(), null, f.responseItems(tenant, survey).get(0)),
                new LambdaContext()); // redelivered: the same event, stored once
        Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) Json.parse(
                stored.envelope(tenant, id, null).orElseThrow())).get("data");
        assertEquals("promoter", data.get("npsCategory"));
        assertEquals(10L, data.get("score"));
        assertFalse(data.containsKey("contactId"));
        assertHasRequiredFields("survey.response_submitted", data);
        assertTrue(f.item(tenant.value() + "#EV#" + id, Keys.ITEM) != null);
    }

    @Test
    void aContactBeingErasedGetsNoStoredEvent() {
        String contactId = f.contact(tenant);
        String survey = f.survey(tenant, NPS);
        String token = f.token(tenant, survey, contactId);
        var r = f.submit(survey, "{\"answers\": {\"score\": 3}, \"respondentToken\": \"" + token + "\"}");
        status(r, 201);
        // the erasure starts after the response was written, before its stream record is read
        f.infra.table().client().updateItem(b -> b.tableName(f.infra.table().name())
                .key(Table.key(Keys.contact(tenant, contactId), Keys.CONTACT_PROFILE))
                .updateExpression("SET #st = :s").expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Map.of(":s", Attr.s("erasing"))));
        String responseId = (String) body(r).get("id");
        Map<String, AttributeValue> item = f.responseItems(tenant, survey).stream()
                .filter(i -> responseId.equals(Attr.str(i, "responseId"))).findFirst().orElseThrow();
        handler.handleRequest(StreamRecords.change("rec-3", f.clock.instant(), null, item), new LambdaContext());
        String id = EventIds.derive(Instant.parse((String) body(r).get("submittedAt")), "rec-3", "survey.response_submitted");
        assertTrue(stored.envelope(tenant, id, contactId).isEmpty());
        assertEquals(0, f.partition(Keys.contact(tenant, contactId)).stream()
                .filter(i -> Attr.str(i, Table.SK).startsWith("EV#")).count());
    }

    /** The data has every field its type's JSON Schema (docs/events/{type}.json) requires. */
    static void assertHasRequiredFields(String type, Map<String, Object> data) {
        try {
            Map<?, ?> schema = (Map<?, ?>) Json.parse(Files.readString(
                    SamTemplate.locate().getParent().resolve("docs/events/" + type + ".json")));
            for (Object field : (List<?>) schema.get("required")) {
                assertTrue(data.containsKey(field), type + " data lacks " + field);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
