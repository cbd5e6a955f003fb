package dev.crm.surveys.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The results of a survey over a {@link ResultsQuery}, computed from per-day counts: the store's
 * counters ({@link #fromDayCounts}) or a recount of raw responses ({@link #fromResponses}); both give
 * the same results because both go through {@link ScoreCounts}.
 *
 * <p>The JSON shape ({@link #toJson()}):
 * <pre>
 * {"surveyId", "kind", "timeZone", "from", "to", "interval",
 *  "responses": 1000,
 *  ...headline,                                  // by kind, see below
 *  "distribution": {"0": 3, ..., "10": 310},     // nps, csat, ces: every value of the scale, 0 when none
 *  "intervals": [{"start": "2026-11-16", "end": "2026-11-23", "responses", ...headline}, ...],
 *  "choices": {"&lt;questionId&gt;": {"&lt;value&gt;": count}},  // every choice question, every option
 *  "scores": {"&lt;questionId&gt;": {"answered", "mean", "distribution"}}}  // score questions besides the standard one
 * </pre>
 * Headline: nps → {@code "nps", "promoters", "passives", "detractors"}; csat → {@code "csat"} (% of 4–5)
 * and {@code "satisfied"} (how many 4–5); ces → {@code "ces"} (mean); custom → none. Scores are null
 * when there are no answers. A multiple-choice question counts once per selected option. Options a
 * survey no longer offers but that were counted follow the offered ones, so totals stay exact; counts
 * of questions the survey no longer has, or that changed type, are left out, so that results from
 * stored counters and from a recount under the current definition agree.
 */
public final class SurveyResults {

    /** The headline numbers of one interval or of the whole range; fields not of the survey's kind are 0/null. */
    public record Summary(long responses, BigDecimal nps, long promoters, long passives, long detractors,
            BigDecimal csat, long satisfied, BigDecimal ces) {

        static Summary of(SurveyKind kind, ScoreCounts counts) {
            long responses = counts.responses();
            switch (kind) {
                case NPS -> {
                    long promoters = 0;
                    long passives = 0;
                    long detractors = 0;
                    for (var e : counts.scores().entrySet()) {
                        int v = e.getKey();
                        if (v < 0 || v > 10) {
                            continue;
                        }
                        switch (Scores.npsCategory(v)) {
                            case PROMOTER -> promoters += e.getValue();
                            case PASSIVE -> passives += e.getValue();
                            case DETRACTOR -> detractors += e.getValue();
                        }
                    }
                    return new Summary(responses, Scores.nps(promoters, passives, detractors), promoters, passives,
                            detractors, null, 0, null);
                }
                case CSAT -> {
                    long answered = 0;
                    long satisfied = 0;
                    for (var e : counts.scores().subMap(1, 6).entrySet()) {
                        answered += e.getValue();
                        satisfied += Scores.isSatisfied(e.getKey()) ? e.getValue() : 0;
                    }
                    return new Summary(responses, null, 0, 0, 0, Scores.csat(satisfied, answered), satisfied, null);
                }
                case CES -> {
                    long answered = 0;
                    long sum = 0;
                    for (var e : counts.scores().subMap(1, 8).entrySet()) {
                        answered += e.getValue();
                        sum += e.getKey() * e.getValue();
                    }
                    return new Summary(responses, null, 0, 0, 0, null, 0, Scores.ces(sum, answered));
                }
                default -> {
                    return new Summary(responses, null, 0, 0, 0, null, 0, null);
                }
            }
        }

        void writeTo(SurveyKind kind, Map<String, Object> out) {
            out.put("responses", responses);
            switch (kind) {
                case NPS -> {
                    out.put("nps", nps);
                    out.put("promoters", promoters);
                    out.put("passives", passives);
                    out.put("detractors", detractors);
                }
                case CSAT -> {
                    out.put("csat", csat);
                    out.put("satisfied", satisfied);
                }
                case CES -> out.put("ces", ces);
                case CUSTOM -> {
                    // no headline score
                }
            }
        }
    }

    /** One interval: the days [start, end) and their numbers. */
    public record IntervalResult(LocalDate start, LocalDate end, Summary summary) {}

    /** A score question other than the standard one: how many answered it, the mean (two decimals), the spread. */
    public record QuestionScores(long answered, BigDecimal mean, SortedMap<Integer, Long> distribution) {}

    private final Survey survey;
    private final ResultsQuery query;
    private final ScoreCounts totals;
    private final Summary total;
    private final List<IntervalResult> intervals;

    private SurveyResults(Survey survey, ResultsQuery query, ScoreCounts totals, List<IntervalResult> intervals) {
        this.survey = survey;
        this.query = query;
        this.totals = totals;
        this.total = Summary.of(survey.kind(), totals);
        this.intervals = List.copyOf(intervals);
    }

    /** From counts per calendar day in the tenant's zone (shards already summed); days outside the range are ignored. */
    public static SurveyResults fromDayCounts(Survey survey, ResultsQuery query, Map<LocalDate, ScoreCounts> dayCounts) {
        TreeMap<LocalDate, ScoreCounts> days = new TreeMap<>();
        dayCounts.forEach((day, counts) -> {
            if (query.contains(day)) {
                days.merge(day, counts, ScoreCounts::plus);
            }
        });
        List<IntervalResult> intervals = new ArrayList<>();
        for (ResultsQuery.Period p : query.periods()) {
            ScoreCounts counts = ScoreCounts.sum(days.subMap(p.start(), p.end()).values());
            intervals.add(new IntervalResult(p.start(), p.end(), Summary.of(survey.kind(), counts)));
        }
        return new SurveyResults(survey, query, ScoreCounts.sum(days.values()), intervals);
    }

    /** A recount from raw responses, each counted on its calendar day in the query's zone. */
    public static SurveyResults fromResponses(Survey survey, ResultsQuery query, Collection<SubmittedResponse> responses) {
        return fromDayCounts(survey, query, ScoreCounts.byDay(survey, query.zone(), responses));
    }

    public Summary total() {
        return total;
    }

    public List<IntervalResult> intervals() {
        return intervals;
    }

    /** The summed counts over the whole range. */
    public ScoreCounts totals() {
        return totals;
    }

    /** Every value of the standard scale (and any other counted), ascending; empty for a custom survey. */
    public SortedMap<Integer, Long> distribution() {
        SortedMap<Integer, Long> out = new TreeMap<>();
        Question q = survey.scoreQuestion();
        if (q == null) {
            return out;
        }
        for (int v = q.min(); v <= q.max(); v++) {
            out.put(v, 0L);
        }
        out.putAll(totals.scores());
        return out;
    }

    /** Per choice question, in survey order: every offered option (in option order, 0 when none), then values no longer offered. */
    public Map<String, Map<String, Long>> choices() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Question q : survey.questions()) {
            if (!q.isChoice()) {
                continue;
            }
            Map<String, Long> counted = totals.answers(q.id());
            Map<String, Long> values = new LinkedHashMap<>();
            for (Question.Option o : q.options()) {
                values.put(o.value(), counted.getOrDefault(o.value(), 0L));
            }
            counted.forEach((value, count) -> {
                // a number here was counted while the question was a score question; not a choice
                if (Text.isIdentifier(value)) {
                    values.putIfAbsent(value, count);
                }
            });
            out.put(q.id(), values);
        }
        return out;
    }

    /** Per score question other than the standard one, in survey order. */
    public Map<String, QuestionScores> scores() {
        Map<String, QuestionScores> out = new LinkedHashMap<>();
        Question standard = survey.scoreQuestion();
        for (Question q : survey.questions()) {
            if (q.type() != QuestionType.SCORE || q == standard) {
                continue;
            }
            SortedMap<Integer, Long> distribution = new TreeMap<>();
            for (int v = q.min(); v <= q.max(); v++) {
                distribution.put(v, 0L);
            }
            long answered = 0;
            long sum = 0;
            for (var e : totals.answers(q.id()).entrySet()) {
                Integer value = integerOrNull(e.getKey());
                if (value == null) {
                    continue; // counted while the question was a choice question
                }
                distribution.merge(value, e.getValue(), Long::sum);
                answered += e.getValue();
                sum += value * e.getValue();
            }
            out.put(q.id(), new QuestionScores(answered, Scores.mean(sum, answered), distribution));
        }
        return out;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("surveyId", survey.id());
        m.put("kind", survey.kind().wire());
        m.put("timeZone", query.zone().getId());
        m.put("from", query.from().toString());
        m.put("to", query.to().toString());
        m.put("interval", query.interval().wire());
        total.writeTo(survey.kind(), m);
        if (survey.kind().hasStandardScore()) {
            m.put("distribution", keysAsText(distribution()));
        }
        List<Object> rows = new ArrayList<>();
        for (IntervalResult r : intervals) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("start", r.start().toString());
            row.put("end", r.end().toString());
            r.summary().writeTo(survey.kind(), row);
            rows.add(row);
        }
        m.put("intervals", rows);
        m.put("choices", choices());
        Map<String, Object> scores = new LinkedHashMap<>();
        scores().forEach((id, s) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("answered", s.answered());
            entry.put("mean", s.mean());
            entry.put("distribution", keysAsText(s.distribution()));
            scores.put(id, entry);
        });
        m.put("scores", scores);
        return m;
    }

    private static Integer integerOrNull(String text) {
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Map<String, Long> keysAsText(SortedMap<Integer, Long> distribution) {
        Map<String, Long> out = new LinkedHashMap<>();
        distribution.forEach((k, v) -> out.put(Integer.toString(k), v));
        return out;
    }
}
