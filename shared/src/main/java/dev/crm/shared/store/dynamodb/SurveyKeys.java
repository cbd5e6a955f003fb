package dev.crm.shared.store.dynamodb;

/**
 * The survey key that lives in the system namespace (docs/data-model.md, "Surveys"). A public survey
 * id arrives on public routes before the tenant is known, so it is resolved through a lookup item
 * that holds nothing but the tenant id. The surveys function keeps its tenant-namespace keys itself.
 */
public final class SurveyKeys {
    private SurveyKeys() {}

    /** {@code SYS#SURVEY#{surveyId}} → {@code tenantId}; written in the transaction that creates the survey. */
    public static String surveyMapping(String surveyId) {
        return "SYS#SURVEY#" + surveyId;
    }
}
