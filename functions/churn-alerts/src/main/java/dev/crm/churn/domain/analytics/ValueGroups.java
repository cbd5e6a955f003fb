package dev.crm.churn.domain.analytics;

import dev.crm.churn.domain.analytics.AnalyticsRepository.Customer;
import dev.crm.churn.domain.analytics.AnalyticsRepository.Segment;
import dev.crm.shared.segment.ContactFacts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Customer value by group (docs/api.md, "Customer value"): customers, total and mean CLV, expected
 * purchases, mean P(alive) and value at risk, over the customers the latest run scored.
 */
public final class ValueGroups {
    private ValueGroups() {}

    public enum GroupBy { SEGMENT, RFM, RISK_TIER }

    /** A customer's value at risk: the horizon spend at their own past rate, times the chance they have left. */
    public static BigDecimal valueAtRisk(AnalyticsRepository.Score s) {
        return s.valueAtRisk().multiply(BigDecimal.valueOf(1 - s.pAlive()));
    }

    public static boolean member(Segment segment, Customer c) {
        return c.contact() != null
                && segment.rule().matches(new ContactFacts(c.contact(), c.purchases(), c.scoreView(), c.latestNps()));
    }

    /**
     * @param scored   the scored customers (the population, already narrowed to a segment if asked)
     * @param segments the tenant's segments ({@link GroupBy#SEGMENT})
     * @param rfm      every customer's RFM cell ({@link GroupBy#RFM})
     */
    public static List<Object> groups(GroupBy by, List<Customer> scored, List<Segment> segments, Map<String, RfmScores.Rfm> rfm) {
        List<Object> out = new ArrayList<>();
        switch (by) {
            case SEGMENT -> {
                for (Segment s : segments) {
                    Map<String, Object> g = figures(scored.stream().filter(c -> member(s, c)).toList());
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("group", s.id());
                    e.put("name", s.name());
                    e.putAll(g);
                    out.add(e);
                }
            }
            case RISK_TIER -> {
                for (String tier : List.of("high", "medium", "low")) {
                    out.add(group(tier, scored.stream().filter(c -> tier.equals(c.score().riskTier())).toList()));
                }
            }
            case RFM -> {
                Map<String, List<Customer>> cells = new TreeMap<>(Comparator.reverseOrder());
                for (Customer c : scored) {
                    RfmScores.Rfm cell = rfm.get(c.contactId());
                    if (cell != null) {
                        cells.computeIfAbsent(cell.cell(), k -> new ArrayList<>()).add(c);
                    }
                }
                cells.forEach((cell, members) -> out.add(group(cell, members)));
            }
        }
        return out;
    }

    private static Map<String, Object> group(String key, List<Customer> members) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("group", key);
        e.putAll(figures(members));
        return e;
    }

    static Map<String, Object> figures(List<Customer> members) {
        BigDecimal clv = BigDecimal.ZERO;
        BigDecimal atRisk = BigDecimal.ZERO;
        double expected = 0;
        double pAlive = 0;
        for (Customer c : members) {
            clv = clv.add(c.score().clv());
            atRisk = atRisk.add(valueAtRisk(c.score()));
            expected += c.score().expectedPurchases();
            pAlive += c.score().pAlive();
        }
        int n = members.size();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("customers", n);
        m.put("clv", Shares.money(clv));
        m.put("meanClv", n == 0 ? null : Shares.money(clv.divide(BigDecimal.valueOf(n), 10, RoundingMode.HALF_UP)));
        m.put("expectedPurchases", BigDecimal.valueOf(expected).setScale(3, RoundingMode.HALF_UP));
        m.put("meanPAlive", n == 0 ? null : BigDecimal.valueOf(pAlive / n).setScale(4, RoundingMode.HALF_UP));
        m.put("valueAtRisk", Shares.money(atRisk));
        return m;
    }
}
