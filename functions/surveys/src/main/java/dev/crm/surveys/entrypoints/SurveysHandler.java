package dev.crm.surveys.entrypoints;

import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.jobs.JobRef;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactDirectory;
import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Page;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.http.Route;
import dev.crm.shared.http.RoutedHandler;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Times;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tokens.InvalidTokenException;
import dev.crm.shared.tokens.SignedTokens;
import dev.crm.shared.tokens.Token;
import dev.crm.shared.tokens.TokenPurpose;
import dev.crm.surveys.domain.CounterShards;
import dev.crm.surveys.domain.RecordedResponse;
import dev.crm.surveys.domain.ResponseIds;
import dev.crm.surveys.domain.ResultsQuery;
import dev.crm.surveys.domain.StoredSurvey;
import dev.crm.surveys.domain.SubmissionLimits;
import dev.crm.surveys.domain.Submission;
import dev.crm.surveys.domain.Survey;
import dev.crm.surveys.domain.SurveyResults;
import dev.crm.surveys.domain.SurveyService;
import dev.crm.surveys.store.SurveyRepository;
import dev.crm.surveys.store.dynamodb.DynamoDbRateCounters;
import dev.crm.surveys.store.dynamodb.DynamoDbSurveyRepository;
import dev.crm.surveys.store.dynamodb.SurveyTableKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** API entry point of the surveys function: parse, call {@link SurveyService}, map the result. */
public final class SurveysHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedHandler {
    static final Set<String> LIST_PARAMETERS = Set.of("limit", "cursor");
    static final Set<String> RESULTS_PARAMETERS = Set.of("from", "to", "interval", "segment");
    /**
     * Public submissions: room for a form's answers with a few long texts (a text answer is at most
     * 5,000 characters), far less than the 64 KiB of ordinary routes, because anyone may post here.
     */
    public static final int MAX_SUBMISSION_BYTES = 32 * 1024;
    /** A respondent link works this long, or until the survey closes if that is sooner. */
    public static final Duration LINK_LIFETIME = Duration.ofDays(30);
    public static final String RECOUNT_JOB_KIND = "survey_recount";
    static final String RECOUNT_JOB_PREFIX = "rcn_";
    static final String SEGMENT_PREFIX = "seg_";

    private final SurveyService service;
    private final SurveyRepository surveys;
    private final TenantCache tenants;
    private final IdempotentRequests idempotency;
    private final JobRepository jobs;
    private final ContactDirectory contacts;
    private final SubmissionLimits limits;
    private final Clock clock;
    private final String publicBaseUrl;
    private final ApiRouter router;

    public SurveysHandler() {
        this(Infrastructure.lambda());
        router().primeOnCheckpoint();
    }

    public SurveysHandler(Infrastructure infra) {
        this.surveys = new DynamoDbSurveyRepository(infra.table());
        this.service = new SurveyService(surveys);
        this.tenants = new TenantCache(infra.tenants(), infra.clock());
        this.idempotency = infra.idempotency();
        this.jobs = infra.jobs();
        this.contacts = new ContactDirectory(infra.table());
        this.limits = new SubmissionLimits(new DynamoDbRateCounters(infra.table()), Integer.parseInt(
                infra.settings().get("SURVEY_SUBMISSIONS_PER_MINUTE", Integer.toString(SubmissionLimits.DEFAULT_SURVEY_PER_MINUTE))));
        this.clock = infra.clock();
        this.publicBaseUrl = infra.settings().get("PUBLIC_BASE_URL");
        this.router = new ApiRouter(infra.settings().list("ALLOWED_DASHBOARD_ORIGINS"))
                .json("POST", "/v1/surveys", Scope.WRITE, this::create)
                .bare("GET", "/v1/surveys", Scope.READ, this::list)
                .bare("GET", "/v1/surveys/{id}", Scope.READ, this::get)
                .add(new Route("PATCH", "/v1/surveys/{id}", Scope.WRITE,
                        Set.of("application/merge-patch+json", ApiResponse.JSON), Route.DEFAULT_MAX_BODY, this::patch))
                .bare("GET", "/v1/surveys/{id}/results", Scope.READ, this::results)
                .json("POST", "/v1/surveys/{id}/respondent-links", Scope.WRITE, this::respondentLink)
                .bare("POST", "/v1/surveys/{id}/recounts", Scope.WRITE, this::startRecount)
                .bare("GET", "/v1/surveys/recounts/{jobId}", Scope.READ, this::recount)
                .bare("GET", "/v1/public/surveys/{id}", null, this::publicSurvey)
                .add(new Route("POST", "/v1/public/surveys/{id}/responses", null, Set.of(ApiResponse.JSON),
                        MAX_SUBMISSION_BYTES, this::submit))
                // Declared so the template routes browsers' preflights here; the router answers them.
                .add(new Route("OPTIONS", "/v1/public/surveys/{id}", null, Set.of(), 0, r -> ApiResponse.noContent()))
                .add(new Route("OPTIONS", "/v1/public/surveys/{id}/responses", null, Set.of(), 0, r -> ApiResponse.noContent()))
                .publicOrigins(this::allowedOrigins);
    }

