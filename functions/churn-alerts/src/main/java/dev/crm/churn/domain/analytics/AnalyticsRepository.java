package dev.crm.churn.domain.analytics;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.segment.SegmentRule;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What the analytics read (the contacts', surveys' and cases' figures, the churn run's scores) and the
 * targets they write. Every read is bounded: past {@code max} items it throws {@link TooMany}.
 */
public interface AnalyticsRepository {

    /**
     * The tenant's customers: every contact with a purchase summary, with its latest churn score when
     * {@code withScores}, and its contact record when {@code withContacts} (for segment rules; a contact
     * no longer active is left out then).
     */
    List<Customer> customers(TenantId t, String currency, boolean withScores, boolean withContacts, int max);

    /** The tenant's segments. */
    List<Segment> segments(TenantId t);

    /** Purchase touch points with {@code from <= occurredAt < to}; the amount only when in {@code currency}. */
    List<Purchase> purchases(TenantId t, Instant from, Instant to, String currency, int max);

    /** The NPS and CSAT answers of the tenant's surveys on the days {@code from} to {@code toInclusive}. */
    SurveyTally surveyTally(TenantId t, LocalDate from, LocalDate toInclusive);

    /** The outcome so far of the cases created in {@code [from, to)}. */
    CaseOutcomes caseOutcomes(TenantId t, Instant from, Instant to, int max);

    /** Replaces the period's targets. */
    void putTargets(TenantId t, Targets targets);

    /** @return the period's targets, or null */
    Targets targets(TenantId t, Period period);

    /** A customer as the run left them; {@code score} and {@code contact} may be null. */
    record Customer(String contactId, PurchaseSummary purchases, Integer latestNps, Score score,
            Map<String, Object> scoreView, Contact contact) {}

    /** The figures of a churn score the analytics use. */
    record Score(double pAlive, double expectedPurchases, BigDecimal clv, BigDecimal valueAtRisk, String riskTier) {}

    record Segment(String id, String name, SegmentRule rule) {}

    record Purchase(String contactId, Instant at, BigDecimal amount) {}

    /** NPS answers by group, CSAT answers (1–5) and how many of them were 4 or 5. */
    record SurveyTally(long promoters, long passives, long detractors, long csatAnswers, long csatSatisfied) {
        public static final SurveyTally NONE = new SurveyTally(0, 0, 0, 0, 0);

        public SurveyTally plus(SurveyTally o) {
            return new SurveyTally(promoters + o.promoters, passives + o.passives, detractors + o.detractors,
                    csatAnswers + o.csatAnswers, csatSatisfied + o.csatSatisfied);
        }
    }

    /** Cases created, solved (solved or closed now), and solved without a recorded resolution breach. */
    record CaseOutcomes(int created, int solved, int solvedWithinTarget) {}

    /** More items than one request reads. */
    final class TooMany extends RuntimeException {
        private final int max;

        public TooMany(int max) {
            super("more than " + max, null, false, false);
            this.max = max;
        }

        public int max() {
            return max;
        }
    }
}
