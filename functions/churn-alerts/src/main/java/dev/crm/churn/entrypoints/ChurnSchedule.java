package dev.crm.churn.entrypoints;

import dev.crm.shared.store.StoreException;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.jobs.JobRef;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.crm.churn.domain.ChurnRun;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.log.Log;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantRepository;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The nightly retention schedule: queues one churn run per tenant. The run's id is derived from
 * the tenant and the day, so a schedule that fires twice queues each run once.
 */
public final class ChurnSchedule implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final TenantRepository tenants;
    private final JobRepository jobs;
    private final Clock clock;

    public ChurnSchedule() {
        this(Infrastructure.lambda());
    }

    public ChurnSchedule(Infrastructure infra) {
        this.tenants = infra.tenants();
        this.jobs = infra.jobs();
        this.clock = infra.clock();
    }

    static String runId(TenantId t, LocalDate day) {
        String h = Hashes.sha256Hex("churn-run|" + t.value() + "|" + day);
        StringBuilder sb = new StringBuilder("run_");
        char[] alphabet = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
        for (int i = 0; i < 20; i++) {
            sb.append(alphabet[Character.digit(h.charAt(i * 2), 16) * 16 + Character.digit(h.charAt(i * 2 + 1), 16) & 31]);
        }
        return sb.toString();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        LocalDate day = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        int queued = 0;
        int already = 0;
        for (TenantId t : tenants.listTenantIds()) {
            String id = runId(t, day);
            try {
                jobs.create(NewJob.forTenant(JobRef.of(t, id), ChurnRun.KIND, Map.of("trigger", "schedule"), 0));
                queued++;
            } catch (StoreException.UniqueViolation e) {
                already++;
            }
        }
        Log.info("churn runs queued", Map.of("queued", queued, "alreadyQueued", already, "day", day.toString()));
        return Map.of("queued", queued, "alreadyQueued", already);
    }
}
