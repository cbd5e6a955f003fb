package dev.crm.churn.domain.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.churn.domain.analytics.AnalyticsRepository.CaseOutcomes;
import dev.crm.churn.domain.analytics.AnalyticsRepository.Customer;
import dev.crm.churn.domain.analytics.AnalyticsRepository.Score;
import dev.crm.churn.domain.analytics.AnalyticsRepository.SurveyTally;
import dev.crm.churn.store.memory.InMemoryAnalyticsRepository;
import dev.crm.churn.store.memory.InMemoryAnalyticsRepository.RawCase;
import dev.crm.churn.store.memory.InMemoryAnalyticsRepository.RawPurchase;
import dev.crm.devkit.MutableClock;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantSettings;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The cohort matrix, the scorecard and the value groups on generated (seeded) data, each figure checked
 * against a recomputation here from the raw purchases, answers and cases, written without the
 * production code's shortcuts (no bit sets, no period index arithmetic: year-months of zoned instants).
 */
class AnalyticsTest {
    static final ZoneId ZONE = ZoneId.of("America/New_York");
    static final Instant NOW = Instant.parse("2027-04-20T12:00:00Z");
    static final Instant START = Instant.parse("2025-10-01T00:00:00Z");

    private final MutableClock clock = MutableClock.at(NOW.toString());
    private final InMemoryAnalyticsRepository store = new InMemoryAnalyticsRepository();
    private final Analytics analytics = new Analytics(store, clock);
    private final Tenant tenant = tenant();
    private final Tenant other = tenant();

    /** Raw generated data: every purchase, survey answer and case of the tenant. */
    private final List<RawPurchase> purchases = new ArrayList<>();
    private final Map<String, Instant> firstPurchase = new HashMap<>();
    private final List<int[]> answers = new ArrayList<>(); // {epochDay, kind 0 = nps / 1 = csat, score}
    private final List<RawCase> cases = new ArrayList<>();
    private final Map<String, Score> scores = new HashMap<>();

    static Tenant tenant() {
        TenantSettings d = TenantSettings.defaults();
        TenantSettings s = new TenantSettings(d.allowedOrigins(), ZONE.getId(), "EUR", d.defaultFrequencyCaps(),
                d.consentWordingVersion(), d.retention(), d.service());
        return new Tenant(TenantId.generate(), "Test", "test", Tenant.Status.ACTIVE, s, TenantSecrets.generate(), NOW, NOW, 1);
    }

    /** 600 customers buying at random instants (near midnights too), a tenth of the amounts in USD; answers; cases. */
    void generate(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long span = NOW.getEpochSecond() - START.getEpochSecond();
        for (int i = 0; i < 600; i++) {
            String id = String.format("c_%020d", i);
            Instant at = START.plusSeconds(r.nextLong(span));
            firstPurchase.put(id, at);
            List<LocalDate> days = new ArrayList<>();
            BigDecimal total = BigDecimal.ZERO;
            while (at.isBefore(NOW)) {
                BigDecimal amount = BigDecimal.valueOf(100 + r.nextInt(20_000), 2);
                String currency = r.nextInt(10) == 0 ? "USD" : "EUR";
                purchases.add(new RawPurchase(id, at, amount, currency));
                days.add(LocalDate.ofInstant(at, ZONE));
                total = currency.equals("EUR") ? total.add(amount) : total;
                if (r.nextInt(3) == 0) {
                    break;
                }
                at = at.plusSeconds(3600L + r.nextLong(120L * 86_400)); // up to four months later
            }
            LocalDate first = days.get(0);
            LocalDate last = days.get(days.size() - 1);
            long repeatDays = days.stream().distinct().count() - 1;
            PurchaseSummary summary = new PurchaseSummary("EUR", first, BigDecimal.ONE, last, repeatDays, total,
                    total, days.size(), 1);
            Score score = i % 7 == 0 ? null : new Score(r.nextDouble(), r.nextDouble() * 3,
                    BigDecimal.valueOf(r.nextInt(50_000), 2), BigDecimal.valueOf(r.nextInt(30_000), 2),
                    List.of("low", "medium", "high").get(r.nextInt(3)));
            if (score != null) {
                scores.put(id, score);
            }
            store.givenCustomer(tenant.id(), new Customer(id, summary, null, score, null, null));
        }
        purchases.forEach(p -> store.givenPurchase(tenant.id(), p));
        for (int i = 0; i < 900; i++) {
            LocalDate day = LocalDate.of(2026, 11, 1).plusDays(r.nextInt(170));
            boolean nps = r.nextBoolean();
            int score = nps ? r.nextInt(11) : 1 + r.nextInt(5);
            answers.add(new int[] {(int) day.toEpochDay(), nps ? 0 : 1, score});
            store.givenSurveyDay(tenant.id(), day, nps
                    ? new SurveyTally(score >= 9 ? 1 : 0, score == 7 || score == 8 ? 1 : 0, score <= 6 ? 1 : 0, 0, 0)
                    : new SurveyTally(0, 0, 0, 1, score >= 4 ? 1 : 0));
        }
        for (int i = 0; i < 300; i++) {
            RawCase c = new RawCase(Instant.parse("2026-12-01T00:00:00Z").plusSeconds(r.nextLong(140L * 86_400)),
                    r.nextInt(4) != 0, r.nextInt(5) == 0);
            cases.add(c);
            store.givenCase(tenant.id(), c);
        }
    }

