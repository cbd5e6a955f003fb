package dev.crm.contacts;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.contacts.entrypoints.ContactsHandler;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.LostCompletion;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A keyed create whose idempotency record cannot be completed (every UpdateItem fails, the record's
 * completion among them) and whose answer the client never got: the retry after the lock runs out
 * runs the request again, and must find the first run's contact instead of making a second.
 */
class LostCompletionIT {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final LostCompletion lost = new LostCompletion(clock);
    private final Infrastructure infra = lost.infra();
    private final ContactsHandler handler = new ContactsHandler(infra);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();

    private APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    /** The tenant's items of one entity, counted from a scan of the table (not through the idempotency record). */
    private int stored(String entity) {
        return lost.stored(entity, "tenantId", tenant.value());
    }

    private List<APIGatewayProxyResponseEvent> sentTwiceAfterALostCompletion(ApiEvents request) {
        return lost.sentTwice(e -> handler.handleRequest(e, new LambdaContext()), request);
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
        var answers = sentTwiceAfterALostCompletion(ApiEvents.request("POST", "/v1/contacts").as(tenant, Scope.WRITE)
                .json("{\"firstName\": \"Ada\", \"lastName\": \"Lovelace\"}"));
        status(answers.get(0), 201);
        assertEquals(1, stored("CONTACT"));
        status(answers.get(1), 201);
        assertEquals(body(answers.get(0)).get("id"), body(answers.get(1)).get("id"));
    }
}
