package dev.crm.surveys.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.devkit.StreamRecords;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.RecordedResponse;
import dev.crm.surveys.domain.StoredSurvey;
import dev.crm.surveys.domain.Survey;
import dev.crm.surveys.store.memory.InMemorySurveyRepository;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class SurveyChangeDecoderTest {
    private static final TenantId T = TenantId.generate();
    private static final String CONTACT = "c_0123456789abcdefghjk";
    private static final Instant CREATED = Instant.parse("2026-11-01T09:00:00Z");
    private static final Instant SUBMITTED = Instant.parse("2026-11-24T10:00:10.250Z");
    private static final Instant STREAM_AT = Instant.parse("2026-11-24T10:00:11Z");
    private final InMemorySurveyRepository surveys = new InMemorySurveyRepository();
    private final SurveyChangeDecoder decoder = new SurveyChangeDecoder(surveys);

    private Survey survey(String id, String json) {
        Violations v = new Violations();
        Survey s = Survey.create(JsonObject.of(Json.parse(json), v), id, T, CREATED);
        assertTrue(v.isEmpty(), v.items()::toString);
        surveys.create(new StoredSurvey(s, ZoneId.of("Europe/London")));
        return s;
    }

    private Survey nps() {
        return survey("srv_0123456789abcdefghjk", "{\"kind\": \"nps\", \"title\": \"How did we do?\", \"questions\": ["
                + "{\"id\": \"score\", \"type\": \"score\", \"label\": \"Recommend us?\"},"
                + "{\"id\": \"why\", \"type\": \"text\", \"label\": \"Anything else?\", \"maxLength\": 40}]}");
    }

    private static RecordedResponse response(Survey s, Integer score, String contactId) {
        return new RecordedResponse("rsp_1", s.id(), SUBMITTED, contactId, contactId == null ? null : "n1",
                score == null ? Map.of() : Map.of("score", score), Map.of("why", "slow support"));
    }

    private static Map<String, AttributeValue> item(RecordedResponse r) {
        return ResponseItem.SCHEMA.itemToMap(ResponseItem.of(T, r, SurveyTableKeys.responses(T, r.surveyId(), 3),
                SurveyTableKeys.response(r.submittedAt(), r.id()), LocalDate.parse("2026-11-24"), 3), true);
    }

    private List<Event> decode(String recordId, Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        return decoder.events(TableChange.of(StreamRecords.change(recordId, STREAM_AT, before, after)).get(0));
    }

    @Test
    void aResponseThroughARespondentLinkIsSubmittedWithItsContactAndNpsCategory() {
        Survey s = nps();
        RecordedResponse r = response(s, 3, CONTACT);
        List<Event> events = decode("r1", null, item(r));
        assertEquals(1, events.size());
        Event e = events.get(0);
        assertEquals("survey.response_submitted", e.type());
        assertEquals("crm.surveys", e.source());
        assertEquals(SUBMITTED, e.timestamp());
        assertEquals(T, e.tenant());
        assertEquals(CONTACT, e.personalDataOf(), "stored with the contact, erased with it");
        Map<String, Object> expected = new HashMap<>(r.toJson(s));
        expected.put("npsCategory", "detractor");
        expected.put("contactId", CONTACT);
        assertEquals(Json.parse(Json.write(expected)), Json.parse(Json.write(e.data())), "the API form, as JSON");
        assertEquals(Map.of("score", 3L, "why", "slow support"), Json.parse(Json.write(e.data().get("answers"))));
        assertTrue(e.id().startsWith(EventIds.lowerBound(SUBMITTED)));
    }

    @Test
    void theNpsCategoryFollowsTheScore() {
        Survey s = nps();
        assertEquals("promoter", decode("r2", null, item(response(s, 9, null))).get(0).data().get("npsCategory"));
        assertEquals("passive", decode("r3", null, item(response(s, 7, null))).get(0).data().get("npsCategory"));
        assertFalse(decode("r4", null, item(response(s, null, null))).get(0).data().containsKey("npsCategory"),
                "no score, no category");
        Survey csat = survey("srv_csat456789abcdefghjk", "{\"kind\": \"csat\", \"title\": \"Happy?\"}");
        Event e = decode("r5", null, item(response(csat, 5, null))).get(0);
        assertFalse(e.data().containsKey("npsCategory"));
        assertEquals(5L, e.data().get("score"));
    }

    @Test
    void anAnonymousResponseCarriesNoContact() {
        Event e = decode("r6", null, item(response(nps(), 10, null))).get(0);
        assertNull(e.personalDataOf());
        assertFalse(e.data().containsKey("contactId"));
    }

    @Test
    void onlyANewResponseCounts() {
        Survey s = nps();
        Map<String, AttributeValue> stored = item(response(s, 3, CONTACT));
        Map<String, AttributeValue> erased = new HashMap<>(stored);
        erased.remove("contactId");
        erased.remove("personal");
        erased.put("erased", Attr.bool(true));
        assertEquals(List.of(), decode("r7", stored, erased), "the erasure removing the contact");
        assertEquals(List.of(), decode("r8", stored, null), "a replaced response deleted");
        Map<String, AttributeValue> guard = new HashMap<>(Table.key(Keys.contact(T, CONTACT), SurveyTableKeys.respondent(s.id())));
        guard.put("tenantId", Attr.s(T.value()));
        assertEquals(List.of(), decode("r9", null, guard));
    }

    @Test
    void aResponseOfASurveyNoLongerStoredIsNoEvent() {
        Survey s = survey("srv_gone456789abcdefghjk", "{\"kind\": \"nps\", \"title\": \"Gone\"}");
        Map<String, AttributeValue> other = item(new RecordedResponse("rsp_2", "srv_none456789abcdefghjk", SUBMITTED, null,
                null, Map.of("score", 5), Map.of()));
        assertEquals(List.of(), decode("r10", null, other));
        assertEquals(1, decode("r11", null, item(response(s, 5, null))).size());
    }

    @Test
    void theSameRecordGivesTheSameIdAndAnotherRecordAnother() {
        Survey s = nps();
        var i = item(response(s, 3, CONTACT));
        assertEquals(decode("r12", null, i), decode("r12", null, i));
        assertNotEquals(decode("r12", null, i).get(0).id(), decode("r13", null, i).get(0).id());
    }
}
