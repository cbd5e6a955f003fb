package dev.crm.surveys.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Running aggregates of a survey's responses: how many responses, how many of each value of the
 * standard score question ({@code scores}), and how many of each value per choice question and per
 * other score question ({@code answers}: question id → value → count; a multiple choice counts once per
 * selected option). Text answers are not aggregated.
 *
 * <p>The store keeps one set per (survey, calendar day in the tenant's zone, shard) and adds each
 * response's own counts to it ({@link #ofResponse}); results sum the shards and days. Counts are
 * additive, so a replaced response is removed by adding its {@link #negate() negation}. Zero entries
 * are dropped, so two sets with the same counts are equal however they were built.
 */
public final class ScoreCounts {
    public static final ScoreCounts EMPTY = new ScoreCounts(0, new TreeMap<>(), new TreeMap<>());

    static final String RESPONSES_COUNTER = "responses";
    static final String SCORE_COUNTER_PREFIX = "score:";
    static final String ANSWER_COUNTER_PREFIX = "answer:";

    private final long responses;
    private final SortedMap<Integer, Long> scores;
    private final SortedMap<String, SortedMap<String, Long>> answers;

    private ScoreCounts(long responses, SortedMap<Integer, Long> scores, SortedMap<String, SortedMap<String, Long>> answers) {
        this.responses = responses;
        this.scores = scores;
        this.answers = answers;
    }

    public static ScoreCounts of(long responses, Map<Integer, Long> scores, Map<String, ? extends Map<String, Long>> answers) {
        TreeMap<Integer, Long> s = new TreeMap<>();
        scores.forEach((value, count) -> add(s, value, count));
        TreeMap<String, SortedMap<String, Long>> a = new TreeMap<>();
        answers.forEach((question, values) -> values.forEach((value, count) -> addAnswer(a, question, value, count)));
        return new ScoreCounts(responses, s, a);
    }

    /**
     * What one response adds. Answers are read as {@link Answers#validate} produced them (numbers of
     * any integral type, as a store may return them); an answer that does not fit the question's type,
     * or a question the survey no longer has, is not counted.
     */
    public static ScoreCounts ofResponse(Survey survey, Map<String, Object> responseAnswers) {
        TreeMap<Integer, Long> s = new TreeMap<>();
        TreeMap<String, SortedMap<String, Long>> a = new TreeMap<>();
        Question standard = survey.scoreQuestion();
        for (Question q : survey.questions()) {
            Object answer = responseAnswers.get(q.id());
            if (answer == null) {
                continue;
            }
            if (q == standard) {
                Long v = integral(answer);
                if (v != null) {
                    add(s, v.intValue(), 1);
                }
                continue;
            }
            switch (q.type()) {
                case SCORE -> {
                    Long v = integral(answer);
                    if (v != null) {
                        addAnswer(a, q.id(), Long.toString(v), 1);
                    }
                }
                case SINGLE_CHOICE -> {
                    if (answer instanceof String value) {
                        addAnswer(a, q.id(), value, 1);
                    }
                }
                case MULTI_CHOICE -> {
                    if (answer instanceof List<?> values) {
                        Set<Object> seen = new HashSet<>();
                        for (Object value : values) {
                            if (value instanceof String v && seen.add(v)) {
                                addAnswer(a, q.id(), v, 1);
                            }
                        }
                    }
                }
                case TEXT -> {
                    // free text is not aggregated
                }
            }
        }
        return new ScoreCounts(1, s, a);
    }

    private static Long integral(Object o) {
        if (o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte) {
            return ((Number) o).longValue();
        }
        if (o instanceof BigInteger b && b.bitLength() < 32) {
            return b.longValue();
        }
        if (o instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) {
            return d.longValue();
        }
        return null;
    }

    private static <K> void add(SortedMap<K, Long> map, K key, long count) {
        long total = map.getOrDefault(key, 0L) + count;
        if (total == 0) {
            map.remove(key);
        } else {
            map.put(key, total);
        }
    }

    private static void addAnswer(SortedMap<String, SortedMap<String, Long>> map, String question, String value, long count) {
        SortedMap<String, Long> values = map.computeIfAbsent(question, k -> new TreeMap<>());
        add(values, value, count);
        if (values.isEmpty()) {
            map.remove(question);
        }
    }

    /**
     * Recounts raw responses into per-day counts, the day being the submission's calendar day in
     * {@code zone}: the same keys the store's counters have, so a recount compares day by day.
     */
    public static SortedMap<LocalDate, ScoreCounts> byDay(Survey survey, ZoneId zone, Iterable<SubmittedResponse> responses) {
        SortedMap<LocalDate, ScoreCounts> days = new TreeMap<>();
        for (SubmittedResponse r : responses) {
            days.merge(LocalDate.ofInstant(r.submittedAt(), zone), ofResponse(survey, r.answers()), ScoreCounts::plus);
        }
        return days;
    }

    public static ScoreCounts sum(Iterable<ScoreCounts> parts) {
        ScoreCounts total = EMPTY;
        for (ScoreCounts c : parts) {
            total = total.plus(c);
        }
        return total;
    }

    public ScoreCounts plus(ScoreCounts other) {
        TreeMap<Integer, Long> s = new TreeMap<>(scores);
        other.scores.forEach((value, count) -> add(s, value, count));
        TreeMap<String, SortedMap<String, Long>> a = new TreeMap<>();
        answers.forEach((q, values) -> a.put(q, new TreeMap<>(values)));
        other.answers.forEach((q, values) -> values.forEach((value, count) -> addAnswer(a, q, value, count)));
        return new ScoreCounts(responses + other.responses, s, a);
    }

    public ScoreCounts negate() {
        TreeMap<Integer, Long> s = new TreeMap<>();
        scores.forEach((value, count) -> s.put(value, -count));
        TreeMap<String, SortedMap<String, Long>> a = new TreeMap<>();
        answers.forEach((q, values) -> values.forEach((value, count) -> addAnswer(a, q, value, -count)));
        return new ScoreCounts(-responses, s, a);
    }

    public boolean isEmpty() {
        return responses == 0 && scores.isEmpty() && answers.isEmpty();
    }

    public long responses() {
        return responses;
    }

    /** Standard score value → count, ascending. */
    public SortedMap<Integer, Long> scores() {
        return Collections.unmodifiableSortedMap(scores);
    }

    public long score(int value) {
        return scores.getOrDefault(value, 0L);
    }

    /** Question id → value → count. */
    public Map<String, SortedMap<String, Long>> answers() {
        TreeMap<String, SortedMap<String, Long>> copy = new TreeMap<>();
        answers.forEach((q, values) -> copy.put(q, Collections.unmodifiableSortedMap(values)));
        return Collections.unmodifiableMap(copy);
    }

    public Map<String, Long> answers(String questionId) {
        SortedMap<String, Long> values = answers.get(questionId);
        return values == null ? Map.of() : Collections.unmodifiableSortedMap(values);
    }

    // ---- counters: how the store names each count ----

    /**
     * The counts as flat named counters, e.g. {@code responses}, {@code score:9},
     * {@code answer:reasons:fast}: one numeric attribute each, incremented with an atomic ADD. The
     * names are unambiguous because question ids and option values cannot contain ':'.
     */
    public Map<String, Long> toCounters() {
        Map<String, Long> out = new TreeMap<>();
        if (responses != 0) {
            out.put(RESPONSES_COUNTER, responses);
        }
        scores.forEach((value, count) -> out.put(SCORE_COUNTER_PREFIX + value, count));
        answers.forEach((q, values) -> values.forEach((value, count) -> out.put(ANSWER_COUNTER_PREFIX + q + ":" + value, count)));
        return out;
    }

    /** Reads counters written by {@link #toCounters()}; a name it does not know is a bug, not data to drop. */
    public static ScoreCounts fromCounters(Map<String, ? extends Number> counters) {
        long responses = 0;
        TreeMap<Integer, Long> s = new TreeMap<>();
        TreeMap<String, SortedMap<String, Long>> a = new TreeMap<>();
        for (Map.Entry<String, ? extends Number> e : counters.entrySet()) {
            String name = e.getKey();
            long count = e.getValue().longValue();
            if (name.equals(RESPONSES_COUNTER)) {
                responses += count;
            } else if (name.startsWith(SCORE_COUNTER_PREFIX)) {
                add(s, Integer.parseInt(name.substring(SCORE_COUNTER_PREFIX.length())), count);
            } else if (name.startsWith(ANSWER_COUNTER_PREFIX)) {
                String rest = name.substring(ANSWER_COUNTER_PREFIX.length());
                int colon = rest.indexOf(':');
                if (colon <= 0 || colon == rest.length() - 1) {
                    throw new IllegalArgumentException("malformed counter name " + name);
                }
                addAnswer(a, rest.substring(0, colon), rest.substring(colon + 1), count);
            } else {
                throw new IllegalArgumentException("unknown counter " + name);
            }
        }
        return new ScoreCounts(responses, s, a);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreCounts c && responses == c.responses && scores.equals(c.scores) && answers.equals(c.answers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(responses, scores, answers);
    }

    @Override
    public String toString() {
        return "ScoreCounts" + toCounters();
    }
}
