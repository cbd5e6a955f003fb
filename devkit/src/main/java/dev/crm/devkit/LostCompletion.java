package dev.crm.devkit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.store.dynamodb.Attr;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * A client whose keyed request did its work but whose answer was lost, together with the idempotency
 * record's completion (every UpdateItem fails during the first attempt); it sends the same request
 * again once the record's lock has run out. What a route must then do: answer with the first result
 * and hold its effect once, counted from the table itself, not through the record or a unique guard.
 */
public final class LostCompletion {
    private final MutableClock clock;
    private final FaultInjector faults = new FaultInjector();
    private final Infrastructure infra;

    public LostCompletion(MutableClock clock) {
        this.clock = clock;
        this.infra = TestInfrastructure.create(clock, Map.of(), faults);
    }

    /** The infrastructure the handlers under test are built on (its DynamoDB client is the faulty one). */
    public Infrastructure infra() {
        return infra;
    }

    /**
     * Sends {@code request} (with a fresh Idempotency-Key unless it has one) while every UpdateItem
     * fails, then again after the lock.
     *
     * @return the first answer and the retry's
     */
    public List<APIGatewayProxyResponseEvent> sentTwice(
            Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler, ApiEvents request) {
        if (!request.build().getHeaders().containsKey("Idempotency-Key")) {
            request.header("Idempotency-Key", "lost-" + UUID.randomUUID());
        }
        faults.crashAfter(0, Set.of("UpdateItem"));
        APIGatewayProxyResponseEvent first;
        try {
            first = handler.apply(request.build());
        } finally {
            faults.off();
        }
        clock.advance(IdempotentRequests.LOCK.plusSeconds(1));
        return List.of(first, handler.apply(request.build()));
    }

    /** Items of one {@code entity} whose {@code attribute} is {@code value}, counted from a scan of the table. */
    public int stored(String entity, String attribute, String value) {
        int n = 0;
        Map<String, AttributeValue> start = null;
        do {
            var page = infra.table().client().scan(ScanRequest.builder().tableName(infra.table().name())
                    .filterExpression("entity = :e AND #a = :v").expressionAttributeNames(Map.of("#a", attribute))
                    .expressionAttributeValues(Map.of(":e", Attr.s(entity), ":v", Attr.s(value)))
                    .exclusiveStartKey(start).build());
            n += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return n;
    }
}
