package dev.crm.churn;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.pointers;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.churn.entrypoints.ChurnAlertsHandler;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestHistories;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The analytics routes through the real handler against DynamoDB Local, over items written as the
 * contacts, surveys and cases functions and the churn run write them; the figures are worked out by hand.
 */
class AnalyticsIT {
    private final MutableClock clock = MutableClock.at("2027-04-15T12:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock, Map.of("CRM_LOCAL", "true"));
    private final ChurnAlertsHandler api = new ChurnAlertsHandler(infra);
    private final Table table = infra.table();
    private TenantId t;
    private TenantId other;
    private final Map<String, String> ids = new HashMap<>();
    private int sequence;

    APIGatewayProxyResponseEvent call(ApiEvents e) {
        return api.handleRequest(e.build(), new LambdaContext());
    }

    Map<String, Object> get(TenantId tenant, String resource, String... query) {
        ApiEvents e = ApiEvents.request("GET", resource).as(tenant, Scope.READ);
        for (int i = 0; i < query.length; i += 2) {
            e.query(query[i], query[i + 1]);
        }
        var r = call(e);
        status(r, 200);
        return body(r);
    }

    Map<String, Object> targets(TenantId tenant, String period) {
        var r = call(ApiEvents.request("GET", "/v1/analytics/targets/{period}").path("period", period).as(tenant, Scope.READ));
        status(r, 200);
        return body(r);
    }

    APIGatewayProxyResponseEvent putTargets(TenantId tenant, Scope scope, String period, String json) {
        return call(ApiEvents.request("PUT", "/v1/analytics/targets/{period}").path("period", period).as(tenant, scope).json(json));
    }

    @BeforeEach
    void data() {
        t = TestInfrastructure.tenant(infra).id();
        other = TestInfrastructure.tenant(infra).id();
        customer("A", "2027-01-10", "2027-03-20", 2, "180", new Object[][] {
                {"2027-01-10T10:00:00Z", "100", "EUR"}, {"2027-02-05T10:00:00Z", "50", "EUR"}, {"2027-03-20T10:00:00Z", "30", "EUR"}});
        customer("B", "2027-01-20", "2027-03-02", 2, "60", new Object[][] {
                {"2027-01-20T10:00:00Z", "40", "EUR"}, {"2027-01-25T10:00:00Z", "20", "EUR"}, {"2027-03-02T10:00:00Z", "10", "USD"}});
        customer("C", "2027-02-14", "2027-04-01", 1, "225", new Object[][] {
                {"2027-02-14T10:00:00Z", "200", "EUR"}, {"2027-04-01T00:30:00Z", "25", "EUR"}});
        customer("D", "2026-12-31", "2027-01-02", 1, "85", new Object[][] {
                {"2026-12-31T23:00:00Z", "70", "EUR"}, {"2027-01-02T09:00:00Z", "15", "EUR"}});
        score("A", "0.9", "2.0", "300.00", "200.00", "low");
        score("B", "0.4", "0.5", "50.00", "100.00", "high");
        score("C", "0.2", "0.1", "10.00", "50.00", "high");
        segment("seg_bigspenders000000000", "Big <b>spenders</b>", "{\"field\":\"purchases.totalSpend\",\"op\":\"gte\",\"value\":\"100\"}");
        survey(t, "srv_nps00000000000000000", "nps", Map.of("0:2027-02-10", Map.of(10, 3, 8, 1), "3:2027-03-05", Map.of(2, 1),
                "1:2027-04-02", Map.of(0, 5)));
        survey(t, "srv_csat0000000000000000", "csat", Map.of("1:2027-01-15", Map.of(5, 2, 4, 1, 2, 1)));
        survey(t, "srv_ces00000000000000000", "ces", Map.of("2:2027-01-15", Map.of(7, 10)));
        survey(other, "srv_other000000000000000", "nps", Map.of("0:2027-02-10", Map.of(0, 9)));
        supportCase(t, "2027-01-05T08:00:00Z", "solved", Set.of());
        supportCase(t, "2027-02-05T08:00:00Z", "closed", Set.of("resolution"));
        supportCase(t, "2027-03-05T08:00:00Z", "open", Set.of("resolution"));
        supportCase(t, "2027-03-06T08:00:00Z", "solved", Set.of("firstResponse"));
        supportCase(t, "2027-04-01T08:00:00Z", "closed", Set.of("resolution"));
        supportCase(other, "2027-02-05T08:00:00Z", "closed", Set.of("resolution"));
    }

    void customer(String name, String first, String last, long repeatDays, String total, Object[][] purchases) {
        String id = TestHistories.newContactId();
        ids.put(name, id);
        PurchaseSummary s = new PurchaseSummary("EUR", LocalDate.parse(first), BigDecimal.TEN, LocalDate.parse(last), repeatDays,
                BigDecimal.ONE, new BigDecimal(total), purchases.length, 1);
        TestHistories.write(table, t, List.of(new TestHistories.Customer(id, s, 0, null)), clock.instant());
        for (Object[] p : purchases) {
            Instant at = Instant.parse((String) p[0]);
            String interaction = "int_" + (++sequence);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("id", interaction);
            data.put("type", "purchase");
            data.put("occurredAt", at.toString());
            data.put("value", Map.of("amount", p[1], "currency", p[2]));
            Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, id), Keys.timeline(at, "interaction", interaction)));
            item.put(Table.ENTITY, Attr.s("TIMELINE"));
            item.put("kind", Attr.s("interaction"));
            item.put("contactId", Attr.s(id));
            item.put("data", Attr.of(data));
            item.put(Table.GSI2PK, Attr.s(Keys.purchasesIndex(t, Keys.contactShard(id))));
            item.put(Table.GSI2SK, Attr.s(Keys.sortableInstant(at) + "#" + id + "#" + interaction));
            put(item);
        }
    }

    void score(String name, String pAlive, String expected, String clv, String valueAtRisk, String tier) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("pAlive", new BigDecimal(pAlive));
        view.put("expectedPurchases", new BigDecimal(expected));
        view.put("clv", Map.of("amount", clv, "currency", "EUR"));
        view.put("valueAtRisk", Map.of("amount", valueAtRisk, "currency", "EUR"));
        view.put("riskTier", tier);
        view.put("riskSignal", false);
        view.put("scoredAt", "2027-04-14T02:00:00Z");
        view.put("runId", "run_x");
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, ids.get(name)), Keys.CHURN_SCORE));
        item.put(Table.ENTITY, Attr.s("CHURN_SCORE"));
        item.put("contactId", Attr.s(ids.get(name)));
        item.put("view", Attr.of(view));
        put(item);
    }

    void segment(String id, String name, String rule) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.segments(t), id));
        item.put(Table.ENTITY, Attr.s("SEGMENT"));
        item.put("segmentId", Attr.s(id));
        item.put("name", Attr.s(name));
        item.put("rule", Attr.s(rule));
        put(item);
        put(new HashMap<>(Table.key(Keys.segments(t), "#"))); // the segment counter shares the partition
    }

    /** A survey and its day counters, keyed {@code "shard:day"} → score → count. */
    void survey(TenantId tenant, String id, String kind, Map<String, Map<Integer, Integer>> counters) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(tenant.value() + "#SURVEY#" + id, "#"));
        item.put("surveyId", Attr.s(id));
        item.put("definition", Attr.of(Map.of("kind", kind, "title", "T")));
        item.put(Table.GSI1PK, Attr.s(tenant.value() + "#SURVEYS"));
        item.put(Table.GSI1SK, Attr.s("2027-01-01T00:00:00.000Z#" + id));
        put(item);
        counters.forEach((key, scores) -> {
            String[] parts = key.split(":");
            Map<String, AttributeValue> c = new HashMap<>(Table.key(tenant.value() + "#SRVC#" + id + "#" + parts[0], parts[1]));
            c.put("c.responses", Attr.n(scores.values().stream().mapToInt(Integer::intValue).sum()));
            scores.forEach((score, n) -> c.put("c.score:" + score, Attr.n(n)));
            c.put("c.answer:reasons:fast", Attr.n(1));
            put(c);
        });
    }

    void supportCase(TenantId tenant, String createdAt, String status, Set<String> breaches) {
        String id = "cs_" + String.format("%020d", ++sequence);
        Map<String, AttributeValue> arrival = new HashMap<>(Table.key(tenant.value() + "#CASEARRIVALS",
                Keys.sortableInstant(Instant.parse(createdAt)) + "#" + id));
        arrival.put("caseId", Attr.s(id));
        put(arrival);
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.casePartition(tenant, id), "CASE"));
        item.put("status", Attr.s(status));
        if (!breaches.isEmpty()) {
            item.put("breaches", Attr.ss(breaches));
        }
        put(item);
    }

    void put(Map<String, AttributeValue> item) {
        table.client().putItem(b -> b.tableName(table.name()).item(item));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    static void number(String expected, Object actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(String.valueOf(actual))), expected + " vs " + actual);
    }

    @Test
    void monthlyCohortsOfTheFirstPurchaseWithRetentionRevenueAndChurn() {
        var out = get(t, "/v1/analytics/retention", "cohort", "month", "from", "2027-01", "to", "2027-03");
        var cohorts = list(out.get("cohorts"));
        assertEquals(List.of("2027-01", "2027-02", "2027-03"), cohorts.stream().map(c -> c.get("cohort")).toList());
        var jan = cohorts.get(0);
        number("2", jan.get("customers"));
        assertEquals("160.00", jan.get("revenue"));
        var feb = list(jan.get("periods")).get(0);
        number("1", feb.get("customers"));
        number("0.5", feb.get("retention"));
        assertEquals("50.00", feb.get("revenue"));
        number("0.3125", feb.get("revenueRetention"));
        number("0.5", feb.get("churnRate"));
        var mar = list(jan.get("periods")).get(1);
        number("2", mar.get("customers")); // B's purchase in USD still counts as buying
        assertEquals("30.00", mar.get("revenue"));
        number("0.1875", mar.get("revenueRetention"));
        number("0", mar.get("churnRate"));
        var febCohort = cohorts.get(1);
        number("1", febCohort.get("customers"));
        var cMarch = list(febCohort.get("periods")).get(0);
        number("0", cMarch.get("customers")); // C's next purchase is on 1 April, after `to`
        number("1", cMarch.get("churnRate"));
        number("0", cohorts.get(2).get("customers"));
        assertEquals(List.of(), cohorts.get(2).get("periods"));
        var quarters = list(get(t, "/v1/analytics/retention", "cohort", "quarter", "from", "2026-Q4", "to", "2027-Q2").get("cohorts"));
        number("1", quarters.get(0).get("customers")); // D, 31 December
        number("1", list(quarters.get(0).get("periods")).get(0).get("customers"));
        var q1 = list(quarters.get(1).get("periods")).get(0);
        number("1", q1.get("customers")); // C in April
        assertEquals("25.00", q1.get("revenue"));
    }

    @Test
    void scorecardAgainstTheTargetsOfTheQuarter() {
        status(putTargets(t, Scope.WRITE, "2027-Q1", "{\"newCustomers\": 4, \"revenue\": 500, \"nps\": 50, \"slaAttainment\": 0.9, \"csat\": null}"), 200);
        var rows = list(get(t, "/v1/analytics/scorecard", "period", "2027-Q1").get("measures")).stream()
                .collect(Collectors.toMap(r -> (String) r.get("measure"), r -> r));
        number("3", rows.get("newCustomers").get("actual"));
        number("-1", rows.get("newCustomers").get("variance"));
        number("-25.0", rows.get("newCustomers").get("variancePct"));
        number("455.00", rows.get("revenue").get("actual"));
        number("-9.0", rows.get("revenue").get("variancePct"));
        number("0.75", rows.get("repeatPurchaseRate").get("actual"));
        assertNull(rows.get("repeatPurchaseRate").get("target"));
        number("40.0", rows.get("nps").get("actual"));
        number("-10.0", rows.get("nps").get("variance"));
        number("75.0", rows.get("csat").get("actual"));
        number("0.6667", rows.get("slaAttainment").get("actual"));
        number("-25.9", rows.get("slaAttainment").get("variancePct"));
        var march = list(get(t, "/v1/analytics/scorecard", "period", "2027-03").get("measures")).stream()
                .collect(Collectors.toMap(r -> (String) r.get("measure"), r -> r));
        number("0", march.get("newCustomers").get("actual"));
        number("30.00", march.get("revenue").get("actual"));
        number("1", march.get("repeatPurchaseRate").get("actual"));
        number("-100.0", march.get("nps").get("actual"));
        assertNull(march.get("csat").get("actual"));
        assertNull(march.get("newCustomers").get("target"), "the quarter's targets are not the month's");
    }

    @Test
    void valueByRiskTierAndBySegment() {
        var tiers = list(get(t, "/v1/analytics/value", "groupBy", "riskTier").get("groups"));
        var high = tiers.get(0);
        assertEquals("high", high.get("group"));
        number("2", high.get("customers"));
        assertEquals("60.00", high.get("clv"));
        assertEquals("30.00", high.get("meanClv"));
        number("0.6", high.get("expectedPurchases"));
        number("0.3", high.get("meanPAlive"));
        assertEquals("100.00", high.get("valueAtRisk"));
        number("0", tiers.get(1).get("customers"));
        assertEquals("20.00", tiers.get(2).get("valueAtRisk"));
        var segments = list(get(t, "/v1/analytics/value", "groupBy", "segment").get("groups"));
        assertEquals(1, segments.size());
        assertEquals("Big <b>spenders</b>", segments.get(0).get("name"));
        number("2", segments.get(0).get("customers"));
        assertEquals("310.00", segments.get(0).get("clv"));
        var within = get(t, "/v1/analytics/value", "groupBy", "riskTier", "segment", "seg_bigspenders000000000");
        number("2", ((Map<?, ?>) within.get("total")).get("customers"));
        number("1", list(within.get("groups")).get(0).get("customers"));
        var rfm = list(get(t, "/v1/analytics/value", "groupBy", "rfm").get("groups"));
        assertEquals(3, rfm.stream().mapToInt(g -> ((Number) g.get("customers")).intValue()).sum());
        var unknown = call(ApiEvents.request("GET", "/v1/analytics/value").query("groupBy", "rfm")
                .query("segment", "seg_00000000000000000000").as(t, Scope.READ));
        status(unknown, 404);
    }

    @Test
    void targetsAreTheTenantsOwnAndWriteScoped() {
        var r = putTargets(t, Scope.WRITE, "2027-03", "{\"repeatPurchaseRate\": 0.35, \"revenue\": 1200.5}");
        status(r, 200);
        var stored = targets(t, "2027-03");
        number("0.35", ((Map<?, ?>) stored.get("targets")).get("repeatPurchaseRate"));
        number("1200.5", ((Map<?, ?>) stored.get("targets")).get("revenue"));
        assertEquals("EUR", stored.get("currency"));
        status(call(ApiEvents.request("GET", "/v1/analytics/targets/{period}").path("period", "2027-03").as(other, Scope.READ)), 404);
        status(call(ApiEvents.request("GET", "/v1/analytics/targets/{period}").path("period", "2027-04").as(t, Scope.READ)), 404);
        var theirs = list(get(other, "/v1/analytics/scorecard", "period", "2027-03").get("measures"));
        theirs.forEach(row -> assertNull(row.get("target")));
        number("0", ((Map<?, ?>) get(other, "/v1/analytics/value", "groupBy", "riskTier").get("total")).get("customers"));
        status(putTargets(t, Scope.READ, "2027-03", "{\"revenue\": 1}"), 403);
        status(putTargets(t, Scope.ADMIN, "2027-03", "{\"revenue\": 2}"), 200);
        // a PUT replaces: the rate set before is gone
        assertNull(((Map<?, ?>) targets(t, "2027-03").get("targets")).get("repeatPurchaseRate"));
    }

    @Test
    void malformedPeriodsAndTargetsAreRefused() {
        for (String period : List.of("2027-Q5", "2027-13", "2027", "2027-03-01", "Q1-2027", "2027-q1", "%00", "1899-01")) {
            status(putTargets(t, Scope.WRITE, period, "{\"revenue\": 1}"), 400);
            status(call(ApiEvents.request("GET", "/v1/analytics/scorecard").query("period", period).as(t, Scope.READ)), 400);
        }
        var r = putTargets(t, Scope.WRITE, "2027-Q1", "{\"nps\": 101, \"csat\": -1, \"newCustomers\": 1.5, \"repeatPurchaseRate\": \"0.3\", "
                + "\"slaAttainment\": 0.12345, \"tenantId\": \"x\"}");
        status(r, 400);
        assertEquals(Set.of("/nps", "/csat", "/newCustomers", "/repeatPurchaseRate", "/slaAttainment", "/tenantId"), Set.copyOf(pointers(r)));
        status(putTargets(t, Scope.WRITE, "2027-Q1", "{}"), 400);
        status(putTargets(t, Scope.WRITE, "2027-Q1", "[]"), 400);
        status(call(ApiEvents.request("GET", "/v1/analytics/value").as(t, Scope.READ)), 400);
        status(call(ApiEvents.request("GET", "/v1/analytics/value").query("groupBy", "tier").as(t, Scope.READ)), 400);
        status(call(ApiEvents.request("GET", "/v1/analytics/retention").query("cohort", "quarter").query("from", "2027-01")
                .as(t, Scope.READ)), 400);
        status(call(ApiEvents.request("GET", "/v1/analytics/retention").query("from", "2024-01").query("to", "2027-03")
                .as(t, Scope.READ)), 400);
        status(call(ApiEvents.request("GET", "/v1/analytics/retention").query("to", "2027-05").as(t, Scope.READ)), 400);
        status(call(ApiEvents.request("GET", "/v1/analytics/retention").query("from", "2027-03").query("to", "2027-01")
                .as(t, Scope.READ)), 400);
        assertTrue(Json.write(body(call(ApiEvents.request("GET", "/v1/analytics/retention").as(t, Scope.READ))))
                .contains("\"to\":\"2027-04\""), "the default ends with the current month");
    }
}
