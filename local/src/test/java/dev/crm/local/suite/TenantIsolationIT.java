package dev.crm.local.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.SampleEvents;
import dev.crm.local.LocalRunner;
import dev.crm.shared.json.Json;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real tenants provisioned through the API. Tenant A owns one of everything (contacts, touch
 * points, consent, segments, an import, an erasure and an anonymisation, a survey with a response and
 * a recount, a churn run and the alerts it raised, keys, webhook endpoints, cases); tenant B owns a little of its own. Every route
 * with an id in its path is tried by A (it must succeed: the id is real) and by B (it must answer exactly
 * as for an id that exists nowhere); every list B reads holds B's items and none of A's; every key scope
 * meets every route, DELETEs included, and only a 2xx counts as allowed. Nothing of A (ids, names,
 * emails, phone numbers, keys) may appear in any answer B gets, body or header.
 */
class TenantIsolationIT {
    static LocalRunner runner;
    static SampleWalk walk;
    static Owner a;
    static Owner b;
    /** Everything of tenant A that no answer to tenant B may contain. */
    static final Set<String> secretsOfA = new LinkedHashSet<>();
    /** What of A tenant B's own requests (its setup, its reads of its own resources) were answered with. */
    static final List<String> answersToB = new ArrayList<>();
    /** How many of those came from B's setup (the rest each test checks as its own). */
    static int setupAnswersToB;
    /** The ids the product issues: a kind prefix and 20 base-32 characters (an alert adds its month). */
    static final Pattern ID = Pattern.compile("(?<![A-Za-z0-9])[a-z]{1,4}_[0-9a-z]{20}(?:_[0-9]{6})?(?![0-9A-Za-z])");

    /** A tenant: its id, admin key, slug, and the placeholders of the samples mapped to what it owns. */
    record Owner(String tenantId, String key, String slug, Map<String, String> ids, Map<String, Map<String, String>> perSample) {}

    /**
     * The scope each authenticated route needs, as docs/api.md states it (not as the routers say, so a
     * router that drifts fails here): GETs and POSTs that only compute need read; what changes data or
     * mints signed links and tokens needs write; keys and tenant settings, reading them included, need
     * admin; provisioning and deprovisioning tenants need the operator key, which can do nothing else.
     */
    static final Map<String, Scope> SCOPES = Map.ofEntries(
            Map.entry("GET /v1/churn-alerts", Scope.READ),
            Map.entry("GET /v1/churn-runs/{id}", Scope.READ),
            Map.entry("GET /v1/churn-runs/{id}/predictions", Scope.READ),
            Map.entry("GET /v1/churn-scores/summary", Scope.READ),
            Map.entry("GET /v1/analytics/value", Scope.READ),
            Map.entry("GET /v1/analytics/retention", Scope.READ),
            Map.entry("GET /v1/analytics/scorecard", Scope.READ),
            Map.entry("GET /v1/analytics/targets/{period}", Scope.READ),
            Map.entry("PUT /v1/analytics/targets/{period}", Scope.WRITE),
            Map.entry("GET /v1/contacts", Scope.READ),
            Map.entry("GET /v1/cases/metrics", Scope.READ),
            Map.entry("GET /v1/cases/forecast", Scope.READ),
            Map.entry("GET /v1/cases/imports/{id}", Scope.READ),
            Map.entry("POST /v1/cases/imports", Scope.WRITE),
            Map.entry("GET /v1/preferences/imports/{id}", Scope.READ),
            Map.entry("POST /v1/preferences/imports", Scope.WRITE),
            Map.entry("GET /v1/contacts/anonymizations/{id}", Scope.READ),
            Map.entry("GET /v1/contacts/erasures/{id}", Scope.READ),
            Map.entry("GET /v1/contacts/imports/{id}", Scope.READ),
            Map.entry("GET /v1/interactions/imports/{id}", Scope.READ),
            Map.entry("GET /v1/contacts/{id}", Scope.READ),
            Map.entry("GET /v1/contacts/{id}/consent-history", Scope.READ),
            Map.entry("POST /v1/contacts/{id}/contact-decisions", Scope.READ), // it only computes
            Map.entry("GET /v1/contacts/{id}/export", Scope.READ),
            Map.entry("GET /v1/contacts/{id}/preferences", Scope.READ),
            Map.entry("GET /v1/contacts/{id}/timeline", Scope.READ),
            Map.entry("GET /v1/key", Scope.READ),
            Map.entry("GET /v1/segments", Scope.READ),
            Map.entry("GET /v1/segments/{id}", Scope.READ),
            Map.entry("GET /v1/segments/{id}/contacts", Scope.READ),
            Map.entry("GET /v1/surveys", Scope.READ),
            Map.entry("GET /v1/surveys/recounts/{jobId}", Scope.READ),
            Map.entry("GET /v1/surveys/{id}", Scope.READ),
            Map.entry("GET /v1/surveys/{id}/results", Scope.READ),
            Map.entry("GET /v1/topics", Scope.READ),
            Map.entry("POST /v1/churn-alerts/{id}/acknowledge", Scope.WRITE),
            Map.entry("POST /v1/churn-alerts/{id}/resolve", Scope.WRITE),
            Map.entry("POST /v1/churn-runs", Scope.WRITE),
            Map.entry("POST /v1/contacts", Scope.WRITE),
            Map.entry("POST /v1/contacts/imports", Scope.WRITE),
            Map.entry("POST /v1/interactions/imports", Scope.WRITE),
            Map.entry("DELETE /v1/contacts/{id}", Scope.WRITE),
            Map.entry("PATCH /v1/contacts/{id}", Scope.WRITE),
            Map.entry("POST /v1/contacts/{id}/anonymize", Scope.WRITE),
            Map.entry("POST /v1/contacts/{id}/interactions", Scope.WRITE),
            Map.entry("GET /v1/contacts/{id}/links", Scope.WRITE), // it mints tokens
            Map.entry("PUT /v1/contacts/{id}/preferences", Scope.WRITE),
            Map.entry("POST /v1/contacts/{id}/sends", Scope.WRITE),
            Map.entry("POST /v1/segments", Scope.WRITE),
            Map.entry("DELETE /v1/segments/{id}", Scope.WRITE),
            Map.entry("POST /v1/surveys", Scope.WRITE),
            Map.entry("PATCH /v1/surveys/{id}", Scope.WRITE),
            Map.entry("POST /v1/surveys/{id}/recounts", Scope.WRITE),
            Map.entry("POST /v1/surveys/{id}/respondent-links", Scope.WRITE), // it mints a token
            Map.entry("POST /v1/surveys/{id}/responses/imports", Scope.WRITE),
            Map.entry("GET /v1/surveys/response-imports/{jobId}", Scope.READ),
            Map.entry("POST /v1/topics", Scope.WRITE),
            Map.entry("GET /v1/tenant", Scope.ADMIN),
            Map.entry("GET /v1/tenant/keys", Scope.ADMIN),
            Map.entry("POST /v1/tenant/keys", Scope.ADMIN),
            Map.entry("DELETE /v1/tenant/keys/{keyId}", Scope.ADMIN),
            Map.entry("PATCH /v1/tenant/settings", Scope.ADMIN),
            // an endpoint holds a signing secret, like a key: every webhook route needs admin
            Map.entry("POST /v1/webhooks", Scope.ADMIN),
            Map.entry("GET /v1/webhooks", Scope.ADMIN),
            Map.entry("GET /v1/webhooks/{id}", Scope.ADMIN),
            Map.entry("PATCH /v1/webhooks/{id}", Scope.ADMIN),
            Map.entry("DELETE /v1/webhooks/{id}", Scope.ADMIN),
            Map.entry("POST /v1/webhooks/{id}/rotate-secret", Scope.ADMIN),
            Map.entry("GET /v1/webhooks/{id}/deliveries", Scope.ADMIN),
            Map.entry("POST /v1/webhooks/{id}/deliveries/{messageId}/retry", Scope.ADMIN),
            Map.entry("POST /v1/webhooks/{id}/replay", Scope.ADMIN),
            Map.entry("POST /v1/webhooks/{id}/test", Scope.ADMIN),
            // cases: write to change, read to read (docs/api.md, "Cases")
            Map.entry("POST /v1/cases", Scope.WRITE),
            Map.entry("GET /v1/cases", Scope.READ),
            Map.entry("GET /v1/cases/{id}", Scope.READ),
            Map.entry("PATCH /v1/cases/{id}", Scope.WRITE),
            Map.entry("POST /v1/cases/{id}/messages", Scope.WRITE),
            Map.entry("GET /v1/cases/{id}/history", Scope.READ),
            // agents: people data, but the tenant's own staff directory: write to change, read to read (docs/api.md, "Agents")
            Map.entry("POST /v1/agents", Scope.WRITE),
            Map.entry("GET /v1/agents", Scope.READ),
            Map.entry("GET /v1/agents/{id}", Scope.READ),
            Map.entry("PATCH /v1/agents/{id}", Scope.WRITE),
            // journeys: write to define and change, read to inspect (docs/api.md, "Journeys")
            Map.entry("POST /v1/journeys", Scope.WRITE),
            Map.entry("GET /v1/journeys", Scope.READ),
            Map.entry("GET /v1/journeys/{id}", Scope.READ),
            Map.entry("PATCH /v1/journeys/{id}", Scope.WRITE),
            Map.entry("POST /v1/journeys/{id}/activate", Scope.WRITE),
            Map.entry("POST /v1/journeys/{id}/pause", Scope.WRITE),
            Map.entry("POST /v1/journeys/{id}/archive", Scope.WRITE),
            Map.entry("GET /v1/journeys/{id}/stats", Scope.READ),
            Map.entry("GET /v1/journeys/{id}/enrollments", Scope.READ),
            Map.entry("POST /v1/tenants", Scope.OPERATOR),
            Map.entry("DELETE /v1/tenants/{tenantId}", Scope.OPERATOR),
            Map.entry("GET /v1/tenants/{tenantId}/deprovisioning", Scope.OPERATOR));

