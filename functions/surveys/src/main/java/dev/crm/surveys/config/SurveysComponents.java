package dev.crm.surveys.config;

import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.events.EventAnnouncer;
import dev.crm.shared.events.store.dynamodb.DynamoDbEventRepository;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.store.Backoff;
import dev.crm.surveys.domain.ResponseImport;
import dev.crm.surveys.domain.SubmissionLimits;
import dev.crm.surveys.domain.SurveyRecount;
import dev.crm.surveys.domain.SurveyRepository;
import dev.crm.surveys.domain.SurveyService;
import dev.crm.surveys.store.dynamodb.DynamoDbRateCounterRepository;
import dev.crm.surveys.store.dynamodb.DynamoDbResponseImportRepository;
import dev.crm.surveys.store.dynamodb.DynamoDbSurveyRepository;
import dev.crm.surveys.store.dynamodb.SurveyChangeDecoder;

/**
 * The surveys function's composition root: which adapter stands behind each of the domain's ports.
 * Entrypoints take their services from here and never name an adapter themselves.
 */
public final class SurveysComponents {
    private final Infrastructure infra;
    private final SurveyRepository surveys;

    public SurveysComponents(Infrastructure infra) {
        this.infra = infra;
        this.surveys = new DynamoDbSurveyRepository(infra.table(), new TenantCache(infra.tenants(), infra.clock())::secretsOf);
    }

    public SurveyService service() {
        return new SurveyService(surveys);
    }

    /** Response imports: the lines, outcomes and batched writes on the table, jobs in the shared job store. */
    public ResponseImport responseImport() {
        return new ResponseImport(surveys, new DynamoDbResponseImportRepository(infra.table(),
                new TenantCache(infra.tenants(), infra.clock())::secretsOf, infra.clock()), infra.jobs(), infra.clock(),
                Backoff.JITTER);
    }

    public SurveyRecount recount() {
        return new SurveyRecount(surveys, infra.jobs(), infra.tenants());
    }

    /** Per-survey submission limits; {@code SURVEY_SUBMISSIONS_PER_MINUTE} overrides the default. */
    public SubmissionLimits submissionLimits() {
        return new SubmissionLimits(new DynamoDbRateCounterRepository(infra.table()), Integer.parseInt(
                infra.settings().get("SURVEY_SUBMISSIONS_PER_MINUTE", Integer.toString(SubmissionLimits.DEFAULT_SURVEY_PER_MINUTE))));
    }

    /** The responses' events, decoded from the table stream and stored on the table. */
    public EventAnnouncer eventAnnouncer() {
        return new EventAnnouncer(new SurveyChangeDecoder(surveys), new DynamoDbEventRepository(infra.table(), infra.clock()));
    }
}
