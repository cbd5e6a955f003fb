package dev.crm.surveys.domain;

import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.store.SurveyRepository;
import dev.crm.surveys.store.SurveyRepository.CounterSnapshot;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Verifies a survey's day counters against its raw responses and repairs what differs, one
 * (shard, day) at a time, resumable from a small cursor.
 *
 * <p>Each (shard, day) is checked on a consistent snapshot: the counters are read first (with their
 * {@code writes} count, which every response transaction increments), then the responses. A response
 * committed in between makes the two disagree, but the repair is conditioned on {@code writes} being
 * unchanged, so it fails and the pair is read again; a repair therefore only ever corrects a real
 * difference, never a response in flight. Repairs add the difference (never overwrite), and bump
 * {@code writes} too, so two recounts of the same survey cannot both apply the same correction.
 *
 * <p>Expected counts come from the raw answers under the survey's current definition, like results. A
 * definition change that drops a question therefore shows up once as differences on that question's
 * counters (which results ignore anyway), repaired to the current definition.
 */
public final class SurveyRecount {
    /** At most this many differences are listed in a report (all are counted and repaired). */
    public static final int MAX_LISTED_DIFFERENCES = 100;
    static final int MAX_ATTEMPTS = 5;

    private final SurveyRepository surveys;

    public SurveyRecount(SurveyRepository surveys) {
        this.surveys = surveys;
    }

    /** The next shard to check and the first day there not yet checked (null: from the beginning). */
    public record Cursor(int shard, LocalDate from) {
        public static final Cursor START = new Cursor(0, null);

        public boolean finished() {
            return shard >= CounterShards.SHARDS;
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("shard", (long) shard);
            m.put("from", from == null ? null : from.toString());
            return m;
        }

        public static Cursor fromJson(Object json) {
            if (!(json instanceof Map<?, ?> m) || !(m.get("shard") instanceof Number shard)) {
                return START;
            }
            return new Cursor(shard.intValue(), m.get("from") instanceof String s ? LocalDate.parse(s) : null);
        }
    }

    /**
     * What a recount found so far.
     *
     * @param itemsChecked    (shard, day) counter sets compared
     * @param countersChecked individual counters compared
     * @param differences     counters that differed (each was repaired)
     * @param unresolved      (shard, day) sets still changing under the recount after several reads: left
     *                        for the next run
     * @param listed          the first {@link #MAX_LISTED_DIFFERENCES} differences: day, shard, counter,
     *                        expected, found (and survey, tenant when several surveys are recounted)
     */
    public record Findings(long itemsChecked, long countersChecked, long differences, long unresolved,
            List<Map<String, Object>> listed) {
        public static final Findings NONE = new Findings(0, 0, 0, 0, List.of());

        public Findings {
            listed = List.copyOf(listed);
        }

        public Findings plus(Findings o) {
            List<Map<String, Object>> l = new ArrayList<>(listed);
            for (Map<String, Object> d : o.listed) {
                if (l.size() < MAX_LISTED_DIFFERENCES) {
                    l.add(d);
                }
            }
            return new Findings(itemsChecked + o.itemsChecked, countersChecked + o.countersChecked,
                    differences + o.differences, unresolved + o.unresolved, l);
        }

        /** The same findings with every listed difference naming its tenant and survey. */
        public Findings naming(TenantId tenant, String surveyId) {
            List<Map<String, Object>> l = new ArrayList<>();
            for (Map<String, Object> d : listed) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("tenantId", tenant.value());
                m.put("surveyId", surveyId);
                m.putAll(d);
                l.add(m);
            }
            return new Findings(itemsChecked, countersChecked, differences, unresolved, l);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("itemsChecked", itemsChecked);
            m.put("countersChecked", countersChecked);
            m.put("differences", differences);
            m.put("repaired", differences);
            m.put("unresolved", unresolved);
            m.put("listed", listed);
            return m;
        }

        @SuppressWarnings("unchecked")
        public static Findings fromJson(Object json) {
            if (!(json instanceof Map<?, ?> m)) {
                return NONE;
            }
            List<Map<String, Object>> l = new ArrayList<>();
            if (m.get("listed") instanceof List<?> list) {
                for (Object o : list) {
                    l.add((Map<String, Object>) o);
                }
            }
            return new Findings(num(m.get("itemsChecked")), num(m.get("countersChecked")), num(m.get("differences")),
                    num(m.get("unresolved")), l);
        }

        private static long num(Object o) {
            return o instanceof Number n ? n.longValue() : 0;
        }
    }

    /** Where a step left off (a finished cursor when the survey is done) and everything found so far. */
    public record Progress(Cursor next, Findings findings) {}

    /** Checks at most {@code maxItems} (shard, day) sets from {@code cursor} on. */
    public Progress step(TenantId tenant, StoredSurvey survey, Cursor cursor, Findings soFar, int maxItems) {
        Cursor c = cursor;
        Findings findings = soFar;
        for (int n = 0; n < maxItems && !c.finished(); n++) {
            LocalDate day = surveys.nextDay(tenant, survey, c.shard(), c.from());
            if (day == null) {
                c = new Cursor(c.shard() + 1, null);
                continue;
            }
            findings = findings.plus(check(tenant, survey, c.shard(), day));
            c = new Cursor(c.shard(), day.plusDays(1));
        }
        return new Progress(c, findings);
    }

    /** Compares (and repairs) one shard's counters of one day. */
    Findings check(TenantId tenant, StoredSurvey survey, int shard, LocalDate day) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            CounterSnapshot found = surveys.counters(tenant, survey.id(), shard, day);
            ScoreCounts expected = ScoreCounts.EMPTY;
            for (Map<String, Object> answers : surveys.answersOn(tenant, survey, shard, day)) {
                expected = expected.plus(ScoreCounts.ofResponse(survey.survey(), answers));
            }
            Map<String, Long> want = expected.toCounters();
            Map<String, Long> have = found.counts().toCounters();
            TreeSet<String> names = new TreeSet<>(want.keySet());
            names.addAll(have.keySet());
            Map<String, Long> deltas = new TreeMap<>();
            for (String name : names) {
                long delta = want.getOrDefault(name, 0L) - have.getOrDefault(name, 0L);
                if (delta != 0) {
                    deltas.put(name, delta);
                }
            }
            if (deltas.isEmpty()) {
                return new Findings(1, names.size(), 0, 0, List.of());
            }
            if (surveys.repair(tenant, survey.id(), shard, day, found, deltas)) {
                List<Map<String, Object>> listed = new ArrayList<>();
                for (var e : deltas.entrySet()) {
                    if (listed.size() == MAX_LISTED_DIFFERENCES) {
                        break;
                    }
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("day", day.toString());
                    d.put("shard", (long) shard);
                    d.put("counter", e.getKey());
                    d.put("expected", want.getOrDefault(e.getKey(), 0L));
                    d.put("found", have.getOrDefault(e.getKey(), 0L));
                    listed.add(d);
                }
                return new Findings(1, names.size(), deltas.size(), 0, listed);
            }
            // a response (or another recount) changed these counters since they were read
        }
        return new Findings(1, 0, 0, 1, List.of());
    }
}
