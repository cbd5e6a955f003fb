package dev.crm.cases.domain.imports;

import dev.crm.cases.domain.CaseLifecycle;
import dev.crm.cases.domain.CaseRepository;
import dev.crm.cases.domain.CaseWorkflow;
import dev.crm.cases.domain.Cases;
import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.SlaTerms;
import dev.crm.cases.domain.SupportCase;
import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.json.Violations;
import dev.crm.shared.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A help-desk history import as job steps. Each line is replayed through {@link CaseLifecycle} (open,
 * then its messages and status changes in time order), so an imported history obeys the live workflow;
 * the final case and its whole history are stored with the line's outcome in one transaction, under the
 * tenant's next case number. Lines are taken in file order, one at a time, so numbers follow the file.
 * A replayed step skips lines that have an outcome, and a line's case id derives from the job and the
 * line, so nothing is imported twice.
 */
public final class CaseImport {
    public static final String KIND = "case_import";
    public static final String ID_PREFIX = "cimp_";
    /** Lines per step (a checkpoint after each). */
    static final int BATCH = 100;
    public static final int MAX_LINES = 20_000;
    public static final int MAX_BYTES = 5 * 1024 * 1024;
    private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

    private final CaseImportRepository lines;
    private final JobRepository jobs;
    private final BiFunction<TenantId, String, String> categoryProblem;
    private final Function<TenantId, SlaTerms> termsOf;
    private final Clock clock;

    /** @param categoryProblem null when a category is acceptable for the tenant, else why not ({@link Cases#categoryProblem}) */
    public CaseImport(CaseImportRepository lines, JobRepository jobs, BiFunction<TenantId, String, String> categoryProblem,
            Clock clock) {
        this(lines, jobs, categoryProblem, t -> SlaTerms.defaults(), clock);
    }

    /** @param termsOf the tenant's SLA terms: an imported case's figures follow the policies of its tenant */
    public CaseImport(CaseImportRepository lines, JobRepository jobs, BiFunction<TenantId, String, String> categoryProblem,
            Function<TenantId, SlaTerms> termsOf, Clock clock) {
        this.termsOf = termsOf;
        this.lines = lines;
        this.jobs = jobs;
        this.categoryProblem = categoryProblem;
        this.clock = clock;
    }

    /**
     * Stores the lines and queues the job; a job with this id (a keyed request's re-run) is the answer
     * and its lines are not staged again. Line numbers count non-blank lines from 1.
     */
    public Job start(TenantId t, List<String> text, String jobId) {
        Job existing = jobs.find(JobRef.of(t, jobId));
        if (existing != null && KIND.equals(existing.kind())) {
            return existing;
        }
        List<Integer> chunks = lines.storeLines(t, jobId, text);
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("chunks", chunks);
        return jobs.createOrFind(NewJob.forTenant(JobRef.of(t, jobId), KIND, input, text.size()));
    }

