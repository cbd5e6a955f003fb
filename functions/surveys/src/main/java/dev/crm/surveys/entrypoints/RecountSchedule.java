package dev.crm.surveys.entrypoints;

import dev.crm.shared.store.StoreException;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.jobs.JobRef;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.log.Log;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The nightly recount (template.yaml, SurveyRecountNightly): queues one operator job that
 * {@link RecountWorker} runs over every open survey of every tenant. The job's id is the UTC date, so
 * a schedule delivered twice (EventBridge delivers at least once) still queues one job a day. It takes
 * the scheduled event as a plain map: only its arrival matters.
 */
public final class RecountSchedule implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final JobRepository jobs;
    private final Clock clock;

    public RecountSchedule() {
        this(Infrastructure.lambda());
    }

    public RecountSchedule(Infrastructure infra) {
        this.jobs = infra.jobs();
        this.clock = infra.clock();
    }

    /** The operator job of one UTC day. */
    public static String jobId(LocalDate day) {
        return "survey_recount_" + day;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        String jobId = jobId(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        boolean queued = true;
        try {
            jobs.create(new NewJob(JobRef.operator(jobId), SurveysHandler.RECOUNT_JOB_KIND, null,
                    Map.of("scope", RecountWorker.ALL_OPEN_SURVEYS), 0));
        } catch (StoreException.UniqueViolation e) {
            queued = false; // today's job exists already
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobId", jobId);
        out.put("queued", queued);
        Log.info("survey recount scheduled", out);
        return out;
    }
}
