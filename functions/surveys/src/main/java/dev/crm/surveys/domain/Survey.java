package dev.crm.surveys.domain;

import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Times;
import dev.crm.shared.json.Violations;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A survey: its definition (what the tenant writes) and its metadata (what the product keeps).
 *
 * <p>{@link #create} and {@link #merge} validate a request body and record every problem on the
 * body's violations, returning null when there is any; the caller turns them into one 400.
 * {@code opensAt} and {@code closesAt} are optional: a missing bound does not limit the survey.
 */
public record Survey(String id, TenantId tenantId, SurveyKind kind, String title, List<Question> questions,
        Instant opensAt, Instant closesAt, boolean allowAnonymous, DuplicatePolicy duplicatePolicy,
        int perClientPerMinute, Instant createdAt, Instant updatedAt, long version) {

    /** Survey ids are public (form URLs carry them), so they are random and unguessable. */
    public static final String ID_PREFIX = "srv_";
    /** The id of the standard score question of nps, csat and ces surveys. */
    public static final String SCORE_QUESTION_ID = "score";
    public static final int MAX_TITLE = 200;
    public static final int MAX_QUESTIONS = 30;
    /**
     * How many counters one response may add to (the response itself, one per score or single-choice
     * answer, up to maxSelected per multiple-choice answer). Every response updates its day's counters
     * in one DynamoDB update, whose expression is limited to 4 KB; a replaced response updates the old
     * and the new counters together, so twice this must still fit.
     */
    public static final int MAX_COUNTED_VALUES = 150;
    public static final int DEFAULT_PER_CLIENT_PER_MINUTE = 30;
    public static final int MAX_PER_CLIENT_PER_MINUTE = 10_000;

    private static final Set<String> DEFINITION_FIELDS = Set.of("kind", "title", "questions", "opensAt", "closesAt",
            "allowAnonymous", "duplicatePolicy", "rateLimit");
    private static final Set<String> READ_ONLY_FIELDS = Set.of("id", "tenantId", "version", "createdAt", "updatedAt");

    /** Where a survey stands at an instant: before {@code opensAt}, inside the window, or from {@code closesAt} on. */
    public enum State {
        SCHEDULED,
        OPEN,
        CLOSED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Survey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(duplicatePolicy, "duplicatePolicy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        questions = List.copyOf(questions);
    }

    /** The same survey under another id (the one a keyed create derives from its Idempotency-Key). */
    public Survey withId(String newId) {
        return new Survey(newId, tenantId, kind, title, questions, opensAt, closesAt, allowAnonymous, duplicatePolicy,
                perClientPerMinute, createdAt, updatedAt, version);
    }

    public static String newId() {
        return Ids.random(ID_PREFIX, 20);
    }

    public static boolean isId(String value) {
        return Ids.isValid(ID_PREFIX, value);
    }

    // ---- reading requests ----

    /**
     * Reads a {@code POST /v1/surveys} body. Read-only fields ({@code id}, {@code tenantId}, …) have no
     * value yet, so on creation they are unknown fields like any other.
     *
     * @return the new survey (version 1), or null when the body has violations
     */
    public static Survey create(JsonObject body, String id, TenantId tenantId, Instant now) {
        return parse(body, id, tenantId, now, now, 1);
    }

    /**
     * Applies a JSON merge patch (RFC 7396) for {@code PATCH /v1/surveys/{id}}: a field set to null
     * returns to its default (or is removed: {@code opensAt}, {@code closesAt}; a required field such as
     * {@code title} then reports "required"), {@code rateLimit} merges member by member, and
     * {@code questions}, an array, is replaced whole. The merged definition is validated as a whole, so
     * pointers name the patch's fields. The kind cannot change; read-only fields sent unchanged are ignored.
     *
     * @return the updated survey (version + 1, {@code updatedAt} = now), or null when there are violations
     */
    public Survey merge(JsonObject patch, Instant now) {
        Violations violations = patch.violations();
        int before = violations.items().size();
        patch.readOnly("id", id);
        patch.readOnly("tenantId", tenantId.value());
        patch.readOnly("version", version);
        patch.readOnly("createdAt", createdAt);
        patch.readOnly("updatedAt", updatedAt);
        if (patch.has("kind") && !kind.wire().equals(patch.raw().get("kind"))) {
            violations.pointer(patch.pointer("kind"), "the kind of a survey cannot be changed once it is created");
        }
        Map<String, Object> changes = new LinkedHashMap<>(patch.raw());
        changes.keySet().removeAll(READ_ONLY_FIELDS);
        changes.remove("kind");
        Object merged = mergePatch(definitionJson(), changes);
        String base = patch.pointer("");
        JsonObject document = JsonObject.of(asMap(merged), base.substring(0, base.length() - 1), violations);
        Survey result = parse(document, id, tenantId, createdAt, now, version + 1);
        return violations.items().size() == before ? result : null;
    }

    /** RFC 7396 section 2. */
    @SuppressWarnings("unchecked")
    static Object mergePatch(Object target, Object patch) {
        if (!(patch instanceof Map<?, ?> patchMap)) {
            return patch;
        }
        Map<String, Object> result = target instanceof Map<?, ?> t
                ? new LinkedHashMap<>((Map<String, Object>) t) : new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) patchMap).entrySet()) {
            if (e.getValue() == null) {
                result.remove(e.getKey());
            } else {
                result.put(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    /**
     * Rebuilds a survey from what {@link #toJson()} produced (as the store keeps it). Numbers may come
     * back as any integral type. A stored survey that no longer validates is a bug, not a client error.
     */
    public static Survey fromStored(Map<String, Object> stored) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) normalizeNumbers(stored);
        Map<String, Object> definition = new LinkedHashMap<>(m);
        definition.keySet().removeAll(READ_ONLY_FIELDS);
        Violations violations = new Violations();
        Instant createdAt = m.get("createdAt") instanceof String s ? Times.parse(s) : null;
        Instant updatedAt = m.get("updatedAt") instanceof String s ? Times.parse(s) : null;
        if (!(m.get("id") instanceof String id) || !(m.get("tenantId") instanceof String tenant)
                || !(m.get("version") instanceof Long version) || createdAt == null || updatedAt == null) {
            throw new IllegalStateException("stored survey lacks its metadata");
        }
        Survey s = parse(JsonObject.of(definition, "", violations), id, new TenantId(tenant), createdAt, updatedAt, version);
        if (s == null) {
            throw new IllegalStateException("stored survey " + id + " does not validate: " + violations.items());
        }
        return s;
    }

    private static Object normalizeNumbers(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), normalizeNumbers(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(normalizeNumbers(v)));
            return out;
        }
        if (o instanceof Integer || o instanceof Short || o instanceof Byte) {
            return ((Number) o).longValue();
        }
        if (o instanceof BigInteger b) {
            return b.longValueExact();
        }
        if (o instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0) {
            return d.longValueExact();
        }
        return o;
    }

    private static Survey parse(JsonObject body, String id, TenantId tenantId, Instant createdAt, Instant updatedAt,
            long version) {
        Violations violations = body.violations();
        int before = violations.items().size();
        body.allowOnly(DEFINITION_FIELDS);
        SurveyKind kind = body.requiredEnum("kind", SurveyKind.class);
        String title = body.requiredLine("title", 1, MAX_TITLE);
        List<Question> questions = parseQuestions(body, kind);
        Instant opensAt = body.optionalInstant("opensAt");
        Instant closesAt = body.optionalInstant("closesAt");
        if (opensAt != null && closesAt != null && !closesAt.isAfter(opensAt)) {
            violations.pointer(body.pointer("closesAt"), "must be after opensAt");
        }
        Boolean allowAnonymous = body.optionalBoolean("allowAnonymous");
        DuplicatePolicy duplicatePolicy = body.optionalEnum("duplicatePolicy", DuplicatePolicy.class);
        Long perClient = null;
        JsonObject rateLimit = body.optionalObject("rateLimit");
        if (rateLimit != null) {
            rateLimit.allowOnly("perClientPerMinute");
            perClient = rateLimit.optionalLong("perClientPerMinute", 1, MAX_PER_CLIENT_PER_MINUTE);
        }
        if (violations.items().size() != before) {
            return null;
        }
        return new Survey(id, tenantId, kind, title, questions, opensAt, closesAt,
                allowAnonymous == null || allowAnonymous,
                duplicatePolicy == null ? DuplicatePolicy.REJECT : duplicatePolicy,
                perClient == null ? DEFAULT_PER_CLIENT_PER_MINUTE : perClient.intValue(),
                createdAt, updatedAt, version);
    }

    @SuppressWarnings("unchecked")
    private static List<Question> parseQuestions(JsonObject body, SurveyKind kind) {
        Violations violations = body.violations();
        String pointer = body.pointer("questions");
        List<Object> raw = body.optionalArray("questions", MAX_QUESTIONS);
        if (raw == null && body.has("questions") && !body.isNull("questions")) {
            return List.of(); // not an array, or too long: already recorded
        }
        if (raw == null || raw.isEmpty()) {
            if (kind != null && kind.hasStandardScore()) {
                return List.of(Question.standardScore(kind));
            }
            if (kind != null) {
                violations.pointer(pointer, "a custom survey needs at least one question");
            }
            return List.of();
        }
        List<Question> questions = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        boolean mentionsScore = false;
        for (int i = 0; i < raw.size(); i++) {
            String p = pointer + "/" + i;
            if (!(raw.get(i) instanceof Map<?, ?> m)) {
                violations.pointer(p, "must be an object");
                continue;
            }
            JsonObject q = JsonObject.of((Map<String, Object>) m, p, violations);
            // looked at raw so that an invalid score question is not also reported as a missing one
            mentionsScore |= SCORE_QUESTION_ID.equals(m.get("id"));
            Question question = Question.parse(q, kind);
            if (m.get("id") instanceof String qid && !ids.add(qid)) {
                violations.pointer(q.pointer("id"), "duplicate question id");
            } else if (question != null) {
                questions.add(question);
            }
        }
        if (kind != null && kind.hasStandardScore() && !mentionsScore) {
            violations.pointer(pointer, "a " + kind.wire() + " survey must include a question with id score, type score, "
                    + "from " + kind.scoreMin() + " to " + kind.scoreMax());
        }
        int counted = countedValues(questions);
        if (counted > MAX_COUNTED_VALUES) {
            violations.pointer(pointer, "a response may count at most " + MAX_COUNTED_VALUES + " values (1 for the response, 1 per "
                    + "score or single-choice question, maxSelected per multiple-choice question); these questions count "
                    + counted);
        }
        return questions;
    }

    /** The most counters one response to these questions adds to; see {@link #MAX_COUNTED_VALUES}. */
    static int countedValues(List<Question> questions) {
        int counted = 1;
        for (Question q : questions) {
            counted += switch (q.type()) {
                case SCORE, SINGLE_CHOICE -> 1;
                case MULTI_CHOICE -> q.maxSelected();
                case TEXT -> 0;
            };
        }
        return counted;
    }

    // ---- behaviour ----

    public Question question(String questionId) {
        for (Question q : questions) {
            if (q.id().equals(questionId)) {
                return q;
            }
        }
        return null;
    }

    /** The standard score question of an nps, csat or ces survey; null for a custom one. */
    public Question scoreQuestion() {
        return kind.hasStandardScore() ? question(SCORE_QUESTION_ID) : null;
    }

    /** Open from {@code opensAt} (inclusive) until {@code closesAt} (exclusive); a submission outside is a 409. */
    public boolean isOpen(Instant now) {
        return state(now) == State.OPEN;
    }

    public State state(Instant now) {
        if (opensAt != null && now.isBefore(opensAt)) {
            return State.SCHEDULED;
        }
        if (closesAt != null && !now.isBefore(closesAt)) {
            return State.CLOSED;
        }
        return State.OPEN;
    }

    // ---- writing ----

    /** The definition fields only, in the shape a request body has (numbers as Long, instants as text). */
    private Map<String, Object> definitionJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind.wire());
        m.put("title", title);
        List<Object> qs = new ArrayList<>();
        for (Question q : questions) {
            qs.add(q.toJson());
        }
        m.put("questions", qs);
        m.put("opensAt", opensAt == null ? null : Times.format(opensAt));
        m.put("closesAt", closesAt == null ? null : Times.format(closesAt));
        m.put("allowAnonymous", allowAnonymous);
        m.put("duplicatePolicy", duplicatePolicy.wire());
        Map<String, Object> rateLimit = new LinkedHashMap<>();
        rateLimit.put("perClientPerMinute", (long) perClientPerMinute);
        m.put("rateLimit", rateLimit);
        return m;
    }

    /** The full representation for the authenticated API (and for the store). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("tenantId", tenantId.value());
        m.putAll(definitionJson());
        m.put("createdAt", Times.format(createdAt));
        m.put("updatedAt", Times.format(updatedAt));
        m.put("version", version);
        return m;
    }

    /**
     * What a public form needs to render the survey: no tenant id, rate limit, duplicate policy or
     * timestamps beyond the window a respondent may see.
     */
    public Map<String, Object> toPublicJson(Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("kind", kind.wire());
        m.put("title", title);
        List<Object> qs = new ArrayList<>();
        for (Question q : questions) {
            qs.add(q.toJson());
        }
        m.put("questions", qs);
        m.put("state", state(now).wire());
        m.put("opensAt", opensAt == null ? null : Times.format(opensAt));
        m.put("closesAt", closesAt == null ? null : Times.format(closesAt));
        m.put("allowAnonymous", allowAnonymous);
        return m;
    }
}