    /** The job as the API shows it; once it succeeded, with the rejected lines in line order. Null: no such import. */
    public Map<String, Object> result(TenantId t, String jobId) {
        Job job = jobs.find(JobRef.of(t, jobId));
        if (job == null || !KIND.equals(job.kind())) {
            return null;
        }
        Map<String, Object> out = job.toJson();
        if (job.status() == Job.Status.SUCCEEDED) {
            CaseImportRepository.Tally tally = lines.tally(t, jobId);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("imported", tally.imported());
            List<Object> rejected = new ArrayList<>();
            for (var r : tally.rejected()) {
                rejected.add(Map.of("line", r.line(), "errors", r.errors()));
            }
            result.put("rejected", rejected);
            out.put("result", result);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public JobRunner.Step step(TenantId t, Job job) {
        List<Number> chunks = (List<Number>) job.input().get("chunks");
        int total = chunks.stream().mapToInt(Number::intValue).sum();
        int next = job.checkpoint().get("nextLine") instanceof Number n ? n.intValue() : 1;
        if (next > total) {
            lines.dropLines(t, job.id(), chunks.size());
            CaseImportRepository.Tally tally = lines.tally(t, job.id());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("imported", tally.imported());
            result.put("rejectedCount", tally.rejected().size());
            return JobRunner.Step.finished(total, total, result);
        }
        int end = Math.min(total + 1, next + BATCH);
        Map<Integer, String> batch = read(t, job.id(), chunks, next, end);
        Set<Integer> done = lines.linesDone(t, job.id(), next, end);
        for (var line : batch.entrySet()) {
            if (!done.contains(line.getKey())) {
                importLine(t, job.id(), line.getKey(), line.getValue());
            }
        }
        return JobRunner.Step.progress(end - 1, total, Map.of("nextLine", end));
    }

    /** Lines [from, to) (1-based) from the stored chunks. */
    private Map<Integer, String> read(TenantId t, String jobId, List<Number> chunks, int from, int to) {
        Map<Integer, String> out = new LinkedHashMap<>();
        int first = 1;
        for (int c = 0; c < chunks.size() && first < to; c++) {
            int size = chunks.get(c).intValue();
            if (first + size > from) {
                List<String> chunk = lines.chunk(t, jobId, c);
                for (int i = 0; i < chunk.size(); i++) {
                    int n = first + i;
                    if (n >= from && n < to) {
                        out.put(n, chunk.get(i));
                    }
                }
            }
            first += size;
        }
        return out;
    }

    void importLine(TenantId t, String jobId, int line, String text) {
        Violations v = new Violations();
        HistoryLine parsed = HistoryLine.parse(text, category -> categoryProblem.apply(t, category), clock.instant(), v);
        if (parsed == null) {
            lines.rejectLine(t, jobId, line, v.items());
            return;
        }
        Replayed replayed;
        try {
            replayed = replay(t, caseId(jobId, line), jobId + "|" + line, parsed, termsOf.apply(t), clock.instant());
        } catch (Rejected r) {
            lines.rejectLine(t, jobId, line, List.of(Map.of("pointer", r.pointer, "detail", r.getMessage())));
            return;
        }
        try {
            lines.storeImported(t, jobId, line, replayed.after(), replayed.history());
        } catch (CaseRepository.ContactNotActive e) {
            lines.rejectLine(t, jobId, line, List.of(Map.of("pointer", "/contactId",
                    "detail", "must name an active contact of this tenant")));
        }
    }

    /** The case after its whole history, and that history (oldest first). */
    public record Replayed(SupportCase after, List<HistoryEntry> history) {}

    /**
     * Replays a line through the live workflow's steps.
     *
     * @param idSeed makes the message ids deterministic (a replayed import writes the same ones)
     * @throws Rejected when a status change is not allowed where it happens
     */
    public static Replayed replay(TenantId t, String caseId, String idSeed, HistoryLine line, SlaTerms terms) {
        return replay(t, caseId, idSeed, line, terms, null);
    }

    /**
     * Replays a line, then (with {@code asOf}) brings the case to the import's instant as the SLA
     * schedule would have: breaches whose target passed before the import are recorded, and a case
     * solved longer ago than the tenant's auto-close delay is closed. Both are history, imported with
     * the rest (not announced); the schedule then finds only what comes due after the import.
     *
     * @param asOf the import's instant, not before any event of the line; null: the history as written
     */
    public static Replayed replay(TenantId t, String caseId, String idSeed, HistoryLine line, SlaTerms terms,
            java.time.Instant asOf) {
        CaseLifecycle.Step step = CaseLifecycle.open(t, caseId, line.newCase(), terms, line.createdAt());
        SupportCase current = step.after();
        List<HistoryEntry> history = new ArrayList<>(step.entries());
        int message = 0;
        for (HistoryLine.Event e : line.events()) {
            if (e.message() != null) {
                step = CaseLifecycle.message(current, derivedId("msg_", idSeed + "|m" + message++), e.message(), terms, e.at());
            } else {
                try {
                    step = CaseLifecycle.change(current, new Cases.Change(e.status(), null, null, null, false, null, false,
                            null, false, null), terms, e.at());
                } catch (CaseWorkflow.InvalidTransition x) {
                    List<String> allowed = CaseWorkflow.allowed(x.from()).stream().map(SupportCase::wire).toList();
                    throw new Rejected(e.pointer() + "/status", "a case cannot move from " + SupportCase.wire(x.from())
                            + " to " + SupportCase.wire(x.to()) + " (at " + e.at() + "); from " + SupportCase.wire(x.from())
                            + " it may move to " + (allowed.isEmpty() ? "nothing" : String.join(", ", allowed)));
                }
            }
            current = step.after();
            history.addAll(step.entries());
        }
        if (asOf != null) {
            step = CaseLifecycle.check(current, terms, asOf);
            current = step.after();
            history.addAll(step.entries());
        }
        return new Replayed(current, history);
    }

    /** A line whose history breaks the workflow. */
    public static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String pointer;

        Rejected(String pointer, String detail) {
            super(detail, null, false, false);
            this.pointer = pointer;
        }

        public String pointer() {
            return pointer;
        }
    }

    /** Stable per job and line: a line imported twice (a replay after a crash) is the same case. */
    public static String caseId(String jobId, int line) {
        return derivedId(SupportCase.ID_PREFIX, "case-import|" + jobId + "|" + line);
    }

    private static String derivedId(String prefix, String seed) {
        byte[] h = Hashes.sha256(seed.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < 20; i++) {
            sb.append(ALPHABET.charAt(h[i] & 31));
        }
        return sb.toString();
    }

}
