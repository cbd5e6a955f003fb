package dev.crm.local.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.local.LocalRunner;
import dev.crm.shared.json.Json;
import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.SampleEvents;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml is the contract: every route is exercised through the local runner (its sample,
 * and the errors every route can give) and every response is validated against the contract:
 * status, content type and body schema.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ContractIT {
    static LocalRunner runner;
    static final ApiContract contract = new ApiContract();

    @BeforeAll
    static void start() throws Exception {
        runner = LocalRunner.start(0, true, null, Map.of("CRM_OPERATOR_KEY", "crm_op_contractsuiteoperatorkey0123456789",
                // the catalogue check's endpoint answers 410 from 127.0.0.1
                "CRM_WEBHOOK_ALLOW_LOOPBACK", "true", "CRM_WEBHOOK_RETRY_SCALE", "0.001"));
        caseWalkAt = caseWalk(new SampleWalk(runner.url(), runner.operatorKey()));
    }

    /** When {@link #caseWalk} opened the case left to breach its one-minute first-response target. */
    static Instant caseWalkAt;
    static final Duration CASE_WALK_FIRST_RESPONSE = Duration.ofMinutes(1);

    /**
     * What the samples alone never announce: an assignment, a solve, and an SLA breach. The breach takes
     * real time (the runner's clock is the system's, the smallest target one minute), so the case is
     * opened before the other tests run and the runner's CaseSlaChecks tick (every 250 ms) records it.
     */
    @SuppressWarnings("unchecked")
    static Instant caseWalk(SampleWalk walk) throws Exception {
        var t = tenant(walk, "contract-case-walk");
        Map<String, String> json = Map.of("Authorization", "Bearer " + t.get("key"), "Content-Type", "application/json");
        var tenant = walk.send(null, "GET", "/v1/tenant", "/v1/tenant", null, Map.of("Authorization", "Bearer " + t.get("key")), null)
                .response();
        assertEquals(200, tenant.statusCode(), tenant.body());
        Map<String, String> patchHeaders = new HashMap<>(json);
        patchHeaders.put("Content-Type", "application/merge-patch+json");
        patchHeaders.put("If-Match", tenant.headers().firstValue("ETag").orElseThrow());
        var settings = walk.send(null, "PATCH", "/v1/tenant/settings", "/v1/tenant/settings", null, patchHeaders, """
                {"caseCategories": [{"key": "billing", "name": "Billing"}], "slaPolicies": {"high": {"firstResponse": "%s",
                 "resolution": "PT10M", "clock": "calendar"}}}""".formatted(CASE_WALK_FIRST_RESPONSE)).response();
        assertEquals(200, settings.statusCode(), settings.body());
        var contact = walk.send(null, "POST", "/v1/contacts", "/v1/contacts", null, json,
                "{\"firstName\": \"Walk\", \"email\": \"walk@example.com\"}").response();
        assertEquals(201, contact.statusCode(), contact.body());
        String contactId = (String) ((Map<String, Object>) Json.parse(contact.body())).get("id");
        var agent = walk.send(null, "POST", "/v1/agents", "/v1/agents", null, json,
                "{\"name\": \"Walk Agent\", \"email\": \"agent@example.com\", \"teams\": [\"billing\"]}").response();
        assertEquals(201, agent.statusCode(), agent.body());
        String agentId = (String) ((Map<String, Object>) Json.parse(agent.body())).get("id");
        String newCase = "{\"contactId\": \"" + contactId + "\", \"channel\": \"email\", \"category\": \"billing\","
                + " \"priority\": \"high\", \"subject\": \"Walk\"}";
        // the case that breaches: nobody answers it
        Instant opened = Instant.now();
        var breaching = walk.send(null, "POST", "/v1/cases", "/v1/cases", null, json, newCase).response();
        assertEquals(201, breaching.statusCode(), breaching.body());
        // the case that is assigned (case.assigned), then solved (case.status_changed, case.solved)
        var created = walk.send(null, "POST", "/v1/cases", "/v1/cases", null, json, newCase).response();
        assertEquals(201, created.statusCode(), created.body());
        String id = (String) ((Map<String, Object>) Json.parse(created.body())).get("id");
        String etag = created.headers().firstValue("ETag").orElseThrow();
        for (String patch : List.of("{\"assignee\": \"" + agentId + "\"}", "{\"status\": \"solved\"}")) {
            Map<String, String> h = new HashMap<>(patchHeaders);
            h.put("If-Match", etag);
            var r = walk.send(null, "PATCH", "/v1/cases/{id}", "/v1/cases/" + id, null, h, patch).response();
            assertEquals(200, r.statusCode(), r.body());
            etag = r.headers().firstValue("ETag").orElseThrow();
        }
        return opened;
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> tenant(SampleWalk walk, String slug) throws Exception {
        var r = walk.send(null, "POST", "/v1/tenants", "/v1/tenants", null,
                Map.of("Authorization", "Bearer " + runner.operatorKey(), "Content-Type", "application/json"),
                "{\"name\": \"Contract\", \"slug\": \"" + slug + "\"}");
        Map<String, Object> body = (Map<String, Object>) Json.parse(r.response().body());
        return Map.of("tenantId", (String) body.get("tenantId"), "key", (String) body.get("apiKey"), "slug", slug);
    }

    /**
     * What a sample needs on a fresh tenant before it can succeed: the samples to run first (their new
     * ids replace the placeholders, e.g. {@code c_example0000000000000}), or {@link #OPEN_CHURN_ALERT}.
     * The same list as the bench's {@code Preparations}, plus what the bench measures as failures, plus
     * content for the lists and summaries (an empty list would leave their item schemas untested).
     */
    static final String CONTACT = "contacts/create-contact.json";
    static final String SEGMENT = "contacts/create-segment.json";
    static final String IMPORT = "contacts/create-import.json";
    static final String INTERACTION_IMPORT = "contacts/create-interaction-import.json";
    static final String ANONYMIZE = "contacts/anonymize-contact.json";
    static final String ERASE = "contacts/delete-contact.json";
    static final String CHURN_RUN = "churn-alerts/create-churn-run.json";
    static final String SURVEY = "surveys/create-nps-survey.json";
    static final String RECOUNT = "surveys/create-recount.json";
    static final String RESPONSE_IMPORT = "surveys/create-response-import.json";
    static final String TOPIC = "preferences/create-topic.json";
    /** Email and newsletter opted in (If-Match "0": a new contact); the preferences are then at version 1. */
    static final String PREFERENCES = "preferences/put-preferences.json";
    static final String KEY = "tenants/create-key.json";
    static final String PURCHASE = "contacts/record-purchase.json";
    static final String RESPONSE = "surveys/submit-survey-response.json";
    static final String DEPROVISION = "tenants/deprovision-tenant.json";
    static final String WEBHOOK = "webhooks/create-webhook.json";
    static final String AGENT = "cases/create-agent.json";
    static final String CASE = "cases/create-case.json";
    /** Status open (If-Match "1": a new case); the case is then at version 2. */
    static final String CASE_PATCH = "cases/patch-case.json";
    static final String CASE_MESSAGE = "cases/send-case-message.json";
    static final String CASE_IMPORT = "cases/create-case-import.json";
    static final String CONSENT_IMPORT = "preferences/create-consent-import.json";
    /** The thank-you journey (topic newsletter, the valuable-customers segment); version 1, a draft. */
    static final String JOURNEY = "journeys/create-journey.json";
    /** The journey active; it is then at version 2. */
    static final String JOURNEY_ACTIVE = "journeys/activate-journey.json";
    /** A lapsed, valuable customer, a churn run that scores them, and the open alert it raised. */
    static final String OPEN_CHURN_ALERT = "open churn alert";
    static final Map<String, List<String>> BEFORE = Map.ofEntries(
            Map.entry("tenants/get-deprovisioning.json", List.of(DEPROVISION)),
            Map.entry("tenants/revoke-key.json", List.of(KEY)),
            Map.entry("contacts/get-contact.json", List.of(CONTACT)),
            Map.entry("contacts/get-contact-360.json", List.of(CONTACT, PURCHASE, TOPIC, PREFERENCES)),
            Map.entry("contacts/get-timeline.json", List.of(CONTACT, PURCHASE, TOPIC, PREFERENCES)),
            Map.entry("contacts/patch-contact.json", List.of(CONTACT)),
            Map.entry("contacts/record-purchase.json", List.of(CONTACT)),
            Map.entry("contacts/get-segment.json", List.of(SEGMENT)),
            Map.entry("contacts/delete-segment.json", List.of(SEGMENT)),
            Map.entry("contacts/list-segment-contacts.json", List.of(CONTACT, PURCHASE, SEGMENT)),
            Map.entry("contacts/list-contacts.json", List.of(CONTACT)),
            Map.entry("contacts/list-segments.json", List.of(SEGMENT)),
            Map.entry("contacts/anonymize-contact.json", List.of(CONTACT)),
            Map.entry("contacts/delete-contact.json", List.of(CONTACT)),
            Map.entry("contacts/export-contact.json", List.of(CONTACT)),
            Map.entry("contacts/get-anonymization.json", List.of(CONTACT, ANONYMIZE)),
            Map.entry("contacts/get-erasure.json", List.of(CONTACT, ERASE)),
            Map.entry("contacts/get-import.json", List.of(IMPORT)),
            Map.entry("contacts/get-interaction-import.json", List.of(INTERACTION_IMPORT)),
            Map.entry("churn-alerts/get-churn-run.json", List.of(OPEN_CHURN_ALERT)),
            Map.entry("churn-alerts/list-churn-run-predictions.json", List.of(OPEN_CHURN_ALERT)),
            Map.entry("churn-alerts/get-churn-score-summary.json", List.of(OPEN_CHURN_ALERT)),
            Map.entry("churn-alerts/list-churn-alerts.json", List.of(OPEN_CHURN_ALERT)),
            Map.entry("churn-alerts/acknowledge-churn-alert.json", List.of(OPEN_CHURN_ALERT)),
            Map.entry("churn-alerts/resolve-churn-alert.json", List.of(OPEN_CHURN_ALERT)),
            // ---- analytics: a scored customer, a purchase for the cohorts, targets for the scorecard ----
            Map.entry("churn-alerts/get-analytics-value.json", List.of(OPEN_CHURN_ALERT)),
            Map.entry("churn-alerts/get-analytics-retention.json", List.of(CONTACT, PURCHASE)),
            Map.entry("churn-alerts/get-analytics-scorecard.json", List.of(CONTACT, PURCHASE, "churn-alerts/record-analytics-targets.json")),
            Map.entry("churn-alerts/get-analytics-targets.json", List.of("churn-alerts/record-analytics-targets.json")),
            Map.entry("preferences/decide-contact.json", List.of(CONTACT, TOPIC, PREFERENCES)),
            Map.entry("preferences/get-consent-history.json", List.of(CONTACT, TOPIC, PREFERENCES)),
            Map.entry("preferences/get-links.json", List.of(CONTACT, TOPIC, PREFERENCES)),
            Map.entry("preferences/list-topics.json", List.of(TOPIC)),
            Map.entry("preferences/get-preferences.json", List.of(CONTACT, TOPIC, PREFERENCES)),
            Map.entry("preferences/put-preferences.json", List.of(CONTACT, TOPIC)),
            Map.entry("preferences/record-send.json", List.of(CONTACT)),
            Map.entry("preferences/get-confirm.json", List.of(CONTACT, TOPIC)),
            Map.entry("preferences/post-confirm.json", List.of(CONTACT, TOPIC)),
            Map.entry("preferences/get-public-preferences.json", List.of(CONTACT, TOPIC, PREFERENCES)),
            Map.entry("preferences/put-public-preferences.json", List.of(CONTACT, TOPIC, PREFERENCES)),
            Map.entry("preferences/preflight-public-preferences.json", List.of(CONTACT)),
            Map.entry("preferences/unsubscribe.json", List.of(CONTACT, TOPIC, PREFERENCES)),
            Map.entry("surveys/create-recount.json", List.of(SURVEY)),
            Map.entry("surveys/create-respondent-link.json", List.of(CONTACT, SURVEY)),
            Map.entry("surveys/get-public-survey.json", List.of(SURVEY)),
            Map.entry("surveys/get-recount.json", List.of(SURVEY, RESPONSE, RECOUNT)),
            Map.entry("surveys/get-survey-results.json", List.of(SURVEY, RESPONSE)),
            Map.entry("surveys/list-surveys.json", List.of(SURVEY)),
            Map.entry("surveys/get-survey.json", List.of(SURVEY)),
            Map.entry("surveys/patch-survey.json", List.of(SURVEY)),
            Map.entry("surveys/preflight-public-survey.json", List.of(SURVEY)),
            Map.entry("surveys/preflight-survey-responses.json", List.of(SURVEY)),
            Map.entry("surveys/submit-survey-response.json", List.of(SURVEY)),
            Map.entry("surveys/create-response-import.json", List.of(CONTACT, SURVEY)),
            Map.entry("surveys/get-response-import.json", List.of(CONTACT, SURVEY, RESPONSE_IMPORT)),
            // ---- webhooks: endpoints ----
            Map.entry("webhooks/get-webhook.json", List.of(WEBHOOK)),
            Map.entry("webhooks/list-webhooks.json", List.of(WEBHOOK)),
            Map.entry("webhooks/patch-webhook.json", List.of(WEBHOOK)),
            Map.entry("webhooks/delete-webhook.json", List.of(WEBHOOK)),
            Map.entry("webhooks/rotate-webhook-secret.json", List.of(WEBHOOK)),
            // ---- webhooks: deliveries ----
            Map.entry("webhooks/test-webhook.json", List.of(WEBHOOK)),
            Map.entry("webhooks/replay-webhook.json", List.of(WEBHOOK, "webhooks/test-webhook.json")),
            Map.entry("webhooks/list-webhook-deliveries.json", List.of(WEBHOOK, "webhooks/test-webhook.json")),
            Map.entry("webhooks/webhook-retry-delivery.json", List.of(WEBHOOK, "webhooks/test-webhook.json")),
            // ---- cases ----
            Map.entry("cases/create-case.json", List.of(CONTACT, AGENT)),
            Map.entry("cases/get-agent.json", List.of(AGENT)),
            Map.entry("cases/list-agents.json", List.of(AGENT)),
            Map.entry("cases/patch-agent.json", List.of(AGENT)),
            Map.entry("cases/get-case.json", List.of(CONTACT, AGENT, CASE, CASE_PATCH, CASE_MESSAGE)),
            Map.entry("cases/list-cases.json", List.of(CONTACT, AGENT, CASE)),
            Map.entry("cases/patch-case.json", List.of(CONTACT, AGENT, CASE)),
            Map.entry("cases/send-case-message.json", List.of(CONTACT, AGENT, CASE)),
            // every kind of entry there is: created, status_changed, message
            Map.entry("cases/get-case-history.json", List.of(CONTACT, AGENT, CASE, CASE_PATCH, CASE_MESSAGE)),
            // ---- cases: history import, measures, forecast ----
            Map.entry("cases/create-case-import.json", List.of(CONTACT)),
            Map.entry("cases/get-case-import.json", List.of(CONTACT, CASE_IMPORT)),
            Map.entry("cases/get-case-metrics.json", List.of(CONTACT, CASE_IMPORT)),
            Map.entry("cases/get-case-forecast.json", List.of(CONTACT, CASE_IMPORT)),
            // ---- preferences: consent import ----
            Map.entry("preferences/create-consent-import.json", List.of(CONTACT)),
            Map.entry("preferences/get-consent-import.json", List.of(CONTACT, CONSENT_IMPORT)),
            // ---- cases: self-service (the case link is minted once the case exists) ----
            Map.entry("cases/get-public-case.json", List.of(CONTACT, AGENT, CASE)),
            Map.entry("cases/reply-public-case.json", List.of(CONTACT, AGENT, CASE)),
            // ---- journeys ----
            Map.entry("journeys/create-journey.json", List.of(TOPIC, SEGMENT)),
            Map.entry("journeys/get-journey.json", List.of(TOPIC, SEGMENT, JOURNEY)),
            Map.entry("journeys/list-journeys.json", List.of(TOPIC, SEGMENT, JOURNEY, JOURNEY_ACTIVE)),
            Map.entry("journeys/activate-journey.json", List.of(TOPIC, SEGMENT, JOURNEY)),
            Map.entry("journeys/patch-journey.json", List.of(TOPIC, SEGMENT, JOURNEY, JOURNEY_ACTIVE)),
            Map.entry("journeys/pause-journey.json", List.of(TOPIC, SEGMENT, JOURNEY, JOURNEY_ACTIVE)),
            Map.entry("journeys/stop-and-archive-journey.json", List.of(TOPIC, SEGMENT, JOURNEY)),
            Map.entry("journeys/get-journey-stats.json", List.of(TOPIC, SEGMENT, JOURNEY)),
            Map.entry("journeys/list-journey-enrollments.json", List.of(CONTACT, TOPIC, SEGMENT, JOURNEY)));

    static String name(Path sample) {
        return SampleEvents.directory().relativize(sample).toString().replace('\\', '/');
    }

    static boolean succeeded(HttpResponse<String> r) {
        return r.statusCode() >= 200 && r.statusCode() < 300;
    }

    /** A tenant with a sample's preparations done, and the replacements that address what they created. */
    record Prepared(Map<String, String> tenant, Map<String, String> replace) {}

    /**
     * Every route's sample, on a tenant prepared with what it needs, must succeed (2xx) and its answer
     * follow the contract; the distinct routes whose sample succeeded must be every route of the
     * template. A sample that changes something gets a tenant of its own; read-only samples (GET,
     * OPTIONS) with the same preparations share one.
     */
    @Test
    @org.junit.jupiter.api.Order(1)
    void everySampleSucceedsAndFollowsTheContract() throws Exception {
        SampleWalk walk = new SampleWalk(runner.url(), runner.operatorKey()).withSecretsFrom(runner.dynamoDbClient());
        Set<String> routes = new TreeSet<>();
        for (SamTemplate.ApiRoute r : SamTemplate.load().apiRoutes()) {
            routes.add(r.method() + " " + r.path());
        }
        Set<String> succeededRoutes = new TreeSet<>();
        Set<String> jsonRoutes = new TreeSet<>();
        for (String route : routes) {
            String[] mp = route.split(" ", 2);
            if (contract.takesJsonBody(mp[0], mp[1])) {
                jsonRoutes.add(route);
            }
        }
        Set<String> rejectedUnknown = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<List<String>, Prepared> shared = new HashMap<>();
        int n = 0;
        for (Path p : SampleEvents.all()) {
            String name = name(p);
            Map<String, Object> raw = SampleEvents.read(p, Map.of());
            if (!SampleEvents.isApiEvent(raw)) {
                continue;
            }
            List<String> steps = BEFORE.getOrDefault(name, List.of());
            boolean readOnly = Set.of("GET", "OPTIONS").contains(String.valueOf(raw.get("httpMethod")));
            Prepared prepared = readOnly ? shared.get(steps) : null;
            if (prepared == null) {
                var t = tenant(walk, "contract-s" + n++);
                prepared = new Prepared(t, new LinkedHashMap<>(SampleWalk.replacements(t.get("tenantId"), t.get("key"), t.get("slug"))));
                String failure = null;
                for (String step : steps) {
                    failure = step.equals(OPEN_CHURN_ALERT) ? openChurnAlert(walk, t.get("key"), prepared.replace())
                            : prepare(walk, step, prepared.replace(), t.get("key"), problems);
                    if (failure != null) {
                        failures.add(name + ": preparation " + step + " " + failure);
                        break;
                    }
                }
                if (failure != null) {
                    continue;
                }
                if (readOnly) {
                    shared.put(steps, prepared);
                }
            }
            // the same request with one field more is a 400 naming that field, and changes nothing the
            // valid request then relies on (an Idempotency-Key it carried is released, too)
            String method = String.valueOf(raw.get("httpMethod"));
            String template = contract.template(method, String.valueOf(raw.get("path")));
            if (template != null && contract.takesJsonBody(method, template)) {
                var u = walk.run(p, new LinkedHashMap<>(prepared.replace()), prepared.tenant().get("key"), ContractIT::withUnknownField);
                var ur = u.response();
                problems.addAll(contract.check(u.method(), u.path(), ur.statusCode(), ur.headers().firstValue("Content-Type").orElse(null),
                        ur.body()));
                String wrong = unknownFieldRejected(ur);
                if (wrong == null) {
                    rejectedUnknown.add(method + " " + template);
                } else {
                    failures.add(name + ": with an unknown field " + wrong);
                }
            }
            var e = walk.run(p, new LinkedHashMap<>(prepared.replace()), prepared.tenant().get("key"));
            var r = e.response();
            // a job read while it runs is read again until it has finished, so its result meets the contract too
            for (Instant until = Instant.now().plusSeconds(30); readOnly && succeeded(r) && unfinishedJob(r.body())
                    && Instant.now().isBefore(until);) {
                problems.addAll(contract.check(e.method(), e.path(), r.statusCode(),
                        r.headers().firstValue("Content-Type").orElse(null), r.body()));
                Thread.sleep(100);
                e = walk.run(p, new LinkedHashMap<>(prepared.replace()), prepared.tenant().get("key"));
                r = e.response();
            }
            if (readOnly && succeeded(r) && r.body().startsWith("{") && Json.parse(r.body()) instanceof Map<?, ?> job
                    && job.containsKey("kind") && "failed".equals(job.get("status"))) {
                failures.add(name + ": the job failed: " + r.body());
            }
            problems.addAll(contract.check(e.method(), e.path(), r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
                    r.body()));
            if (succeeded(r)) {
                // the route the request reached, from its concrete path (not what the sample says it is)
                succeededRoutes.add(e.method() + " " + contract.template(e.method(), e.path()));
            } else {
                failures.add(name + ": " + e.method() + " " + e.path() + " answered " + r.statusCode() + " " + r.body());
            }
        }
        assertEquals(List.of(), failures, "every sample succeeds on the state it needs");
        assertEquals(List.of(), problems);
        assertEquals(routes, succeededRoutes, "the distinct routes (method and path template) whose sample succeeded");
        assertEquals(jsonRoutes, rejectedUnknown, "the routes taking a JSON body that refused an unknown field with a 400");
    }

    /** The sample's request with {@code "zzUnknown": true} added to its JSON body (an empty object if it has none). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withUnknownField(Map<String, Object> event) {
        Map<String, Object> e = new LinkedHashMap<>(event);
        Map<String, Object> fields = new LinkedHashMap<>();
        if (e.get("body") instanceof String b && !b.isBlank()) {
            fields.putAll((Map<String, Object>) Json.parse(b));
        }
        fields.put("zzUnknown", true);
        e.put("body", Json.write(fields));
        Map<String, Object> headers = new LinkedHashMap<>(SamTemplate.map(e.get("headers")));
        if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
            headers.put("Content-Type", "application/json");
        }
        e.put("headers", headers);
        return e;
    }

    /** Null when the answer is the conventions' 400 for an unknown field (problem+json, validation-error at /zzUnknown). */
    @SuppressWarnings("unchecked")
    static String unknownFieldRejected(HttpResponse<String> r) {
        String what = "answered " + r.statusCode() + " " + r.body();
        if (r.statusCode() != 400 || !r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            return what;
        }
        Map<String, Object> problem = (Map<String, Object>) Json.parse(r.body());
        boolean named = problem.get("errors") instanceof List<?> errors
                && errors.stream().anyMatch(x -> x instanceof Map<?, ?> m && "/zzUnknown".equals(m.get("pointer")));
        return String.valueOf(problem.get("type")).endsWith("/validation-error") && named ? null : what;
    }

    static boolean unfinishedJob(String body) {
        return body != null && body.startsWith("{") && Json.parse(body) instanceof Map<?, ?> m && m.containsKey("kind")
                && m.containsKey("done") && Set.of("queued", "running").contains(String.valueOf(m.get("status")));
    }

    /** Runs a preparing sample; null when it succeeded, else what it answered. */
    static String prepare(SampleWalk walk, String step, Map<String, String> replace, String key, List<String> problems)
            throws Exception {
        var e = walk.run(SampleEvents.directory().resolve(step), replace, key);
        var r = e.response();
        problems.addAll(contract.check(e.method(), e.path(), r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
                r.body()));
        return succeeded(r) ? null : "answered " + r.statusCode() + " " + r.body();
    }

    /**
     * A customer who bought weekly for ten weeks a year ago (a tenant this small is scored by the
     * documented fallback rule: P(alive) near 0, value at risk far over the default threshold), one
     * churn run, and the open alert it raised standing in for {@code al_example000000000000_202611}.
     */
    @SuppressWarnings("unchecked")
    static String openChurnAlert(SampleWalk walk, String key, Map<String, String> replace) throws Exception {
        Map<String, String> json = Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json");
        var contact = walk.send(null, "POST", "/v1/contacts", "/v1/contacts", null, json,
                "{\"firstName\": \"Lapsed\", \"email\": \"lapsed@example.com\"}").response();
        if (contact.statusCode() != 201) {
            return "(contact) answered " + contact.statusCode() + " " + contact.body();
        }
        String id = (String) ((Map<String, Object>) Json.parse(contact.body())).get("id");
        Instant first = Instant.now().minus(Duration.ofDays(430)).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 10; i++) {
            var purchase = walk.send(null, "POST", "/v1/contacts/{id}/interactions", "/v1/contacts/" + id + "/interactions", null,
                    json, "{\"id\": \"order-" + i + "\", \"type\": \"purchase\", \"channel\": \"web\", \"occurredAt\": \""
                            + first.plus(Duration.ofDays(7L * i)) + "\", \"value\": {\"amount\": \"100.00\", \"currency\": \"EUR\"}}")
                    .response();
            if (purchase.statusCode() != 201) {
                return "(purchase) answered " + purchase.statusCode() + " " + purchase.body();
            }
        }
        var run = walk.send(null, "POST", "/v1/churn-runs", "/v1/churn-runs", null, json, "{}").response();
        if (run.statusCode() != 202) {
            return "(churn run) answered " + run.statusCode() + " " + run.body();
        }
        String runId = (String) ((Map<String, Object>) Json.parse(run.body())).get("id");
        SampleWalk.learn(run.body(), replace);
        Instant deadline = Instant.now().plusSeconds(30);
        String status;
        do {
            Thread.sleep(100);
            var job = walk.send(null, "GET", "/v1/churn-runs/{id}", "/v1/churn-runs/" + runId, null, json, null).response();
            status = (String) ((Map<String, Object>) Json.parse(job.body())).get("status");
        } while (!status.equals("succeeded") && !status.equals("failed") && Instant.now().isBefore(deadline));
        if (!status.equals("succeeded")) {
            return "(churn run) ended " + status;
        }
        var alerts = walk.send(null, "GET", "/v1/churn-alerts", "/v1/churn-alerts", "status=open", json, null).response();
        List<Map<String, Object>> items = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(alerts.body())).get("items");
        if (items == null || items.size() != 1) {
            return "(alerts) expected the one open alert, got " + alerts.body();
        }
        replace.put("al_example000000000000_202611", (String) items.get(0).get("id"));
        return null;
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void theErrorsEveryRouteCanGiveFollowTheContract() throws Exception {
        SampleWalk walk = new SampleWalk(runner.url(), runner.operatorKey()).withSecretsFrom(runner.dynamoDbClient());
        var t = tenant(walk, "contract-errors");
        List<String> problems = new ArrayList<>();
        for (SamTemplate.ApiRoute route : SamTemplate.load().apiRoutes()) {
            String path = route.path().replaceAll("\\{[^}]+}", "x_nonexistent0000000000");
            // no key: 401 from the gateway on authenticated routes
            if (!route.isPublic()) {
                var r = walk.send(null, route.method(), route.path(), path, null, Map.of(), null).response();
                assertEquals(401, r.statusCode(), route.method() + " " + route.path());
                problems.addAll(contract.check(route.method(), path, r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
                        r.body()));
            }
            // an id that does not exist, or a body the route cannot take
            var r = walk.send(null, route.method(), route.path(), path, null,
                    Map.of("Authorization", "Bearer " + t.get("key"), "Content-Type", "application/json"), "{\"zzUnknown\": true}")
                    .response();
            // a route that takes a JSON body refuses this one (the id is missing, If-Match is missing, or
            // the field is unknown: a 400, see everySampleSucceedsAndFollowsTheContract); only a route
            // without a request body (a GET, a preflight) may succeed, the body being no field of it
            boolean noRequestBody = !contract.takesJsonBody(route.method(), route.path())
                    && Set.of("GET", "DELETE", "OPTIONS").contains(route.method());
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500
                    && r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                    || noRequestBody && r.statusCode() >= 200 && r.statusCode() < 300,
                    route.method() + " " + route.path() + " gave " + r.statusCode() + ": " + r.body());
            problems.addAll(contract.check(route.method(), path, r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
                    r.body()));
        }
        assertEquals(List.of(), problems);
    }

    /**
     * The events docs/events.md catalogues, as a tenant's rule on the bus sees them: every type is
     * produced (by the samples the first test ran, and here an endpoint answering 410 for
     * {@code webhook.endpoint_disabled}), and each published event is the envelope, from its owning
     * function, whose {@code data} follows the type's JSON Schema. {@code webhook.test} never reaches the bus.
     */
    @Test
    @org.junit.jupiter.api.Order(3)
    @SuppressWarnings("unchecked")
    void everyCatalogueTypeReachesTheBusAndFollowsItsSchema() throws Exception {
        SampleWalk walk = new SampleWalk(runner.url(), runner.operatorKey());
        var t = tenant(walk, "contract-events");
        com.sun.net.httpserver.HttpServer gone = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        gone.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(410, -1);
            ex.close();
        });
        gone.start();
        try {
            Map<String, String> headers = Map.of("Authorization", "Bearer " + t.get("key"), "Content-Type", "application/json");
            var created = walk.send(null, "POST", "/v1/webhooks", "/v1/webhooks", null, headers,
                    "{\"url\": \"http://127.0.0.1:" + gone.getAddress().getPort() + "/gone\", \"eventTypes\": [\"*\"]}").response();
            assertEquals(201, created.statusCode(), created.body());
            String id = (String) ((Map<String, Object>) Json.parse(created.body())).get("id");
            var test = walk.send(null, "POST", "/v1/webhooks/{id}/test", "/v1/webhooks/" + id + "/test", null, headers, "{}").response();
            assertTrue(test.statusCode() / 100 == 2, test.body());

            journeyWalk(walk, headers);
            Set<String> expected = new TreeSet<>(dev.crm.shared.events.EventTypes.subscribable());
            Set<String> seen = new TreeSet<>();
            List<Map<String, Object>> events = List.of();
            // the case walk's breach comes a minute after its case was opened, whenever this test runs
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            Instant breachSeen = caseWalkAt.plus(CASE_WALK_FIRST_RESPONSE).plus(Duration.ofSeconds(60));
            deadline = deadline.isBefore(breachSeen) ? breachSeen : deadline;
            while (!seen.containsAll(expected) && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
                var r = SampleWalk.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(runner.url() + "/_local/events"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                events = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(r.body())).get("items");
                seen.clear();
                events.forEach(e -> seen.add((String) e.get("detailType")));
            }
            assertEquals(expected, seen, "every catalogue type on the bus, and no other");
            List<String> wrong = new ArrayList<>();
            for (Map<String, Object> e : events) {
                String type = (String) e.get("detailType");
                Map<String, Object> envelope = (Map<String, Object>) e.get("detail");
                String where = type + " " + envelope.get("id");
                if (!type.equals(envelope.get("type")) || !dev.crm.shared.events.EventTypes.sourceOf(type).equals(e.get("source"))) {
                    wrong.add(where + ": detail type or source is not the envelope's type and its function");
                }
                if (!dev.crm.shared.events.EventIds.isValid((String) envelope.get("id"))
                        || dev.crm.shared.json.Times.parse((String) envelope.get("timestamp")) == null
                        || !(envelope.get("tenantId") instanceof String tenant) || !tenant.startsWith("t_")
                        || !envelope.keySet().equals(Set.of("id", "type", "timestamp", "tenantId", "data"))) {
                    wrong.add(where + ": not the envelope " + envelope.keySet());
                }
                dev.crm.devkit.EventSchemas.violations(type, envelope.get("data")).forEach(v -> wrong.add(where + ": " + v));
            }
            assertEquals(List.of(), wrong);
        } finally {
            gone.stop(0);
        }
    }

    /**
     * The journey events: a contact opted in to {@code offers} buys; one journey sends at once
     * ({@code journey.enrolled}, {@code journey.message_sent}), another sends on a topic the contact
     * holds no consent for, so its enrolment exits with {@code no_consent} ({@code journey.exited}), a
     * third emits a custom event and requests a case ({@code journey.custom}, {@code journey.case_requested}).
     */
    @SuppressWarnings("unchecked")
    private static void journeyWalk(SampleWalk walk, Map<String, String> headers) throws Exception {
        for (String topic : List.of("offers", "updates")) {
            var r = walk.send(null, "POST", "/v1/topics", "/v1/topics", null, headers,
                    "{\"key\": \"" + topic + "\", \"name\": \"" + topic + "\"}").response();
            assertTrue(r.statusCode() / 100 == 2, r.body());
        }
        var contact = walk.send(null, "POST", "/v1/contacts", "/v1/contacts", null, headers,
                "{\"firstName\": \"Jo\", \"email\": \"jo." + dev.crm.shared.tenant.Ids.random("", 8) + "@example.com\"}").response();
        assertEquals(201, contact.statusCode(), contact.body());
        String id = (String) ((Map<String, Object>) Json.parse(contact.body())).get("id");
        Map<String, String> ifNew = new java.util.HashMap<>(headers);
        ifNew.put("If-Match", "\"0\"");
        var prefs = walk.send(null, "PUT", "/v1/contacts/{id}/preferences", "/v1/contacts/" + id + "/preferences", null, ifNew,
                "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"offers\": \"opted_in\"}}},"
                        + " \"frequencyCaps\": {}, \"quietHours\": null, \"pausedUntil\": null, \"legalBasis\": \"consent\","
                        + " \"source\": \"crm-ui\"}").response();
        assertTrue(prefs.statusCode() / 100 == 2, prefs.body());
        for (String topic : List.of("offers", "updates")) {
            var j = walk.send(null, "POST", "/v1/journeys", "/v1/journeys", null, headers, "{\"name\": \"" + topic + "\","
                    + " \"trigger\": {\"event\": \"interaction.recorded\", \"where\": {\"type\": \"purchase\"}},"
                    + " \"entry\": {\"mode\": \"once\"}, \"steps\": [{\"send\": {\"channel\": \"email\", \"topic\": \""
                    + topic + "\", \"template\": {\"subject\": \"Hi\", \"text\": \"Hello {{contact.firstName}}\"}}}]}").response();
            assertEquals(201, j.statusCode(), j.body());
            String jid = (String) ((Map<String, Object>) Json.parse(j.body())).get("id");
            var a = walk.send(null, "POST", "/v1/journeys/{id}/activate", "/v1/journeys/" + jid + "/activate", null, headers, null)
                    .response();
            assertEquals(200, a.statusCode(), a.body());
        }
        // the event steps: journey.custom and journey.case_requested (the case it opens is a case.created too)
        var recovery = walk.send(null, "POST", "/v1/journeys", "/v1/journeys", null, headers, "{\"name\": \"recovery\","
                + " \"trigger\": {\"event\": \"interaction.recorded\", \"where\": {\"type\": \"purchase\"}},"
                + " \"entry\": {\"mode\": \"once\"}, \"steps\": [{\"emit\": {\"type\": \"offer.accepted\", \"data\":"
                + " {\"campaign\": \"contract\", \"round\": 1}}}, {\"createCase\": {\"subject\": \"Call back after the purchase\","
                + " \"priority\": \"high\"}}]}").response();
        assertEquals(201, recovery.statusCode(), recovery.body());
        String rid = (String) ((Map<String, Object>) Json.parse(recovery.body())).get("id");
        var ra = walk.send(null, "POST", "/v1/journeys/{id}/activate", "/v1/journeys/" + rid + "/activate", null, headers, null)
                .response();
        assertEquals(200, ra.statusCode(), ra.body());
        var purchase = walk.send(null, "POST", "/v1/contacts/{id}/interactions", "/v1/contacts/" + id + "/interactions", null,
                headers, "{\"id\": \"order-j1\", \"type\": \"purchase\", \"channel\": \"web\", \"value\": {\"amount\": \"20.50\", \"currency\": \"EUR\"}}").response();
        assertTrue(purchase.statusCode() / 100 == 2, purchase.body());
    }
}
