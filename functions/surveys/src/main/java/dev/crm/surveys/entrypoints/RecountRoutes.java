package dev.crm.surveys.entrypoints;

import static dev.crm.surveys.entrypoints.SurveyRequests.existing;

import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.tenant.Scope;
import dev.crm.surveys.domain.StoredSurvey;
import dev.crm.surveys.domain.SurveyRecount;
import dev.crm.surveys.domain.SurveyService;
import java.util.Map;

/** Recounts of a survey's counters: {@code /v1/surveys/{id}/recounts} and {@code /v1/surveys/recounts/{jobId}}. */
final class RecountRoutes {
    private final SurveyService service;
    private final SurveyRecount recount;
    private final IdempotentRequests idempotency;

    RecountRoutes(SurveyService service, SurveyRecount recount, IdempotentRequests idempotency) {
        this.service = service;
        this.recount = recount;
        this.idempotency = idempotency;
    }

    ApiRouter addTo(ApiRouter router) {
        return router
                .bare("POST", "/v1/surveys/{id}/recounts", Scope.WRITE, this::start)
                .bare("GET", "/v1/surveys/recounts/{jobId}", Scope.READ, this::get);
    }

    private ApiResponse start(ApiRequest request) {
        StoredSurvey stored = existing(service, request);
        return idempotency.execute(request, attempt -> {
            // A re-run after a lost completion derives the same id and answers with the queued recount.
            Job job = recount.start(request.tenant(), stored, attempt.newId(SurveyRecount.JOB_PREFIX));
            return ApiResponse.accepted("/v1/surveys/recounts/" + job.id(), jobJson(job));
        });
    }

    private ApiResponse get(ApiRequest request) {
        Job job = recount.find(request.tenant(), request.pathParameter("jobId"));
        if (job == null) {
            throw ApiProblem.notFound("the recount");
        }
        return ApiResponse.ok(jobJson(job));
    }

    /** The job as the conventions show it, with its survey (in its input until it finishes, then in its result). */
    static Map<String, Object> jobJson(Job job) {
        Map<String, Object> m = job.toJson();
        Object surveyId = job.input().get("surveyId");
        m.put("surveyId", surveyId != null ? surveyId : job.result() == null ? null : job.result().get("surveyId"));
        return m;
    }
}
