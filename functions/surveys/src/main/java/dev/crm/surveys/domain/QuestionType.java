package dev.crm.surveys.domain;

import java.util.Locale;

/** The kinds of question a survey can ask; each has its own rules (see {@link Question}). */
public enum QuestionType {
    SCORE,
    SINGLE_CHOICE,
    MULTI_CHOICE,
    TEXT;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
