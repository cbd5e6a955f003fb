package dev.crm.churn.domain.analytics;

import dev.crm.churn.domain.analytics.AnalyticsRepository.CaseOutcomes;
import dev.crm.churn.domain.analytics.AnalyticsRepository.SurveyTally;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A period's actuals (docs/api.md, "Targets and scorecard") and their variance against the targets. */
public final class ScorecardFigures {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private ScorecardFigures() {}

    /**
     * @param firstDays every customer's first purchase day
     * @param purchases the period's purchases, on tenant calendar days
     */
    public static Map<Measure, BigDecimal> actuals(Period period, Map<String, LocalDate> firstDays,
            List<RetentionMatrix.DayPurchase> purchases, SurveyTally surveys, CaseOutcomes cases) {
        Map<Measure, BigDecimal> out = new EnumMap<>(Measure.class);
        long newCustomers = firstDays.values().stream().filter(period::contains).count();
        out.put(Measure.NEW_CUSTOMERS, BigDecimal.valueOf(newCustomers));
        BigDecimal revenue = BigDecimal.ZERO;
        Map<String, Boolean> repeat = new HashMap<>(); // buyer → bought on a day after their first
        for (RetentionMatrix.DayPurchase p : purchases) {
            LocalDate first = firstDays.get(p.contactId());
            if (first == null || !period.contains(p.day())) {
                continue; // erased since, or outside the period
            }
            if (p.amount() != null) {
                revenue = revenue.add(p.amount());
            }
            repeat.merge(p.contactId(), p.day().isAfter(first), Boolean::logicalOr);
        }
        out.put(Measure.REVENUE, revenue.setScale(2, RoundingMode.HALF_UP));
        out.put(Measure.REPEAT_PURCHASE_RATE,
                Shares.share(repeat.values().stream().filter(b -> b).count(), repeat.size()));
        long npsAnswers = surveys.promoters() + surveys.passives() + surveys.detractors();
        out.put(Measure.NPS, npsAnswers == 0 ? null : BigDecimal.valueOf(surveys.promoters() - surveys.detractors())
                .multiply(HUNDRED).divide(BigDecimal.valueOf(npsAnswers), 1, RoundingMode.HALF_UP));
        out.put(Measure.CSAT, surveys.csatAnswers() == 0 ? null : BigDecimal.valueOf(surveys.csatSatisfied())
                .multiply(HUNDRED).divide(BigDecimal.valueOf(surveys.csatAnswers()), 1, RoundingMode.HALF_UP));
        out.put(Measure.SLA_ATTAINMENT, Shares.share(cases.solvedWithinTarget(), cases.solved()));
        return out;
    }

    /** One entry per measure: target, actual, variance = actual − target, variance % = variance / |target| × 100. */
    public static List<Object> rows(Map<Measure, BigDecimal> actuals, Targets targets) {
        List<Object> out = new ArrayList<>();
        for (Measure m : Measure.values()) {
            BigDecimal target = targets == null ? null : targets.values().get(m);
            BigDecimal actual = actuals.get(m);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("measure", m.wire());
            row.put("target", target);
            row.put("actual", actual);
            BigDecimal variance = target == null || actual == null ? null : actual.subtract(target);
            row.put("variance", variance);
            row.put("variancePct", variance == null || target.signum() == 0 ? null
                    : variance.multiply(HUNDRED).divide(target.abs(), 1, RoundingMode.HALF_UP));
            out.add(row);
        }
        return out;
    }
}
