package dev.crm.surveys.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A response as it is stored and counted: when it arrived and its answers by question id (only the
 * questions answered). Score answers are integral numbers, single choices strings, multiple choices
 * lists of strings, texts strings.
 */
public record SubmittedResponse(Instant submittedAt, Map<String, Object> answers) {
    public SubmittedResponse {
        Objects.requireNonNull(submittedAt, "submittedAt");
        answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    }
}