    @Override
    public ApiRouter router() {
        return router;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return router.handle(event);
    }

    /** Ids we issued have one shape; anything else cannot exist, so it is simply not found. */
    private static String surveyId(ApiRequest request) {
        String id = request.pathParameter("id");
        if (!Survey.isId(id)) {
            throw ApiProblem.notFound("the survey");
        }
        return id;
    }

    /** Another tenant's survey is not found, exactly like a missing one: the key layout cannot reach it. */
    private StoredSurvey existing(ApiRequest request) {
        StoredSurvey s = surveys.find(request.tenant(), surveyId(request));
        if (s == null) {
            throw ApiProblem.notFound("the survey");
        }
        return s;
    }

    private static void onlyParameters(ApiRequest request, Set<String> known) {
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

    // ---- surveys ----

    private ApiResponse create(ApiRequest request) {
        JsonObject body = request.jsonObject();
        Tenant tenant = request.callerTenant(tenants);
        TenantId t = tenant.id();
        Survey survey = Survey.create(body, Survey.newId(), t, clock.instant());
        ApiProblem.throwIfAny(body.violations());
        return idempotency.execute(request, () -> {
            surveys.create(new StoredSurvey(survey, tenant.settings().zone()));
            return ApiResponse.created("/v1/surveys/" + survey.id(), survey.toJson()).etag(survey.version());
        });
    }

    private ApiResponse get(ApiRequest request) {
        Survey s = existing(request).survey();
        return ApiResponse.ok(s.toJson()).etag(s.version());
    }

    private ApiResponse patch(ApiRequest request) {
        long expected = request.requireIfMatch();
        JsonObject patch = request.jsonObject();
        StoredSurvey current = existing(request);
        if (current.survey().version() != expected) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the survey has changed (version "
                    + current.survey().version() + "); read it again");
        }
        Survey merged = current.survey().merge(patch, clock.instant());
        ApiProblem.throwIfAny(patch.violations());
        try {
            surveys.replace(current, merged);
        } catch (StoreException.VersionConflict e) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the survey has changed; read it again");
        }
        return ApiResponse.ok(merged.toJson()).etag(merged.version());
    }

    private ApiResponse list(ApiRequest request) {
        onlyParameters(request, LIST_PARAMETERS);
        int limit = Page.limit(request);
        TenantId t = request.tenant();
        Tenant tenant = request.callerTenant(tenants);
        String query = "surveys";
        Map<String, Object> from = Page.decodePlain(request, t, tenant.secrets(), query, clock.instant());
        var slice = surveys.list(t, limit, from);
        List<Object> items = new ArrayList<>();
        for (StoredSurvey s : slice.items()) {
            items.add(s.survey().toJson());
        }
        return ApiResponse.ok(Page.body(items, Page.encodePlain(t, tenant.secrets(), query, slice.next(), clock.instant())));
    }

    // ---- results ----

    private ApiResponse results(ApiRequest request) {
        StoredSurvey stored = existing(request);
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
            Object rule = surveys.segmentRule(t, segmentId);
            if (rule == null) {
                throw ApiProblem.parameter("segment", "no such segment");
            }
            try {
                results = service.segmentResults(t, stored, query, rule);
            } catch (SurveyRepository.TooManyResponses e) {
                throw ApiProblem.parameter("segment", "segment results examine at most " + SurveyService.MAX_SEGMENT_RESPONSES
                        + " responses and this range holds more; narrow from and to");
            }
        }
        Map<String, Object> body = results.toJson();
        body.put("segment", segmentId);
        return ApiResponse.ok(body);
    }

    // ---- respondent links ----

    private ApiResponse respondentLink(ApiRequest request) {
        StoredSurvey stored = existing(request);
        JsonObject body = request.jsonObject();
        body.allowOnly("contactId");
        String contactId = body.requiredLine("contactId", 1, 64);
        ApiProblem.throwIfAny(body.violations());
        Tenant tenant = request.callerTenant(tenants);
        TenantId t = tenant.id();
        Survey survey = stored.survey();
        return idempotency.execute(request, () -> {
            Instant now = clock.instant();
            Duration lifetime = LINK_LIFETIME;
            if (survey.closesAt() != null) {
                Duration left = Duration.between(now, survey.closesAt());
                if (left.compareTo(Duration.ofMinutes(1)) < 0) {
                    throw ApiProblem.of(ProblemType.CLOSED, "the survey has closed; a link to it could not be used");
                }
                lifetime = left.compareTo(lifetime) < 0 ? left : lifetime;
            }
            Contact contact = contacts.find(t, contactId);
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

    // ---- recounts ----

    private ApiResponse startRecount(ApiRequest request) {
        StoredSurvey stored = existing(request);
        TenantId t = request.tenant();
        return idempotency.execute(request, () -> {
            String jobId = Ids.random(RECOUNT_JOB_PREFIX, 20);
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("tenantId", t.value());
            input.put("surveyId", stored.id());
            Job job = jobs.create(NewJob.forTenant(JobRef.of(t, jobId), RECOUNT_JOB_KIND, input, CounterShards.SHARDS));
            return ApiResponse.accepted("/v1/surveys/recounts/" + jobId, jobJson(job));
        });
    }

    private ApiResponse recount(ApiRequest request) {
        String jobId = request.pathParameter("jobId");
        Job job = Ids.isValid(RECOUNT_JOB_PREFIX, jobId) ? jobs.find(JobRef.of(request.tenant(), jobId)) : null;
        if (job == null || !RECOUNT_JOB_KIND.equals(job.kind())) {
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

    // ---- public routes ----

    private record PublicSurvey(Tenant tenant, StoredSurvey stored) {}

    /**
     * The tenant behind a public survey id, through the id lookup; an id that names no survey (or a
     * tenant being deprovisioned) is not found.
     */
    private Tenant publicTenant(String surveyId) {
        TenantId t = Survey.isId(surveyId) ? surveys.tenantOf(surveyId) : null;
        Tenant tenant = t == null ? null : tenants.get(t);
        if (tenant == null || tenant.status() != Tenant.Status.ACTIVE) {
            throw ApiProblem.notFound("the survey");
        }
        return tenant;
    }

    /** Only the lookup's tenant is ever read, so a public id never shows anything of another tenant. */
    private PublicSurvey publicSurvey(String surveyId) {
        Tenant tenant = publicTenant(surveyId);
        StoredSurvey stored = surveys.find(tenant.id(), surveyId);
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

    private ApiResponse publicSurvey(ApiRequest request) {
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
        return Hashes.hmacHex(tenant.secrets().pseudonymKey(), "survey-client|" + ip).substring(0, 32);
    }
}
