package dev.crm.contacts.domain;

import dev.crm.shared.store.Backoff;
import dev.crm.contacts.domain.ImportRowRepository.ImportedContact;
import dev.crm.contacts.domain.ImportRowRepository.RowOutcome;
import dev.crm.shared.contact.EmailAddress;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A bulk import as job steps: each step reads a batch of rows in parallel, creates the new contacts
 * several to a transaction (each with its guards and its row's outcome marker; a refused group goes
 * again one row to a transaction) and upserts the others one row to a transaction, so a row is
 * written whole or not at all, one bad row never rejects the good ones, and a step replayed after a
 * crash skips every row that already has an outcome. Rows without email or external id get a contact id derived from the
 * job and row, so even those are never duplicated.
 */
public final class ContactImport {
    public static final String KIND = "contact_import";
    public static final String ID_PREFIX = "imp_";
    static final int BATCH = 250;
    /**
     * New contacts per write: each is its row's marker, its profile and its guards (up to 5 items, within
     * DynamoDB's 100); 40 (80 items) once ran past the SDK's 20 s call timeout under load with the stream on.
     */
    static final int CREATE_GROUP = 20;

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
        // each row parsed in parallel (rejected rows get their marker there), then the contacts the step's
        // rows name looked up together: batched reads of their guards, not two lookups a row
        Map<Integer, Callable<Parsed>> reads = new LinkedHashMap<>();
        for (var row : rows.entrySet()) {
            if (!done.contains(row.getKey())) {
                reads.put(row.getKey(), () -> read(t, job.id(), row.getKey(), row.getValue(), csv));
            }
        }
        List<Parsed> parsed = new ArrayList<>();
        Set<String> emails = new HashSet<>();
        Set<String> externalIds = new HashSet<>();
        for (Parsed p : all(reads).values()) {
            if (p != null) {
                parsed.add(p);
                if (p.data().email() != null) {
                    emails.add(p.data().email());
                }
                if (p.data().externalId() != null) {
                    externalIds.add(p.data().externalId());
                }
            }
        }
        var holders = jobs.holders(t, emails, externalIds);
        // In row order: a row naming an email or external id an earlier row of the step named waits for
        // the others and goes one by one after them (so it sees that row's contact, and a group never
        // names a key twice); rows whose contact exists are upserted one by one; new contacts go in groups.
        Set<String> named = new HashSet<>();
        List<Parsed> fresh = new ArrayList<>();
        List<Parsed> existing = new ArrayList<>();
        List<Parsed> later = new ArrayList<>();
        for (Parsed read : parsed) {
            Parsed p = new Parsed(read.row(), read.body(), read.data(),
                    read.data().email() == null ? null : holders.byEmail().get(read.data().email()),
                    read.data().externalId() == null ? null : holders.byExternalId().get(read.data().externalId()));
            List<String> keys = p.keys();
            if (keys.stream().anyMatch(named::contains)) {
                later.add(p);
            } else if (p.byEmail() == null && p.byExt() == null) {
                fresh.add(p);
            } else {
                existing.add(p);
            }
            named.addAll(keys);
        }
        Map<Integer, Callable<Parsed>> writes = new LinkedHashMap<>();
        for (int from = 0; from < fresh.size(); from += CREATE_GROUP) {
            List<Parsed> group = fresh.subList(from, Math.min(fresh.size(), from + CREATE_GROUP));
            writes.put(-1 - from, () -> {
                createGroup(t, job.id(), group);
                return null;
            });
        }
        for (Parsed p : existing) {
            writes.put(p.row(), () -> {
                writeRow(t, job.id(), p, true);
                return null;
            });
        }
        all(writes);
        for (Parsed p : later) {
            writeRow(t, job.id(), p, false);
        }
        return JobRunner.Step.progress(end - 1, total, Map.of("nextRow", end));
    }

    /** Runs the tasks on the workers, results in the tasks' order; a store failure fails the step (retried from its checkpoint). */
    private <K> Map<K, Parsed> all(Map<K, Callable<Parsed>> tasks) {
        Map<K, Future<Parsed>> pending = new LinkedHashMap<>();
        for (var e : tasks.entrySet()) {
            pending.put(e.getKey(), workers.submit(e.getValue()));
        }
        Map<K, Parsed> out = new LinkedHashMap<>();
        for (var e : pending.entrySet()) {
            try {
                out.put(e.getKey(), e.getValue().get());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            } catch (ExecutionException ex) {
                throw ex.getCause() instanceof RuntimeException r ? r : new IllegalStateException(ex.getCause());
            }
        }
        return out;
    }

    /** A valid row: its fields, and the contacts its email and external id named when it was read. */
    private record Parsed(int row, JsonObject body, ContactData data, String byEmail, String byExt) {
        /** The email (normalised) and external id the row names, as one namespace of keys. */
        List<String> keys() {
            List<String> out = new ArrayList<>(2);
            if (data.email() != null) {
                out.add("e|" + EmailAddress.normalize(data.email()));
            }
            if (data.externalId() != null) {
                out.add("x|" + data.externalId());
            }
            return out;
        }
    }

    /**
     * Creates the group's contacts with their rows' markers in one write; when that is refused (a guard
     * taken meanwhile, a row done by another worker, contention), each row is written on its own, which
     * tells those cases apart and keeps a rejection to its row.
     */
    private void createGroup(TenantId t, String jobId, List<Parsed> group) {
        Instant now = clock.instant();
        List<ImportedContact> created = new ArrayList<>();
        for (Parsed p : group) {
            created.add(new ImportedContact(p.row(), new Contact(rowContactId(jobId, p.row()), p.data(), now, now, 1,
                    Contact.Status.ACTIVE)));
        }
        boolean written;
        try {
            written = jobs.createImportedContacts(t, jobId, created);
        } catch (StoreException.Contention e) {
            written = false;
        }
        if (written) {
            Metrics.count(MetricNames.CONTACTS_CREATED, created.size());
            return;
        }
        for (Parsed p : group) {
            writeRow(t, jobId, p, false);
        }
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

    /** A row parsed (its contacts not looked up yet); null when it is rejected (its marker written). */
    private Parsed read(TenantId t, String jobId, int row, String text, boolean csv) {
        Violations v = new Violations();
        Object parsed;
        try {
            parsed = ImportFile.rowObject(text, csv);
        } catch (Json.SyntaxException e) {
            jobs.rejectRow(t, jobId, row, List.of(Map.of("pointer", "", "detail", "not valid JSON: " + e.getMessage())));
            return null;
        }
        JsonObject body = JsonObject.of(parsed, v);
        if (body.has("_extraCells")) {
            jobs.rejectRow(t, jobId, row, List.of(Map.of("pointer", "", "detail", "the row has more cells than the header")));
            return null;
        }
        ContactData data = ContactFields.create(body);
        if (!v.isEmpty()) {
            jobs.rejectRow(t, jobId, row, v.items());
            return null;
        }
        return new Parsed(row, body, data, null, null);
    }

    /**
     * Writes one row on its own (upsert by email or external id), looking again as long as it is contended.
     *
     * @param readFirst whether the first attempt may use the step's batched read of the holders (a
     *        stale one fails the write's conditions, and the next attempt looks again)
     */
    private void writeRow(TenantId t, String jobId, Parsed p, boolean readFirst) {
        for (int attempt = 1; attempt <= 20; attempt++) {
            try {
                if (upsert(t, jobId, p.row(), p.body(), p.data(), attempt == 1 && readFirst ? p : null)) {
                    return;
                }
            } catch (StoreException.UniqueViolation | StoreException.VersionConflict | StoreException.Contention e) {
                // another row or request got in between: look again
            } catch (Conflict c) {
                jobs.rejectRow(t, jobId, p.row(), List.of(Map.of("pointer", "", "detail", c.getMessage())));
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
    private boolean upsert(TenantId t, String jobId, int row, JsonObject body, ContactData data, Parsed read) {
        String byEmail = read != null ? read.byEmail() : data.email() == null ? null : contacts.findIdByEmail(t, data.email());
        String byExt = read != null ? read.byExt() : data.externalId() == null ? null : contacts.findIdByExternalId(t, data.externalId());
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
