package dev.crm.surveys;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.status;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.contacts.entrypoints.ContactsHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSettings;
import dev.crm.surveys.domain.CounterShards;
import dev.crm.surveys.entrypoints.SurveysHandler;
import dev.crm.surveys.store.dynamodb.SurveyTableKeys;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.TestInfrastructure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * What the surveys integration tests share: the real handlers (surveys, and contacts to make contacts
 * and segments as that function does) over DynamoDB Local with a clock the test moves.
 */
final class SurveyFixture {
    final MutableClock clock;
    final Infrastructure infra;
    final SurveysHandler handler;
    final ContactsHandler contacts;

    SurveyFixture(String start) {
        this(start, Map.of());
    }

    SurveyFixture(String start, Map<String, String> settings) {
        this.clock = MutableClock.at(start);
        this.infra = TestInfrastructure.create(clock, settings);
        this.handler = new SurveysHandler(infra);
        this.contacts = new ContactsHandler(infra);
    }

    // ---- tenants ----

    /** A tenant with settings (as a merge patch), set before any handler has cached it. */
    TenantId tenant(String settingsPatch) {
        TenantId id = TestInfrastructure.tenant(infra).id();
        if (settingsPatch != null) {
            Tenant t = infra.tenants().find(id);
            Violations v = new Violations();
            TenantSettings settings = t.settings().merge(JsonObject.of(Json.parse(settingsPatch), v));
            if (!v.isEmpty()) {
                throw new IllegalArgumentException(v.items().toString());
            }
            infra.tenants().updateSettings(id, t.version(), settings, clock.instant());
        }
        return id;
    }

    TenantId tenant() {
        return tenant(null);
    }

    // ---- calls ----

    APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    static ApiEvents as(TenantId t, String method, String resource) {
        return ApiEvents.request(method, resource).as(t, Scope.WRITE);
    }

    static ApiEvents onSurvey(TenantId t, String method, String resource, String surveyId) {
        return as(t, method, resource).path("id", surveyId);
    }

    Map<String, Object> createSurvey(TenantId t, String json) {
        var r = call(as(t, "POST", "/v1/surveys").json(json));
        status(r, 201);
        return body(r);
    }

    String survey(TenantId t, String json) {
        return (String) createSurvey(t, json).get("id");
    }

    static ApiEvents submission(String surveyId, String json) {
        return ApiEvents.request("POST", "/v1/public/surveys/{id}/responses").path("id", surveyId).json(json);
    }

    APIGatewayProxyResponseEvent submit(String surveyId, String json) {
        return call(submission(surveyId, json));
    }

    APIGatewayProxyResponseEvent submit(String surveyId, String json, String idempotencyKey) {
        return call(submission(surveyId, json).header("Idempotency-Key", idempotencyKey));
    }

    /** Answers for a survey whose only required question is the standard score. */
    static String score(int score) {
        return "{\"answers\": {\"score\": " + score + "}}";
    }

    static String score(int score, String token) {
        return "{\"answers\": {\"score\": " + score + "}, \"respondentToken\": \"" + token + "\"}";
    }

    // ---- contacts (through the contacts function) ----

    String contact(TenantId t, String json) {
        var r = contacts.handleRequest(as(t, "POST", "/v1/contacts").json(json).build(), new LambdaContext());
        status(r, 201);
        return (String) body(r).get("id");
    }

    String contact(TenantId t) {
        return contact(t, "{\"email\": \"" + UUID.randomUUID() + "@example.com\"}");
    }

    String segment(TenantId t, String ruleJson) {
        var r = contacts.handleRequest(as(t, "POST", "/v1/segments")
                .json("{\"name\": \"s\", \"rule\": " + ruleJson + "}").build(), new LambdaContext());
        status(r, 201);
        return (String) body(r).get("id");
    }

    APIGatewayProxyResponseEvent contactsCall(ApiEvents e) {
        return contacts.handleRequest(e.build(), new LambdaContext());
    }

    /** A respondent token for the contact, minted through the API. */
    String token(TenantId t, String surveyId, String contactId) {
        var r = call(onSurvey(t, "POST", "/v1/surveys/{id}/respondent-links", surveyId)
                .json("{\"contactId\": \"" + contactId + "\"}"));
        status(r, 201);
        return (String) body(r).get("token");
    }

    // ---- results ----

    Map<String, Object> results(TenantId t, String surveyId, String... query) {
        ApiEvents e = onSurvey(t, "GET", "/v1/surveys/{id}/results", surveyId);
        for (int i = 0; i < query.length; i += 2) {
            e.query(query[i], query[i + 1]);
        }
        var r = call(e);
        status(r, 200);
        return body(r);
    }

    // ---- the table ----

    List<Map<String, AttributeValue>> partition(String pk) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var b = QueryRequest.builder().tableName(infra.table().name()).keyConditionExpression("PK = :pk")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(pk))).consistentRead(true);
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            QueryResponse r = infra.table().client().query(b.build());
            out.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /** Every stored response item of a survey (id guards left out). */
    List<Map<String, AttributeValue>> responseItems(TenantId t, String surveyId) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (int shard = 0; shard < CounterShards.SHARDS; shard++) {
            for (var item : partition(SurveyTableKeys.responses(t, surveyId, shard))) {
                if (Attr.str(item, "SK").startsWith(SurveyTableKeys.RESPONSE_PREFIX)) {
                    out.add(item);
                }
            }
        }
        return out;
    }

    /** Everything in a survey's response and counter partitions. */
    int storedItems(TenantId t, String surveyId) {
        int n = 0;
        for (int shard = 0; shard < CounterShards.SHARDS; shard++) {
            n += partition(SurveyTableKeys.responses(t, surveyId, shard)).size();
            n += partition(SurveyTableKeys.counters(t, surveyId, shard)).size();
        }
        return n;
    }

    Map<String, AttributeValue> item(String pk, String sk) {
        return infra.table().get(pk, sk);
    }

    Map<String, AttributeValue> contactItem(TenantId t, String contactId, String sk) {
        return item(Keys.contact(t, contactId), sk);
    }

    // ---- jobs ----

    static DynamodbEvent jobInserted(String pk) {
        return dev.crm.devkit.SampleEvents.jobQueued(pk);
    }
}
