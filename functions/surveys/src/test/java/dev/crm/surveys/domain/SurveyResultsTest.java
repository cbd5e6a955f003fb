package dev.crm.surveys.domain;

import static dev.crm.surveys.domain.Fixtures.survey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SurveyResultsTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    private static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    private static SubmittedResponse response(String at, Object... keyValues) {
        Map<String, Object> answers = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            answers.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new SubmittedResponse(Instant.parse(at), answers);
    }

    private static ResultsQuery query(String from, String to, ResultsQuery.Interval interval, ZoneId zone) {
        return new ResultsQuery(d(from), d(to), interval, zone);
    }

    // ---- the shape, on a hand-sized example ----

    @Test
    void npsResultsByDayIncludingEmptyDaysAndTheRangeEnds() {
        Survey survey = survey(Fixtures.NPS_WITH_EXTRAS);
        List<SubmittedResponse> responses = List.of(
                response("2026-11-16T10:00:00Z", "score", 10L, "reason", "fast", "channels", List.of("chat", "email"), "effort", 4L),
                response("2026-11-16T11:00:00Z", "score", 6L, "reason", "fast", "channels", List.of("phone"), "effort", 2L),
                response("2026-11-18T09:00:00Z", "score", 8L, "channels", List.of("chat"), "why", "ok"),
                response("2026-11-19T00:00:00Z", "score", 0L, "channels", List.of("chat")),     // `to` is exclusive
                response("2026-11-15T23:59:59Z", "score", 0L, "channels", List.of("chat")));    // before `from`
        SurveyResults results = SurveyResults.fromResponses(survey, query("2026-11-16", "2026-11-19", ResultsQuery.Interval.DAY, UTC), responses);
        assertEquals("{\"surveyId\":\"" + Fixtures.SURVEY_ID + "\",\"kind\":\"nps\",\"timeZone\":\"UTC\","
                + "\"from\":\"2026-11-16\",\"to\":\"2026-11-19\",\"interval\":\"day\","
                + "\"responses\":3,\"nps\":0.0,\"promoters\":1,\"passives\":1,\"detractors\":1,"
                + "\"distribution\":{\"0\":0,\"1\":0,\"2\":0,\"3\":0,\"4\":0,\"5\":0,\"6\":1,\"7\":0,\"8\":1,\"9\":0,\"10\":1},"
                + "\"intervals\":["
                + "{\"start\":\"2026-11-16\",\"end\":\"2026-11-17\",\"responses\":2,\"nps\":0.0,\"promoters\":1,\"passives\":0,\"detractors\":1},"
                + "{\"start\":\"2026-11-17\",\"end\":\"2026-11-18\",\"responses\":0,\"nps\":null,\"promoters\":0,\"passives\":0,\"detractors\":0},"
                + "{\"start\":\"2026-11-18\",\"end\":\"2026-11-19\",\"responses\":1,\"nps\":0.0,\"promoters\":0,\"passives\":1,\"detractors\":0}],"
                + "\"choices\":{\"reason\":{\"fast\":2,\"friendly\":0,\"cheap\":0},\"channels\":{\"email\":1,\"phone\":1,\"chat\":2}},"
                + "\"scores\":{\"effort\":{\"answered\":2,\"mean\":3.00,\"distribution\":{\"1\":0,\"2\":1,\"3\":0,\"4\":1,\"5\":0}}}}",
                Json.write(results.toJson()));
        assertEquals(3, results.total().responses());
        assertEquals(new BigDecimal("0.0"), results.total().nps());
        assertEquals(3, results.intervals().size());
    }

    @Test
    void noResponsesAtAllGivesZerosAndNulls() {
        Survey survey = survey("{'kind': 'nps', 'title': 'T'}");
        SurveyResults r = SurveyResults.fromDayCounts(survey, query("2026-11-16", "2026-11-18", ResultsQuery.Interval.DAY, UTC), Map.of());
        Map<String, Object> json = r.toJson();
        assertEquals(0L, json.get("responses"));
        assertTrue(json.containsKey("nps"));
        assertNull(json.get("nps"));
        assertEquals(2, ((List<?>) json.get("intervals")).size());
        assertEquals(Map.of(), json.get("choices"));
        assertEquals(Map.of(), json.get("scores"));
    }

    @Test
    void csatResultsReportThePercentageSatisfied() {
        Survey survey = survey("{'kind': 'csat', 'title': 'T'}");
        List<SubmittedResponse> responses = List.of(response("2026-11-16T10:00:00Z", "score", 5L), response("2026-11-16T11:00:00Z", "score", 4L),
                response("2026-11-17T10:00:00Z", "score", 2L));
        String json = Json.write(SurveyResults.fromResponses(survey, query("2026-11-16", "2026-11-18", ResultsQuery.Interval.DAY, UTC), responses).toJson());
        assertEquals("{\"surveyId\":\"" + Fixtures.SURVEY_ID + "\",\"kind\":\"csat\",\"timeZone\":\"UTC\",\"from\":\"2026-11-16\",\"to\":\"2026-11-18\","
                + "\"interval\":\"day\",\"responses\":3,\"csat\":66.7,\"satisfied\":2,"
                + "\"distribution\":{\"1\":0,\"2\":1,\"3\":0,\"4\":1,\"5\":1},"
                + "\"intervals\":[{\"start\":\"2026-11-16\",\"end\":\"2026-11-17\",\"responses\":2,\"csat\":100.0,\"satisfied\":2},"
                + "{\"start\":\"2026-11-17\",\"end\":\"2026-11-18\",\"responses\":1,\"csat\":0.0,\"satisfied\":0}],"
                + "\"choices\":{},\"scores\":{}}", json);
    }

    @Test
    void cesResultsReportTheMean() {
        Survey survey = survey("{'kind': 'ces', 'title': 'T'}");
        List<SubmittedResponse> responses = List.of(response("2026-11-16T10:00:00Z", "score", 7L), response("2026-11-16T11:00:00Z", "score", 6L),
                response("2026-11-16T12:00:00Z", "score", 6L));
        String json = Json.write(SurveyResults.fromResponses(survey, query("2026-11-16", "2026-11-18", ResultsQuery.Interval.DAY, UTC), responses).toJson());
        assertTrue(json.contains("\"responses\":3,\"ces\":6.33,\"distribution\":{\"1\":0,\"2\":0,\"3\":0,\"4\":0,\"5\":0,\"6\":2,\"7\":1}"), json);
        assertTrue(json.contains("{\"start\":\"2026-11-17\",\"end\":\"2026-11-18\",\"responses\":0,\"ces\":null}"), json);
    }

    @Test
    void customResultsHaveNoHeadlineButEveryScoreAndChoiceQuestion() {
        Survey survey = survey("{'kind': 'custom', 'title': 'T', 'questions': ["
                + "{'id': 'stars', 'type': 'score', 'label': 'L', 'min': 1, 'max': 3},"
                + "{'id': 'pick', 'type': 'single_choice', 'label': 'L', 'options': [{'value': 'a', 'label': 'A'}, {'value': 'b', 'label': 'B'}]}]}");
        List<SubmittedResponse> responses = List.of(response("2026-11-16T10:00:00Z", "stars", 3L, "pick", "b"),
                response("2026-11-16T11:00:00Z", "stars", 2L), response("2026-11-16T12:00:00Z", "pick", "b"));
        String json = Json.write(SurveyResults.fromResponses(survey, query("2026-11-16", "2026-11-17", ResultsQuery.Interval.DAY, UTC), responses).toJson());
        assertEquals("{\"surveyId\":\"" + Fixtures.SURVEY_ID + "\",\"kind\":\"custom\",\"timeZone\":\"UTC\",\"from\":\"2026-11-16\",\"to\":\"2026-11-17\","
                + "\"interval\":\"day\",\"responses\":3,"
                + "\"intervals\":[{\"start\":\"2026-11-16\",\"end\":\"2026-11-17\",\"responses\":3}],"
                + "\"choices\":{\"pick\":{\"a\":0,\"b\":2}},"
                + "\"scores\":{\"stars\":{\"answered\":2,\"mean\":2.50,\"distribution\":{\"1\":0,\"2\":1,\"3\":1}}}}",
                json);
    }

    @Test
    void optionsNoLongerOfferedStillCountAfterTheOfferedOnes() {
        Survey before = survey("{'kind': 'custom', 'title': 'T', 'questions': [{'id': 'pick', 'type': 'single_choice', 'label': 'L',"
                + " 'options': [{'value': 'a', 'label': 'A'}, {'value': 'old', 'label': 'Old'}]}]}");
        Map<LocalDate, ScoreCounts> days = ScoreCounts.byDay(before, UTC, List.of(response("2026-11-16T10:00:00Z", "pick", "old")));
        Survey after = survey("{'kind': 'custom', 'title': 'T', 'questions': [{'id': 'pick', 'type': 'single_choice', 'label': 'L',"
                + " 'options': [{'value': 'a', 'label': 'A'}, {'value': 'b', 'label': 'B'}]}]}");
        SurveyResults r = SurveyResults.fromDayCounts(after, query("2026-11-16", "2026-11-17", ResultsQuery.Interval.DAY, UTC), days);
        assertEquals(List.of("a", "b", "old"), List.copyOf(r.choices().get("pick").keySet()));
        assertEquals(1L, r.choices().get("pick").get("old"));
    }

    @Test
    void aQuestionThatChangedTypeGivesTheSameResultsFromCountersAndFromARecount() {
        String choice = "{'id': 'q', 'type': 'single_choice', 'label': 'L', 'options': [{'value': 'a', 'label': 'A'}, {'value': 'b', 'label': 'B'}]}";
        String score = "{'id': 'q', 'type': 'score', 'label': 'L', 'min': 1, 'max': 3}";
        ResultsQuery q = query("2026-11-16", "2026-11-17", ResultsQuery.Interval.DAY, UTC);
        List<SubmittedResponse> asChoice = List.of(response("2026-11-16T10:00:00Z", "q", "a"));
        List<SubmittedResponse> asScore = List.of(response("2026-11-16T11:00:00Z", "q", 3L));
        Survey choiceSurvey = survey("{'kind': 'custom', 'title': 'T', 'questions': [" + choice + "]}");
        Survey scoreSurvey = survey("{'kind': 'custom', 'title': 'T', 'questions': [" + score + "]}");
        Map<LocalDate, ScoreCounts> counted = new HashMap<>(ScoreCounts.byDay(choiceSurvey, UTC, asChoice));
        ScoreCounts.byDay(scoreSurvey, UTC, asScore).forEach((day, c) -> counted.merge(day, c, ScoreCounts::plus));
        List<SubmittedResponse> all = new ArrayList<>(asChoice);
        all.addAll(asScore);
        for (Survey current : List.of(choiceSurvey, scoreSurvey)) {
            SurveyResults fromCounters = SurveyResults.fromDayCounts(current, q, counted);
            assertEquals(SurveyResults.fromResponses(current, q, all).toJson(), fromCounters.toJson());
            assertEquals(2, fromCounters.total().responses());
        }
        assertEquals(Map.of("q", Map.of("a", 1L, "b", 0L)), SurveyResults.fromDayCounts(choiceSurvey, q, counted).choices());
        assertEquals(1, SurveyResults.fromDayCounts(scoreSurvey, q, counted).scores().get("q").answered());
    }

    @Test
    void daysAreCalendarDaysInTheTenantsZone() {
        Survey survey = survey("{'kind': 'nps', 'title': 'T'}");
        List<SubmittedResponse> responses = List.of(
                response("2026-07-01T22:59:59Z", "score", 10L),   // 23:59:59 BST on 1 July
                response("2026-07-01T23:00:00Z", "score", 0L));   // 00:00 BST on 2 July
        SurveyResults london = SurveyResults.fromResponses(survey, query("2026-07-01", "2026-07-03", ResultsQuery.Interval.DAY, LONDON), responses);
        assertEquals(new BigDecimal("100.0"), london.intervals().get(0).summary().nps());
        assertEquals(new BigDecimal("-100.0"), london.intervals().get(1).summary().nps());
        SurveyResults utc = SurveyResults.fromResponses(survey, query("2026-07-01", "2026-07-03", ResultsQuery.Interval.DAY, UTC), responses);
        assertEquals(new BigDecimal("0.0"), utc.intervals().get(0).summary().nps());
        assertEquals(0, utc.intervals().get(1).summary().responses());
    }

    // ---- 1,000 responses with known scores: the hand calculation, the counters and the recount agree ----

    /** A response generated at a known local date and time, so the test's own bucketing needs no time zone arithmetic. */
    private record Generated(String id, LocalDate day, int score, SubmittedResponse response) {}

    /**
     * 1,000 responses over the six ISO weeks 19 Oct – 29 Nov 2026 in London (clocks go back on 25 Oct,
     * so some local times exist twice), at times of day that include the minutes around midnight.
     */
    private static List<Generated> generate(java.util.function.IntUnaryOperator scoreOf) {
        List<Generated> out = new ArrayList<>();
        LocalDate first = d("2026-10-19");
        for (int i = 0; i < 1000; i++) {
            LocalDate day = first.plusDays((i * 17L) % 42);
            int minuteOfDay = i % 10 == 0 ? 0 : i % 10 == 1 ? 1439 : (i * 37) % 1440;
            Instant at = LocalDateTime.of(day, LocalTime.ofSecondOfDay(minuteOfDay * 60L + i % 60)).atZone(LONDON).toInstant();
            int score = scoreOf.applyAsInt(i);
            out.add(new Generated("rsp_" + i, day, score, new SubmittedResponse(at, Map.of("score", (long) score))));
        }
        return out;
    }

    /** Per ISO week: {responses, promoters, passives, detractors, satisfied, sum}, counted with plain comparisons. */
    private static TreeMap<LocalDate, long[]> handCount(List<Generated> generated) {
        TreeMap<LocalDate, long[]> weeks = new TreeMap<>();
        for (Generated g : generated) {
            LocalDate monday = g.day().minusDays(g.day().getDayOfWeek().getValue() - 1);
            long[] w = weeks.computeIfAbsent(monday, k -> new long[6]);
            w[0]++;
            if (g.score() >= 9) {
                w[1]++;
            } else if (g.score() >= 7) {
                w[2]++;
            } else {
                w[3]++;
            }
            if (g.score() >= 4) {
                w[4]++;
            }
            w[5] += g.score();
        }
        return weeks;
    }

    /** numerator / denominator rounded half away from zero to {@code scale} decimals, in integer arithmetic only. */
    private static BigDecimal integerRound(long numerator, long denominator, int scale) {
        long scaled = numerator * (scale == 1 ? 10 : 100);
        long quotient = scaled / denominator;
        long remainder = Math.abs(scaled % denominator);
        if (2 * remainder >= denominator) {
            quotient += Long.signum(scaled);
        }
        return BigDecimal.valueOf(quotient, scale);
    }

    /** What the store does: each response's counters are added to its (day, shard) item; reading sums the shards. */
    private static Map<LocalDate, ScoreCounts> throughShardedCounters(Survey survey, List<Generated> generated) {
        Map<LocalDate, Map<Integer, Map<String, Long>>> items = new HashMap<>();
        for (Generated g : generated) {
            LocalDate day = LocalDate.ofInstant(g.response().submittedAt(), LONDON);
            Map<String, Long> item = items.computeIfAbsent(day, k -> new HashMap<>())
                    .computeIfAbsent(CounterShards.shardFor(g.id()), k -> new HashMap<>());
            ScoreCounts.ofResponse(survey, g.response().answers()).toCounters().forEach((name, n) -> item.merge(name, n, Long::sum));
        }
        Map<LocalDate, ScoreCounts> days = new HashMap<>();
        items.forEach((day, shards) -> {
            List<ScoreCounts> parts = new ArrayList<>();
            shards.values().forEach(counters -> parts.add(ScoreCounts.fromCounters(counters)));
            assertTrue(shards.size() > 1, "a busy day spreads over several shards");
            days.put(day, ScoreCounts.sum(parts));
        });
        return days;
    }

    private static List<SubmittedResponse> responsesOf(List<Generated> generated) {
        return generated.stream().map(Generated::response).toList();
    }

    @Test
    void thousandNpsResponsesMatchTheHandCalculationPerWeek() {
        // 26 of every 50 promoters, 19 passives, 5 detractors: 520 / 380 / 100 of 1,000
        List<Generated> generated = generate(i -> {
            int slot = i % 50;
            return slot < 26 ? 9 + (i / 50) % 2 : slot < 45 ? 7 + (i / 50) % 2 : i % 7;
        });
        Survey survey = survey("{'kind': 'nps', 'title': 'T'}");
        ResultsQuery weeks = query("2026-10-19", "2026-11-30", ResultsQuery.Interval.WEEK, LONDON);
        SurveyResults recount = SurveyResults.fromResponses(survey, weeks, responsesOf(generated));

        assertEquals(1000, recount.total().responses());
        assertEquals(520, recount.total().promoters());
        assertEquals(380, recount.total().passives());
        assertEquals(100, recount.total().detractors());
        assertEquals(new BigDecimal("42.0"), recount.total().nps());

        TreeMap<LocalDate, long[]> hand = handCount(generated);
        assertEquals(6, recount.intervals().size());
        for (SurveyResults.IntervalResult interval : recount.intervals()) {
            long[] w = hand.get(interval.start());
            SurveyResults.Summary s = interval.summary();
            assertEquals(w[0], s.responses(), interval.start().toString());
            assertEquals(w[1], s.promoters());
            assertEquals(w[2], s.passives());
            assertEquals(w[3], s.detractors());
            assertEquals(integerRound(100 * (w[1] - w[3]), w[0], 1), s.nps(), interval.start().toString());
        }

        long[] distribution = new long[11];
        generated.forEach(g -> distribution[g.score()]++);
        for (int v = 0; v <= 10; v++) {
            assertEquals(distribution[v], recount.distribution().get(v));
        }

        for (ResultsQuery.Interval interval : ResultsQuery.Interval.values()) {
            ResultsQuery q = query("2026-10-01", "2026-12-01", interval, LONDON);
            assertEquals(SurveyResults.fromResponses(survey, q, responsesOf(generated)).toJson(),
                    SurveyResults.fromDayCounts(survey, q, throughShardedCounters(survey, generated)).toJson(), interval.wire());
        }
        assertEquals(recount.toJson(), SurveyResults.fromDayCounts(survey, weeks, throughShardedCounters(survey, generated)).toJson());
    }

    @Test
    void thousandCsatResponsesMatchTheHandCalculationPerWeek() {
        // of every 20: eight 5s, six 4s, three 3s, two 2s, one 1: 70% satisfied
        int[] pattern = {5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 3, 3, 3, 2, 2, 1};
        List<Generated> generated = generate(i -> pattern[(i + i / 20) % 20]);
        Survey survey = survey("{'kind': 'csat', 'title': 'T'}");
        ResultsQuery weeks = query("2026-10-19", "2026-11-30", ResultsQuery.Interval.WEEK, LONDON);
        SurveyResults recount = SurveyResults.fromResponses(survey, weeks, responsesOf(generated));

        assertEquals(1000, recount.total().responses());
        assertEquals(700, recount.total().satisfied());
        assertEquals(new BigDecimal("70.0"), recount.total().csat());
        assertEquals(Map.of(1, 50L, 2, 100L, 3, 150L, 4, 300L, 5, 400L), recount.distribution());

        TreeMap<LocalDate, long[]> hand = handCount(generated);
        for (SurveyResults.IntervalResult interval : recount.intervals()) {
            long[] w = hand.get(interval.start());
            assertEquals(w[0], interval.summary().responses());
            assertEquals(w[4], interval.summary().satisfied());
            assertEquals(integerRound(100 * w[4], w[0], 1), interval.summary().csat(), interval.start().toString());
        }
        assertEquals(recount.toJson(), SurveyResults.fromDayCounts(survey, weeks, throughShardedCounters(survey, generated)).toJson());
    }

    @Test
    void thousandCesResponsesMatchTheHandCalculationPerWeek() {
        List<Generated> generated = generate(i -> 1 + (i * 3) % 7);
        Survey survey = survey("{'kind': 'ces', 'title': 'T'}");
        ResultsQuery weeks = query("2026-10-19", "2026-11-30", ResultsQuery.Interval.WEEK, LONDON);
        SurveyResults recount = SurveyResults.fromResponses(survey, weeks, responsesOf(generated));

        // 142 full cycles of 1..7 (sum 28 each) and then 1, 4, 7, 3, 6, 2: 3,976 + 23 = 3,999 over 1,000
        assertEquals(1000, recount.total().responses());
        assertEquals(new BigDecimal("4.00"), recount.total().ces());

        TreeMap<LocalDate, long[]> hand = handCount(generated);
        for (SurveyResults.IntervalResult interval : recount.intervals()) {
            long[] w = hand.get(interval.start());
            assertEquals(w[0], interval.summary().responses());
            assertEquals(integerRound(w[5], w[0], 2), interval.summary().ces(), interval.start().toString());
        }
        assertEquals(recount.toJson(), SurveyResults.fromDayCounts(survey, weeks, throughShardedCounters(survey, generated)).toJson());
    }

    @Test
    void replacedResponsesLeaveTheCountersEqualToARecount() {
        Survey survey = survey("{'kind': 'nps', 'title': 'T', 'duplicatePolicy': 'replace'}");
        List<Generated> generated = generate(i -> i % 11);
        Map<LocalDate, ScoreCounts> counters = new HashMap<>(throughShardedCounters(survey, generated));
        List<SubmittedResponse> finalResponses = new ArrayList<>(responsesOf(generated));
        for (int i = 0; i < 1000; i += 9) {
            // the respondent answers again later: the old answer's counts come off its own day, the new one's go on today's
            SubmittedResponse old = finalResponses.get(i);
            SubmittedResponse replacement = new SubmittedResponse(Instant.parse("2026-11-29T12:00:00Z"), Map.of("score", 10L));
            counters.merge(LocalDate.ofInstant(old.submittedAt(), LONDON), ScoreCounts.ofResponse(survey, old.answers()).negate(), ScoreCounts::plus);
            counters.merge(d("2026-11-29"), ScoreCounts.ofResponse(survey, replacement.answers()), ScoreCounts::plus);
            finalResponses.set(i, replacement);
        }
        ResultsQuery q = query("2026-10-19", "2026-11-30", ResultsQuery.Interval.WEEK, LONDON);
        assertEquals(SurveyResults.fromResponses(survey, q, finalResponses).toJson(), SurveyResults.fromDayCounts(survey, q, counters).toJson());
        counters.values().removeIf(ScoreCounts::isEmpty); // a day whose responses were all replaced keeps zero counters
        assertEquals(ScoreCounts.byDay(survey, LONDON, finalResponses), new TreeMap<>(counters),
                "day by day, as the recount job compares them");
    }
}
