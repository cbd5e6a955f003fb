package dev.crm.shared.events;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The event catalogue (docs/events.md): every type and the function that emits it. */
public final class EventTypes {
    public static final String CONTACT_CREATED = "contact.created";
    public static final String CONTACT_UPDATED = "contact.updated";
    public static final String CONTACT_ERASED = "contact.erased";
    public static final String INTERACTION_RECORDED = "interaction.recorded";
    public static final String IMPORT_COMPLETED = "import.completed";
    public static final String ERASURE_COMPLETED = "erasure.completed";
    public static final String CONSENT_CHANGED = "consent.changed";
    public static final String SURVEY_RESPONSE_SUBMITTED = "survey.response_submitted";
    public static final String CHURN_ALERT_RAISED = "churn_alert.raised";
    public static final String CHURN_ALERT_ACKNOWLEDGED = "churn_alert.acknowledged";
    public static final String CHURN_ALERT_RESOLVED = "churn_alert.resolved";
    public static final String WEBHOOK_ENDPOINT_DISABLED = "webhook.endpoint_disabled";
    public static final String CASE_CREATED = "case.created";
    public static final String CASE_STATUS_CHANGED = "case.status_changed";
    public static final String CASE_ASSIGNED = "case.assigned";
    public static final String CASE_MESSAGE_ADDED = "case.message_added";
    public static final String CASE_SLA_BREACHED = "case.sla_breached";
    public static final String CASE_SOLVED = "case.solved";
    public static final String JOURNEY_ENROLLED = "journey.enrolled";
    public static final String JOURNEY_EXITED = "journey.exited";
    public static final String JOURNEY_MESSAGE_SENT = "journey.message_sent";
    /** A journey's {@code emit} step: the declared name in {@code data.name} (one type, one schema, one subscription). */
    public static final String JOURNEY_CUSTOM = "journey.custom";
    /** A journey's {@code createCase} step: the cases function opens one case per request. */
    public static final String JOURNEY_CASE_REQUESTED = "journey.case_requested";
    /** Sent by POST /v1/webhooks/{id}/test to that endpoint only; never on the bus. */
    public static final String WEBHOOK_TEST = "webhook.test";

    /** Each type and its source (the EventBridge {@code source}). */
    public static final Map<String, String> SOURCES;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        for (String t : new String[] {CONTACT_CREATED, CONTACT_UPDATED, CONTACT_ERASED, INTERACTION_RECORDED,
                IMPORT_COMPLETED, ERASURE_COMPLETED}) {
            m.put(t, "crm.contacts");
        }
        m.put(CONSENT_CHANGED, "crm.preferences");
        m.put(SURVEY_RESPONSE_SUBMITTED, "crm.surveys");
        for (String t : new String[] {CHURN_ALERT_RAISED, CHURN_ALERT_ACKNOWLEDGED, CHURN_ALERT_RESOLVED}) {
            m.put(t, "crm.churn-alerts");
        }
        for (String t : new String[] {CASE_CREATED, CASE_STATUS_CHANGED, CASE_ASSIGNED, CASE_MESSAGE_ADDED,
                CASE_SLA_BREACHED, CASE_SOLVED}) {
            m.put(t, "crm.cases");
        }
        for (String t : new String[] {JOURNEY_ENROLLED, JOURNEY_EXITED, JOURNEY_MESSAGE_SENT, JOURNEY_CUSTOM,
                JOURNEY_CASE_REQUESTED}) {
            m.put(t, "crm.journeys");
        }
        m.put(WEBHOOK_ENDPOINT_DISABLED, "crm.webhooks");
        m.put(WEBHOOK_TEST, "crm.webhooks");
        SOURCES = java.util.Collections.unmodifiableMap(m);
    }

    private EventTypes() {}

    /** The types a webhook endpoint may subscribe to (every catalogue type but the test). */
    public static Set<String> subscribable() {
        Set<String> s = new java.util.LinkedHashSet<>(SOURCES.keySet());
        s.remove(WEBHOOK_TEST);
        return s;
    }

    public static String sourceOf(String type) {
        String s = SOURCES.get(type);
        if (s == null) {
            throw new IllegalArgumentException("not a catalogue type: " + type);
        }
        return s;
    }
}
