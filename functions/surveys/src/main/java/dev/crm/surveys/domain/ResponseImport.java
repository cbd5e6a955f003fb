package dev.crm.surveys.domain;

import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.Backoff;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.ResponseImportRepository.ContactChange;
import dev.crm.surveys.domain.ResponseImportRepository.CounterKey;
import dev.crm.surveys.domain.ResponseImportRepository.Part;
import dev.crm.surveys.domain.SurveyRepository.Respondent;
import dev.crm.surveys.domain.SurveyRepository.ScoresView;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Past responses imported in bulk ({@code POST /v1/surveys/{id}/responses/imports}) as job steps. Each
 * line's answers are checked as a live submission's; an accepted line becomes a response exactly as a
 * live one (its day's counters, and for a contact its guard, timeline entry and latest scores, with
 * the survey's duplicate policy). An import is history: it announces nothing.
 *
 * <p>Speed is the point (the demo seeds through it), so a step plans its lines at once and writes them
 * in parts: one transaction per part holds the counters (summed per shard and day), the contacts'
 * guarded changes and the part's applied marker; then the responses' items, whose keys and contents
 * derive from the job and line, go by batch writes. A replayed step skips the lines with an outcome and
 * puts the items of its applied lines again (the same items), so every line is written and counted once.
 */
public final class ResponseImport {
    public static final String KIND = "survey_response_import";
    public static final String ID_PREFIX = "simp_";
    public static final int MAX_LINES = 20_000;
    public static final int MAX_BYTES = 5 * 1024 * 1024;
    /** Lines per step (a checkpoint after each). */
    static final int LINES_PER_STEP = 1_000;
    /** Transaction items per part: DynamoDB allows 100. */
    static final int PART_ITEMS = 100;
    /** A step whose contacts keep changing under it is planned again this often. */
    static final int MAX_ATTEMPTS = 20;
    private static final Set<String> FIELDS = Set.of("answers", "submittedAt", "contactId");

    private final SurveyRepository surveys;
    private final ResponseImportRepository imports;
    private final JobRepository jobs;
    private final Clock clock;
    private final Backoff backoff;

    public ResponseImport(SurveyRepository surveys, ResponseImportRepository imports, JobRepository jobs, Clock clock,
            Backoff backoff) {
        this.surveys = surveys;
        this.imports = imports;
        this.jobs = jobs;
        this.clock = clock;
        this.backoff = backoff;
    }

    /**
     * Stores the lines and queues the job; a job with this id (a keyed request's re-run) is the answer
     * and its lines are not staged again. Line numbers count non-blank lines from 1.
     */
    public Job start(TenantId t, StoredSurvey survey, List<String> text, String jobId) {
        Job existing = jobs.find(JobRef.of(t, jobId));
        if (existing != null && KIND.equals(existing.kind())) {
            return existing;
        }
        List<Integer> chunks = imports.storeLines(t, jobId, text);
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("surveyId", survey.id());
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
        out.put("surveyId", surveyOf(job));
        if (job.status() == Job.Status.SUCCEEDED) {
            ResponseImportRepository.Tally tally = imports.tally(t, jobId);
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

    /** The job's survey: in its input until it finishes, then in its result. */
    public static Object surveyOf(Job job) {
        Object id = job.input() == null ? null : job.input().get("surveyId");
        return id != null ? id : job.result() == null ? null : job.result().get("surveyId");
    }

    @SuppressWarnings("unchecked")
    public JobRunner.Step step(TenantId t, Job job) {
        List<Number> chunks = (List<Number>) job.input().get("chunks");
        int total = chunks.stream().mapToInt(Number::intValue).sum();
        int next = job.checkpoint().get("nextLine") instanceof Number n ? n.intValue() : 1;
        if (next > total) {
            imports.dropLines(t, job.id(), chunks.size());
            ResponseImportRepository.Tally tally = imports.tally(t, job.id());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("surveyId", job.input().get("surveyId"));
            result.put("imported", tally.imported());
            result.put("rejectedCount", tally.rejected().size());
            return JobRunner.Step.finished(total, total, result);
        }
        StoredSurvey stored = surveys.find(t, String.valueOf(job.input().get("surveyId")));
        if (stored == null) {
            throw new JobRunner.PermanentFailure("the survey no longer exists");
        }
        int end = Math.min(total + 1, next + LINES_PER_STEP);
        Map<Integer, String> lines = read(t, job.id(), chunks, next, end);
        for (int attempt = 1; ; attempt++) {
            try {
                runStep(t, stored, job.id(), lines, next, end);
                break;
            } catch (StoreException.Contention e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw e; // the runner hands the job back; the step resumes later
                }
                backoff.pause(attempt); // a contact changed under the plan: plan again
            }
        }
        return JobRunner.Step.progress(end - 1, total, Map.of("nextLine", end));
    }

    /** Lines [from, to) (1-based) from the stored chunks. */
    private Map<Integer, String> read(TenantId t, String jobId, List<Number> chunks, int from, int to) {
        Map<Integer, String> out = new TreeMap<>();
        int first = 1;
        for (int c = 0; c < chunks.size() && first < to; c++) {
            int size = chunks.get(c).intValue();
            if (first + size > from) {
                List<String> chunk = imports.chunk(t, jobId, c);
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

    /** A line as it will be stored. */
    record Line(int number, RecordedResponse response) {}

    /** The lines of one contact (or one anonymous line) and what they change together. */
    private record Unit(List<Integer> lines, RecordedResponse response, ContactChange change, int items) {}

    private void runStep(TenantId t, StoredSurvey stored, String jobId, Map<Integer, String> text, int from, int to) {
        Survey survey = stored.survey();
        Instant now = clock.instant();
        ResponseImportRepository.Done done = imports.done(t, jobId, from, to);
        Map<Integer, List<Map<String, Object>>> rejects = new TreeMap<>();
        List<Line> pending = new ArrayList<>();
        List<Line> applied = new ArrayList<>();
        Set<String> contacts = new HashSet<>();
        for (var e : text.entrySet()) {
            int n = e.getKey();
            if (done.rejected().contains(n)) {
                continue;
            }
            Violations v = new Violations();
            RecordedResponse r = parse(survey, ResponseIds.forImportLine(jobId, n), e.getValue(), now, v);
            if (r == null) {
                if (!done.applied().contains(n)) {
                    rejects.put(n, v.items());
                }
                continue;
            }
            (done.applied().contains(n) ? applied : pending).add(new Line(n, r));
            if (r.contactId() != null) {
                contacts.add(r.contactId());
            }
        }
        Set<String> active = imports.activeContacts(t, contacts);
        Map<String, Respondent> respondents = imports.respondents(t, stored.id(), contacts);
        // A replayed step: its applied parts' items again (the crash may have come before them), but
        // never a contact's response that another has replaced since.
        List<RecordedResponse> again = new ArrayList<>();
        for (Line line : applied) {
            String c = line.response().contactId();
            Respondent guard = c == null ? null : respondents.get(c);
            if (c == null || (guard != null && guard.responseId().equals(line.response().id()))) {
                again.add(line.response());
            }
        }
        imports.putResponses(t, stored, jobId, again);

        Map<String, ScoresView> scores = imports.latestScores(t, contacts);
        Map<String, List<Line>> byContact = new LinkedHashMap<>();
        List<Unit> units = new ArrayList<>();
        for (Line line : pending) {
            String c = line.response().contactId();
            if (c == null) {
                units.add(new Unit(List.of(line.number()), line.response(), null, 1));
            } else if (!active.contains(c)) {
                rejects.put(line.number(), List.of(violation("/contactId", "must name an active contact of this tenant")));
            } else {
                byContact.computeIfAbsent(c, k -> new ArrayList<>()).add(line);
            }
        }
        for (var e : byContact.entrySet()) {
            Unit unit = contactUnit(t, stored, e.getValue(), respondents.get(e.getKey()), scores.get(e.getKey()), rejects);
            if (unit != null) {
                units.add(unit);
            }
        }
        imports.reject(t, jobId, rejects);
        applyInParts(t, stored, jobId, units);
    }

    /**
     * The contact-once rule as live, in time order ({@code submittedAt}, then file order): under
     * {@code reject} the contact's earliest response stands and any other line is rejected; under
     * {@code replace} each line replaces the one before, so the latest stands and the earlier ones count
     * as imported and replaced. A line older than the contact's stored response is history that the
     * stored one already replaced: it counts as imported and replaced and changes nothing. Latest scores
     * see every line in turn.
     */
    private Unit contactUnit(TenantId t, StoredSurvey stored, List<Line> lines, Respondent previous, ScoresView read,
            Map<Integer, List<Map<String, Object>>> rejects) {
        Survey survey = stored.survey();
        lines = new ArrayList<>(lines);
        lines.sort(Comparator.comparing((Line l) -> l.response().submittedAt()).thenComparingInt(Line::number));
        List<Line> accepted = new ArrayList<>(lines);
        if (survey.duplicatePolicy() == DuplicatePolicy.REPLACE && previous != null) {
            // an import is history: a file's older line must not overwrite a newer stored response
            accepted.removeIf(l -> l.response().submittedAt().isBefore(previous.submittedAt()));
            if (accepted.isEmpty()) {
                return new Unit(lines.stream().map(Line::number).toList(), null, null, 0);
            }
        }
        if (survey.duplicatePolicy() == DuplicatePolicy.REJECT) {
            accepted = previous == null ? List.of(lines.get(0)) : List.of();
            for (Line line : lines) {
                if (!accepted.contains(line)) {
                    rejects.put(line.number(), List.of(violation("/contactId",
                            "this contact has answered this survey already, and the survey keeps a contact's first response")));
                }
            }
            if (accepted.isEmpty()) {
                return null;
            }
        }
        RecordedResponse last = accepted.get(accepted.size() - 1).response();
        RecordedResponse previousResponse = previous == null ? null : surveys.response(t, stored.id(), previous);
        Map<String, Object> view = read == null ? Map.of() : read.view();
        boolean changed = false;
        Integer latestNps = null;
        for (Line line : accepted) {
            Map<String, Object> next = LatestScores.apply(view, survey, line.response());
            if (next != null) {
                view = next;
                changed = true;
                if (survey.kind() == SurveyKind.NPS) {
                    latestNps = line.response().score(survey);
                }
            }
        }
        ContactChange change = new ContactChange(last, previous, previousResponse, changed ? view : null,
                read == null ? 0 : read.version(), latestNps);
        // superseded lines count as imported and replaced, as the earlier accepted ones do
        List<Integer> numbers = lines.stream().map(Line::number).filter(n -> !rejects.containsKey(n)).toList();
        // counters (its day, the replaced one's), contact check, guard, two deletes, scores, latest NPS
        return new Unit(numbers, last, change, 8);
    }

    private void applyInParts(TenantId t, StoredSurvey stored, String jobId, List<Unit> units) {
        List<Unit> part = new ArrayList<>();
        int items = 1; // the applied marker
        for (Unit unit : units) {
            if (items + unit.items() > PART_ITEMS) {
                applyPart(t, stored, jobId, part);
                part = new ArrayList<>();
                items = 1;
            }
            part.add(unit);
            items += unit.items();
        }
        if (!part.isEmpty()) {
            applyPart(t, stored, jobId, part);
        }
    }

    private void applyPart(TenantId t, StoredSurvey stored, String jobId, List<Unit> units) {
        Survey survey = stored.survey();
        Map<CounterKey, ScoreCounts> counters = new LinkedHashMap<>();
        List<Integer> lines = new ArrayList<>();
        List<ContactChange> changes = new ArrayList<>();
        List<RecordedResponse> responses = new ArrayList<>();
        for (Unit u : units) {
            lines.addAll(u.lines());
            if (u.response() == null) {
                continue; // every line older than the stored response: applied, nothing changes
            }
            responses.add(u.response());
            counters.merge(new CounterKey(CounterShards.shardFor(u.response().id()), u.response().day(stored.zone())),
                    ScoreCounts.ofResponse(survey, u.response().counted()), ScoreCounts::plus);
            if (u.change() != null) {
                changes.add(u.change());
                RecordedResponse old = u.change().replacedResponse();
                if (old != null) {
                    // taken off under the current definition, as a live replacement and the recount do
                    counters.merge(new CounterKey(CounterShards.shardFor(old.id()), old.day(stored.zone())),
                            ScoreCounts.ofResponse(survey, old.counted()).negate(), ScoreCounts::plus);
                }
            }
        }
        lines.sort(null);
        imports.apply(new Part(t, stored, jobId, lines, counters, changes));
        // after the transaction: a crash before these leaves them to the replayed step, never an orphan
        imports.putResponses(t, stored, jobId, responses);
    }

    /**
     * Reads a line: {@code {"answers": {...}, "submittedAt": "...", "contactId"?: "c_..."}}, the answers
     * checked as a live submission's (pointers under {@code /answers}).
     *
     * @return the response, or null with the violations recorded in {@code v}
     */
    static RecordedResponse parse(Survey survey, String responseId, String text, Instant now, Violations v) {
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.SyntaxException e) {
            v.pointer("", "not valid JSON: " + e.getMessage());
            return null;
        }
        JsonObject body = JsonObject.of(parsed, v);
        if (!v.isEmpty()) {
            return null;
        }
        body.allowOnly(FIELDS);
        Instant submittedAt = body.requiredInstant("submittedAt");
        if (submittedAt != null && submittedAt.isAfter(now)) {
            v.pointer("/submittedAt", "must not be in the future");
        }
        String contactId = body.optionalString("contactId", 1, 64);
        JsonObject answers = body.requiredObject("answers");
        SubmittedResponse response = answers == null ? null
                : Answers.validate(survey, answers, submittedAt == null ? now : submittedAt);
        if (!v.isEmpty()) {
            return null;
        }
        return RecordedResponse.of(responseId, survey, response, contactId, null);
    }

    private static Map<String, Object> violation(String pointer, String detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pointer", pointer);
        m.put("detail", detail);
        return m;
    }
}
