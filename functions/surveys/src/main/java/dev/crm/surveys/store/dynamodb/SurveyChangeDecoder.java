package dev.crm.surveys.store.dynamodb;

import dev.crm.shared.events.ChangeDecoder;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.RecordedResponse;
import dev.crm.surveys.domain.StoredSurvey;
import dev.crm.surveys.domain.SurveyRepository;
import java.time.Instant;
import java.util.List;

/**
 * What the surveys function's items mean as events (docs/events.md, "Surveys"): each new response
 * item is one {@code survey.response_submitted} (a replacing response is a new item, so a new
 * event); an imported one (marked with its import job) is history and announces nothing. An erasure removing a response's contact is a MODIFY and announces nothing.
 */
public final class SurveyChangeDecoder implements ChangeDecoder {
    private final SurveyRepository surveys;

    /** @param surveys where the response's survey is read: its API form names the survey's title and kind */
    public SurveyChangeDecoder(SurveyRepository surveys) {
        this.surveys = surveys;
    }

    @Override
    public List<Event> events(TableChange change) {
        if (!change.isInsert() || !ResponseItem.ENTITY.equals(change.newS(Table.ENTITY)) || change.newS("tenantId") == null) {
            return List.of();
        }
        if (change.newS(DynamoDbResponseImportRepository.IMPORT_JOB) != null) {
            return List.of(); // an imported response is history, not news
        }
        TenantId tenant = new TenantId(change.newS("tenantId"));
        RecordedResponse response = ResponseItem.SCHEMA.mapToItem(change.newImage()).toResponse();
        StoredSurvey survey = surveys.find(tenant, response.surveyId());
        if (survey == null) {
            // only when the tenant (and so the survey) is being deleted: no one is left to tell
            return List.of();
        }
        String type = EventTypes.SURVEY_RESPONSE_SUBMITTED;
        Instant at = response.submittedAt() != null ? response.submittedAt() : change.approximateAt();
        // an anonymous response carries no contact's data; one through a respondent link is erased with its contact
        return List.of(new Event(EventIds.derive(at, change.changeId(), type), type, EventTypes.sourceOf(type), at, tenant,
                response.contactId(), response.toEventJson(survey.survey())));
    }
}
