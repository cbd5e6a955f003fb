package dev.crm.surveys.entrypoints;

import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.http.Route;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Times;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tokens.InvalidTokenException;
import dev.crm.shared.tokens.SignedTokens;
import dev.crm.shared.tokens.Token;
import dev.crm.shared.tokens.TokenPurpose;
import dev.crm.surveys.domain.RecordedResponse;
import dev.crm.surveys.domain.ResponseIds;
import dev.crm.surveys.domain.StoredSurvey;
import dev.crm.surveys.domain.SubmissionLimits;
import dev.crm.surveys.domain.Submission;
import dev.crm.surveys.domain.Survey;
import dev.crm.surveys.domain.SurveyService;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The public form: its data ({@code GET /v1/public/surveys/{id}}) and submissions
 * ({@code POST /v1/public/surveys/{id}/responses}), with their CORS preflights. No caller: the survey
 * id names the tenant, through its lookup.
 */
final class PublicSurveyRoutes {
    private final SurveyService service;
    private final TenantCache tenants;
    private final IdempotentRequests idempotency;
    private final SubmissionLimits limits;
    private final Clock clock;

    PublicSurveyRoutes(SurveyService service, TenantCache tenants, IdempotentRequests idempotency,
            SubmissionLimits limits, Clock clock) {
        this.service = service;
        this.tenants = tenants;
        this.idempotency = idempotency;
        this.limits = limits;
        this.clock = clock;
    }

    ApiRouter addTo(ApiRouter router) {
        return router
                .bare("GET", "/v1/public/surveys/{id}", null, this::form)
                .add(new Route("POST", "/v1/public/surveys/{id}/responses", null, Set.of(ApiResponse.JSON),
                        SurveysHandler.MAX_SUBMISSION_BYTES, this::submit))
                // Declared so the template routes browsers' preflights here; the router answers them.
                .add(new Route("OPTIONS", "/v1/public/surveys/{id}", null, Set.of(), 0, r -> ApiResponse.noContent()))
                .add(new Route("OPTIONS", "/v1/public/surveys/{id}/responses", null, Set.of(), 0, r -> ApiResponse.noContent()))
                .publicOrigins(this::allowedOrigins);
    }

    private record PublicSurvey(Tenant tenant, StoredSurvey stored) {}

    /**
     * The tenant behind a public survey id, through the id lookup; an id that names no survey (or a
     * tenant being deprovisioned) is not found.
     */
    private Tenant publicTenant(String surveyId) {
        TenantId t = service.tenantOf(surveyId);
        Tenant tenant = t == null ? null : tenants.get(t);
        if (tenant == null || tenant.status() != Tenant.Status.ACTIVE) {
            throw ApiProblem.notFound("the survey");
        }
        return tenant;
    }

    /** Only the lookup's tenant is ever read, so a public id never shows anything of another tenant. */
    private PublicSurvey publicSurvey(String surveyId) {
        Tenant tenant = publicTenant(surveyId);
        StoredSurvey stored = service.find(tenant.id(), surveyId);
        if (stored == null) {
            throw ApiProblem.notFound("the survey");
        }
        return new PublicSurvey(tenant, stored);
    }

    /**
     * The survey tenant's own origins, resolved before the router answers anything (the preflight
     * included). An id that names no survey is a 404 right here, preflight or not: there is nothing a
     * browser could be allowed to do with it.
     */
    private Collection<String> allowedOrigins(ApiRequest request) {
        return publicTenant(request.pathParameter("id")).settings().allowedOrigins();
    }

    private ApiResponse form(ApiRequest request) {
        PublicSurvey p = publicSurvey(request.pathParameter("id"));
        return ApiResponse.ok(p.stored().survey().toPublicJson(clock.instant()));
    }

    private ApiResponse submit(ApiRequest request) {
        PublicSurvey p = publicSurvey(request.pathParameter("id"));
        TenantId t = p.tenant().id();
        StoredSurvey stored = p.stored();
        Survey survey = stored.survey();
        JsonObject body = request.jsonObject();
        // The stored instant has millisecond precision, like the keys that order responses by it.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (Submission.honeypotFilled(body)) {
            // a bot filled the hidden field: it gets what a person would, and nothing is stored
            return ApiResponse.json(201, RecordedResponse.receipt(ResponseIds.random(), survey.id(), now));
        }
        long wait = limits.check(t, survey, clientPseudonym(request, p.tenant()), now);
        if (wait > 0) {
            throw ApiProblem.of(ProblemType.RATE_LIMITED, "too many submissions to this survey; retry after "
                    + wait + " seconds").header("Retry-After", Long.toString(wait));
        }
        String key = request.idempotencyKey();
        String responseId = key == null ? ResponseIds.random() : ResponseIds.forIdempotencyKey(t, survey.id(), key);
        // Inside the idempotent action, so a replay of a recorded submission answers as it did even
        // after the survey closed; a rejected one releases its key for a corrected retry.
        return idempotency.execute(request, t, survey.id(), () -> {
            if (!survey.isOpen(now)) {
                throw ApiProblem.of(ProblemType.CLOSED, survey.state(now) == Survey.State.SCHEDULED
                        ? "the survey opens at " + Times.format(survey.opensAt())
                        : "the survey closed at " + Times.format(survey.closesAt()));
            }
            Submission submission = Submission.parse(survey, body, now);
            ApiProblem.throwIfAny(body.violations());
            Token token = submission.respondentToken() == null ? null
                    : respondent(submission.respondentToken(), p.tenant(), survey.id(), now);
            SurveyService.Submitted s = service.submit(t, stored, submission.response(), responseId,
                    token == null ? null : token.subject(), token == null ? null : token.nonce());
            switch (s.outcome()) {
                case CREATED:
                    return ApiResponse.json(201, s.receipt());
                case REPLAYED:
                    return ApiResponse.json(201, s.receipt()).header("Idempotent-Replayed", "true");
                case TOKEN_USED:
                    throw ApiProblem.of(ProblemType.TOKEN_USED, "this link has already been used to respond to the survey")
                            .with("errors", List.of(Map.of("pointer", "/respondentToken", "detail", "already used")));
                case REPLACED_SINCE:
                    throw ApiProblem.of(ProblemType.CONFLICT, "the response this Idempotency-Key recorded has since been "
                            + "replaced by a later one");
                default:
                    throw invalidToken("the token's contact no longer exists");
            }
        });
    }

    /** A verified respondent token of this tenant, for this survey. */
    private static Token respondent(String raw, Tenant tenant, String surveyId, Instant now) {
        Token token;
        try {
            token = SignedTokens.verify(raw, TokenPurpose.SURVEY_RESPONDENT,
                    id -> id.equals(tenant.id()) ? tenant.secrets() : null, now);
        } catch (InvalidTokenException e) {
            throw invalidToken(e.getMessage());
        }
        if (!surveyId.equals(token.claim("survey"))) {
            throw invalidToken("the token is for another survey");
        }
        return token;
    }

    private static ApiProblem invalidToken(String detail) {
        return ApiProblem.of(ProblemType.INVALID_TOKEN, detail)
                .with("errors", List.of(Map.of("pointer", "/respondentToken", "detail", detail)));
    }

    /**
     * Who is counted for the per-client limit: a keyed hash of the source address under the tenant's
     * pseudonym key, so the counter items never hold an IP address (nor a plain hash of one, which the
     * small IPv4 space would make reversible).
     */
    private static String clientPseudonym(ApiRequest request, Tenant tenant) {
        String ip = request.sourceIp() == null ? "unknown" : request.sourceIp();
        return tenant.secrets().pseudonym("survey-client", ip);
    }
}
