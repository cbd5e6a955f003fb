package dev.crm.churn.domain.analytics;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cohort matrix (docs/api.md, "Retention cohorts"): customers by the calendar period of their
 * first purchase, and for each later period up to {@code to} (offset 1 = the next period) how many of
 * them bought, their revenue, and the period's churn among those who bought in the period before.
 */
public final class RetentionMatrix {
    private RetentionMatrix() {}

    /** A purchase on a tenant calendar day; {@code amount} null when not in the tenant's currency. */
    public record DayPurchase(String contactId, LocalDate day, BigDecimal amount) {}

    /**
     * @param firstDays every customer's first purchase day (tenant calendar)
     * @param purchases the purchases from the start of {@code from} to the end of {@code to} (others are ignored)
     */
    public static List<Object> cohorts(Period from, Period to, Map<String, LocalDate> firstDays, List<DayPurchase> purchases) {
        int n = to.index() - from.index() + 1;
        List<List<String>> members = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            members.add(new ArrayList<>());
        }
        Map<String, Integer> cohortOf = new HashMap<>();
        firstDays.forEach((id, day) -> {
            int c = Period.containing(day, from.quarter()).index() - from.index();
            if (c >= 0 && c < n) {
                cohortOf.put(id, c);
                members.get(c).add(id);
            }
        });
        Map<String, BitSet> active = new HashMap<>();
        BigDecimal[][] revenue = new BigDecimal[n][n];
        for (DayPurchase p : purchases) {
            Integer c = cohortOf.get(p.contactId());
            if (c == null) {
                continue;
            }
            int period = Period.containing(p.day(), from.quarter()).index() - from.index();
            if (period < c || period >= n) {
                continue;
            }
            active.computeIfAbsent(p.contactId(), k -> new BitSet(n)).set(period);
            if (p.amount() != null) {
                int offset = period - c;
                revenue[c][offset] = revenue[c][offset] == null ? p.amount() : revenue[c][offset].add(p.amount());
            }
        }
        List<Object> out = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            BigDecimal base = orZero(revenue[c][0]);
            Map<String, Object> cohort = new LinkedHashMap<>();
            cohort.put("cohort", from.plus(c).toString());
            cohort.put("customers", members.get(c).size());
            cohort.put("revenue", Shares.money(base));
            List<Object> periods = new ArrayList<>();
            for (int offset = 1; c + offset < n; offset++) {
                int now = c + offset;
                int buyers = 0;
                int before = 0;
                int stayed = 0;
                for (String id : members.get(c)) {
                    BitSet b = active.get(id);
                    boolean wasActive = offset == 1 || (b != null && b.get(now - 1)); // everyone bought in their first period
                    boolean isActive = b != null && b.get(now);
                    buyers += isActive ? 1 : 0;
                    before += wasActive ? 1 : 0;
                    stayed += wasActive && isActive ? 1 : 0;
                }
                BigDecimal r = orZero(revenue[c][offset]);
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("offset", offset);
                p.put("period", from.plus(now).toString());
                p.put("customers", buyers);
                p.put("retention", Shares.share(buyers, members.get(c).size()));
                p.put("revenue", Shares.money(r));
                p.put("revenueRetention", Shares.share(r, base));
                p.put("churnRate", before == 0 ? null : Shares.share(before - stayed, before));
                periods.add(p);
            }
            cohort.put("periods", periods);
            out.add(cohort);
        }
        return out;
    }

    private static BigDecimal orZero(BigDecimal d) {
        return d == null ? BigDecimal.ZERO : d;
    }
}