    @BeforeAll
    static void start() throws Exception {
        runner = LocalRunner.start(0, true, null, Map.of("CRM_OPERATOR_KEY", "crm_op_isolationsuiteoperatorkey012345678"));
        walk = new SampleWalk(runner.url(), runner.operatorKey()).withSecretsFrom(runner.dynamoDbClient());
        a = provision("iso-a");
        b = provision("iso-b");
        secretsOfA.add(a.tenantId());
        secretsOfA.add(a.key());
        ownOneOfEverything(a);
        ownSomeOfItsOwn(b);
        setupAnswersToB = answersToB.size();
    }

    @AfterAll
    static void stop() {
        if (runner != null) {
            runner.close();
        }
    }

    // ---------------------------------------------------------------- the guarantees

    /**
     * For every route with a tenant resource id in its path (from the template; operator and public
     * routes aside): A's request succeeds (the id is real), and B's identical request answers exactly
     * what B gets for a random well-formed id of the same kind that exists nowhere: 404, the same
     * problem type, title and detail. A DELETE is tried by B first; the resource must then still exist
     * and A's DELETE succeed.
     */
    @Test
    void tenantBGetsOnEveryIdRouteWhatAMissingIdGets() throws Exception {
        Set<String> routes = new TreeSet<>();
        for (SamTemplate.ApiRoute r : SamTemplate.load().apiRoutes()) {
            // a period ({period}) is a calendar name, not an id: targetsOfAPeriodAreEachTenantsOwn checks those routes
            if (!r.isPublic() && r.path().contains("{") && !r.path().contains("{period}")
                    && SCOPES.get(r.method() + " " + r.path()) != Scope.OPERATOR) {
                routes.add(r.method() + " " + r.path());
            }
        }
        Set<String> checked = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        for (Path p : SampleWalk.inRunOrder(SampleEvents.all())) {
            String name = ContractIT.name(p);
            Map<String, Object> raw = SampleEvents.read(p, Map.of());
            String route = raw.get("httpMethod") + " " + raw.get("resource");
            if (!SampleEvents.isApiEvent(raw) || !routes.contains(route)) {
                continue;
            }
            Map<String, String> replace = new LinkedHashMap<>(a.ids());
            replace.putAll(a.perSample().getOrDefault(name, Map.of()));
            Map<String, Object> event = event(p, replace);
            String path = (String) event.get("path");
            String id = String.valueOf(SamTemplate.map(event.get("pathParameters")).values().iterator().next());
            String missingId = missingLike(id);
            Map<String, Object> missing = new LinkedHashMap<>(event);
            missing.put("path", path.replace(id, missingId));
            boolean deletes = "DELETE".equals(raw.get("httpMethod"));
            if (!deletes) {
                String control = positiveControl(name, event, a.key());
                if (control != null) {
                    failures.add(control);
                    continue;
                }
            }
            // B sends A's request as A could send it now (A's current ETag: a 412 would tell B it exists)
            withCurrentETag(event, a.key());
            missing.put("headers", event.get("headers"));
            var mine = asB(name + " (A's id)", event, failures);
            var none = asB(name + " (an id that exists nowhere)", freshIdempotencyKey(missing), failures);
            String differs = notFoundAlike(mine, id, none, missingId);
            if (differs != null) {
                failures.add(name + ": tenant B with A's id " + differs);
            }
            if (deletes) {
                String control = survived(name, path);
                if (control == null) {
                    control = positiveControl(name, freshIdempotencyKey(event), a.key());
                }
                if (control != null) {
                    failures.add(control);
                }
            }
            checked.add(route);
        }
        assertEquals(List.of(), failures);
        assertEquals(routes, checked, "the routes with an id in their path that were tried by both tenants");
    }