    // ---- the recomputation ----

    static YearMonth month(Instant at) {
        return YearMonth.from(at.atZone(ZONE));
    }

    static String label(YearMonth m, boolean quarter) {
        return quarter ? m.getYear() + "-Q" + ((m.getMonthValue() - 1) / 3 + 1) : m.toString();
    }

    /** The calendar periods from {@code from} to {@code to} as labels, one step a month or three. */
    static List<String> labels(YearMonth from, YearMonth to, boolean quarter) {
        List<String> out = new ArrayList<>();
        for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(quarter ? 3 : 1)) {
            out.add(label(m, quarter));
        }
        return out;
    }

    static double ratio(double a, double b) {
        return a / b;
    }

    static void near(Double expected, Object actual, String what) {
        if (expected == null) {
            assertNull(actual, what);
            return;
        }
        assertEquals(expected, ((BigDecimal) actual).doubleValue(), 0.00005 + 1e-12, what);
    }

    @SuppressWarnings("unchecked")
    void assertMatrix(YearMonth from, YearMonth to, boolean quarter) {
        Period pFrom = Period.parse(label(from, quarter));
        Period pTo = Period.parse(label(to, quarter));
        Map<String, Object> out = analytics.retention(tenant, pFrom, pTo);
        List<Map<String, Object>> cohorts = (List<Map<String, Object>>) out.get("cohorts");
        List<String> periods = labels(from, to, quarter);
        assertEquals(periods.size(), cohorts.size());
        for (int c = 0; c < periods.size(); c++) {
            String cohortLabel = periods.get(c);
            Set<String> members = new HashSet<>();
            firstPurchase.forEach((id, at) -> {
                if (label(month(at), quarter).equals(cohortLabel)) {
                    members.add(id);
                }
            });
            Map<String, Object> cohort = cohorts.get(c);
            assertEquals(cohortLabel, cohort.get("cohort"));
            assertEquals(members.size(), cohort.get("customers"), cohortLabel);
            Map<String, Set<String>> buyers = new HashMap<>();
            Map<String, BigDecimal> revenue = new HashMap<>();
            for (RawPurchase p : purchases) {
                if (members.contains(p.contactId())) {
                    String l = label(month(p.at()), quarter);
                    buyers.computeIfAbsent(l, k -> new HashSet<>()).add(p.contactId());
                    if (p.currency().equals("EUR")) {
                        revenue.merge(l, p.amount(), BigDecimal::add);
                    }
                }
            }
            BigDecimal base = revenue.getOrDefault(cohortLabel, BigDecimal.ZERO);
            assertEquals(base.setScale(2, RoundingMode.HALF_UP).toPlainString(), cohort.get("revenue"));
            List<Map<String, Object>> later = (List<Map<String, Object>>) cohort.get("periods");
            assertEquals(periods.size() - c - 1, later.size(), cohortLabel);
            for (int k = 1; c + k < periods.size(); k++) {
                String now = periods.get(c + k);
                String before = periods.get(c + k - 1);
                Set<String> active = buyers.getOrDefault(now, Set.of());
                Set<String> previously = k == 1 ? members : buyers.getOrDefault(before, Set.of());
                long stayed = previously.stream().filter(active::contains).count();
                Map<String, Object> cell = later.get(k - 1);
                String what = cohortLabel + " +" + k;
                assertEquals(k, cell.get("offset"));
                assertEquals(now, cell.get("period"));
                assertEquals(active.size(), cell.get("customers"), what);
                near(members.isEmpty() ? null : ratio(active.size(), members.size()), cell.get("retention"), what);
                BigDecimal rev = revenue.getOrDefault(now, BigDecimal.ZERO);
                assertEquals(rev.setScale(2, RoundingMode.HALF_UP).toPlainString(), cell.get("revenue"), what);
                near(base.signum() == 0 ? null : rev.doubleValue() / base.doubleValue(), cell.get("revenueRetention"), what);
                near(previously.isEmpty() ? null : ratio(previously.size() - stayed, previously.size()), cell.get("churnRate"), what);
            }
        }
    }

    @Test
    void monthlyCohortsEqualARecomputationFromThePurchases() {
        generate(11);
        assertMatrix(YearMonth.of(2025, 10), YearMonth.of(2027, 4), false);
        assertMatrix(YearMonth.of(2026, 6), YearMonth.of(2026, 9), false);
    }

    @Test
    void quarterlyCohortsEqualARecomputationFromThePurchases() {
        generate(12);
        assertMatrix(YearMonth.of(2025, 10), YearMonth.of(2027, 4), true);
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> scorecard(Tenant t, String period) {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        for (Object o : (List<Object>) analytics.scorecard(t, Period.parse(period)).get("measures")) {
            rows.put((String) ((Map<String, Object>) o).get("measure"), (Map<String, Object>) o);
        }
        return rows;
    }

    void assertScorecard(String period, YearMonth first, YearMonth last) {
        Map<String, Map<String, Object>> rows = scorecard(tenant, period);
        long newCustomers = firstPurchase.values().stream()
                .filter(at -> !month(at).isBefore(first) && !month(at).isAfter(last)).count();
        assertEquals(0, BigDecimal.valueOf(newCustomers).compareTo((BigDecimal) rows.get("newCustomers").get("actual")));
        BigDecimal revenue = BigDecimal.ZERO;
        Map<String, Boolean> repeat = new TreeMap<>();
        for (RawPurchase p : purchases) {
            YearMonth m = month(p.at());
            if (m.isBefore(first) || m.isAfter(last)) {
                continue;
            }
            revenue = p.currency().equals("EUR") ? revenue.add(p.amount()) : revenue;
            boolean later = LocalDate.ofInstant(p.at(), ZONE).isAfter(LocalDate.ofInstant(firstPurchase.get(p.contactId()), ZONE));
            repeat.merge(p.contactId(), later, (a, b) -> a || b);
        }
        assertEquals(0, revenue.compareTo((BigDecimal) rows.get("revenue").get("actual")), "revenue");
        near(repeat.isEmpty() ? null : ratio(repeat.values().stream().filter(b -> b).count(), repeat.size()),
                rows.get("repeatPurchaseRate").get("actual"), "repeat purchase rate");
        int promoters = 0;
        int detractors = 0;
        int npsAnswers = 0;
        int csat = 0;
        int satisfied = 0;
        for (int[] a : answers) {
            YearMonth m = YearMonth.from(LocalDate.ofEpochDay(a[0]));
            if (m.isBefore(first) || m.isAfter(last)) {
                continue;
            }
            if (a[1] == 0) {
                npsAnswers++;
                promoters += a[2] >= 9 ? 1 : 0;
                detractors += a[2] <= 6 ? 1 : 0;
            } else {
                csat++;
                satisfied += a[2] >= 4 ? 1 : 0;
            }
        }
        assertEquals(100.0 * (promoters - detractors) / npsAnswers, ((BigDecimal) rows.get("nps").get("actual")).doubleValue(), 0.05 + 1e-9);
        assertEquals(100.0 * satisfied / csat, ((BigDecimal) rows.get("csat").get("actual")).doubleValue(), 0.05 + 1e-9);
        int solved = 0;
        int within = 0;
        for (RawCase c : cases) {
            YearMonth m = month(c.createdAt());
            if (!m.isBefore(first) && !m.isAfter(last) && c.solved()) {
                solved++;
                within += c.resolutionBreached() ? 0 : 1;
            }
        }
        near(solved == 0 ? null : ratio(within, solved), rows.get("slaAttainment").get("actual"), "SLA attainment");
    }

    @Test
    void scorecardActualsEqualARecomputationFromTheRawData() {
        generate(13);
        assertScorecard("2027-Q1", YearMonth.of(2027, 1), YearMonth.of(2027, 3));
        assertScorecard("2027-03", YearMonth.of(2027, 3), YearMonth.of(2027, 3));
        assertScorecard("2026-12", YearMonth.of(2026, 12), YearMonth.of(2026, 12));
    }

    @Test
    void varianceIsActualMinusTargetAndItsShareOfTheTarget() {
        generate(14);
        Period q1 = Period.parse("2027-Q1");
        analytics.putTargets(tenant, q1, Map.of(Measure.NEW_CUSTOMERS, BigDecimal.valueOf(80), Measure.REVENUE,
                new BigDecimal("25000"), Measure.NPS, new BigDecimal("-5"), Measure.CSAT, BigDecimal.ZERO));
        Map<String, Map<String, Object>> rows = scorecard(tenant, "2027-Q1");
        for (String m : List.of("newCustomers", "revenue", "nps")) {
            BigDecimal target = (BigDecimal) rows.get(m).get("target");
            BigDecimal actual = (BigDecimal) rows.get(m).get("actual");
            assertEquals(0, actual.subtract(target).compareTo((BigDecimal) rows.get(m).get("variance")), m);
            assertEquals(actual.subtract(target).doubleValue() / Math.abs(target.doubleValue()) * 100,
                    ((BigDecimal) rows.get(m).get("variancePct")).doubleValue(), 0.05 + 1e-9, m);
        }
        assertNull(rows.get("csat").get("variancePct"), "a zero target has no variance %");
        assertEquals(BigDecimal.ZERO, rows.get("csat").get("target"));
        assertNull(rows.get("repeatPurchaseRate").get("target"), "no target set");
        assertNull(rows.get("repeatPurchaseRate").get("variance"));
        // the other tenant sees none of it
        assertNull(analytics.targets(other, q1));
        scorecard(other, "2027-Q1").values().forEach(row -> assertNull(row.get("target")));
        assertEquals(0, BigDecimal.ZERO.compareTo((BigDecimal) scorecard(other, "2027-Q1").get("revenue").get("actual")));
    }

    @Test
    void aScorecardWithoutAnswersOrCasesHasNoScoresRatherThanZeros() {
        Map<String, Map<String, Object>> rows = scorecard(other, "2027-03");
        assertNull(rows.get("nps").get("actual"));
        assertNull(rows.get("csat").get("actual"));
        assertNull(rows.get("slaAttainment").get("actual"));
        assertNull(rows.get("repeatPurchaseRate").get("actual"));
    }

    @SuppressWarnings("unchecked")
    @Test
    void valueByRiskTierSumsTheScoredCustomers() {
        generate(15);
        Map<String, Object> out = analytics.value(tenant, ValueGroups.GroupBy.RISK_TIER, null);
        List<Map<String, Object>> groups = (List<Map<String, Object>>) out.get("groups");
        assertEquals(List.of("high", "medium", "low"), groups.stream().map(g -> g.get("group")).toList());
        for (Map<String, Object> g : groups) {
            List<Score> members = scores.values().stream().filter(s -> s.riskTier().equals(g.get("group"))).toList();
            assertEquals(members.size(), g.get("customers"));
            BigDecimal clv = members.stream().map(Score::clv).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertEquals(clv.setScale(2, RoundingMode.HALF_UP).toPlainString(), g.get("clv"));
            double atRisk = members.stream().mapToDouble(s -> s.valueAtRisk().doubleValue() * (1 - s.pAlive())).sum();
            assertEquals(atRisk, Double.parseDouble((String) g.get("valueAtRisk")), 0.005 + 1e-9);
            near(members.stream().mapToDouble(Score::pAlive).average().orElseThrow(), g.get("meanPAlive"), "mean P(alive)");
            assertEquals(members.stream().mapToDouble(Score::expectedPurchases).sum(),
                    ((BigDecimal) g.get("expectedPurchases")).doubleValue(), 0.0005 + 1e-9);
        }
        assertEquals(scores.size(), ((Map<String, Object>) out.get("total")).get("customers"));
    }

    @SuppressWarnings("unchecked")
    @Test
    void rfmCellsCoverEveryScoredCustomerOnce() {
        generate(16);
        List<Map<String, Object>> groups = (List<Map<String, Object>>) analytics.value(tenant, ValueGroups.GroupBy.RFM, null).get("groups");
        assertEquals(scores.size(), groups.stream().mapToInt(g -> (Integer) g.get("customers")).sum());
        assertTrue(groups.stream().allMatch(g -> ((String) g.get("group")).matches("[1-5]{3}")));
    }

    @Test
    void rfmQuintilesSplitDistinctValuesIntoFifthsAndTiesScoreAlike() {
        List<String> ids = new ArrayList<>();
        Map<String, Double> v = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            ids.add("c" + i);
            v.put("c" + i, i < 4 ? 1.0 : i); // four tied at the bottom
        }
        Map<String, Integer> q = RfmScores.quintiles(ids, v::get);
        assertEquals(List.of(1, 1, 1, 1, 3, 3, 4, 4, 5, 5), ids.stream().map(q::get).toList());
    }

    @Test
    void periodsAreMonthsOrQuartersAndNothingElse() {
        assertEquals("2027-Q1", Period.parse("2027-Q1").toString());
        assertEquals(LocalDate.of(2027, 4, 1), Period.parse("2027-Q1").end());
        assertEquals(LocalDate.of(2027, 3, 1), Period.parse("2027-03").start());
        assertEquals("2028-01", Period.parse("2027-12").plus(1).toString());
        assertEquals("2026-Q4", Period.parse("2027-Q1").plus(-1).toString());
        for (String bad : List.of("2027-Q5", "2027-Q0", "2027-13", "2027-00", "2027-3", "27-03", "2027-03-01", "2027-q1",
                "2027-Q1 ", "", "1899-01", "２０２７-03", "2027-03\n", "../2027-03")) {
            assertNull(Period.parse(bad), bad);
        }
    }

    @Test
    void anUnknownSegmentIsRefused() {
        assertThrows(Analytics.UnknownSegment.class,
                () -> analytics.value(tenant, ValueGroups.GroupBy.RISK_TIER, "seg_00000000000000000000"));
    }

    @Test
    void moreCustomersThanOneRequestReadsIsRefused() {
        InMemoryAnalyticsRepository big = new InMemoryAnalyticsRepository() {
            @Override
            public List<Customer> customers(TenantId t, String currency, boolean s, boolean c, int max) {
                throw new TooMany(max);
            }
        };
        assertThrows(AnalyticsRepository.TooMany.class, () -> new Analytics(big, clock).retention(tenant,
                Period.parse("2027-01"), Period.parse("2027-03")));
    }

    @Test
    void caseOutcomesWithoutSolvedCasesGiveNoAttainment() {
        assertNull(ScorecardFigures.actuals(Period.parse("2027-03"), Map.of(), List.of(), SurveyTally.NONE,
                new CaseOutcomes(3, 0, 0)).get(Measure.SLA_ATTAINMENT));
    }
}
