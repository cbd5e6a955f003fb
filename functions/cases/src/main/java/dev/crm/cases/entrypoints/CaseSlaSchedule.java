package dev.crm.cases.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.crm.cases.config.CasesComponents;
import dev.crm.cases.domain.Cases;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.log.Log;
import dev.crm.shared.metrics.Invocation;
import dev.crm.shared.metrics.Metrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every minute: the cases whose next SLA check passed (the schedule's index, docs/data-model.md
 * "Cases"): breaches nobody recorded yet are recorded (and so announced), and solved cases whose
 * {@code casesAutoCloseAfter} passed are closed.
 */
public final class CaseSlaSchedule implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** Cases one run looks at at most; the rest wait for the next minute. */
    static final int PER_RUN = 800;

    private final Cases cases;

    public CaseSlaSchedule() {
        this(Infrastructure.lambda());
    }

    public CaseSlaSchedule(Infrastructure infra) {
        this(new CasesComponents(infra));
    }

    public CaseSlaSchedule(CasesComponents components) {
        this.cases = components.cases();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        try (Invocation metrics = Metrics.begin()) { // one metrics document per invocation
            return handle(event, context);
        }
    }

    private Map<String, Object> handle(Map<String, Object> event, Context context) {
        Cases.CheckRun run = cases.runChecks(PER_RUN);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("examined", run.examined());
        out.put("breaches", run.breaches());
        out.put("closed", run.closed());
        if (run.examined() > 0) {
            Log.info("case SLA checks", out);
        }
        return out;
    }
}
