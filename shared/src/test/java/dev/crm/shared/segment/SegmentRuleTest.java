package dev.crm.shared.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.Violations;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Segment rules: what parses, what is refused with which pointer, and what matches. */
class SegmentRuleTest {
    private static final Instant CREATED = Instant.parse("2026-01-15T09:00:00Z");

    private static SegmentRule rule(String json) {
        Violations v = new Violations();
        SegmentRule r = SegmentRule.parse(Json.parse(json), "/rule", v);
        assertTrue(v.isEmpty(), () -> "unexpected violations: " + v.items());
        return r;
    }

    private static List<Map<String, Object>> refused(String json) {
        Violations v = new Violations();
        assertNull(SegmentRule.parse(Json.parse(json), "/rule", v));
        assertFalse(v.isEmpty());
        return v.items();
    }

    private static ContactFacts facts(LifecycleStage stage, List<String> tags, PurchaseSummary purchases,
            Map<String, Object> churn, Integer nps) {
        ContactData d = new ContactData("Ada", "Lovelace", "Ada@Example.com", null, "Analytical Engines", "en", null, stage,
                tags, Map.of("tier", "gold", "seats", 12), null);
        return new ContactFacts(new Contact("c_x", d, CREATED, CREATED, 1, Contact.Status.ACTIVE), purchases, churn, nps);
    }

    private static final ContactFacts LEAD = facts(LifecycleStage.LEAD, List.of("vip"), null, null, null);

    @Test
    void conditionsOnTheRecordMatch() {
        assertTrue(rule("{\"field\": \"lifecycleStage\", \"op\": \"eq\", \"value\": \"lead\"}").matches(LEAD));
        assertFalse(rule("{\"field\": \"lifecycleStage\", \"op\": \"ne\", \"value\": \"lead\"}").matches(LEAD));
        assertTrue(rule("{\"field\": \"lifecycleStage\", \"op\": \"in\", \"value\": [\"customer\", \"lead\"]}").matches(LEAD));
        assertTrue(rule("{\"field\": \"tags\", \"op\": \"contains\", \"value\": \"vip\"}").matches(LEAD));
        assertTrue(rule("{\"field\": \"tags\", \"op\": \"not_contains\", \"value\": \"churned\"}").matches(LEAD));
        assertTrue(rule("{\"field\": \"company\", \"op\": \"starts_with\", \"value\": \"Analytical\"}").matches(LEAD));
        assertTrue(rule("{\"field\": \"email\", \"op\": \"eq\", \"value\": \"ada@example.com\"}").matches(LEAD),
                "emails compare normalised");
        assertTrue(rule("{\"field\": \"phone\", \"op\": \"exists\", \"value\": false}").matches(LEAD));
        assertTrue(rule("{\"field\": \"tags\", \"op\": \"exists\", \"value\": true}").matches(LEAD));
        assertTrue(rule("{\"field\": \"createdAt\", \"op\": \"lt\", \"value\": \"2026-02-01T00:00:00Z\"}").matches(LEAD));
        assertTrue(rule("{\"field\": \"attributes.tier\", \"op\": \"eq\", \"value\": \"gold\"}").matches(LEAD));
        assertTrue(rule("{\"field\": \"attributes.seats\", \"op\": \"gte\", \"value\": 10}").matches(LEAD));
        assertFalse(rule("{\"field\": \"attributes.seats\", \"op\": \"eq\", \"value\": \"12\"}").matches(LEAD),
                "a number never equals a string");
        assertTrue(rule("{\"field\": \"attributes.missing\", \"op\": \"ne\", \"value\": 1}").matches(LEAD),
                "an absent value is unequal to anything");
    }

    @Test
    void allAnyAndNotCombine() {
        SegmentRule r = rule("{\"all\": [{\"field\": \"lifecycleStage\", \"op\": \"eq\", \"value\": \"lead\"},"
                + " {\"any\": [{\"field\": \"tags\", \"op\": \"contains\", \"value\": \"nope\"},"
                + " {\"not\": {\"field\": \"locale\", \"op\": \"eq\", \"value\": \"de\"}}]}]}");
        assertTrue(r.matches(LEAD));
        assertFalse(r.matches(facts(LifecycleStage.CUSTOMER, List.of(), null, null, null)));
        assertFalse(r.needsFacts());
    }

