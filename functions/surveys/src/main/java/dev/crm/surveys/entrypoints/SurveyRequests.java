package dev.crm.surveys.entrypoints;

import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.json.Violations;
import dev.crm.surveys.domain.StoredSurvey;
import dev.crm.surveys.domain.Survey;
import dev.crm.surveys.domain.SurveyService;
import java.util.Set;

/** What the survey routes read from a request alike: the survey in the path, the allowed parameters. */
final class SurveyRequests {
    private SurveyRequests() {}

    /** Ids we issued have one shape; anything else cannot exist, so it is simply not found. */
    static String surveyId(ApiRequest request) {
        String id = request.pathParameter("id");
        if (!Survey.isId(id)) {
            throw ApiProblem.notFound("the survey");
        }
        return id;
    }

    /** Another tenant's survey is not found, exactly like a missing one: the store cannot reach it. */
    static StoredSurvey existing(SurveyService service, ApiRequest request) {
        StoredSurvey s = service.find(request.tenant(), surveyId(request));
        if (s == null) {
            throw ApiProblem.notFound("the survey");
        }
        return s;
    }

    static void onlyParameters(ApiRequest request, Set<String> known) {
        Violations v = new Violations();
        for (String p : request.queryParameters().keySet()) {
            if (!known.contains(p)) {
                v.parameter(p, "unknown parameter");
            }
        }
        ApiProblem.throwIfAny(v);
        for (String p : known) {
            request.query(p); // a repeated parameter is a 400
        }
    }
}
