package dev.crm.surveys.entrypoints;

import dev.crm.shared.jobs.NdjsonLines;
import static dev.crm.surveys.entrypoints.SurveyRequests.existing;

import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Route;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.tenant.Scope;
import dev.crm.surveys.domain.ResponseImport;
import dev.crm.surveys.domain.StoredSurvey;
import dev.crm.surveys.domain.SurveyService;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Past responses in bulk: {@code POST /v1/surveys/{id}/responses/imports} (an NDJSON file becomes an
 * import job) and {@code GET /v1/surveys/response-imports/{jobId}} (beside the recounts' job path).
 */
final class ResponseImportRoutes {
    private final SurveyService service;
    private final ResponseImport imports;
    private final IdempotentRequests idempotency;

    ResponseImportRoutes(SurveyService service, ResponseImport imports, IdempotentRequests idempotency) {
        this.service = service;
        this.imports = imports;
        this.idempotency = idempotency;
    }

    ApiRouter addTo(ApiRouter router) {
        return router.add(new Route("POST", "/v1/surveys/{id}/responses/imports", Scope.WRITE,
                        Set.of("application/x-ndjson"), ResponseImport.MAX_BYTES, this::start))
                .bare("GET", "/v1/surveys/response-imports/{jobId}", Scope.READ, this::job);
    }

    private ApiResponse start(ApiRequest request) {
        StoredSurvey stored = existing(service, request);
        String body = request.body();
        if (body == null || body.isBlank()) {
            throw ApiProblem.validation("", "the body is empty: send NDJSON, one response per line");
        }
        List<String> lines;
        try {
            lines = NdjsonLines.read(body, ResponseImport.MAX_LINES);
        } catch (NdjsonLines.Unreadable e) {
            throw ApiProblem.validation("", e.getMessage());
        }
        return idempotency.execute(request, attempt -> {
            // a re-run after a lost completion derives the same id and answers with the import it started
            Job job = imports.start(request.tenant(), stored, lines, attempt.newId(ResponseImport.ID_PREFIX));
            Map<String, Object> json = job.toJson();
            json.put("surveyId", ResponseImport.surveyOf(job));
            return ApiResponse.accepted("/v1/surveys/response-imports/" + job.id(), json);
        });
    }

    private ApiResponse job(ApiRequest request) {
        String id = request.idParameter("jobId", ResponseImport.ID_PREFIX, "the import");
        Map<String, Object> job = imports.result(request.tenant(), id);
        if (job == null) {
            throw ApiProblem.notFound("the import");
        }
        return ApiResponse.ok(job);
    }
}
