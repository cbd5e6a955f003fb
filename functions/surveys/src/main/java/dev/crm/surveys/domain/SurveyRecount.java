package dev.crm.surveys.domain;

import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantRepository;
import dev.crm.surveys.domain.SurveyRepository.CounterSnapshot;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 *
 * <p>Recounts run as jobs ({@value #JOB_KIND}) of two kinds:
 * <ul>
 * <li>one survey ({@link #start}; input {@code tenantId}, {@code surveyId}): progress is shards done
 *     out of {@link CounterShards#SHARDS};</li>
 * <li>every open survey of every tenant ({@link #scheduleNightly}; input {@code scope: open_surveys}):
 *     tenant by tenant, survey by survey; progress is surveys done.</li>
 * </ul>
 * Each {@link #advance step} is bounded and returns its checkpoint, so a job resumes where it stopped
 * after a handover or a crash; replaying a step is harmless because every repair is conditional on the
 * counters it read.
 */
public final class SurveyRecount {
    /** At most this many differences are listed in a report (all are counted and repaired). */
    public static final int MAX_LISTED_DIFFERENCES = 100;
    static final int MAX_ATTEMPTS = 5;
    public static final String JOB_KIND = "survey_recount";
    public static final String JOB_PREFIX = "rcn_";
    static final String ALL_OPEN_SURVEYS = "open_surveys";
    static final int SURVEYS_PER_PAGE = 25;

    private final SurveyRepository surveys;
    private final JobRepository jobs;
    private final TenantRepository tenants;

    /** Only the compare-and-repair ({@link #step}); no jobs. */
    public SurveyRecount(SurveyRepository surveys) {
        this(surveys, null, null);
    }

    public SurveyRecount(SurveyRepository surveys, JobRepository jobs, TenantRepository tenants) {
        this.surveys = surveys;
        this.jobs = jobs;
        this.tenants = tenants;
    }

    // ---- jobs ----

    /** Queues the recount of one survey. */
    public Job start(TenantId tenant, StoredSurvey survey) {
        return start(tenant, survey, Ids.random(JOB_PREFIX, 20));
    }

    /**
     * As {@link #start(TenantId, StoredSurvey)}, under {@code jobId}: a recount with that id that
     * exists is the answer (the id derives from an Idempotency-Key, and an earlier run queued it).
     */
    public Job start(TenantId tenant, StoredSurvey survey, String jobId) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("tenantId", tenant.value());
        input.put("surveyId", survey.id());
        return jobs.createOrFind(NewJob.forTenant(JobRef.of(tenant, jobId), JOB_KIND, input, CounterShards.SHARDS));
    }

    /** @return the tenant's recount job with this id, or null (no such job, or not a recount) */
    public Job find(TenantId tenant, String jobId) {
        Job job = Ids.isValid(JOB_PREFIX, jobId) ? jobs.find(JobRef.of(tenant, jobId)) : null;
        return job == null || !JOB_KIND.equals(job.kind()) ? null : job;
    }

    /** The operator job of one UTC day. */
    public static String nightlyJobId(LocalDate day) {
        return "survey_recount_" + day;
    }

    /** The nightly recount's one job of the UTC day. */
    public record Scheduled(String jobId, boolean queued) {}

    /**
     * Queues the recount of every open survey of every tenant, once per UTC day: the job's id is the
     * date, so a schedule delivered twice still queues one job.
     */
    public Scheduled scheduleNightly(Instant now) {
        String jobId = nightlyJobId(LocalDate.ofInstant(now, ZoneOffset.UTC));
        try {
            jobs.create(new NewJob(JobRef.operator(jobId), JOB_KIND, null, Map.of("scope", ALL_OPEN_SURVEYS), 0));
            return new Scheduled(jobId, true);
        } catch (StoreException.UniqueViolation e) {
            return new Scheduled(jobId, false); // today's job exists already
        }
    }

    /** A job this service cannot run (not a recount it knows, or its survey was deleted): do not retry. */
    public static final class CannotRecount extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CannotRecount(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Where a recount job got to after one step.
     *
     * @param state the checkpoint to resume from, or the job's result once {@code finished}
     */
    public record JobStep(long done, long total, Map<String, Object> state, boolean finished) {}

    /**
     * One bounded step of a recount job, from its input and last checkpoint.
     *
     * @param itemsPerStep (shard, day) counter sets checked per step
     * @throws CannotRecount when the job is not one this service knows, or its survey is gone
     */
    public JobStep advance(Map<String, Object> input, Map<String, Object> checkpoint, int itemsPerStep, Instant now) {
        if (input.get("surveyId") instanceof String surveyId && input.get("tenantId") instanceof String tenant
                && TenantId.isValid(tenant)) {
            return oneSurvey(new TenantId(tenant), surveyId, checkpoint, itemsPerStep);
        }
        if (ALL_OPEN_SURVEYS.equals(input.get("scope"))) {
            return openSurveys(checkpoint, itemsPerStep, now);
        }
        throw new CannotRecount("not a recount this worker knows");
    }

    private JobStep oneSurvey(TenantId tenant, String surveyId, Map<String, Object> cp, int itemsPerStep) {
        StoredSurvey survey = surveys.find(tenant, surveyId);
        if (survey == null) {
            throw new CannotRecount("the survey no longer exists");
        }
        Progress p = step(tenant, survey, Cursor.fromJson(cp.get("cursor")), Findings.fromJson(cp.get("findings")),
                itemsPerStep);
        if (p.next().finished()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("surveyId", surveyId);
            result.putAll(p.findings().toJson());
            return new JobStep(CounterShards.SHARDS, CounterShards.SHARDS, result, true);
        }
        Map<String, Object> next = new LinkedHashMap<>();
        next.put("cursor", p.next().toJson());
        next.put("findings", p.findings().toJson());
        return new JobStep(p.next().shard(), CounterShards.SHARDS, next, false);
    }

    /**
     * One small move through every tenant's open surveys. The checkpoint holds where the walk is: the
     * last tenant finished, the current tenant and its next page of surveys, the open surveys of the
     * page still to do, and the survey being recounted with its own cursor.
     */
    @SuppressWarnings("unchecked")
    private JobStep openSurveys(Map<String, Object> checkpoint, int itemsPerStep, Instant now) {
        Map<String, Object> cp = new LinkedHashMap<>(checkpoint);
        Findings total = Findings.fromJson(cp.get("findings"));
        long done = cp.get("surveys") instanceof Number n ? n.longValue() : 0;
        List<String> pending = cp.get("pending") instanceof List<?> l ? new ArrayList<>((List<String>) l) : new ArrayList<>();
        String tenantId = (String) cp.get("tenant");
        String surveyId = (String) cp.get("survey");

        if (surveyId != null) {
            TenantId t = new TenantId(tenantId);
            StoredSurvey survey = surveys.find(t, surveyId);
            Progress p = survey == null ? null : step(t, survey, Cursor.fromJson(cp.get("cursor")),
                    Findings.fromJson(cp.get("surveyFindings")), itemsPerStep);
            if (p == null || p.next().finished()) {
                if (p != null) {
                    total = total.plus(p.findings().naming(t, surveyId));
                }
                done++;
                cp.remove("survey");
                cp.remove("cursor");
                cp.remove("surveyFindings");
            } else {
                cp.put("cursor", p.next().toJson());
                cp.put("surveyFindings", p.findings().toJson());
            }
        } else if (!pending.isEmpty()) {
            cp.put("survey", pending.remove(0));
            cp.put("cursor", Cursor.START.toJson());
            cp.put("surveyFindings", Findings.NONE.toJson());
        } else if (tenantId != null && (!Boolean.TRUE.equals(cp.get("listed")) || cp.get("page") != null)) {
            TenantId t = new TenantId(tenantId);
            // the page's store cursor, kept as its opaque text
            dev.crm.shared.store.Cursor from = cp.get("page") instanceof String c && !c.isEmpty()
                    ? new dev.crm.shared.store.Cursor(c) : null;
            Slice<StoredSurvey> page = surveys.list(t, SURVEYS_PER_PAGE, from);
            for (StoredSurvey s : page.items()) {
                if (s.survey().isOpen(now)) {
                    pending.add(s.id());
                }
            }
            cp.put("listed", true);
            cp.put("page", page.next() == null ? null : page.next().value());
        } else if (tenantId != null) {
            cp.put("tenantAfter", tenantId);
            cp.remove("tenant");
            cp.remove("listed");
            cp.remove("page");
        } else {
            String next = nextActiveTenant((String) cp.get("tenantAfter"));
            if (next == null) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("surveys", done);
                result.putAll(total.toJson());
                return new JobStep(done, done, result, true);
            }
            cp.put("tenant", next);
        }
        cp.put("pending", pending);
        cp.put("findings", total.toJson());
        cp.put("surveys", done);
        long inFlight = pending.size() + (cp.get("survey") != null ? 1 : 0);
        return new JobStep(done, done + inFlight, cp, false);
    }

    /** Tenants in id order, so the walk resumes after the last one it finished. */
    private String nextActiveTenant(String after) {
        List<String> ids = new ArrayList<>();
        for (TenantId t : tenants.listTenantIds()) {
            ids.add(t.value());
        }
        ids.sort(null);
        for (String id : ids) {
            if (after == null || id.compareTo(after) > 0) {
                Tenant t = tenants.find(new TenantId(id));
                if (t != null && t.status() == Tenant.Status.ACTIVE) {
                    return id;
                }
            }
        }
        return null;
    }

    // ---- the compare-and-repair ----

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