    @Test
    void purchaseChurnAndSurveyFieldsNeedTheFactsAndReadThem() {
        SegmentRule big = rule("{\"field\": \"purchases.totalSpend\", \"op\": \"gt\", \"value\": 100}");
        assertTrue(big.needsFacts());
        PurchaseSummary spent = new PurchaseSummary("EUR", LocalDate.of(2026, 3, 1), new BigDecimal("80"), LocalDate.of(2026, 6, 1),
                1, new BigDecimal("70"), new BigDecimal("150"), 2, 2);
        assertTrue(big.matches(facts(null, List.of(), spent, null, null)));
        assertFalse(big.matches(LEAD), "no purchases: no total");
        assertTrue(rule("{\"field\": \"purchases.purchases\", \"op\": \"eq\", \"value\": 0}").matches(LEAD),
                "no purchases counts as zero");
        assertTrue(rule("{\"field\": \"purchases.lastPurchaseDay\", \"op\": \"gte\", \"value\": \"2026-05-01\"}")
                .matches(facts(null, List.of(), spent, null, null)));
        ContactFacts risky = facts(null, List.of(), null, Map.of("riskTier", "high", "pAlive", new BigDecimal("0.2")), 3);
        assertTrue(rule("{\"field\": \"churn.riskTier\", \"op\": \"eq\", \"value\": \"high\"}").matches(risky));
        assertTrue(rule("{\"field\": \"churn.pAlive\", \"op\": \"lt\", \"value\": 0.5}").matches(risky));
        assertTrue(rule("{\"field\": \"surveys.latestNps\", \"op\": \"lte\", \"value\": 6}").matches(risky));
        assertFalse(rule("{\"field\": \"surveys.latestNps\", \"op\": \"lte\", \"value\": 6}").matches(LEAD));
    }

    @Test
    void aRuleSurvivesItsJsonForm() {
        String json = "{\"any\": [{\"field\": \"purchases.lastPurchaseDay\", \"op\": \"lt\", \"value\": \"2026-05-01\"},"
                + " {\"not\": {\"field\": \"tags\", \"op\": \"contains\", \"value\": \"vip\"}}]}";
        SegmentRule r = rule(json);
        SegmentRule again = rule(Json.write(r.toJson()));
        assertEquals(r.toJson(), again.toJson());
        assertNotNull(SegmentRules.parseStored(Json.parse(Json.write(r.toJson()))));
    }

    @Test
    void badRulesAreRefusedWithPointers() {
        assertEquals("/rule/field", refused("{\"field\": \"shoeSize\", \"op\": \"eq\", \"value\": 1}").get(0).get("pointer"));
        assertEquals("/rule/op", refused("{\"field\": \"tags\", \"op\": \"gt\", \"value\": 1}").get(0).get("pointer"));
        assertEquals("/rule/value", refused("{\"field\": \"phone\", \"op\": \"exists\", \"value\": \"yes\"}").get(0).get("pointer"));
        assertEquals("/rule/all", refused("{\"all\": []}").get(0).get("pointer"));
        assertEquals("/rule/any/1/field", refused("{\"any\": [{\"field\": \"locale\", \"op\": \"eq\", \"value\": \"en\"},"
                + " {\"op\": \"eq\", \"value\": 1}]}").get(0).get("pointer"));
        assertEquals("/rule", refused("[1, 2]").get(0).get("pointer"));
        assertTrue(refused("{\"field\": \"locale\", \"op\": \"eq\", \"value\": \"en\", \"extra\": 1}").stream()
                .anyMatch(e -> "/rule/extra".equals(e.get("pointer"))));
    }

    @Test
    void rulesHaveADepthAndASizeLimit() {
        String deep = "{\"field\": \"locale\", \"op\": \"eq\", \"value\": \"en\"}";
        for (int i = 0; i < SegmentRule.MAX_DEPTH; i++) {
            deep = "{\"not\": " + deep + "}";
        }
        assertTrue(refused(deep).stream().anyMatch(e -> String.valueOf(e.get("detail")).contains("nest at most")));
        StringBuilder wide = new StringBuilder("{\"any\": [");
        for (int i = 0; i <= SegmentRule.MAX_CONDITIONS; i++) {
            wide.append(i == 0 ? "" : ",").append("{\"field\": \"locale\", \"op\": \"eq\", \"value\": \"l").append(i).append("\"}");
        }
        wide.append("]}");
        assertTrue(refused(wide.toString()).stream().anyMatch(e -> String.valueOf(e.get("detail")).contains("conditions")));
    }
}
