package dev.crm.churn.domain.analytics;

import dev.crm.shared.contact.PurchaseSummary;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * RFM quintiles within the tenant, 1 (lowest fifth) to 5 (highest): recency = days since the last
 * purchase (fewer scores higher), frequency = purchase days, monetary = total spend. Ties share the
 * score of the first of them in rank order, so equal customers always score alike.
 *
 * <p>Computed here from the purchase summaries because the run does not store {@code rfm.*} facts yet;
 * when it does, the same definition should be read from there.
 */
public final class RfmScores {
    private RfmScores() {}

    public record Rfm(int r, int f, int m) {
        /** The cell, e.g. {@code "545"}. */
        public String cell() {
            return "" + r + f + m;
        }
    }

    public static Map<String, Rfm> of(Map<String, PurchaseSummary> customers, LocalDate today) {
        List<String> ids = new ArrayList<>(customers.keySet());
        Map<String, Integer> r = quintiles(ids, id -> -ChronoUnit.DAYS.between(customers.get(id).lastPurchaseDay(), today));
        Map<String, Integer> f = quintiles(ids, id -> customers.get(id).repeatPurchaseDays() + 1);
        Map<String, Integer> m = quintiles(ids, id -> customers.get(id).totalSpend().doubleValue());
        Map<String, Rfm> out = new HashMap<>();
        for (String id : ids) {
            out.put(id, new Rfm(r.get(id), f.get(id), m.get(id)));
        }
        return out;
    }

    /** 1 + ⌊5 · rank / n⌋ with rank the 0-based position of the first customer of equal value. */
    static Map<String, Integer> quintiles(List<String> ids, ToDoubleFunction<String> value) {
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(Comparator.comparingDouble(value));
        Map<String, Integer> out = new HashMap<>();
        int n = sorted.size();
        int tieStart = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && value.applyAsDouble(sorted.get(i)) != value.applyAsDouble(sorted.get(i - 1))) {
                tieStart = i;
            }
            out.put(sorted.get(i), 1 + (int) ((5L * tieStart) / n));
        }
        return out;
    }
}
