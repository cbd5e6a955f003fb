package dev.crm.preferences;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
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
import dev.crm.preferences.entrypoints.PreferencesHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Keyed creates whose idempotency record cannot be completed (every UpdateItem fails, the record's
 * completion among them) and whose answer the client never got: the retry after the lock runs out
 * must answer with the first result, and the effect must exist once.
 */
class LostCompletionIT {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final FaultInjector faults = new FaultInjector();
    private final Infrastructure infra = TestInfrastructure.create(clock, Map.of(), faults);
    private final PreferencesHandler handler = new PreferencesHandler(infra);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();

    private APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    /** The tenant's items of one entity, counted from a scan of the table (not through the idempotency record). */
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

    /** The keyed request while every UpdateItem fails, then again once the lock ran out. */
    private List<APIGatewayProxyResponseEvent> sentTwiceAfterALostCompletion(ApiEvents request) {
        request.header("Idempotency-Key", "lost-" + UUID.randomUUID());
        faults.crashAfter(0, Set.of("UpdateItem"));
        var first = call(request);
        faults.off();
        clock.advance(IdempotentRequests.LOCK.plusSeconds(1));
        return List.of(first, call(request));
    }

    @Test
    void aTopicIsCreatedOnceAndTheRetryGetsItNotADuplicateProblem() {
        var answers = sentTwiceAfterALostCompletion(ApiEvents.request("POST", "/v1/topics").as(tenant, Scope.WRITE)
                .json("{\"key\": \"newsletter\", \"name\": \"Newsletter\"}"));
        status(answers.get(0), 201);
        assertEquals(1, stored("TOPIC"));
        status(answers.get(1), 201);
        assertEquals(body(answers.get(0)).get("key"), body(answers.get(1)).get("key"));
        assertEquals(body(answers.get(0)).get("createdAt"), body(answers.get(1)).get("createdAt"));
    }
}
