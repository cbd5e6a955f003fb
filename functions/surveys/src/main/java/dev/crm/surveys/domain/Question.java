package dev.crm.surveys.domain;

import dev.crm.shared.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One question of a survey. The type decides which of the optional components are set:
 * {@code score}: {@code min}, {@code max}; {@code single_choice}: {@code options};
 * {@code multi_choice}: {@code options}, {@code minSelected}, {@code maxSelected}; {@code text}:
 * {@code maxLength}. The others are null.
 */
public record Question(String id, QuestionType type, String label, boolean required, Integer min, Integer max,
        List<Option> options, Integer minSelected, Integer maxSelected, Integer maxLength) {

    public static final int MAX_LABEL = 500;
    public static final int MAX_OPTION_LABEL = 200;
    public static final int MIN_OPTIONS = 2;
    public static final int MAX_OPTIONS = 50;
    public static final int MAX_TEXT_LENGTH = 5000;
    public static final int DEFAULT_TEXT_LENGTH = 2000;
    /** Bounds of a custom score scale; a scale holds at most 101 values (each is a counter per day). */
    public static final int MIN_SCORE = -100;
    public static final int MAX_SCORE = 100;
    public static final int MAX_SCORE_VALUES = 101;

    private static final Set<String> COMMON_FIELDS = Set.of("id", "type", "label", "required");
    private static final Map<QuestionType, Set<String>> TYPE_FIELDS = Map.of(
            QuestionType.SCORE, Set.of("min", "max"),
            QuestionType.SINGLE_CHOICE, Set.of("options"),
            QuestionType.MULTI_CHOICE, Set.of("options", "minSelected", "maxSelected"),
            QuestionType.TEXT, Set.of("maxLength"));

    /** One offered choice: {@code value} is what answers and results carry, {@code label} what a form shows. */
    public record Option(String value, String label) {
        public Option {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(label, "label");
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", value);
            m.put("label", label);
            return m;
        }
    }

    public Question {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(label, "label");
        options = options == null ? null : List.copyOf(options);
    }

    public static Question score(String id, String label, boolean required, int min, int max) {
        return new Question(id, QuestionType.SCORE, label, required, min, max, null, null, null, null);
    }

    public static Question singleChoice(String id, String label, boolean required, List<Option> options) {
        return new Question(id, QuestionType.SINGLE_CHOICE, label, required, null, null, options, null, null, null);
    }

    public static Question multiChoice(String id, String label, boolean required, List<Option> options,
            int minSelected, int maxSelected) {
        return new Question(id, QuestionType.MULTI_CHOICE, label, required, null, null, options, minSelected,
                maxSelected, null);
    }

    public static Question text(String id, String label, boolean required, int maxLength) {
        return new Question(id, QuestionType.TEXT, label, required, null, null, null, null, null, maxLength);
    }

    /** The required {@code score} question a standard survey gets when it is created without questions. */
    public static Question standardScore(SurveyKind kind) {
        return score(Survey.SCORE_QUESTION_ID, kind.standardLabel(), true, kind.scoreMin(), kind.scoreMax());
    }

    public boolean isChoice() {
        return type == QuestionType.SINGLE_CHOICE || type == QuestionType.MULTI_CHOICE;
    }

    public boolean offers(String value) {
        if (options == null) {
            return false;
        }
        for (Option o : options) {
            if (o.value().equals(value)) {
                return true;
            }
        }
        return false;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", type.wire());
        m.put("label", label);
        m.put("required", required);
        switch (type) {
            case SCORE -> {
                m.put("min", (long) min);
                m.put("max", (long) max);
            }
            case SINGLE_CHOICE -> m.put("options", optionsJson());
            case MULTI_CHOICE -> {
                m.put("options", optionsJson());
                m.put("minSelected", (long) minSelected);
                m.put("maxSelected", (long) maxSelected);
            }
            case TEXT -> m.put("maxLength", (long) maxLength);
            default -> throw new IllegalStateException("unhandled question type " + type);
        }
        return m;
    }

    private List<Object> optionsJson() {
        List<Object> out = new ArrayList<>();
        for (Option o : options) {
            out.add(o.toJson());
        }
        return out;
    }

    /**
     * Reads one question; violations go to the object's violations with pointers below its own.
     * {@code kind} (null when the survey's kind is itself invalid) decides whether a question with id
     * {@code score} is the survey's standard score question, whose range is fixed and which is always
     * required: a response without it would count as a response but in no category, so
     * promoters + passives + detractors would no longer add up to the responses.
     *
     * @return the question, or null when it has violations
     */
    static Question parse(JsonObject q, SurveyKind kind) {
        int before = q.violations().items().size();
        QuestionType type = q.requiredEnum("type", QuestionType.class);
        Set<String> allowed = new HashSet<>(COMMON_FIELDS);
        if (type != null) {
            allowed.addAll(TYPE_FIELDS.get(type));
        } else {
            // the type is wrong already; flag only fields no type knows rather than guess one
            TYPE_FIELDS.values().forEach(allowed::addAll);
        }
        q.allowOnly(allowed);

        String id = q.requiredLine("id", 1, 40);
        if (id != null && !Text.isIdentifier(id)) {
            q.violations().pointer(q.pointer("id"), Text.IDENTIFIER_RULE);
        }
        String label = q.requiredString("label", 1, MAX_LABEL);
        Boolean required = q.optionalBoolean("required");
        boolean standardScore = kind != null && kind.hasStandardScore() && Survey.SCORE_QUESTION_ID.equals(id);
        if (standardScore) {
            if (type != null && type != QuestionType.SCORE) {
                q.violations().pointer(q.pointer("type"), "the score question of a " + kind.wire()
                        + " survey must have type score");
            }
            if (Boolean.FALSE.equals(required)) {
                q.violations().pointer(q.pointer("required"), "the score question of a " + kind.wire()
                        + " survey is always required");
            }
        }
        boolean isRequired = required != null ? required : standardScore;

        Question result = null;
        if (type == QuestionType.SCORE) {
            result = parseScore(q, id, label, isRequired, standardScore ? kind : null);
        } else if (type == QuestionType.SINGLE_CHOICE || type == QuestionType.MULTI_CHOICE) {
            result = parseChoice(q, type, id, label, isRequired);
        } else if (type == QuestionType.TEXT) {
            Long maxLength = q.optionalLong("maxLength", 1, MAX_TEXT_LENGTH);
            if (id != null && label != null) {
                result = text(id, label, isRequired, maxLength == null ? DEFAULT_TEXT_LENGTH : maxLength.intValue());
            }
        }
        return q.violations().items().size() == before ? result : null;
    }

    /** {@code standardKind} non-null: the survey's standard score question, whose range may be left out. */
    private static Question parseScore(JsonObject q, String id, String label, boolean required, SurveyKind standardKind) {
        Long min;
        Long max;
        if (standardKind != null) {
            String rule = "the score question of a " + standardKind.wire() + " survey ranges from "
                    + standardKind.scoreMin() + " to " + standardKind.scoreMax();
            min = q.optionalLong("min", MIN_SCORE, MAX_SCORE);
            max = q.optionalLong("max", MIN_SCORE, MAX_SCORE);
            if (q.has("min") && min != null && min != standardKind.scoreMin()) {
                q.violations().pointer(q.pointer("min"), rule);
            }
            if (q.has("max") && max != null && max != standardKind.scoreMax()) {
                q.violations().pointer(q.pointer("max"), rule);
            }
            min = (long) standardKind.scoreMin();
            max = (long) standardKind.scoreMax();
        } else {
            min = q.requiredLong("min", MIN_SCORE, MAX_SCORE);
            max = q.requiredLong("max", MIN_SCORE, MAX_SCORE);
            if (min != null && max != null) {
                if (max <= min) {
                    q.violations().pointer(q.pointer("max"), "must be greater than min");
                } else if (max - min + 1 > MAX_SCORE_VALUES) {
                    q.violations().pointer(q.pointer("max"), "a scale has at most " + MAX_SCORE_VALUES + " values");
                }
            }
        }
        if (id == null || label == null || min == null || max == null) {
            return null;
        }
        return score(id, label, required, min.intValue(), max.intValue());
    }

    @SuppressWarnings("unchecked")
    private static Question parseChoice(JsonObject q, QuestionType type, String id, String label, boolean required) {
        List<Option> options = null;
        if (!q.has("options") || q.isNull("options")) {
            q.violations().pointer(q.pointer("options"), "required");
        } else {
            List<Object> raw = q.optionalArray("options", MAX_OPTIONS);
            if (raw != null && raw.size() < MIN_OPTIONS) {
                q.violations().pointer(q.pointer("options"), "must have at least " + MIN_OPTIONS + " options");
            } else if (raw != null) {
                options = new ArrayList<>();
                Set<String> values = new HashSet<>();
                for (int i = 0; i < raw.size(); i++) {
                    String p = q.pointer("options") + "/" + i;
                    if (!(raw.get(i) instanceof Map<?, ?> m)) {
                        q.violations().pointer(p, "must be an object with value and label");
                        continue;
                    }
                    JsonObject o = JsonObject.of((Map<String, Object>) m, p, q.violations());
                    o.allowOnly("value", "label");
                    String value = o.requiredLine("value", 1, 40);
                    if (value != null && !Text.isIdentifier(value)) {
                        q.violations().pointer(o.pointer("value"), Text.IDENTIFIER_RULE);
                        value = null;
                    }
                    if (value != null && !values.add(value)) {
                        q.violations().pointer(o.pointer("value"), "duplicate option value");
                        value = null;
                    }
                    String optionLabel = o.requiredLine("label", 1, MAX_OPTION_LABEL);
                    if (value != null && optionLabel != null) {
                        options.add(new Option(value, optionLabel));
                    }
                }
            }
        }
        if (type == QuestionType.SINGLE_CHOICE) {
            return id == null || label == null || options == null ? null : singleChoice(id, label, required, options);
        }
        Long minSelected = q.optionalLong("minSelected", 1, MAX_OPTIONS);
        Long maxSelected = q.optionalLong("maxSelected", 1, MAX_OPTIONS);
        if (options == null) {
            return null;
        }
        long min = minSelected == null ? 1 : minSelected;
        long max = maxSelected == null ? options.size() : maxSelected;
        if (maxSelected != null && max > options.size()) {
            q.violations().pointer(q.pointer("maxSelected"), "must be at most the number of options (" + options.size() + ")");
        } else if (minSelected != null && min > max) {
            q.violations().pointer(q.pointer("minSelected"), "must be at most maxSelected (" + max + ")");
        } else if (maxSelected != null && min > max) {
            q.violations().pointer(q.pointer("maxSelected"), "must be at least minSelected (" + min + ")");
        }
        if (id == null || label == null) {
            return null;
        }
        return multiChoice(id, label, required, options, (int) min, (int) max);
    }
}
