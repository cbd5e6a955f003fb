package dev.crm.surveys.entrypoints;

import dev.crm.shared.jobs.JobRef;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.jobs.JobStreamEvents;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantRepository;
import dev.crm.surveys.domain.CounterShards;
import dev.crm.surveys.domain.StoredSurvey;
import dev.crm.surveys.domain.SurveyRecount;
import dev.crm.surveys.domain.SurveyRecount.Cursor;
import dev.crm.surveys.domain.SurveyRecount.Findings;
import dev.crm.surveys.store.SurveyRepository;
import dev.crm.surveys.store.dynamodb.DynamoDbSurveyRepository;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recomputes survey day counters from the raw responses, repairs differences and reports them;
 * started by the table stream when a {@code survey_recount} job is queued (template.yaml,
 * SurveyJobsFunction). Two kinds of job:
 * <ul>
 * <li>one survey ({@code POST /v1/surveys/{id}/recounts}; input {@code tenantId}, {@code surveyId}):
 *     progress is shards done out of {@link CounterShards#SHARDS};</li>
 * <li>every open survey of every tenant (the nightly schedule, {@link RecountSchedule}; input
 *     {@code scope: open_surveys}): tenant by tenant, survey by survey; progress is surveys done.</li>
 * </ul>
 * Each step is bounded and checkpointed, so a job resumes where it stopped after a handover or a
 * crash; replaying a step is harmless because every repair is conditional on the counters it read.
 */
public final class RecountWorker implements RequestHandler<DynamodbEvent, Void> {
    /** (shard, day) counter sets checked per step, between checkpoints. */
    static final int ITEMS_PER_STEP = 50;
    static final int SURVEYS_PER_PAGE = 25;
    static final String ALL_OPEN_SURVEYS = "open_surveys";

    private final int itemsPerStep;
    private final SurveyRepository surveys;
    private final SurveyRecount recount;
    private final TenantRepository tenants;
    private final JobRunner runner;
    private final Clock clock;

    public RecountWorker() {
        this(Infrastructure.lambda());
    }

    public RecountWorker(Infrastructure infra) {
        this(infra, ITEMS_PER_STEP);
    }

    public RecountWorker(Infrastructure infra, int itemsPerStep) {
        this.itemsPerStep = itemsPerStep;
        this.surveys = new DynamoDbSurveyRepository(infra.table());
        this.recount = new SurveyRecount(surveys);
        this.tenants = infra.tenants();
        this.runner = infra.jobRunner();
        this.clock = infra.clock();
    }

    @Override
    public Void handleRequest(DynamodbEvent event, Context context) {
        for (JobRef pk : JobStreamEvents.jobs(event)) {
            runner.run(pk, JobStreamEvents.owner(context), context::getRemainingTimeInMillis, this::step);
        }
        return null;
    }

    private JobRunner.Step step(Job job) {
        if (job.input().get("surveyId") instanceof String surveyId && job.input().get("tenantId") instanceof String tenant
                && TenantId.isValid(tenant)) {
            return oneSurvey(job, new TenantId(tenant), surveyId);
        }
        if (ALL_OPEN_SURVEYS.equals(job.input().get("scope"))) {
            return openSurveys(job);
        }
        throw new JobRunner.PermanentFailure("not a recount this worker knows");
    }

    private JobRunner.Step oneSurvey(Job job, TenantId tenant, String surveyId) {
        StoredSurvey survey = surveys.find(tenant, surveyId);
        if (survey == null) {
            throw new JobRunner.PermanentFailure("the survey no longer exists");
        }
        Map<String, Object> cp = job.checkpoint();
        SurveyRecount.Progress p = recount.step(tenant, survey, Cursor.fromJson(cp.get("cursor")),
                Findings.fromJson(cp.get("findings")), itemsPerStep);
        if (p.next().finished()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("surveyId", surveyId);
            result.putAll(p.findings().toJson());
            return JobRunner.Step.finished(CounterShards.SHARDS, CounterShards.SHARDS, result);
        }
        Map<String, Object> next = new LinkedHashMap<>();
        next.put("cursor", p.next().toJson());
        next.put("findings", p.findings().toJson());
        return JobRunner.Step.progress(p.next().shard(), CounterShards.SHARDS, next);
    }

    /**
     * One small move through every tenant's open surveys. The checkpoint holds where the walk is: the
     * last tenant finished, the current tenant and its next page of surveys, the open surveys of the
     * page still to do, and the survey being recounted with its own cursor.
     */
    @SuppressWarnings("unchecked")
    private JobRunner.Step openSurveys(Job job) {
        Map<String, Object> cp = new LinkedHashMap<>(job.checkpoint());
        Findings total = Findings.fromJson(cp.get("findings"));
        long done = cp.get("surveys") instanceof Number n ? n.longValue() : 0;
        List<String> pending = cp.get("pending") instanceof List<?> l ? new ArrayList<>((List<String>) l) : new ArrayList<>();
        String tenantId = (String) cp.get("tenant");
        String surveyId = (String) cp.get("survey");

        if (surveyId != null) {
            TenantId t = new TenantId(tenantId);
            StoredSurvey survey = surveys.find(t, surveyId);
            SurveyRecount.Progress p = survey == null ? null : recount.step(t, survey, Cursor.fromJson(cp.get("cursor")),
                    Findings.fromJson(cp.get("surveyFindings")), itemsPerStep);
            if (p == null || p.next().finished()) {
                if (p != null) {
                    total = total.plus(p.findings().naming(t, surveyId));
                }
                done++;
                cp.remove("survey");
                cp.remove("cursor");
                cp.remove("surveyFindings");
            } else {
                cp.put("cursor", p.next().toJson());
                cp.put("surveyFindings", p.findings().toJson());
            }
        } else if (!pending.isEmpty()) {
            cp.put("survey", pending.remove(0));
            cp.put("cursor", Cursor.START.toJson());
            cp.put("surveyFindings", Findings.NONE.toJson());
        } else if (tenantId != null && (!Boolean.TRUE.equals(cp.get("listed")) || cp.get("page") != null)) {
            TenantId t = new TenantId(tenantId);
            Map<String, Object> from = cp.get("page") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
            var page = surveys.list(t, SURVEYS_PER_PAGE, from);
            for (StoredSurvey s : page.items()) {
                if (s.survey().isOpen(clock.instant())) {
                    pending.add(s.id());
                }
            }
            cp.put("listed", true);
            cp.put("page", page.next());
        } else if (tenantId != null) {
            cp.put("tenantAfter", tenantId);
            cp.remove("tenant");
            cp.remove("listed");
            cp.remove("page");
        } else {
            String next = nextActiveTenant((String) cp.get("tenantAfter"));
            if (next == null) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("surveys", done);
                result.putAll(total.toJson());
                return JobRunner.Step.finished(done, done, result);
            }
            cp.put("tenant", next);
        }
        cp.put("pending", pending);
        cp.put("findings", total.toJson());
        cp.put("surveys", done);
        long inFlight = pending.size() + (cp.get("survey") != null ? 1 : 0);
        return JobRunner.Step.progress(done, done + inFlight, cp);
    }

    /** Tenants in id order, so the walk resumes after the last one it finished. */
    private String nextActiveTenant(String after) {
        List<String> ids = new ArrayList<>();
        for (TenantId t : tenants.listTenantIds()) {
            ids.add(t.value());
        }
        ids.sort(null);
        for (String id : ids) {
            if (after == null || id.compareTo(after) > 0) {
                Tenant t = tenants.find(new TenantId(id));
                if (t != null && t.status() == Tenant.Status.ACTIVE) {
                    return id;
                }
            }
        }
        return null;
    }
}
