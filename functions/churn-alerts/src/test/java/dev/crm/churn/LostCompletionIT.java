package dev.crm.churn;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.LostCompletion;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.churn.entrypoints.ChurnAlertsHandler;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keyed creates whose idempotency record cannot be completed (every UpdateItem fails, the record's
 * completion among them) and whose answer the client never got: the retry after the lock runs out
 * must answer with the first result, and the effect must exist once.
 */
class LostCompletionIT {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final LostCompletion lost = new LostCompletion(clock);
    private final Infrastructure infra = lost.infra();
    private final ChurnAlertsHandler handler = new ChurnAlertsHandler(infra);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();

    /** The tenant's items of one entity, counted from a scan of the table (not through the idempotency record). */
    private int stored(String entity) {
        return lost.stored(entity, "tenantId", tenant.value());
    }

    private List<APIGatewayProxyResponseEvent> sentTwiceAfterALostCompletion(ApiEvents request) {
        return lost.sentTwice(e -> handler.handleRequest(e, new LambdaContext()), request);
    }

    @Test
    void aChurnRunIsQueuedOnce() {
        var answers = sentTwiceAfterALostCompletion(ApiEvents.request("POST", "/v1/churn-runs").as(tenant, Scope.WRITE)
                .json("{}"));
        status(answers.get(0), 202);
        assertEquals(1, stored("JOB"));
        status(answers.get(1), 202);
        assertEquals(body(answers.get(0)).get("id"), body(answers.get(1)).get("id"));
    }
}
