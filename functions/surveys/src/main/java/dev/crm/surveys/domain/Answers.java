package dev.crm.surveys.domain;

import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a submission's {@code answers} object against its survey. Every problem is recorded at
 * {@code /answers/<questionId>} (a multiple-choice element at {@code /answers/<questionId>/<index>}),
 * all of them at once.
 *
 * <p>Unanswered: an absent member, JSON null, an empty or blank text, an empty multiple-choice array.
 * A required question left unanswered is a violation; an optional one is simply not stored. Free text is
 * kept exactly as given (whoever renders it escapes it); only control characters (C0 other than tab, CR
 * and LF; DEL; C1) and lone surrogates are refused. Lengths count code points, as a person counts
 * characters.
 */
public final class Answers {
    private Answers() {}

    /** Marks an answer that was recorded as a violation (as opposed to one that was not given). */
    private static final Object INVALID = new Object();

    /**
     * @param now the submission time, stamped on the result
     * @return the response to store (answers in question order), or null when there are violations
     */
    public static SubmittedResponse validate(Survey survey, JsonObject answers, Instant now) {
        Violations violations = answers.violations();
        int before = violations.items().size();
        for (String key : answers.fields()) {
            if (survey.question(key) == null) {
                violations.pointer(answers.pointer(key), "unknown question");
            }
        }
        Map<String, Object> accepted = new LinkedHashMap<>();
        for (Question q : survey.questions()) {
            String pointer = answers.pointer(q.id());
            Object given = answers.raw().get(q.id());
            Object value = given == null ? null : switch (q.type()) {
                case SCORE -> score(q, given, pointer, violations);
                case SINGLE_CHOICE -> singleChoice(q, given, pointer, violations);
                case MULTI_CHOICE -> multiChoice(q, given, pointer, violations);
                case TEXT -> text(q, given, pointer, violations);
            };
            if (value == null) {
                if (q.required()) {
                    violations.pointer(pointer, "required");
                }
            } else if (value != INVALID) {
                accepted.put(q.id(), value);
            }
        }
        return violations.items().size() == before ? new SubmittedResponse(now, accepted) : null;
    }

    private static Object score(Question q, Object given, String pointer, Violations violations) {
        if (!(given instanceof Long n)) {
            violations.pointer(pointer, "must be an integer from " + q.min() + " to " + q.max());
            return INVALID;
        }
        if (n < q.min() || n > q.max()) {
            violations.pointer(pointer, "must be from " + q.min() + " to " + q.max());
            return INVALID;
        }
        return n;
    }

    private static Object singleChoice(Question q, Object given, String pointer, Violations violations) {
        if (!(given instanceof String s)) {
            violations.pointer(pointer, "must be the value of one of the options");
            return INVALID;
        }
        if (!q.offers(s)) {
            violations.pointer(pointer, "is not one of the options offered");
            return INVALID;
        }
        return s;
    }

    private static Object multiChoice(Question q, Object given, String pointer, Violations violations) {
        if (!(given instanceof List<?> list)) {
            violations.pointer(pointer, "must be an array of option values");
            return INVALID;
        }
        if (list.isEmpty()) {
            return null;
        }
        if (list.size() > q.options().size()) {
            // more elements than options means duplicates or foreign values; don't report each one
            violations.pointer(pointer, "select at most " + q.maxSelected() + " options");
            return INVALID;
        }
        List<String> selected = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean valid = true;
        for (int i = 0; i < list.size(); i++) {
            String p = pointer + "/" + i;
            if (!(list.get(i) instanceof String s)) {
                violations.pointer(p, "must be the value of one of the options");
                valid = false;
            } else if (!q.offers(s)) {
                violations.pointer(p, "is not one of the options offered");
                valid = false;
            } else if (!seen.add(s)) {
                violations.pointer(p, "selected twice");
                valid = false;
            } else {
                selected.add(s);
            }
        }
        if (!valid) {
            return INVALID;
        }
        if (selected.size() < q.minSelected()) {
            violations.pointer(pointer, "select at least " + q.minSelected() + " options");
            return INVALID;
        }
        if (selected.size() > q.maxSelected()) {
            violations.pointer(pointer, "select at most " + q.maxSelected() + " options");
            return INVALID;
        }
        return List.copyOf(selected);
    }

    private static Object text(Question q, Object given, String pointer, Violations violations) {
        if (!(given instanceof String s)) {
            violations.pointer(pointer, "must be a string");
            return INVALID;
        }
        if (s.isBlank()) {
            return null;
        }
        if (Text.length(s) > q.maxLength()) {
            violations.pointer(pointer, "must be at most " + q.maxLength() + " characters");
            return INVALID;
        }
        if (Text.hasControlCharacters(s)) {
            violations.pointer(pointer, "must not contain control characters");
            return INVALID;
        }
        return s;
    }
}
