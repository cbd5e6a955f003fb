package dev.crm.local;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.cases.domain.RequestedCases;
import dev.crm.cases.entrypoints.CasesHandler;
import dev.crm.cases.entrypoints.ComplaintCaseOpener;
import dev.crm.contacts.entrypoints.ContactsHandler;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.EventSchemas;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.StreamRecords;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.journeys.entrypoints.JourneyEnrolmentHandler;
import dev.crm.journeys.entrypoints.JourneysHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.events.store.dynamodb.DynamoDbEventRepository;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Service recovery across functions, through the real handlers on DynamoDB Local: an NPS detractor's
 * response enrols the contact in a journey whose {@code createCase} step stores a case request; the
 * cases function's opener (the stream source the template gives it) opens exactly one case for that
 * contact, linked to its timeline and 360° view, however often the response and the request are
 * delivered. A promoter gets no case, and a request naming another tenant's contact opens nothing.
 */
class JourneyServiceRecoveryIT {
    private final MutableClock clock = MutableClock.at("2026-12-07T09:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final ContactsHandler contacts = new ContactsHandler(infra);
    private final CasesHandler cases = new CasesHandler(infra);
    private final JourneysHandler journeys = new JourneysHandler(infra);
    private final JourneyEnrolmentHandler enrolments = new JourneyEnrolmentHandler(infra);
    private final ComplaintCaseOpener opener = new ComplaintCaseOpener(infra);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();
    private final TenantId other = TestInfrastructure.tenant(infra).id();

    private String contact(TenantId t, String name) {
        var r = contacts.handleRequest(ApiEvents.request("POST", "/v1/contacts").as(t, Scope.WRITE)
                .json("{\"firstName\": \"" + name + "\"}").build(), new LambdaContext());
        status(r, 201);
        return (String) body(r).get("id");
    }

    private void activeJourney(TenantId t, String json) {
        var created = journeys.handleRequest(ApiEvents.request("POST", "/v1/journeys").as(t, Scope.WRITE).json(json).build(),
                new LambdaContext());
        status(created, 201);
        status(journeys.handleRequest(ApiEvents.request("POST", "/v1/journeys/{id}/activate")
                .path("id", (String) body(created).get("id")).as(t, Scope.WRITE).build(), new LambdaContext()), 200);
    }

    /** A survey response stored as the surveys function's decoder stores it, and its stream record. */
    private DynamodbEvent npsResponse(String contactId, int score, String category) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", "rsp_" + contactId);
        data.put("surveyId", "srv_nps");
        data.put("contactId", contactId);
        data.put("score", score);
        data.put("npsCategory", category);
        String type = EventTypes.SURVEY_RESPONSE_SUBMITTED;
        Event e = new Event(EventIds.derive(clock.instant(), "rec-" + contactId, type), type, EventTypes.sourceOf(type),
                clock.instant(), tenant, contactId, data);
        new DynamoDbEventRepository(infra.table(), clock).record(e);
        return StreamRecords.change("rec-" + contactId, clock.instant(), null, DynamoDbEventRepository.item(e));
    }

    /** The stored case requests, as the stream inserted them. */
    private List<Map<String, AttributeValue>> storedRequests() {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (TenantId t : List.of(tenant, other)) {
            out.addAll(infra.table().client().scan(ScanRequest.builder().tableName(infra.table().name())
                    .filterExpression("#e = :e AND tenantId = :t AND eventType = :y")
                    .expressionAttributeNames(Map.of("#e", Table.ENTITY))
                    .expressionAttributeValues(Map.of(":e", Attr.s("EVENT"), ":t", Attr.s(t.value()),
                            ":y", Attr.s(EventTypes.JOURNEY_CASE_REQUESTED))).build()).items());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> listCases(TenantId t) {
        return (List<Map<String, Object>>) body(cases.handleRequest(ApiEvents.request("GET", "/v1/cases").as(t, Scope.READ)
                .build(), new LambdaContext())).get("items");
    }

    @SuppressWarnings("unchecked")
    private List<String> openCases(TenantId t, String contactId) {
        var r = contacts.handleRequest(ApiEvents.request("GET", "/v1/contacts/{id}").as(t, Scope.READ).path("id", contactId)
                .query("view", "360").build(), new LambdaContext());
        status(r, 200);
        return ((List<Map<String, Object>>) body(r).get("openCases")).stream()
                .map(m -> m.get("number") + " " + m.get("subject")).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDetractorGetsExactlyOneCaseHoweverOftenTheResponseAndTheRequestAreDelivered() {
        activeJourney(tenant, "{\"name\": \"Detractor recovery\", \"trigger\": {\"event\": \"survey.response_submitted\","
                + " \"where\": {\"npsCategory\": \"detractor\"}}, \"entry\": {\"mode\": \"every\", \"minInterval\": \"P30D\"},"
                + " \"steps\": [{\"createCase\": {\"subject\": \"Call back: NPS detractor\", \"priority\": \"high\","
                + " \"description\": \"Scored us low; call within a day.\"}}]}");
        String ada = contact(tenant, "Ada");
        String pat = contact(tenant, "Pat");
        DynamodbEvent detractor = npsResponse(ada, 3, "detractor");
        DynamodbEvent promoter = npsResponse(pat, 10, "promoter");
        for (int delivery = 0; delivery < 2; delivery++) { // the stream delivers at least once
            enrolments.handleRequest(detractor, new LambdaContext());
            enrolments.handleRequest(promoter, new LambdaContext());
        }

        List<Map<String, AttributeValue>> requests = storedRequests();
        assertEquals(1, requests.size(), "one request: the detractor enrolled once, the promoter not at all");
        Map<String, Object> envelope = (Map<String, Object>) Json.parse(Attr.str(requests.get(0), "envelope"));
        assertEquals(List.of(), EventSchemas.violations(EventTypes.JOURNEY_CASE_REQUESTED, envelope.get("data")));
        for (int delivery = 0; delivery < 3; delivery++) {
            opener.handleRequest(StreamRecords.change("rq-" + delivery, clock.instant(), null, requests.get(0)),
                    new LambdaContext());
        }

        List<Map<String, Object>> opened = listCases(tenant);
        assertEquals(1, opened.size(), opened.toString());
        Map<String, Object> c = opened.get(0);
        Map<String, Object> data = (Map<String, Object>) envelope.get("data");
        assertEquals(RequestedCases.caseId(tenant, (String) data.get("requestId")), c.get("id"));
        assertEquals("CS-000001", c.get("number"), "the replays used no number");
        assertEquals(ada, c.get("contactId"));
        assertEquals("high", c.get("priority"));
        assertEquals("email", c.get("channel"));
        assertEquals(RequestedCases.CATEGORY, c.get("category"), "the tenant configured no categories");
        assertEquals("Scored us low; call within a day.", c.get("description"));
        assertEquals(List.of("CS-000001 Call back: NPS detractor"), openCases(tenant, ada));
        assertEquals(List.of(), openCases(tenant, pat));

        // the same request stored under another tenant names a contact that tenant does not have: no case
        Map<String, AttributeValue> forged = new LinkedHashMap<>(requests.get(0));
        forged.put("tenantId", Attr.s(other.value()));
        forged.put("envelope", Attr.s(Attr.str(requests.get(0), "envelope").replace(tenant.value(), other.value())));
        opener.handleRequest(StreamRecords.change("rq-forged", clock.instant(), null, forged), new LambdaContext());
        assertEquals(List.of(), listCases(other));
        assertEquals(1, listCases(tenant).size());
    }
}
