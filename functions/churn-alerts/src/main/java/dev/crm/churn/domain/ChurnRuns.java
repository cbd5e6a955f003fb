package dev.crm.churn.domain;

import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantRepository;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Queuing churn runs (on demand and nightly) and reading them back. */
public final class ChurnRuns {
    public static final String ID_PREFIX = "run_";

    private final JobRepository jobs;
    private final TenantRepository tenants;
    private final Clock clock;
    private final ChurnRepository store;

    public ChurnRuns(JobRepository jobs, TenantRepository tenants, Clock clock) {
        this(jobs, tenants, clock, null);
    }

    /** @param store where the runs' predictions are read (null: a caller that only queues runs) */
    public ChurnRuns(JobRepository jobs, TenantRepository tenants, Clock clock, ChurnRepository store) {
        this.jobs = jobs;
        this.tenants = tenants;
        this.clock = clock;
        this.store = store;
    }

    /**
     * One page of a run's predictions in their API form, each with the contact's external id when the
     * contact is active and has one (read now: an erased contact's prediction names no one).
     */
    public Slice<Map<String, Object>> predictions(TenantId t, String runId, Cursor from, int limit) {
        Slice<ChurnPrediction> page = store.predictions(t, runId, from, limit);
        Map<String, String> externalIds = page.items().isEmpty() ? Map.of()
                : store.externalIds(t, page.items().stream().map(ChurnPrediction::contactId).toList());
        List<Map<String, Object>> items = new ArrayList<>(page.items().size());
        for (ChurnPrediction p : page.items()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("contactId", p.contactId());
            m.put("externalId", externalIds.get(p.contactId()));
            m.put("pAlive", p.pAlive());
            m.put("expectedPurchases", p.expectedPurchases());
            m.put("clv", Map.of("amount", p.clv().toPlainString(), "currency", p.currency()));
            items.add(m);
        }
        return new Slice<>(items, page.next());
    }

    /** How many nightly runs the schedule queued, and how many it found queued already (a second firing). */
    public record Nightly(LocalDate day, int queued, int alreadyQueued) {}

    /**
     * Queues a run of the tenant's customers; creating the job starts its worker.
     *
     * @param asOf a backtest's day (scores as of that day from the raw purchases, writes nothing but
     *             its result), or null for a run as of today
     */
    public Job start(TenantId t, LocalDate asOf) {
        return start(t, asOf, Ids.random(ID_PREFIX, 20));
    }

    /**
     * As {@link #start(TenantId, LocalDate)}, under {@code jobId}: a run with that id that exists is
     * the answer (the id derives from an Idempotency-Key, and an earlier run of the request queued it).
     */
    public Job start(TenantId t, LocalDate asOf, String jobId) {
        return start(t, asOf, null, jobId);
    }

    /**
     * As {@link #start(TenantId, LocalDate, String)}, evaluating the backtest's forecast on what happened
     * in (asOf, evaluateUntil] (null: no evaluation beyond the forecast's own internal split).
     */
    public Job start(TenantId t, LocalDate asOf, LocalDate evaluateUntil, String jobId) {
        if (evaluateUntil != null && (asOf == null || !evaluateUntil.isAfter(asOf))) {
            throw new IllegalArgumentException("evaluateUntil needs an asOf before it");
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("trigger", "api");
        if (asOf != null) {
            input.put("asOf", asOf.toString());
        }
        if (evaluateUntil != null) {
            input.put("evaluateUntil", evaluateUntil.toString());
        }
        return jobs.createOrFind(NewJob.forTenant(JobRef.of(t, jobId), ChurnRun.KIND, input, 0));
    }

    /** @return the tenant's churn run with this id, or null (no such run, or not a churn run) */
    public Job find(TenantId t, String id) {
        Job job = Ids.isValid(ID_PREFIX, id) ? jobs.find(JobRef.of(t, id)) : null;
        return job != null && ChurnRun.KIND.equals(job.kind()) ? job : null;
    }

    /**
     * Queues one run per tenant for today (UTC). The run's id is derived from the tenant and the day,
     * so a schedule that fires twice queues each run once.
     */
    public Nightly queueNightly() {
        LocalDate day = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        int queued = 0;
        int already = 0;
        for (TenantId t : tenants.listTenantIds()) {
            try {
                jobs.create(NewJob.forTenant(JobRef.of(t, nightlyRunId(t, day)), ChurnRun.KIND, Map.of("trigger", "schedule"), 0));
                queued++;
            } catch (StoreException.UniqueViolation e) {
                already++;
            }
        }
        return new Nightly(day, queued, already);
    }

    static String nightlyRunId(TenantId t, LocalDate day) {
        String h = Hashes.sha256Hex("churn-run|" + t.value() + "|" + day);
        StringBuilder sb = new StringBuilder(ID_PREFIX);
        char[] alphabet = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
        for (int i = 0; i < 20; i++) {
            sb.append(alphabet[Character.digit(h.charAt(i * 2), 16) * 16 + Character.digit(h.charAt(i * 2 + 1), 16) & 31]);
        }
        return sb.toString();
    }
}
