package dev.crm.surveys.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.RoutedHandler;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.surveys.domain.SubmissionLimits;
import dev.crm.surveys.domain.SurveyRecount;
import dev.crm.surveys.domain.SurveyRepository;
import dev.crm.surveys.domain.SurveyService;
import dev.crm.surveys.config.SurveysComponents;
import java.time.Duration;

/**
 * API entry point of the surveys function (template.yaml, SurveysFunction): wires the services to
 * their DynamoDB adapters and composes one routing class per resource (survey definitions, results,
 * respondent links, recounts, response imports, the public form), each of which parses, calls the domain and maps the
 * result.
 */
public final class SurveysHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedHandler {
    /**
     * Public submissions: room for a form's answers with a few long texts (a text answer is at most
     * 5,000 characters), far less than the 64 KiB of ordinary routes, because anyone may post here.
     */
    public static final int MAX_SUBMISSION_BYTES = 32 * 1024;
    /** A respondent link works this long, or until the survey closes if that is sooner. */
    public static final Duration LINK_LIFETIME = Duration.ofDays(30);
    public static final String RECOUNT_JOB_KIND = SurveyRecount.JOB_KIND;

    private final ApiRouter router;

    public SurveysHandler() {
        this(Infrastructure.lambda());
        router().primeOnCheckpoint();
    }

    public SurveysHandler(Infrastructure infra) {
        var components = new SurveysComponents(infra);
        SurveyService service = components.service();
        SurveyRecount recount = components.recount();
        TenantCache tenants = new TenantCache(infra.tenants(), infra.clock());
        SubmissionLimits limits = components.submissionLimits();
        var idempotency = infra.idempotency();
        var clock = infra.clock();
        ApiRouter r = new ApiRouter(infra.settings().list("ALLOWED_DASHBOARD_ORIGINS"));
        r = new SurveyRoutes(service, tenants, idempotency, clock).addTo(r);
        r = new SurveyResultsRoutes(service, clock).addTo(r);
        r = new RespondentLinkRoutes(service, tenants, idempotency, clock, infra.settings().get("PUBLIC_BASE_URL")).addTo(r);
        r = new RecountRoutes(service, recount, idempotency).addTo(r);
        r = new ResponseImportRoutes(service, components.responseImport(), idempotency).addTo(r);
        this.router = new PublicSurveyRoutes(service, tenants, idempotency, limits, clock).addTo(r);
    }

    @Override
    public ApiRouter router() {
        return router;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return router.handle(event);
    }
}
