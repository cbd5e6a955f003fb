package dev.crm.surveys.domain;

import java.util.Locale;

/**
 * What a survey measures. The three standard kinds have a fixed scale for their {@code score}
 * question, so their headline numbers mean the same thing in every tenant; {@code custom} has none.
 */
public enum SurveyKind {
    NPS(0, 10, "How likely are you to recommend us to a friend or colleague?"),
    CSAT(1, 5, "How satisfied are you with your experience?"),
    CES(1, 7, "How easy was it to get what you needed?"),
    CUSTOM(0, 0, null);

    private final int scoreMin;
    private final int scoreMax;
    private final String standardLabel;

    SurveyKind(int scoreMin, int scoreMax, String standardLabel) {
        this.scoreMin = scoreMin;
        this.scoreMax = scoreMax;
        this.standardLabel = standardLabel;
    }

    /** Whether the kind has a headline {@code score} question with a fixed range. */
    public boolean hasStandardScore() {
        return this != CUSTOM;
    }

    public int scoreMin() {
        requireStandard();
        return scoreMin;
    }

    public int scoreMax() {
        requireStandard();
        return scoreMax;
    }

    /** The label of the score question a survey of this kind gets when it is created without questions. */
    public String standardLabel() {
        requireStandard();
        return standardLabel;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    private void requireStandard() {
        if (!hasStandardScore()) {
            throw new IllegalStateException("a custom survey has no standard score");
        }
    }
}
