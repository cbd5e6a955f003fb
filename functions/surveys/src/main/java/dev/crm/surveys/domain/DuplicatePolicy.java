package dev.crm.surveys.domain;

import java.util.Locale;

/**
 * What a second response with the same respondent token does: {@code reject} answers 409 and keeps
 * the first; {@code replace} swaps the stored response (and its contribution to the counters) for
 * the new one. Anonymous responses have no token and are never duplicates of each other.
 */
public enum DuplicatePolicy {
    REJECT,
    REPLACE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