    /**
     * Every list and summary B can read (every GET without a path id, alert lists in each status, and
     * the lists under B's own ids) answers 200 with B's own items and nothing of A's.
     */
    @Test
    @SuppressWarnings("unchecked")
    void tenantBsListsHoldItsOwnItemsAndNoneOfAs() throws Exception {
        int from = answersToB.size();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("/v1/contacts", b.ids().get("c_example0000000000000"));
        expected.put("/v1/segments", b.ids().get("seg_example0000000000000"));
        expected.put("/v1/surveys", b.ids().get("srv_example0000000000000"));
        expected.put("/v1/topics", "bee-news");
        expected.put("/v1/tenant/keys", b.ids().get("key_example0000000000000"));
        expected.put("/v1/tenant", b.tenantId());
        expected.put("/v1/key", b.tenantId());
        expected.put("/v1/webhooks", b.ids().get("whe_example0000000000000"));
        expected.put("/v1/cases", b.ids().get("cs_example0000000000000"));
        expected.put("/v1/agents", b.ids().get("ag_example0000000000000"));
        expected.put("/v1/agents?active=true&team=billing", b.ids().get("ag_example0000000000000"));
        expected.put("/v1/journeys", b.ids().get("jrn_b"));
        expected.put("/v1/journeys?status=draft", b.ids().get("jrn_b"));
        expected.put("/v1/cases?status=new&priority=high", b.ids().get("cs_example0000000000000"));
        expected.put("/v1/cases/" + b.ids().get("cs_example0000000000000") + "/history", "Bee reply");
        expected.put("/v1/churn-alerts?status=open", b.ids().get("al_open"));
        expected.put("/v1/churn-alerts?status=acknowledged", b.ids().get("al_acknowledged"));
        expected.put("/v1/churn-alerts?status=resolved", b.ids().get("al_resolved"));
        expected.put("/v1/churn-scores/summary", b.ids().get("run_example0000000000000"));
        // B's value counts B's four scored customers; B's scorecard shows B's own target of the quarter
        expected.put("/v1/analytics/value?groupBy=riskTier", "\"total\":{\"customers\":4,");
        expected.put("/v1/analytics/retention?cohort=quarter", "\"cohorts\":[");
        expected.put("/v1/analytics/scorecard?period=2027-Q2", "\"target\":7,");
        // B's measures and forecast count B's one imported case (category beehives) and none of A's
        expected.put("/v1/cases/metrics?from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z&groupBy=category", "beehives");
        expected.put("/v1/cases/forecast?from=2026-12-07T00:00:00Z&interval=day", "\"historyCases\":1");
        expected.put("/v1/segments/" + b.ids().get("seg_example0000000000000") + "/contacts", b.ids().get("c_example0000000000000"));
        expected.put("/v1/contacts/" + b.ids().get("c_example0000000000000") + "/timeline", "order-b-1");
        expected.put("/v1/contacts/" + b.ids().get("c_example0000000000000") + "/consent-history", "bee-news");
        // B's own resources whose answers gather from several places (the 360 view, the export, results, a run)
        expected.put("/v1/contacts/" + b.ids().get("c_example0000000000000") + "?view=360", "order-b-1");
        expected.put("/v1/contacts/" + b.ids().get("c_example0000000000000") + "/export", "bertram@tenant-b.example");
        expected.put("/v1/contacts/" + b.ids().get("c_example0000000000000") + "/preferences", "bee-news");
        expected.put("/v1/surveys/" + b.ids().get("srv_example0000000000000") + "/results?from=2026-01-01&to=2027-01-01&interval=month",
                b.ids().get("srv_example0000000000000"));
        expected.put("/v1/churn-runs/" + b.ids().get("run_example0000000000000"), b.ids().get("run_example0000000000000"));
        // B's run predicted B's lapsed customers (a run's predictions name the run's own tenant's contacts only)
        expected.put("/v1/churn-runs/" + b.ids().get("run_example0000000000000") + "/predictions", "\"pAlive\"");
        Set<String> lists = new TreeSet<>();
        for (SamTemplate.ApiRoute r : SamTemplate.load().apiRoutes()) {
            if (r.method().equals("GET") && !r.isPublic() && !r.path().contains("{") && SCOPES.get("GET " + r.path()) != Scope.OPERATOR) {
                lists.add(r.path());
            }
        }
        Set<String> read = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        for (var e : expected.entrySet()) {
            String[] pq = e.getKey().split("\\?", 2);
            var r = walk.send(null, "GET", pq[0], pq[0], pq.length > 1 ? pq[1] : null, Map.of("Authorization", "Bearer " + b.key()), null)
                    .response();
            leaks("GET " + e.getKey(), r, failures);
            read.add(pq[0]);
            if (r.statusCode() != 200) {
                failures.add("GET " + e.getKey() + ": tenant B got " + r.statusCode() + " " + r.body());
            } else if (e.getValue() == null || !r.body().contains(e.getValue())) {
                failures.add("GET " + e.getKey() + ": tenant B's own " + e.getValue() + " is missing from " + r.body());
            }
        }
        // the summary counts B's customers only: four with purchases (A's would make it seven)
        var summary = walk.send(null, "GET", "/v1/churn-scores/summary", "/v1/churn-scores/summary", null,
                Map.of("Authorization", "Bearer " + b.key()), null).response();
        Object scored = ((Map<String, Object>) Json.parse(summary.body())).get("scored");
        if (!(scored instanceof Number n) || n.intValue() != 4) {
            failures.add("GET /v1/churn-scores/summary: tenant B's run scored " + scored + " customers, B has 4: " + summary.body());
        }
        failures.addAll(answersToB.subList(0, setupAnswersToB));
        failures.addAll(answersToB.subList(from, answersToB.size()));
        assertEquals(List.of(), failures);
        read.retainAll(lists);
        assertEquals(lists, read, "every list route without an id was read by tenant B");
    }

    /**
     * Targets are keyed by a calendar period every tenant names alike: B reading A's period gets what a
     * period nobody set gets (404, the same problem), B's PUT of that period sets B's own and leaves A's
     * as they were, and B's scorecard shows B's target, never A's.
     */
    @Test
    void targetsOfAPeriodAreEachTenantsOwn() throws Exception {
        int from = answersToB.size();
        List<String> failures = new ArrayList<>();
        Map<String, String> bJson = Map.of("Content-Type", "application/json");
        var mine = send(b.key(), "GET", "/v1/analytics/targets/2027-Q1", Map.of(), null);
        var none = send(b.key(), "GET", "/v1/analytics/targets/2031-Q4", Map.of(), null);
        leaks("GET /v1/analytics/targets/2027-Q1", mine, failures);
        String differs = notFoundAlike(mine, "2027-Q1", none, "2031-Q4");
        if (differs != null) {
            failures.add("GET /v1/analytics/targets/2027-Q1: tenant B with A's period " + differs);
        }
        var put = send(b.key(), "PUT", "/v1/analytics/targets/2027-Q1", bJson, "{\"revenue\": 1}");
        leaks("PUT /v1/analytics/targets/2027-Q1", put, failures);
        assertEquals(200, put.statusCode(), put.body());
        var as = send(a.key(), "GET", "/v1/analytics/targets/2027-Q1", Map.of(), null);
        assertEquals(200, as.statusCode(), as.body());
        assertTrue(as.body().contains("\"newCustomers\":120") && as.body().contains("\"revenue\":50000"), as.body());
        var scorecard = send(b.key(), "GET", "/v1/analytics/scorecard?period=2027-Q1", Map.of(), null);
        leaks("GET /v1/analytics/scorecard", scorecard, failures);
        assertTrue(scorecard.body().contains("\"target\":1,") && !scorecard.body().contains("\"target\":120"), scorecard.body());
        failures.addAll(answersToB.subList(from, answersToB.size()));
        assertEquals(List.of(), failures);
    }

    /**
     * A's ids where a request carries them in its body or query, on B's own resources: A's contact in a
     * respondent link, A's segment in a results filter, A's respondent token on B's survey. Each answers
     * exactly as the same request with an id (or token) that exists nowhere.
     */
    @Test
    void tenantAsIdsInBodiesAndQueriesAreUnknownToTenantB() throws Exception {
        int from = answersToB.size();
        List<String> failures = new ArrayList<>();
        String survey = b.ids().get("srv_example0000000000000");
        String contact = a.ids().get("c_example0000000000000");
        String unknownContact = missingLike(contact);
        String links = "/v1/surveys/" + survey + "/respondent-links";
        same(failures, "POST " + links + " {contactId: A's}", "\"pointer\":\"/contactId\"",
                contact, send(b.key(), "POST", links, Map.of(), "{\"contactId\": \"" + contact + "\"}"),
                unknownContact, send(b.key(), "POST", links, Map.of(), "{\"contactId\": \"" + unknownContact + "\"}"));
        String segment = a.ids().get("seg_example0000000000000");
        String unknownSegment = missingLike(segment);
        String results = "/v1/surveys/" + survey + "/results?from=2026-01-01&to=2027-01-01&interval=month&segment=";
        same(failures, "GET results?segment=A's", "\"parameter\":\"segment\"",
                segment, send(b.key(), "GET", results + segment, Map.of(), null),
                unknownSegment, send(b.key(), "GET", results + unknownSegment, Map.of(), null));
        String token = a.ids().get("respondent_token");
        String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        String submit = "/v1/public/surveys/" + survey + "/responses";
        same(failures, "POST " + submit + " {respondentToken: A's}", "/invalid-token",
                token, send(b.key(), "POST", submit, Map.of(), "{\"answers\": {\"score\": 4}, \"respondentToken\": \"" + token + "\"}"),
                forged, send(b.key(), "POST", submit, Map.of(), "{\"answers\": {\"score\": 4}, \"respondentToken\": \"" + forged + "\"}"));
        // A's contact as a case's contact, and as a filter of B's case list
        String caseBody = "{\"contactId\": \"%s\", \"channel\": \"phone\", \"category\": \"billing\", \"priority\": \"low\", "
                + "\"subject\": \"Whose contact?\"}";
        same(failures, "POST /v1/cases {contactId: A's}", "\"pointer\":\"/contactId\"",
                contact, send(b.key(), "POST", "/v1/cases", Map.of(), caseBody.formatted(contact)),
                unknownContact, send(b.key(), "POST", "/v1/cases", Map.of(), caseBody.formatted(unknownContact)));
        // A's agent as the assignee of B's new case
        String agent = a.ids().get("ag_example0000000000000");
        String unknownAgent = missingLike(agent);
        String assigned = "{\"contactId\": \"" + b.ids().get("c_example0000000000000") + "\", \"channel\": \"phone\", "
                + "\"category\": \"billing\", \"priority\": \"low\", \"subject\": \"Whose agent?\", \"assignee\": \"%s\"}";
        same(failures, "POST /v1/cases {assignee: A's agent}", "\"pointer\":\"/assignee\"",
                agent, send(b.key(), "POST", "/v1/cases", Map.of(), assigned.formatted(agent)),
                unknownAgent, send(b.key(), "POST", "/v1/cases", Map.of(), assigned.formatted(unknownAgent)));
        var filteredByA = send(b.key(), "GET", "/v1/cases?contactId=" + contact, Map.of(), null);
        var filteredByNone = send(b.key(), "GET", "/v1/cases?contactId=" + unknownContact, Map.of(), null);
        Map<String, Object> empty = new HashMap<>();
        empty.put("items", List.of());
        empty.put("nextCursor", null);
        if (filteredByA.statusCode() != 200 || !Json.parse(filteredByA.body()).equals(empty)
                || !Json.parse(filteredByA.body()).equals(Json.parse(filteredByNone.body()))) {
            failures.add("GET /v1/cases?contactId=A's: tenant B got " + filteredByA.statusCode() + " " + filteredByA.body()
                    + "; an unknown one got " + filteredByNone.body());
        }
        failures.addAll(answersToB.subList(from, answersToB.size()));
        assertEquals(List.of(), failures);
    }

