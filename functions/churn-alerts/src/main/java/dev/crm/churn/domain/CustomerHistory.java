package dev.crm.churn.domain;

import dev.crm.churn.statistics.CustomerSummary;
import dev.crm.shared.contact.PurchaseSummary;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * One customer as the retention job sees them: purchase summary and risk signals, and the
 * BG/NBD inputs at a day. Time is in weeks of whole days (days / 7), the convention of the published
 * CDNOW figures.
 */
public record CustomerHistory(String contactId, PurchaseSummary purchases, long complaints, Integer latestNps) {

    public boolean hasPurchases() {
        return purchases != null && purchases.hasPurchases();
    }

    /** Survey detractors (NPS 0–6) and complaints raise the risk. */
    public boolean riskSignal() {
        return complaints > 0 || (latestNps != null && latestNps <= 6);
    }

    /** The model's view at {@code asOf}; null when the customer's first purchase is after it. */
    public CustomerSummary summaryAt(LocalDate asOf) {
        LocalDate first = purchases.firstPurchaseDay();
        if (first.isAfter(asOf)) {
            return null;
        }
        LocalDate last = purchases.lastPurchaseDay().isAfter(asOf) ? asOf : purchases.lastPurchaseDay();
        int x = (int) purchases.repeatPurchaseDays();
        double tx = x == 0 ? 0 : ChronoUnit.DAYS.between(first, last) / 7.0;
        double bigT = ChronoUnit.DAYS.between(first, asOf) / 7.0;
        double meanSpend = x == 0 ? 0 : purchases.repeatSpend().divide(BigDecimal.valueOf(x), MathContext.DECIMAL64).doubleValue();
        return new CustomerSummary(x, tx, bigT, Math.max(0, meanSpend));
    }
}
