package dev.crm.surveys.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The headline numbers, computed exactly from counts and rounded once at the end with BigDecimal
 * (never binary floating point, whose 0.05 steps are not representable and round unpredictably).
 * {@link RoundingMode#HALF_UP} rounds ties away from zero, so -12.25 becomes -12.3, symmetric with
 * 12.25 becoming 12.3. Every score is null when there are no responses: "no data" is not 0.
 */
public final class Scores {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Scores() {}

    /** The NPS groups: promoters 9–10, passives 7–8, detractors 0–6. */
    public enum NpsCategory {
        DETRACTOR,
        PASSIVE,
        PROMOTER
    }

    public static NpsCategory npsCategory(int score) {
        if (score < 0 || score > 10) {
            throw new IllegalArgumentException("an NPS score is from 0 to 10");
        }
        return score >= 9 ? NpsCategory.PROMOTER : score >= 7 ? NpsCategory.PASSIVE : NpsCategory.DETRACTOR;
    }

    /** A CSAT answer of 4 or 5 counts as satisfied. */
    public static boolean isSatisfied(int csatScore) {
        if (csatScore < 1 || csatScore > 5) {
            throw new IllegalArgumentException("a CSAT score is from 1 to 5");
        }
        return csatScore >= 4;
    }

    /**
     * NPS = % promoters − % detractors, from −100.0 to 100.0, one decimal. Computed as
     * 100 × (promoters − detractors) / responses and rounded once, not as two rounded percentages.
     */
    public static BigDecimal nps(long promoters, long passives, long detractors) {
        requireCounts(promoters, passives, detractors);
        long responses = promoters + passives + detractors;
        if (responses == 0) {
            return null;
        }
        return BigDecimal.valueOf(promoters - detractors).multiply(HUNDRED)
                .divide(BigDecimal.valueOf(responses), 1, RoundingMode.HALF_UP);
    }

    /** CSAT = % of answers that are 4 or 5, one decimal. */
    public static BigDecimal csat(long satisfied, long responses) {
        requireCounts(satisfied, responses);
        if (satisfied > responses) {
            throw new IllegalArgumentException("more satisfied answers than responses");
        }
        if (responses == 0) {
            return null;
        }
        return BigDecimal.valueOf(satisfied).multiply(HUNDRED)
                .divide(BigDecimal.valueOf(responses), 1, RoundingMode.HALF_UP);
    }

    /** CES = the mean answer (1–7), two decimals. */
    public static BigDecimal ces(long sumOfScores, long responses) {
        return mean(sumOfScores, responses);
    }

    /** A mean to two decimals; null for no values. */
    public static BigDecimal mean(long sum, long count) {
        requireCounts(count);
        if (count == 0) {
            return null;
        }
        return BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(count), 2, RoundingMode.HALF_UP);
    }

    /**
     * Whether one answer to a survey's score question is a risk signal for the contact who gave it:
     * an NPS detractor (0–6) or a CSAT of 1–2. CES and custom scores carry no signal.
     */
    public static boolean isRiskSignal(SurveyKind kind, int score) {
        return switch (kind) {
            case NPS -> npsCategory(score) == NpsCategory.DETRACTOR;
            case CSAT -> {
                isSatisfied(score); // range check
                yield score <= 2;
            }
            case CES, CUSTOM -> false;
        };
    }

    private static void requireCounts(long... counts) {
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("counts are never negative");
            }
        }
    }
}
