package dev.crm.surveys.entrypoints;

import static dev.crm.surveys.entrypoints.SurveyRequests.existing;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Times;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tokens.SignedTokens;
import dev.crm.shared.tokens.TokenPurpose;
import dev.crm.surveys.domain.StoredSurvey;
import dev.crm.surveys.domain.Survey;
import dev.crm.surveys.domain.SurveyService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Personal links to a survey's public form: {@code /v1/surveys/{id}/respondent-links}. */
final class RespondentLinkRoutes {
    private final SurveyService service;
    private final TenantCache tenants;
    private final IdempotentRequests idempotency;
    private final Clock clock;
    private final String publicBaseUrl;

    RespondentLinkRoutes(SurveyService service, TenantCache tenants, IdempotentRequests idempotency, Clock clock,
            String publicBaseUrl) {
        this.service = service;
        this.tenants = tenants;
        this.idempotency = idempotency;
        this.clock = clock;
        this.publicBaseUrl = publicBaseUrl;
    }

    ApiRouter addTo(ApiRouter router) {
        return router.json("POST", "/v1/surveys/{id}/respondent-links", Scope.WRITE, this::respondentLink);
    }

    private ApiResponse respondentLink(ApiRequest request) {
        StoredSurvey stored = existing(service, request);
        JsonObject body = request.jsonObject();
        body.allowOnly("contactId");
        String contactId = body.requiredLine("contactId", 1, 64);
        ApiProblem.throwIfAny(body.violations());
        Tenant tenant = request.callerTenant(tenants);
        TenantId t = tenant.id();
        Survey survey = stored.survey();
        return idempotency.execute(request, () -> {
            Instant now = clock.instant();
            Duration lifetime = SurveysHandler.LINK_LIFETIME;
            if (survey.closesAt() != null) {
                Duration left = Duration.between(now, survey.closesAt());
                if (left.compareTo(Duration.ofMinutes(1)) < 0) {
                    throw ApiProblem.of(ProblemType.CLOSED, "the survey has closed; a link to it could not be used");
                }
                lifetime = left.compareTo(lifetime) < 0 ? left : lifetime;
            }
            Contact contact = service.respondent(t, contactId);
            if (contact == null) {
                throw ApiProblem.validation("/contactId", "no such contact");
            }
            String token = SignedTokens.issue(t, tenant.secrets(), TokenPurpose.SURVEY_RESPONDENT, contact.id(),
                    Map.of("survey", survey.id()), now, lifetime);
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("surveyId", survey.id());
            link.put("contactId", contact.id());
            link.put("token", token);
            link.put("url", baseUrl(request) + "/survey.html?id=" + survey.id() + "&respondentToken=" + token);
            link.put("expiresAt", Times.format(now.plus(lifetime).truncatedTo(ChronoUnit.SECONDS)));
            return ApiResponse.json(201, link);
        });
    }

    /** Links are built on PUBLIC_BASE_URL; without one, on the stage's own URL. */
    private String baseUrl(ApiRequest request) {
        if (publicBaseUrl != null) {
            return publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        }
        var ctx = request.event().getRequestContext();
        String stage = ctx == null || ctx.getStage() == null ? "" : "/" + ctx.getStage();
        return "https://" + request.header("Host") + stage;
    }
}
