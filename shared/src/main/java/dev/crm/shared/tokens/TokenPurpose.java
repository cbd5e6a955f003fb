package dev.crm.shared.tokens;

import java.util.Locale;

/**
 * What a signed token lets its bearer do. Every token names exactly one purpose and every verifier
 * states the one it expects, so a preferences link can never be replayed as an unsubscribe.
 */
public enum TokenPurpose {
    PREFERENCES,
    UNSUBSCRIBE_ALL,
    UNSUBSCRIBE_TOPIC,
    CONFIRM_SUBSCRIPTION,
    SURVEY_RESPONDENT,
    /** A case's status page and replies (the cases function's self-service link). */
    CASE_ACCESS;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the purpose, or null for any other text */
    public static TokenPurpose fromWire(String wire) {
        for (TokenPurpose p : values()) {
            if (p.wire().equals(wire)) {
                return p;
            }
        }
        return null;
    }
}
