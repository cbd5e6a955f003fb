package dev.crm.surveys.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.log.Log;
import dev.crm.surveys.domain.SurveyRecount;
import dev.crm.surveys.config.SurveysComponents;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The nightly recount (template.yaml, SurveyRecountNightly): queues one operator job that
 * {@link RecountWorker} runs over every open survey of every tenant
 * ({@link SurveyRecount#scheduleNightly}: one job a UTC day, however often EventBridge delivers). It
 * takes the scheduled event as a plain map: only its arrival matters.
 */
public final class RecountSchedule implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final SurveyRecount recount;
    private final Clock clock;

    public RecountSchedule() {
        this(Infrastructure.lambda());
    }

    public RecountSchedule(Infrastructure infra) {
        this.recount = new SurveysComponents(infra).recount();
        this.clock = infra.clock();
    }

    /** The operator job of one UTC day. */
    public static String jobId(LocalDate day) {
        return SurveyRecount.nightlyJobId(day);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        SurveyRecount.Scheduled s = recount.scheduleNightly(clock.instant());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobId", s.jobId());
        out.put("queued", s.queued());
        Log.info("survey recount scheduled", out);
        return out;
    }
}
