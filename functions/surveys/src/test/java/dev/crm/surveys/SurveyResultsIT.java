package dev.crm.surveys;

import static dev.crm.surveys.SurveyFixture.score;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A thousand responses per kind with known scores, spread over four weeks around a month end and a
 * daylight-saving change in the tenant's zone: the results must be exactly what a hand calculation
 * gives, per day, week and month, and per segment. The expected numbers are computed here from the
 * list of submitted scores with plain arithmetic, not with the domain's classes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SurveyResultsIT {
    static final ZoneId ZONE = ZoneId.of("America/New_York");
    static final LocalDate FROM = LocalDate.parse("2026-10-19");
    static final LocalDate TO = LocalDate.parse("2026-11-17");
    static final int RESPONSES = 1000;
    static final int CONTACTS = 200;

    private final ExecutorService pool = Executors.newFixedThreadPool(3);
    private final SurveyFixture f = new SurveyFixture("2026-10-19T04:00:00Z");
    private TenantId tenant;
    private String nps;
    private String csat;
    private String ces;
    private String vip;
    private String detractors;
    /** What was submitted, in order: when, the three scores, and the contact (null: anonymous). */
    private final List<Submitted> submitted = new ArrayList<>();

    record Submitted(Instant at, int nps, int csat, int ces, Integer contact) {}

    @BeforeAll
    void submitAThousandOfEach() throws Exception {
        tenant = f.tenant("{\"defaultTimeZone\": \"America/New_York\"}");
        // closed by the end of the range, so a nightly recount in another test leaves them alone
        String window = ", \"closesAt\": \"2026-11-18T00:00:00Z\", \"rateLimit\": {\"perClientPerMinute\": 10000}}";
        nps = f.survey(tenant, "{\"kind\": \"nps\", \"title\": \"NPS\"" + window);
        csat = f.survey(tenant, "{\"kind\": \"csat\", \"title\": \"CSAT\"" + window);
        ces = f.survey(tenant, "{\"kind\": \"ces\", \"title\": \"CES\"" + window);
        List<String> contacts = new ArrayList<>();
        for (int i = 0; i < CONTACTS; i++) {
            contacts.add(f.contact(tenant, "{\"email\": \"r" + i + "-" + tenant.value() + "@example.com\""
                    + (i % 2 == 0 ? ", \"tags\": [\"vip\"]" : "") + "}"));
        }
        vip = f.segment(tenant, "{\"field\": \"tags\", \"op\": \"contains\", \"value\": \"vip\"}");
        detractors = f.segment(tenant, "{\"field\": \"surveys.latestNps\", \"op\": \"lte\", \"value\": 6}");

        Random random = new Random(20261124);
        List<Instant> times = new ArrayList<>();
        Instant start = FROM.atStartOfDay(ZONE).toInstant();
        long span = Duration.between(start, TO.atStartOfDay(ZONE).toInstant()).toSeconds();
        for (int i = 0; i < RESPONSES; i++) {
            times.add(start.plusSeconds(random.nextLong(span)));
        }
        // a few exactly on the zone's midnights, where a UTC day and the tenant's day differ
        times.set(0, LocalDate.parse("2026-11-01").atStartOfDay(ZONE).toInstant());
        times.set(1, LocalDate.parse("2026-11-01").atStartOfDay(ZONE).toInstant().minusMillis(1));
        times.set(2, LocalDate.parse("2026-11-02").atStartOfDay(ZONE).toInstant());
        times.sort(null);
        for (int i = 0; i < RESPONSES; i++) {
            // every fifth response comes from a known contact, through a respondent link
            Integer contact = i % 5 == 0 ? i / 5 : null;
            submitted.add(new Submitted(times.get(i), random.nextInt(11), 1 + random.nextInt(5), 1 + random.nextInt(7), contact));
        }
        Map<Integer, String> tokens = new LinkedHashMap<>();
        for (Submitted s : submitted) {
            if (s.contact() != null) {
                tokens.put(s.contact(), f.token(tenant, nps, contacts.get(s.contact())));
            }
        }
        for (Submitted s : submitted) {
            f.clock.set(s.at());
            String npsBody = s.contact() == null ? score(s.nps()) : score(s.nps(), tokens.get(s.contact()));
            List<Future<?>> three = List.of(
                    pool.submit(() -> status(f.submit(nps, npsBody), 201)),
                    pool.submit(() -> status(f.submit(csat, score(s.csat())), 201)),
                    pool.submit(() -> status(f.submit(ces, score(s.ces())), 201)));
            for (Future<?> done : three) {
                done.get();
            }
        }
        f.clock.set(Instant.parse("2026-11-20T12:00:00Z"));
    }

    @AfterAll
    void shutdown() {
        pool.shutdown();
    }

    // ---- the hand calculation ----

    enum Interval { DAY, WEEK, MONTH }

    static LocalDate startOf(LocalDate d, Interval i) {
        return switch (i) {
            case DAY -> d;
            case WEEK -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> d.withDayOfMonth(1);
        };
    }

    /** Scores per interval start (clipped to FROM), in the tenant's zone. */
    TreeMap<LocalDate, List<Integer>> byInterval(Interval interval, java.util.function.ToIntFunction<Submitted> score,
            Predicate<Submitted> included) {
        TreeMap<LocalDate, List<Integer>> out = new TreeMap<>();
        for (LocalDate d = FROM; d.isBefore(TO); d = d.plusDays(1)) {
            LocalDate s = startOf(d, interval);
            out.putIfAbsent(s.isBefore(FROM) ? FROM : s, new ArrayList<>());
        }
        for (Submitted s : submitted) {
            if (included.test(s)) {
                LocalDate day = LocalDate.ofInstant(s.at(), ZONE);
                LocalDate key = startOf(day, interval);
                out.get(key.isBefore(FROM) ? FROM : key).add(score.applyAsInt(s));
            }
        }
        return out;
    }

    static BigDecimal percent(long part, long whole, int decimals) {
        return whole == 0 ? null : BigDecimal.valueOf(part * 100).divide(BigDecimal.valueOf(whole), decimals, RoundingMode.HALF_UP);
    }

    static Map<String, Object> npsOf(List<Integer> scores) {
        long promoters = scores.stream().filter(s -> s >= 9).count();
        long passives = scores.stream().filter(s -> s == 7 || s == 8).count();
        long detractors = scores.stream().filter(s -> s <= 6).count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("responses", (long) scores.size());
        m.put("nps", scores.isEmpty() ? null : BigDecimal.valueOf((promoters - detractors) * 100)
                .divide(BigDecimal.valueOf(scores.size()), 1, RoundingMode.HALF_UP));
        m.put("promoters", promoters);
        m.put("passives", passives);
        m.put("detractors", detractors);
        return m;
    }

    static Map<String, Object> csatOf(List<Integer> scores) {
        long satisfied = scores.stream().filter(s -> s >= 4).count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("responses", (long) scores.size());
        m.put("csat", percent(satisfied, scores.size(), 1));
        m.put("satisfied", satisfied);
        return m;
    }

    static Map<String, Object> cesOf(List<Integer> scores) {
        long sum = scores.stream().mapToLong(Integer::longValue).sum();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("responses", (long) scores.size());
        m.put("ces", scores.isEmpty() ? null
                : BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(scores.size()), 2, RoundingMode.HALF_UP));
        return m;
    }

    /** The numbers of one summary from the API, decimals as written (scale included). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> numbers(Map<String, Object> summary, Iterable<String> keys) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : keys) {
            Object v = summary.get(k);
            m.put(k, v instanceof Number && !(v instanceof Long) ? new BigDecimal(v.toString()) : v);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    void assertResults(String surveyId, Interval interval, String segment,
            java.util.function.Function<List<Integer>, Map<String, Object>> expectedOf,
            java.util.function.ToIntFunction<Submitted> score, Predicate<Submitted> included) {
        List<String> query = new ArrayList<>(List.of("from", FROM.toString(), "to", TO.toString(), "interval",
                interval.name().toLowerCase(java.util.Locale.ROOT)));
        if (segment != null) {
            query.addAll(List.of("segment", segment));
        }
        Map<String, Object> r = f.results(tenant, surveyId, query.toArray(String[]::new));
        TreeMap<LocalDate, List<Integer>> expected = byInterval(interval, score, included);
        List<Integer> all = new ArrayList<>();
        expected.values().forEach(all::addAll);
        Map<String, Object> total = expectedOf.apply(all);
        assertEquals(total, numbers(r, total.keySet()), surveyId + " " + interval + " " + segment);
        List<Map<String, Object>> rows = (List<Map<String, Object>>) r.get("intervals");
        assertEquals(expected.size(), rows.size());
        int i = 0;
        for (var e : expected.entrySet()) {
            Map<String, Object> row = rows.get(i++);
            assertEquals(e.getKey().toString(), row.get("start"));
            Map<String, Object> want = expectedOf.apply(e.getValue());
            assertEquals(want, numbers(row, want.keySet()), interval + " " + e.getKey() + " " + segment);
        }
        Map<String, Long> distribution = new TreeMap<>();
        for (Integer s : all) {
            distribution.merge(Integer.toString(s), 1L, Long::sum);
        }
        Map<String, Object> given = (Map<String, Object>) r.get("distribution");
        for (var d : given.entrySet()) {
            assertEquals(distribution.getOrDefault(d.getKey(), 0L), d.getValue(), "distribution of " + d.getKey());
        }
    }

    // ---- the checks ----

    @Test
    void npsPerDayWeekAndMonthIsTheHandCalculation() {
        for (Interval i : Interval.values()) {
            assertResults(nps, i, null, SurveyResultsIT::npsOf, Submitted::nps, s -> true);
        }
    }

    @Test
    void csatAndCesPerDayWeekAndMonthAreTheHandCalculation() {
        for (Interval i : Interval.values()) {
            assertResults(csat, i, null, SurveyResultsIT::csatOf, Submitted::csat, s -> true);
            assertResults(ces, i, null, SurveyResultsIT::cesOf, Submitted::ces, s -> true);
        }
    }

    @Test
    void perSegmentOnlyTheMembersResponsesCount() {
        // vip: every other contact, by tag
        Predicate<Submitted> isVip = s -> s.contact() != null && s.contact() % 2 == 0;
        for (Interval i : Interval.values()) {
            assertResults(nps, i, vip, SurveyResultsIT::npsOf, Submitted::nps, isVip);
        }
        // a segment on the latest NPS this function wrote for each contact: its detractors
        Predicate<Submitted> isDetractor = s -> s.contact() != null && s.nps() <= 6;
        assertResults(nps, Interval.WEEK, detractors, SurveyResultsIT::npsOf, Submitted::nps, isDetractor);
        // anonymous responses are in no segment: the CSAT survey had no known respondents
        assertResults(csat, Interval.MONTH, vip, SurveyResultsIT::csatOf, Submitted::csat, s -> false);
    }
}
