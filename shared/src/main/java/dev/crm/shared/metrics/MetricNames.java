package dev.crm.shared.metrics;

import java.util.Locale;

/**
 * Every name this product writes in the {@value Metrics#NAMESPACE} namespace (docs/architecture.md,
 * "Metrics"; alarms and the dashboard refer to them). Counters "by kind" or "by outcome" put the kind
 * in the name: one document per invocation has one value per top-level member, and a batch sees
 * several outcomes at once.
 */
public final class MetricNames {
    /** Dimensions of the API metrics. */
    public static final String ROUTE = "Route";
    public static final String OUTCOME = "Outcome";

    /** Per route (dimension Route): milliseconds in the handler, router included. */
    public static final String LATENCY = "Latency";
    /** Per route and outcome class (dimensions Route, Outcome; and Outcome alone). */
    public static final String REQUESTS = "Requests";

    public static final String CONTACTS_CREATED = "ContactsCreated";
    public static final String SURVEY_RESPONSES = "SurveyResponses";
    public static final String CHURN_ALERTS_RAISED = "ChurnAlertsRaised";
    public static final String JOBS_FAILED = "JobsFailed";
    public static final String SLA_BREACHES = "SlaBreaches";
    public static final String WEBHOOK_DELIVERIES_EXHAUSTED = "WebhookDeliveriesExhausted";

    private MetricNames() {}

    /** ConsentChangesOptedIn, ConsentChangesOptedOut, ConsentChangesPending; ConsentChangesCleared (no status). */
    public static String consentChange(String newStatus) {
        return "ConsentChanges" + (newStatus == null ? "Cleared" : camel(newStatus));
    }

    /** WebhookDeliveriesDelivered, WebhookDeliveriesRetrying, WebhookDeliveriesFailed, WebhookDeliveriesExhausted. */
    public static String webhookDeliveries(String outcome) {
        return "WebhookDeliveries" + camel(outcome);
    }

    /** OPTED_IN, opted_in → OptedIn. */
    static String camel(String name) {
        StringBuilder sb = new StringBuilder();
        for (String part : name.toLowerCase(Locale.ROOT).split("_")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sb.toString();
    }
}
