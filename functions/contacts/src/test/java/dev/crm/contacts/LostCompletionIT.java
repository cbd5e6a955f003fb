package dev.crm.contacts;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.contacts.entrypoints.ContactsHandler;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.FaultInjector;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * A keyed create whose idempotency record cannot be completed (every UpdateItem fails, the record's
 * completion among them) and whose answer the client never got: the retry after the lock runs out
 * runs the request again, and must find the first run's contact instead of making a second.
 */
class LostCompletionIT {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final FaultInjector faults = new FaultInjector();
    private final Infrastructure infra = TestInfrastructure.create(clock, Map.of(), faults);
    private final ContactsHandler handler = new ContactsHandler(infra);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();

    private APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    /** The tenant's items of one entity, counted from a scan of the table (no guard, no idempotency record). */
    private int stored(String entity) {
        int n = 0;
        Map<String, AttributeValue> start = null;
        do {
            var page = infra.table().client().scan(ScanRequest.builder().tableName(infra.table().name())
                    .filterExpression("entity = :e AND tenantId = :t")
                    .expressionAttributeValues(Map.of(":e", Attr.s(entity), ":t", Attr.s(tenant.value())))
                    .exclusiveStartKey(start).build());
            n += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return n;
    }

    private int storedContacts() {
        return stored("CONTACT");
    }

    /**
     * Sends the keyed request while every UpdateItem fails (so its record is not completed), then again
     * once the lock ran out, as a client that never got the first answer would.
     *
     * @return the first answer and the retry's
     */
    private List<APIGatewayProxyResponseEvent> sentTwiceAfterALostCompletion(ApiEvents request) {
        request.header("Idempotency-Key", "lost-" + UUID.randomUUID());
        faults.crashAfter(0, Set.of("UpdateItem"));
        var first = call(request);
        faults.off();
        clock.advance(IdempotentRequests.LOCK.plusSeconds(1));
        return List.of(first, call(request));
    }

    @Test
    void aSegmentIsCreatedOnce() {
        var answers = sentTwiceAfterALostCompletion(ApiEvents.request("POST", "/v1/segments").as(tenant, Scope.WRITE)
                .json("{\"name\": \"Customers\", \"rule\": {\"all\": [{\"field\": \"lifecycleStage\", \"op\": \"eq\","
                        + " \"value\": \"customer\"}]}}"));
        status(answers.get(0), 201);
        assertEquals(1, stored("SEGMENT"));
        status(answers.get(1), 201);
        assertEquals(body(answers.get(0)).get("id"), body(answers.get(1)).get("id"));
    }

    @Test
    void anImportIsStartedOnce() {
        var answers = sentTwiceAfterALostCompletion(ApiEvents.request("POST", "/v1/contacts/imports")
                .as(tenant, Scope.WRITE).body("application/x-ndjson", "{\"firstName\": \"Ada\"}\n"));
        status(answers.get(0), 202);
        assertEquals(1, stored("JOB"));
        status(answers.get(1), 202);
        assertEquals(body(answers.get(0)).get("id"), body(answers.get(1)).get("id"));
    }

    @Test
    void anAnonymisationIsRequestedOnce() {
        var created = call(ApiEvents.request("POST", "/v1/contacts").as(tenant, Scope.WRITE).json("{\"firstName\": \"Ada\"}"));
        String id = (String) body(created).get("id");
        var answers = sentTwiceAfterALostCompletion(ApiEvents.request("POST", "/v1/contacts/{id}/anonymize")
                .path("id", id).as(tenant, Scope.WRITE));
        status(answers.get(0), 202);
        assertEquals(1, stored("JOB"));
        status(answers.get(1), 202);
        assertEquals(body(answers.get(0)).get("id"), body(answers.get(1)).get("id"));
    }

    @Test
    void aRetryAfterALostCompletionAnswersWithTheFirstContactAndStoresNoSecond() {
        // No email and no external id: no uniqueness guard would stop a second contact.
        ApiEvents request = ApiEvents.request("POST", "/v1/contacts").as(tenant, Scope.WRITE)
                .header("Idempotency-Key", "create-" + UUID.randomUUID())
                .json("{\"firstName\": \"Ada\", \"lastName\": \"Lovelace\"}");

        faults.crashAfter(0, Set.of("UpdateItem"));
        var first = call(request);
        faults.off();
        status(first, 201);
        clock.advance(IdempotentRequests.LOCK.plusSeconds(1));
        var retry = call(request);

        assertEquals(1, storedContacts());
        status(retry, 201);
        assertEquals(body(first).get("id"), body(retry).get("id"));
    }
}
