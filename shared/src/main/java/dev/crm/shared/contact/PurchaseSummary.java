package dev.crm.shared.contact;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the churn models need from a contact's purchases, kept up to date with each purchase.
 *
 * <p>Purchase days are calendar days in the tenant's time zone; several purchases on one day are one
 * purchase day (the BG/NBD convention). Spend counts purchases in the summary's currency (the
 * tenant's default when the first purchase arrived); purchases in other currencies count as purchase
 * days but add no spend. {@link #recompute} derives the same summary from the raw purchases, so the
 * incremental updates can be checked (and repaired) against it.
 */
public record PurchaseSummary(String currency, LocalDate firstPurchaseDay, BigDecimal firstDaySpend,
        LocalDate lastPurchaseDay, long repeatPurchaseDays, BigDecimal repeatSpend, BigDecimal totalSpend, long purchases,
        long version) {

    /** One raw purchase: its day and its amount in the summary currency (null: another currency). */
    public record Purchase(LocalDate day, BigDecimal amount) {}

    public static PurchaseSummary empty(String currency) {
        return new PurchaseSummary(currency, null, BigDecimal.ZERO, null, 0, BigDecimal.ZERO, BigDecimal.ZERO, 0, 0);
    }

    public boolean hasPurchases() {
        return firstPurchaseDay != null;
    }

    /**
     * The summary after one more purchase.
     *
     * @param dayHadPurchases whether that day already had a purchase before this one
     */
    public PurchaseSummary add(Purchase p, boolean dayHadPurchases) {
        BigDecimal amount = p.amount() == null ? BigDecimal.ZERO : p.amount();
        long nextVersion = version + 1;
        if (!hasPurchases()) {
            return new PurchaseSummary(currency, p.day(), amount, p.day(), 0, BigDecimal.ZERO, amount, 1, nextVersion);
        }
        BigDecimal total = totalSpend.add(amount);
        LocalDate last = p.day().isAfter(lastPurchaseDay) ? p.day() : lastPurchaseDay;
        if (p.day().equals(firstPurchaseDay)) {
            return new PurchaseSummary(currency, firstPurchaseDay, firstDaySpend.add(amount), last, repeatPurchaseDays,
                    repeatSpend, total, purchases + 1, nextVersion);
        }
        if (p.day().isBefore(firstPurchaseDay)) {
            // A back-dated purchase becomes the first day; the old first day turns into a repeat day.
            return new PurchaseSummary(currency, p.day(), amount, last, repeatPurchaseDays + 1,
                    repeatSpend.add(firstDaySpend), total, purchases + 1, nextVersion);
        }
        return new PurchaseSummary(currency, firstPurchaseDay, firstDaySpend, last,
                repeatPurchaseDays + (dayHadPurchases ? 0 : 1), repeatSpend.add(amount), total, purchases + 1, nextVersion);
    }

    /** The summary derived from scratch (the version is not part of the comparison). */
    public static PurchaseSummary recompute(String currency, List<Purchase> purchases) {
        TreeMap<LocalDate, BigDecimal> days = new TreeMap<>();
        for (Purchase p : purchases) {
            days.merge(p.day(), p.amount() == null ? BigDecimal.ZERO : p.amount(), BigDecimal::add);
        }
        if (days.isEmpty()) {
            return empty(currency);
        }
        BigDecimal total = days.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal first = days.firstEntry().getValue();
        return new PurchaseSummary(currency, days.firstKey(), first, days.lastKey(), days.size() - 1L,
                total.subtract(first), total, purchases.size(), 0);
    }

    /** Equality of the figures, ignoring the version and the scale of equal decimals. */
    public boolean sameFigures(PurchaseSummary o) {
        return java.util.Objects.equals(firstPurchaseDay, o.firstPurchaseDay)
                && java.util.Objects.equals(lastPurchaseDay, o.lastPurchaseDay)
                && repeatPurchaseDays == o.repeatPurchaseDays && purchases == o.purchases
                && firstDaySpend.compareTo(o.firstDaySpend) == 0 && repeatSpend.compareTo(o.repeatSpend) == 0
                && totalSpend.compareTo(o.totalSpend) == 0;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("firstPurchaseDay", firstPurchaseDay == null ? null : firstPurchaseDay.toString());
        m.put("firstDaySpend", Money.json(firstDaySpend, currency));
        m.put("lastPurchaseDay", lastPurchaseDay == null ? null : lastPurchaseDay.toString());
        m.put("repeatPurchaseDays", repeatPurchaseDays);
        m.put("repeatSpend", Money.json(repeatSpend, currency));
        m.put("totalSpend", Money.json(totalSpend, currency));
        m.put("purchases", purchases);
        return m;
    }
}