    /**
     * The self-service case link (public, no key): a link signed by A that names B's case (and B's contact)
     * answers exactly as a link naming a case that exists nowhere, for the status page and for a reply,
     * and B's case is unchanged; B's own link with its tenant switched to A is refused as invalid.
     */
    @Test
    @SuppressWarnings("unchecked")
    void tenantAsCaseLinkNeverReadsOrRepliesToTenantBsCase() throws Exception {
        List<String> failures = new ArrayList<>();
        String email = "case." + Ids.random("", 8) + "@tenant-b.example";
        var opened = walk.send(null, "POST", "/v1/public/t/{tenantSlug}/cases", "/v1/public/t/" + b.slug() + "/cases", null,
                Map.of("Content-Type", "application/json"), "{\"email\": \"" + email + "\", \"category\": \"billing\","
                        + " \"subject\": \"B's private matter\", \"body\": \"Only B may read this.\"}").response();
        assertEquals(202, opened.statusCode(), opened.body());
        var mineList = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(send(b.key(), "GET", "/v1/cases", Map.of(), null)
                .body())).get("items");
        Map<String, Object> bCase = mineList.stream().filter(c -> "B's private matter".equals(c.get("subject"))).findFirst().orElseThrow();
        String caseId = (String) bCase.get("id");
        var tenants = new dev.crm.shared.tenant.store.dynamodb.DynamoDbTenantRepository(
                new dev.crm.shared.store.dynamodb.Table(runner.dynamoDbClient(), dev.crm.devkit.LocalDynamoDb.TABLE));
        var aId = new dev.crm.shared.tenant.TenantId(a.tenantId());
        var aSecrets = tenants.find(aId).secrets();
        Map<String, String> claims = Map.of("ct", (String) bCase.get("contactId"));
        String crossed = dev.crm.shared.tokens.SignedTokens.issue(aId, aSecrets, dev.crm.shared.tokens.TokenPurpose.CASE_ACCESS, caseId,
                claims, Instant.now(), Duration.ofDays(1));
        String nowhere = dev.crm.shared.tokens.SignedTokens.issue(aId, aSecrets, dev.crm.shared.tokens.TokenPurpose.CASE_ACCESS,
                missingLike(caseId), claims, Instant.now(), Duration.ofDays(1));
        for (String[] route : new String[][] {{"GET", "/v1/public/cases", null}, {"POST", "/v1/public/cases/messages", "{\"body\": \"hi\"}"}}) {
            Map<String, String> h = route[2] == null ? Map.of() : Map.of("Content-Type", "application/json");
            var mine = walk.send(null, route[0], route[1], route[1], "token=" + crossed, h, route[2]).response();
            var none = walk.send(null, route[0], route[1], route[1], "token=" + nowhere, h, route[2]).response();
            String differs = notFoundAlike(mine, caseId, none, caseId);
            if (differs != null || mine.body().contains("private")) {
                failures.add(route[0] + " " + route[1] + " with A's link to B's case: " + differs + " " + mine.body());
            }
        }
        // B's own link, from the email, with its payload's tenant switched to A: the signature no longer holds
        String text = dev.crm.shared.outbound.LocalOutbox.INSTANCE.messagesTo(email).get(0).message().textBody();
        Matcher m = Pattern.compile("token=([^\\s]+)").matcher(text);
        assertTrue(m.find(), text);
        String own = java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8);
        String[] parts = own.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                .replace(b.tenantId(), a.tenantId());
        String switched = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
        var refused = walk.send(null, "GET", "/v1/public/cases", "/v1/public/cases", "token=" + switched, Map.of(), null).response();
        if (refused.statusCode() != 400 || !problemType(refused).endsWith("/invalid-token")) {
            failures.add("B's link switched to A: " + refused.statusCode() + " " + refused.body());
        }
        var history = send(b.key(), "GET", "/v1/cases/" + caseId + "/history", Map.of(), null);
        if (history.body().contains("\"message\"")) {
            failures.add("B's case got a message through A's link: " + history.body());
        }
        var ownView = walk.send(null, "GET", "/v1/public/cases", "/v1/public/cases", "token=" + java.net.URLEncoder.encode(own,
                java.nio.charset.StandardCharsets.UTF_8), Map.of(), null).response();
        if (ownView.statusCode() != 200 || !ownView.body().contains("B's private matter")) {
            failures.add("B's own link (the positive control): " + ownView.statusCode() + " " + ownView.body());
        }
        assertEquals(List.of(), failures);
    }

    /** The answer with A's id is the 400 naming {@code expected}, identical to the answer with an unknown one (each id read as {id}). */
    static void same(List<String> failures, String what, String expected, String id, HttpResponse<String> mine, String unknownId,
            HttpResponse<String> none) {
        if (mine.statusCode() != 400 || !mine.body().contains(expected) || mine.statusCode() != none.statusCode()
                || !Json.parse(mine.body().replace(id, "{id}")).equals(Json.parse(none.body().replace(unknownId, "{id}")))) {
            failures.add(what + ": tenant B got " + mine.statusCode() + " " + mine.body() + "; an unknown one got " + none.statusCode() + " "
                    + none.body());
        }
    }

    /** A cursor of one of A's lists, sent by B on the same list, is a 400 invalid-cursor and tells B nothing. */
    @Test
    @SuppressWarnings("unchecked")
    void tenantAsCursorsAreRefusedToTenantB() throws Exception {
        List<String> failures = new ArrayList<>();
        Set<String> tried = new TreeSet<>();
        for (Path p : SampleWalk.inRunOrder(SampleEvents.all())) {
            Map<String, Object> json = SampleEvents.read(p, a.ids());
            if (!SampleEvents.isApiEvent(json) || !"GET".equals(json.get("httpMethod"))
                    || !String.valueOf(json.get("queryStringParameters")).contains("limit")) {
                continue;
            }
            Map<String, Object> q = new HashMap<>(SamTemplate.map(json.get("queryStringParameters")));
            q.put("limit", "1");
            Map<String, Object> first = new LinkedHashMap<>(json);
            first.put("queryStringParameters", q);
            var page = send(first, a.key());
            Object cursor = ((Map<String, Object>) Json.parse(page.body())).get("nextCursor");
            if (cursor == null) {
                continue;
            }
            q.put("cursor", cursor);
            String name = ContractIT.name(p);
            // on B's own list of the kind (B's contact's timeline, B's segment's members, ...)
            Map<String, Object> mine = new LinkedHashMap<>(SampleEvents.read(p, b.ids()));
            mine.put("queryStringParameters", q);
            var r = asB(name + " (A's cursor)", mine, failures);
            tried.add(name);
            if (r.statusCode() != 400 || !problemType(r).endsWith("/invalid-cursor")) {
                failures.add(name + ": tenant B used A's cursor and got " + r.statusCode() + " " + r.body());
            }
        }
        assertEquals(List.of(), failures);
        assertEquals(Set.of("churn-alerts/list-churn-alerts.json", "contacts/get-timeline.json", "contacts/list-contacts.json",
                "preferences/get-consent-history.json", "preferences/list-topics.json", "surveys/list-surveys.json", "tenants/list-keys.json",
                "webhooks/list-webhooks.json", "cases/list-cases.json", "cases/get-case-history.json",
                "cases/list-agents.json", "churn-alerts/list-churn-run-predictions.json", "journeys/list-journeys.json"),
                tried, "the lists of A with a second page (the segment list has one page by design)");
    }

    /**
     * Each of A's keys (read, write, admin) and the operator key against every authenticated route's
     * sample, DELETEs included: a key with the scope docs/api.md names must get a 2xx (a 401, 404 or 500
     * is a failure, not "allowed"), any other key a 403 forbidden. Samples that consume what they name
     * get a fresh one for each key.
     */
    @Test
    void everyKeyScopeAgainstEveryRoute() throws Exception {
        Set<String> routes = new TreeSet<>();
        for (SamTemplate.ApiRoute r : SamTemplate.load().apiRoutes()) {
            if (!r.isPublic()) {
                routes.add(r.method() + " " + r.path());
            }
        }
        assertEquals(routes, new TreeSet<>(SCOPES.keySet()), "every authenticated route has the scope docs/api.md gives it");
        Map<Scope, String> keys = new LinkedHashMap<>();
        keys.put(Scope.READ, a.ids().get("key_read"));
        keys.put(Scope.WRITE, a.ids().get("key_write"));
        keys.put(Scope.ADMIN, a.key());
        keys.put(Scope.OPERATOR, runner.operatorKey());
        List<String> failures = new ArrayList<>();
        Set<String> covered = new TreeSet<>();
        String deprovisioned = null;
        for (Path p : SampleWalk.inRunOrder(SampleEvents.all())) {
            String name = ContractIT.name(p);
            Map<String, Object> raw = SampleEvents.read(p, Map.of());
            String route = raw.get("httpMethod") + " " + raw.get("resource");
            if (!SampleEvents.isApiEvent(raw) || !SCOPES.containsKey(route)) {
                continue;
            }
            Scope needed = SCOPES.get(route);
            for (var k : keys.entrySet()) {
                Map<String, String> replace = new LinkedHashMap<>(a.ids());
                replace.putAll(a.perSample().getOrDefault("scope:" + name, Map.of()));
                // a fresh one of what the request consumes, and a request that proves it is still there
                String[] stillThere = null;
                switch (route) {
                    case "DELETE /v1/contacts/{id}", "POST /v1/contacts/{id}/anonymize" -> {
                        String c = createContact(a, "Fresh", "scope");
                        replace.put("c_example0000000000000", c);
                        stillThere = new String[] {a.key(), "/v1/contacts/" + c};
                    }
                    case "DELETE /v1/segments/{id}" -> {
                        String seg = created(a, "/v1/segments", "{\"name\": \"fresh " + UUID.randomUUID()
                                + "\", \"rule\": {\"field\": \"email\", \"op\": \"exists\", \"value\": true}}");
                        replace.put("seg_example0000000000000", seg);
                        stillThere = new String[] {a.key(), "/v1/segments/" + seg};
                    }
                    case "DELETE /v1/webhooks/{id}" -> {
                        String w = created(a, "/v1/webhooks", "{\"url\": \"https://93.184.216.34/fresh\", \"eventTypes\": [\"*\"]}");
                        replace.put("whe_example0000000000000", w);
                        stillThere = new String[] {a.key(), "/v1/webhooks/" + w};
                    }
                    case "DELETE /v1/tenant/keys/{keyId}" -> {
                        Map<String, String> key = createKey(a, "read");
                        replace.put("key_example0000000000000", key.get("keyId"));
                        stillThere = new String[] {key.get("apiKey"), "/v1/key"};
                    }
                    case "DELETE /v1/tenants/{tenantId}" -> {
                        Owner gone = provision("iso-gone-" + k.getKey().wire());
                        replace.put(SampleEvents.EXAMPLE_TENANT, gone.tenantId());
                        stillThere = new String[] {gone.key(), "/v1/tenant"};
                    }
                    case "GET /v1/tenants/{tenantId}/deprovisioning" ->
                            replace.put(SampleEvents.EXAMPLE_TENANT, deprovisioned == null ? a.tenantId() : deprovisioned);
                    default -> { }
                }
                Map<String, Object> event = uniqueBody(event(p, replace));
                withCurrentETag(event, a.key());
                var r = send(event, k.getValue());
                harvest(r);
                String who = name + ": a " + k.getKey().wire() + " key on a " + needed.wire() + " route";
                if (k.getKey().allows(needed)) {
                    if (r.statusCode() < 200 || r.statusCode() > 299) {
                        failures.add(who + " got " + r.statusCode() + " " + r.body());
                    } else if (route.equals("DELETE /v1/tenants/{tenantId}")) {
                        deprovisioned = replace.get(SampleEvents.EXAMPLE_TENANT);
                    }
                } else if (r.statusCode() != 403 || !problemType(r).endsWith("/forbidden")) {
                    failures.add(who + " got " + r.statusCode() + " (403 forbidden expected) " + r.body());
                } else if (stillThere != null) {
                    // a refused request changes nothing
                    var after = send(stillThere[0], "GET", stillThere[1], Map.of(), null);
                    if (after.statusCode() != 200) {
                        failures.add(who + " was refused, and then GET " + stillThere[1] + " answered " + after.statusCode() + " " + after.body());
                    }
                }
            }
            covered.add(route);
        }
        assertEquals(List.of(), failures);
        assertEquals(routes, covered, "every authenticated route was tried with every key");
    }

    // ---------------------------------------------------------------- what each tenant owns

    @SuppressWarnings("unchecked")
    static Owner provision(String slug) throws Exception {
        String unique = slug + "-" + UUID.randomUUID().toString().substring(0, 8);
        var r = walk.send(null, "POST", "/v1/tenants", "/v1/tenants", null,
                Map.of("Authorization", "Bearer " + runner.operatorKey(), "Content-Type", "application/json"),
                "{\"name\": \"" + unique + "\", \"slug\": \"" + unique + "\"}").response();
        assertEquals(201, r.statusCode(), r.body());
        Map<String, Object> body = (Map<String, Object>) Json.parse(r.body());
        String tenantId = (String) body.get("tenantId");
        String key = (String) body.get("apiKey");
        return new Owner(tenantId, key, unique, new LinkedHashMap<>(SampleWalk.replacements(tenantId, key, unique)), new HashMap<>());
    }

    /**
     * Tenant A: the samples' resources (their ids replace the placeholders), with its contact's personal
     * data made unmistakable; a second contact for each erasing or anonymising request; two lapsed
     * customers and the churn run that raised an alert for each; a read and a write key.
     */
    static void ownOneOfEverything(Owner t) throws Exception {
        String nonce = Ids.random("", 8);
        String email = "isolde." + nonce + "@tenant-a.example";
        String phone = phone(t);
        java.util.Collections.addAll(secretsOfA, email, phone, "Isolde", "Aardvark-" + nonce, "ext-a-" + nonce,
                // what the samples give A: the import's rows, the segment's name, the survey's free text, the topic's wording
                "nina.new@example.com", "john@example.com", "Valuable customers", "Quick and friendly support.",
                "News and offers, once a month");
        runA(t, "contacts/create-contact.json", json -> body(json, m -> {
            m.put("firstName", "Isolde");
            m.put("lastName", "Aardvark-" + nonce);
            m.put("email", email);
            m.put("phone", phone);
            m.put("externalId", "ext-a-" + nonce);
        }));
        for (String sample : List.of("preferences/create-topic.json", "preferences/put-preferences.json", "contacts/record-purchase.json",
                "contacts/create-segment.json", "contacts/create-import.json", "contacts/create-interaction-import.json",
                "surveys/create-nps-survey.json",
                "surveys/submit-survey-response.json", "surveys/create-recount.json", "tenants/create-key.json")) {
            runA(t, sample, json -> json);
        }
        // A's targets of 2027-Q1 (the sample's figures: newCustomers 120, revenue 50000)
        runA(t, "churn-alerts/record-analytics-targets.json", json -> json);
        // a case history import (its subjects are A's), for the import's id route and the measures
        java.util.Collections.addAll(secretsOfA, "Refund not received", "Wrong invoice address");
        runA(t, "cases/create-case-import.json", json -> json);
        // a survey response import (naming A's contact), for the import's job route
        runA(t, "surveys/create-response-import.json", json -> json);
        // a consent import (A's contact), for the import's id route
        runA(t, "preferences/create-consent-import.json", json -> json);
        // a journey (its id routes' positive control), active so the PATCH sample's If-Match "2" is its version
        java.util.Collections.addAll(secretsOfA, "Thank-you offer after a purchase");
        runA(t, "journeys/create-journey.json", json -> json);
        runA(t, "journeys/activate-journey.json", Map.of());
        // the journey routes that change its status or version each get a journey of their own, in the id
        // routes' test and in the scope matrix (archiving is for good; the PATCH sample's If-Match is "2")
        for (String sample : List.of("journeys/stop-and-archive-journey.json", "journeys/pause-journey.json",
                "journeys/patch-journey.json")) {
            for (String key : List.of(sample, "scope:" + sample)) {
                String id = created(t, "/v1/journeys", "{\"name\": \"Own\", \"trigger\": {\"event\": \"contact.created\"},"
                        + " \"entry\": {\"mode\": \"once\"}, \"steps\": [{\"wait\": \"P1D\"}]}");
                var activated = send(t.key(), "POST", "/v1/journeys/" + id + "/activate", Map.of(), null);
                assertEquals(200, activated.statusCode(), activated.body());
                t.perSample().put(key, Map.of("jrn_example0000000000000", id));
            }
        }
        var link = runA(t, "surveys/create-respondent-link.json", Map.of());
        t.ids().put("respondent_token", (String) ((Map<?, ?>) Json.parse(link.body())).get("token"));
        // an erasure and an anonymisation of contacts of their own; and the contacts the routes' own erasing
        // and anonymising requests name
        String erased = createContact(t, "Erasmus", "era");
        runA(t, "contacts/delete-contact.json", Map.of("c_example0000000000000", erased));
        String anonymised = createContact(t, "Anouk", "ano");
        runA(t, "contacts/anonymize-contact.json", Map.of("c_example0000000000000", anonymised));
        t.perSample().put("contacts/delete-contact.json", Map.of("c_example0000000000000", createContact(t, "Delia", "del")));
        t.perSample().put("contacts/anonymize-contact.json", Map.of("c_example0000000000000", createContact(t, "Annika", "anon")));
        t.perSample().put("contacts/delete-segment.json", Map.of("seg_example0000000000000", created(t, "/v1/segments",
                "{\"name\": \"Doomed\", \"rule\": {\"field\": \"email\", \"op\": \"exists\", \"value\": true}}")));
        // the alerts: one for the id routes, one for the scope matrix (acknowledging and resolving are
        // repeatable on one alert; an acknowledged alert is not open, so each test has its own)
        List<String> alerts = churnAlerts(t, List.of("Lapsed-one", "Lapsed-two"));
        t.ids().put("al_example000000000000_202611", alerts.get(0));
        t.perSample().put("scope:churn-alerts/acknowledge-churn-alert.json", Map.of("al_example000000000000_202611", alerts.get(1)));
        t.perSample().put("scope:churn-alerts/resolve-churn-alert.json", Map.of("al_example000000000000_202611", alerts.get(1)));
        // a webhook endpoint for the id routes (its secret is A's), and another the DELETE sample removes
        var webhook = runA(t, "webhooks/create-webhook.json", Map.of());
        secretsOfA.add((String) ((Map<?, ?>) Json.parse(webhook.body())).get("secret"));
        // a message of that endpoint (a test message) for the delivery routes: its id replaces evt_example…
        runA(t, "webhooks/test-webhook.json", Map.of());
        t.perSample().put("webhooks/delete-webhook.json", Map.of("whe_example0000000000000", created(t, "/v1/webhooks",
                "{\"url\": \"https://93.184.216.34/doomed\", \"eventTypes\": [\"*\"]}")));
        // a case of A's contact with a message (two history entries: a second page at limit 1), and two more
        // new high-priority cases the samples never change, so the sample's filtered list has a second page
        // whatever the patch sample did to the first
        java.util.Collections.addAll(secretsOfA, "Charged twice for order 1042", "Sorry about that: the second charge is refunded",
                "ana.lima@acme.example", "Ana Lima");
        // two agents (a second page of the sample's list at limit 1); the first is the sample case's assignee
        runA(t, "cases/create-agent.json", Map.of());
        runA(t, "cases/create-agent.json", Map.of());
        runA(t, "cases/create-case.json", Map.of());
        runA(t, "cases/send-case-message.json", Map.of());
        runA(t, "cases/create-case.json", Map.of());
        runA(t, "cases/create-case.json", Map.of());
        Map<String, String> read = createKey(t, "read");
        Map<String, String> write = createKey(t, "write");
        t.ids().put("key_read", read.get("apiKey"));
        t.ids().put("key_write", write.get("apiKey"));
        secretsOfA.add(read.get("apiKey"));
        secretsOfA.add(write.get("apiKey"));
        secretsOfA.add(t.ids().get("key_sample_secret"));
        secretsOfA.remove(null);
    }

    /** Tenant B: a contact with a purchase and consent, a segment it is in, a survey, a topic, a key, and three alerts (open, acknowledged, resolved). */
    @SuppressWarnings("unchecked")
    static void ownSomeOfItsOwn(Owner t) throws Exception {
        String contact = created(t, "/v1/contacts", "{\"firstName\": \"Bertram\", \"email\": \"bertram@tenant-b.example\"}");
        t.ids().put("c_example0000000000000", contact);
        created(t, "/v1/topics", "{\"key\": \"bee-news\", \"name\": \"Bee news\"}");
        var prefs = send(t.key(), "PUT", "/v1/contacts/" + contact + "/preferences", Map.of("If-Match", "\"0\""),
                "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"bee-news\": \"opted_in\"}}}, "
                        + "\"legalBasis\": \"consent\", \"source\": \"crm-ui\"}");
        assertEquals(200, prefs.statusCode(), prefs.body());
        created(t, "/v1/contacts/" + contact + "/interactions", "{\"id\": \"order-b-1\", \"type\": \"purchase\", \"channel\": \"web\", "
                + "\"occurredAt\": \"" + Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS)
                + "\", \"value\": {\"amount\": \"10.00\", \"currency\": \"EUR\"}}");
        t.ids().put("seg_example0000000000000", created(t, "/v1/segments",
                "{\"name\": \"Bees\", \"rule\": {\"field\": \"email\", \"op\": \"exists\", \"value\": true}}"));
        t.ids().put("srv_example0000000000000", created(t, "/v1/surveys", "{\"kind\": \"csat\", \"title\": \"Bee survey\"}"));
        t.ids().put("key_example0000000000000", createKey(t, "read").get("keyId"));
        t.ids().put("whe_example0000000000000", created(t, "/v1/webhooks",
                "{\"url\": \"https://93.184.216.34/bees\", \"eventTypes\": [\"contact.created\"]}"));
        String bAgent = created(t, "/v1/agents", "{\"name\": \"Bea\", \"email\": \"bea@tenant-b.example\", \"teams\": [\"billing\"]}");
        t.ids().put("ag_example0000000000000", bAgent);
        String bCase = created(t, "/v1/cases", "{\"contactId\": \"" + contact + "\", \"channel\": \"chat\", \"category\": \"bees\", "
                + "\"priority\": \"high\", \"subject\": \"Bee case\", \"assignee\": \"" + bAgent + "\"}");
        t.ids().put("cs_example0000000000000", bCase);
        created(t, "/v1/cases/" + bCase + "/messages", "{\"author\": \"customer\", \"visibility\": \"public\", \"body\": \"Bee reply\"}");
        // a draft journey of B's (a draft enrols nobody, so B's contacts hold nothing of it)
        t.ids().put("jrn_b", created(t, "/v1/journeys", "{\"name\": \"Bee journey\", \"trigger\": {\"event\": \"contact.created\"},"
                + " \"entry\": {\"mode\": \"once\"}, \"steps\": [{\"wait\": \"P1D\"}]}"));
        importOneCase(t, contact);
        List<String> alerts = churnAlerts(t, List.of("Bee-one", "Bee-two", "Bee-three"));
        t.ids().put("al_open", alerts.get(0));
        t.ids().put("al_acknowledged", alerts.get(1));
        t.ids().put("al_resolved", alerts.get(2));
        assertEquals(200, send(t.key(), "POST", "/v1/churn-alerts/" + alerts.get(1) + "/acknowledge", Map.of(), null).statusCode());
        assertEquals(200, send(t.key(), "POST", "/v1/churn-alerts/" + alerts.get(2) + "/resolve", Map.of(), null).statusCode());
        assertEquals(200, send(t.key(), "PUT", "/v1/analytics/targets/2027-Q2", Map.of("Content-Type", "application/json"),
                "{\"newCustomers\": 7}").statusCode());
    }

    /** One past case of B's, imported, and the import run to its end (the stream starts the job). */
    @SuppressWarnings("unchecked")
    static void importOneCase(Owner t, String contact) throws Exception {
        var r = send(t.key(), "POST", "/v1/cases/imports", Map.of("Content-Type", "application/x-ndjson"),
                "{\"contactId\": \"" + contact + "\", \"channel\": \"web\", \"category\": \"beehives\", \"priority\": \"low\", "
                        + "\"subject\": \"Bee case\", \"createdAt\": \"2026-10-12T10:00:00Z\", "
                        + "\"statusChanges\": [{\"status\": \"solved\", \"at\": \"2026-10-12T12:00:00Z\"}]}\n");
        assertEquals(202, r.statusCode(), r.body());
        String id = (String) ((Map<String, Object>) Json.parse(r.body())).get("id");
        for (Instant until = Instant.now().plusSeconds(30); Instant.now().isBefore(until);) {
            var job = send(t.key(), "GET", "/v1/cases/imports/" + id, Map.of(), null);
            if (job.body().contains("\"succeeded\"")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("tenant B's case import did not finish");
    }

    /** Runs a sample for A (placeholders replaced by A's ids and the overrides); it must succeed; learns its id. */
    static HttpResponse<String> runA(Owner t, String sample, Map<String, String> overrides) throws Exception {
        Map<String, String> replace = new LinkedHashMap<>(t.ids());
        replace.putAll(overrides);
        var r = walk.run(SampleEvents.directory().resolve(sample), replace, t.key(), TenantIsolationIT::freshIdempotencyKey).response();
        assertTrue(r.statusCode() / 100 == 2, sample + " for tenant A: " + r.statusCode() + " " + r.body());
        harvest(r);
        learn(r.body(), t.ids());
        return r;
    }

    static void runA(Owner t, String sample, UnaryOperator<Map<String, Object>> change) throws Exception {
        var r = walk.run(SampleEvents.directory().resolve(sample), t.ids(), t.key(),
                json -> change.apply(freshIdempotencyKey(json))).response();
        assertTrue(r.statusCode() / 100 == 2, sample + " for tenant A: " + r.statusCode() + " " + r.body());
        harvest(r);
        learn(r.body(), t.ids());
    }

    /** SampleWalk's learning, plus a key's secret (the sample key can be used to prove it still works). */
    @SuppressWarnings("unchecked")
    static void learn(String body, Map<String, String> ids) {
        SampleWalk.learn(body, ids);
        if (body.startsWith("{") && ((Map<String, Object>) Json.parse(body)).get("apiKey") instanceof String k) {
            ids.putIfAbsent("key_sample_secret", k);
        }
    }

    /** A contact of the tenant with a name, email and phone number of its own (A's are secrets). */
    static String createContact(Owner t, String firstName, String tag) throws Exception {
        String nonce = Ids.random("", 8);
        String email = tag + "." + nonce + "@tenant-" + (t == a ? "a" : "b") + ".example";
        String phone = phone(t);
        if (t == a) {
            java.util.Collections.addAll(secretsOfA, email, phone);
        }
        return created(t, "/v1/contacts", "{\"firstName\": \"" + firstName + "\", \"lastName\": \"" + tag + "-" + nonce
                + "\", \"email\": \"" + email + "\", \"phone\": \"" + phone + "\"}");
    }

    /** A phone number of the tenant's own range (A's and B's can never be the same). */
    static String phone(Owner t) {
        return (t == a ? "+44770091" : "+44770092") + (1000 + Ids.secureRandom().nextInt(9000));
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> createKey(Owner t, String scope) throws Exception {
        var r = send(t.key(), "POST", "/v1/tenant/keys", Map.of(), "{\"scope\": \"" + scope + "\", \"name\": \"" + scope + "\"}");
        assertEquals(201, r.statusCode(), r.body());
        if (t == a) {
            harvest(r);
        }
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.body());
        return Map.of("keyId", (String) m.get("keyId"), "apiKey", (String) m.get("apiKey"));
    }

    /** POSTs a JSON body; it must be created (201, or 202 for a job); the new id. */
    @SuppressWarnings("unchecked")
    static String created(Owner t, String path, String body) throws Exception {
        var r = send(t.key(), "POST", path, Map.of(), body);
        assertTrue(r.statusCode() == 201 || r.statusCode() == 202, "POST " + path + ": " + r.statusCode() + " " + r.body());
        if (t == a) {
            harvest(r);
        }
        return (String) ((Map<String, Object>) Json.parse(r.body())).get("id");
    }

    /**
     * Lapsed valuable customers (weekly purchases for ten weeks, more than a year ago: the documented
     * fallback rule scores them at risk), one churn run, and the open alerts it raised, one per customer.
     */
    @SuppressWarnings("unchecked")
    static List<String> churnAlerts(Owner t, List<String> names) throws Exception {
        List<String> contacts = new ArrayList<>();
        Instant first = Instant.now().minus(Duration.ofDays(430)).truncatedTo(ChronoUnit.SECONDS);
        for (String name : names) {
            String c = createContact(t, name, name.toLowerCase(java.util.Locale.ROOT));
            contacts.add(c);
            for (int i = 0; i < 10; i++) {
                created(t, "/v1/contacts/" + c + "/interactions", "{\"id\": \"order-" + i + "\", \"type\": \"purchase\", "
                        + "\"channel\": \"web\", \"occurredAt\": \"" + first.plus(Duration.ofDays(7L * i))
                        + "\", \"value\": {\"amount\": \"100.00\", \"currency\": \"EUR\"}}");
            }
        }
        String run = created(t, "/v1/churn-runs", "{}");
        t.ids().put("run_example0000000000000", run);
        String status = "queued";
        for (Instant until = Instant.now().plusSeconds(30); !status.equals("succeeded") && !status.equals("failed")
                && Instant.now().isBefore(until);) {
            Thread.sleep(100);
            var job = send(t.key(), "GET", "/v1/churn-runs/" + run, Map.of(), null);
            status = (String) ((Map<String, Object>) Json.parse(job.body())).get("status");
        }
        assertEquals("succeeded", status, "the churn run");
        var list = send(t.key(), "GET", "/v1/churn-alerts", Map.of(), null);
        if (t == a) {
            harvest(list);
        }
        List<String> alerts = new ArrayList<>();
        for (String c : contacts) {
            for (Object item : (List<Object>) ((Map<String, Object>) Json.parse(list.body())).get("items")) {
                if (c.equals(((Map<String, Object>) item).get("contactId"))) {
                    alerts.add((String) ((Map<String, Object>) item).get("id"));
                }
            }
        }
        assertEquals(names.size(), alerts.size(), "an open alert for each lapsed customer: " + list.body());
        return alerts;
    }

    // ---------------------------------------------------------------- requests and answers

    /** A sample's request for the replacements, with an Idempotency-Key of its own (a replay would prove nothing). */
    static Map<String, Object> event(Path sample, Map<String, String> replace) {
        return freshIdempotencyKey(SampleEvents.read(sample, replace));
    }

    static Map<String, Object> freshIdempotencyKey(Map<String, Object> event) {
        Map<String, Object> e = new LinkedHashMap<>(event);
        Map<String, Object> headers = new LinkedHashMap<>(SamTemplate.map(e.get("headers")));
        if (headers.containsKey("Idempotency-Key")) {
            headers.put("Idempotency-Key", "iso-" + UUID.randomUUID());
        }
        e.put("headers", headers);
        return e;
    }

    /** For a sample that carries If-Match: the resource's current ETag, read with {@code key}. */
    @SuppressWarnings("unchecked")
    static void withCurrentETag(Map<String, Object> event, String key) throws Exception {
        Map<String, Object> headers = (Map<String, Object>) event.get("headers");
        if (!headers.containsKey("If-Match")) {
            return;
        }
        String path = (String) event.get("path");
        var r = send(key, "GET", path.equals("/v1/tenant/settings") ? "/v1/tenant" : path, Map.of(), null);
        r.headers().firstValue("ETag").ifPresent(tag -> headers.put("If-Match", tag));
    }

    /** A body field made unique where the product refuses a second one (an email, an external id, a topic key). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> uniqueBody(Map<String, Object> event) {
        // an NDJSON body (a case history import) is many JSON values, and names nothing unique
        boolean ndjson = SamTemplate.map(event.get("headers")).entrySet().stream().anyMatch(h ->
                h.getKey().equalsIgnoreCase("Content-Type") && String.valueOf(h.getValue()).startsWith("application/x-ndjson"));
        if (!(event.get("body") instanceof String s) || !s.startsWith("{") || ndjson) {
            return event;
        }
        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) Json.parse(s));
        String nonce = Ids.random("", 6);
        if (m.get("email") instanceof String email && "POST".equals(event.get("httpMethod"))) {
            m.put("email", nonce + "." + email);
            secretsOfA.add(nonce + "." + email);
        }
        if (m.get("externalId") instanceof String x) {
            m.put("externalId", x + "-" + nonce);
        }
        if ("/v1/topics".equals(event.get("path")) && m.get("key") instanceof String k) {
            m.put("key", k + "-" + nonce);
        }
        Map<String, Object> e = new LinkedHashMap<>(event);
        e.put("body", Json.write(m));
        return e;
    }

    static HttpResponse<String> send(Map<String, Object> event, String key) throws Exception {
        return walk.send(null, event, key).response();
    }

    static HttpResponse<String> send(String key, String method, String path, Map<String, String> headers, String body) throws Exception {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Authorization", "Bearer " + key);
        if (body != null) {
            h.putIfAbsent("Content-Type", "application/json"); // an import names its own
        }
        String[] pq = path.split("\\?", 2);
        var r = walk.send(null, method, pq[0], pq[0], pq.length > 1 ? pq[1] : null, h, body).response();
        if (b != null && key.equals(b.key())) {
            leaks(method + " " + path, r, answersToB);
        }
        return r;
    }

    /** A's request must succeed: then a 404 for B means isolation, not a broken id. Null when it did. */
    static String positiveControl(String name, Map<String, Object> event, String key) throws Exception {
        withCurrentETag(event, key);
        var r = send(event, key);
        harvest(r);
        return r.statusCode() / 100 == 2 ? null
                : name + ": tenant A's own request (the positive control) got " + r.statusCode() + " " + r.body();
    }

    /** After B's DELETE, A's resource is still there: its GET (or, for a key, using it) still succeeds. */
    static String survived(String name, String path) throws Exception {
        var r = path.startsWith("/v1/tenant/keys/") ? send(a.ids().get("key_sample_secret"), "GET", "/v1/key", Map.of(), null)
                : send(a.key(), "GET", path, Map.of(), null);
        return r.statusCode() == 200 ? null : name + ": after tenant B's DELETE, A's resource answers " + r.statusCode() + " " + r.body();
    }

    /** Sends as tenant B (admin key) and records any of A's secrets in the answer. */
    static HttpResponse<String> asB(String what, Map<String, Object> event, List<String> failures) throws Exception {
        var r = send(event, b.key());
        leaks(what, r, failures);
        return r;
    }

    static void leaks(String what, HttpResponse<String> r, List<String> failures) {
        String all = r.body() + "\n" + r.headers().map();
        for (String secret : secretsOfA) {
            if (all.contains(secret)) {
                failures.add(what + ": tenant B's answer holds A's " + secret + ": " + r.statusCode() + " " + r.headers().map() + " " + r.body());
            }
        }
    }

    /** Every id in an answer A got is one of A's secrets. */
    static void harvest(HttpResponse<String> r) {
        Matcher m = ID.matcher(r.body() + "\n" + r.headers().map());
        while (m.find()) {
            if (!m.group().equals(b.tenantId())) {
                secretsOfA.add(m.group());
            }
        }
    }

    /** A well-formed id of the same kind (and, for an alert, month) as {@code id}, that exists nowhere. */
    static String missingLike(String id) {
        int u = id.indexOf('_') + 1;
        return id.substring(0, u) + Ids.random("", 20) + id.substring(u + 20);
    }

    /** Null when {@code mine} is a 404 not-found identical to {@code none} (their ids aside); else how they differ. */
    @SuppressWarnings("unchecked")
    static String notFoundAlike(HttpResponse<String> mine, String id, HttpResponse<String> none, String noneId) {
        if (mine.statusCode() != 404 || none.statusCode() != 404 || !problemType(none).endsWith("/not-found")) {
            return "got " + mine.statusCode() + " " + mine.body() + "; an id that exists nowhere got " + none.statusCode() + " " + none.body();
        }
        Map<String, Object> m = (Map<String, Object>) Json.parse(mine.body().replace(id, "{id}"));
        Map<String, Object> n = (Map<String, Object>) Json.parse(none.body().replace(noneId, "{id}"));
        if (!m.equals(n) || !mine.headers().firstValue("Content-Type").equals(none.headers().firstValue("Content-Type"))
                || !mine.headers().map().keySet().equals(none.headers().map().keySet())) {
            return "got " + mine.headers().map() + " " + mine.body() + "; an id that exists nowhere got " + none.headers().map() + " "
                    + none.body();
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static String problemType(HttpResponse<String> r) {
        return r.body().startsWith("{") ? String.valueOf(((Map<String, Object>) Json.parse(r.body())).get("type")) : "";
    }

    /** The sample's JSON body changed by {@code change}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> body(Map<String, Object> event, java.util.function.Consumer<Map<String, Object>> change) {
        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) Json.parse((String) event.get("body")));
        change.accept(m);
        Map<String, Object> e = new LinkedHashMap<>(event);
        e.put("body", Json.write(m));
        return e;
    }
}
