package dev.crm.surveys.entrypoints;

import static dev.crm.surveys.entrypoints.SurveyRequests.existing;
import static dev.crm.surveys.entrypoints.SurveyRequests.onlyParameters;

import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.json.Violations;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.ResultsQuery;
import dev.crm.surveys.domain.StoredSurvey;
import dev.crm.surveys.domain.SurveyRepository;
import dev.crm.surveys.domain.SurveyResults;
import dev.crm.surveys.domain.SurveyService;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/** A survey's results, overall or of a segment: {@code /v1/surveys/{id}/results}. */
final class SurveyResultsRoutes {
    static final Set<String> RESULTS_PARAMETERS = Set.of("from", "to", "interval", "segment");
    static final String SEGMENT_PREFIX = "seg_";

    private final SurveyService service;
    private final Clock clock;

    SurveyResultsRoutes(SurveyService service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    ApiRouter addTo(ApiRouter router) {
        return router.bare("GET", "/v1/surveys/{id}/results", Scope.READ, this::results);
    }

    private ApiResponse results(ApiRequest request) {
        StoredSurvey stored = existing(service, request);
        onlyParameters(request, RESULTS_PARAMETERS);
        Violations v = new Violations();
        ResultsQuery query = ResultsQuery.parse(request.queryParameters(), stored.zone(), clock.instant(), v);
        String segmentId = request.query("segment");
        if (segmentId != null && !Ids.isValid(SEGMENT_PREFIX, segmentId)) {
            v.parameter("segment", "not a segment id");
        }
        ApiProblem.throwIfAny(v);
        TenantId t = request.tenant();
        SurveyResults results;
        if (segmentId == null) {
            results = service.results(t, stored, query);
        } else {
            try {
                results = service.segmentResults(t, stored, query, segmentId);
            } catch (SurveyService.NoSuchSegment e) {
                throw ApiProblem.parameter("segment", "no such segment");
            } catch (SurveyRepository.TooManyResponses e) {
                throw ApiProblem.parameter("segment", "segment results examine at most " + SurveyService.MAX_SEGMENT_RESPONSES
                        + " responses and this range holds more; narrow from and to");
            }
        }
        Map<String, Object> body = results.toJson();
        body.put("segment", segmentId);
        return ApiResponse.ok(body);
    }
}
