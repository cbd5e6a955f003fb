package dev.crm.contacts.domain;

import dev.crm.shared.store.Backoff;
import dev.crm.contacts.domain.ImportRowRepository.RowOutcome;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.metrics.MetricNames;
import dev.crm.shared.metrics.Metrics;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A bulk import as job steps: each step upserts a batch of rows in parallel, one transaction per
 * row (the contact, its guards and the row's outcome marker), so a row is written whole or not at
 * all, one bad row never rejects the good ones, and a step replayed after a crash skips every row
 * that already has an outcome. Rows without email or external id get a contact id derived from the
 * job and row, so even those are never duplicated.
 */
public final class ContactImport {
    public static final String KIND = "contact_import";
    public static final String ID_PREFIX = "imp_";
    static final int BATCH = 250;

    private final ContactRepository contacts;
    private final ImportRowRepository jobs;
    private final JobRepository jobRecords;
    private final ExecutorService workers;
    private final Clock clock;

    /** @param workers the threads rows are written by (null: only {@link #start} and {@link #result} are used) */
    public ContactImport(ContactRepository contacts, ImportRowRepository rows, JobRepository jobRecords,
            ExecutorService workers, Clock clock) {
        this.contacts = contacts;
        this.jobs = rows;
        this.jobRecords = jobRecords;
        this.workers = workers;
        this.clock = clock;
    }

    /** Stores the rows and creates the import job (queued: the worker picks it up). */
    public Job start(TenantId t, List<String> rows, boolean csv) {
        return start(t, rows, csv, Ids.random(ID_PREFIX, 20));
    }

    /**
     * As {@link #start(TenantId, List, boolean)}, under {@code jobId}: an import with that id that
     * exists is the answer and its rows are not staged again (the id derives from an Idempotency-Key,
     * and an earlier run of the same request created it).
     */
    public Job start(TenantId t, List<String> rows, boolean csv, String jobId) {
        Job existing = jobRecords.find(JobRef.of(t, jobId));
        if (existing != null && KIND.equals(existing.kind())) {
            return existing;
        }
        Map<String, Object> input = stage(t, jobId, rows, csv);
        return jobRecords.createOrFind(NewJob.forTenant(JobRef.of(t, jobId), KIND, input, rows.size()));
    }

    /** Stores the rows and returns the job input (format and chunk sizes). */
    Map<String, Object> stage(TenantId t, String jobId, List<String> rows, boolean csv) {
        List<Integer> chunks = jobs.storeImportRows(t, jobId, rows);
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("format", csv ? "csv" : "ndjson");
        input.put("chunks", chunks);
        return input;
    }

    /**
     * The import job as the API shows it: once it succeeded, its result lists the rejected rows in
     * row order. Null when the tenant has no import with this id.
     */
    public Map<String, Object> result(TenantId t, String jobId) {
        Job job = jobRecords.find(JobRef.of(t, jobId));
        if (job == null || !KIND.equals(job.kind())) {
            return null;
        }
        Map<String, Object> out = job.toJson();
        if (job.status() == Job.Status.SUCCEEDED) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("created", job.result().get("created"));
            result.put("updated", job.result().get("updated"));
            List<Object> rejected = new ArrayList<>();
            for (var r : jobs.rejections(t, job.id())) {
                rejected.add(Map.of("row", r.row(), "errors", r.errors()));
            }
            rejected.sort(java.util.Comparator.comparingInt(o -> ((Number) ((Map<?, ?>) o).get("row")).intValue()));
            result.put("rejected", rejected);
            out.put("result", result);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public JobRunner.Step step(TenantId t, Job job) {
        List<Number> chunks = (List<Number>) job.input().get("chunks");
        boolean csv = "csv".equals(job.input().get("format"));
        int total = chunks.stream().mapToInt(Number::intValue).sum();
        int next = job.checkpoint().get("nextRow") instanceof Number n ? n.intValue() : 1;
        if (next > total) {
            var tally = jobs.tally(t, job.id());
            jobs.storeRejections(t, job.id(), tally.rejected());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("created", tally.created());
            result.put("updated", tally.updated());
            result.put("rejectedCount", tally.rejected().size());
            return JobRunner.Step.finished(total, total, result);
        }
        int end = Math.min(total + 1, next + BATCH);
        Map<Integer, String> rows = rows(jobs, t, job.id(), chunks, next, end);
        Set<Integer> done = jobs.rowsDone(t, job.id(), next, end);
        List<Future<?>> pending = new ArrayList<>();
        for (var row : rows.entrySet()) {
            if (!done.contains(row.getKey())) {
                pending.add(workers.submit(() -> importRow(t, job.id(), row.getKey(), row.getValue(), csv)));
            }
        }
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (java.util.concurrent.ExecutionException e) {
                // A store failure: the step is retried from its checkpoint; finished rows are skipped.
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        return JobRunner.Step.progress(end - 1, total, Map.of("nextRow", end));
    }

    /** Rows [from, to) (1-based) from the stored chunks (the interaction import reads its lines alike). */
    static Map<Integer, String> rows(ImportRowRepository jobs, TenantId t, String jobId, List<Number> chunks, int from, int to) {
        Map<Integer, String> out = new LinkedHashMap<>();
        int first = 1;
        for (int c = 0; c < chunks.size() && first < to; c++) {
            int size = chunks.get(c).intValue();
            if (first + size > from) {
                List<String> rows = jobs.importChunk(t, jobId, c);
                for (int i = 0; i < rows.size(); i++) {
                    int row = first + i;
                    if (row >= from && row < to) {
                        out.put(row, rows.get(i));
                    }
                }
            }
            first += size;
        }
        return out;
    }

    void importRow(TenantId t, String jobId, int row, String text, boolean csv) {
        Violations v = new Violations();
        Object parsed;
        try {
            parsed = ImportFile.rowObject(text, csv);
        } catch (Json.SyntaxException e) {
            jobs.rejectRow(t, jobId, row, List.of(Map.of("pointer", "", "detail", "not valid JSON: " + e.getMessage())));
            return;
        }
        JsonObject body = JsonObject.of(parsed, v);
        if (body.has("_extraCells")) {
            jobs.rejectRow(t, jobId, row, List.of(Map.of("pointer", "", "detail", "the row has more cells than the header")));
            return;
        }
        ContactData data = ContactFields.create(body);
        if (!v.isEmpty()) {
            jobs.rejectRow(t, jobId, row, v.items());
            return;
        }
        for (int attempt = 1; attempt <= 20; attempt++) {
            try {
                if (upsert(t, jobId, row, body, data)) {
                    return;
                }
            } catch (StoreException.UniqueViolation | StoreException.VersionConflict | StoreException.Contention e) {
                // another row or request got in between: look again
            } catch (Conflict c) {
                jobs.rejectRow(t, jobId, row, List.of(Map.of("pointer", "", "detail", c.getMessage())));
                return;
            }
            Backoff.JITTER.pause(attempt);
        }
        throw new IllegalStateException("import row still contended after retries");
    }

    /** A row that can never be applied (its email and external id name different contacts). */
    private static final class Conflict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Conflict(String message) {
            super(message, null, false, false);
        }
    }

    /** @return true when the row is done (written now, or found done) */
    private boolean upsert(TenantId t, String jobId, int row, JsonObject body, ContactData data) {
        String byEmail = data.email() == null ? null : contacts.findIdByEmail(t, data.email());
        String byExt = data.externalId() == null ? null : contacts.findIdByExternalId(t, data.externalId());
        if (byEmail != null && byExt != null && !byEmail.equals(byExt)) {
            throw new Conflict("email and externalId belong to different contacts (" + byEmail + ", " + byExt + ")");
        }
        String existingId = byEmail != null ? byEmail : byExt;
        Instant now = clock.instant();
        if (existingId == null) {
            Contact created = new Contact(rowContactId(jobId, row), data, now, now, 1, Contact.Status.ACTIVE);
            jobs.writeImportedContact(t, jobId, row, null, created, RowOutcome.CREATED);
            Metrics.count(MetricNames.CONTACTS_CREATED);
            return true;
        }
        Contact existing = contacts.find(t, existingId);
        if (existing == null || existing.status() != Contact.Status.ACTIVE) {
            return false; // being erased or gone: the next attempt sees its guard released
        }
        Violations v = new Violations();
        ContactData merged = ContactFields.merge(existing, JsonObject.of(body.raw(), "", v));
        Instant updatedAt = now.isAfter(existing.updatedAt()) ? now : existing.updatedAt().plusMillis(1);
        Contact updated = new Contact(existing.id(), merged, existing.createdAt(), updatedAt, existing.version() + 1,
                existing.status());
        jobs.writeImportedContact(t, jobId, row, existing, updated, RowOutcome.UPDATED);
        return true;
    }

    /** Stable per job and row: a row created twice (a replay after a crash) is the same contact. */
    static String rowContactId(String jobId, int row) {
        byte[] h = Hashes.sha256(("import|" + jobId + "|" + row).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        char[] alphabet = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
        StringBuilder sb = new StringBuilder(Contact.ID_PREFIX);
        for (int i = 0; i < 20; i++) {
            sb.append(alphabet[h[i] & 31]);
        }
        return sb.toString();
    }

}
