package dev.crm.contacts.domain;

import dev.crm.contacts.domain.ImportRowRepository.BatchOutcome;
import dev.crm.contacts.domain.ImportRowRepository.ContactBatch;
import dev.crm.contacts.domain.ImportRowRepository.ImportedInteraction;
import dev.crm.contacts.domain.ImportRowRepository.PurchaseBase;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.crypto.Hashes;
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
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A bulk import of touch points (purchase history) as job steps, on the rows and rejection markers of
 * {@link ContactImport}. A step takes a batch of lines, resolves each line's contact (by external id,
 * email or id; unknown ones are rejected, or created when the import asks for it), and writes each
 * contact's touch points of the batch, then their effect on the purchase summary (applied as
 * {@link ContactService#record} applies one purchase, so the churn run cannot tell them apart) with
 * the contact's last applied line of this job, in one write per contact and part (several contacts
 * share one). Touch point ids and content derive from the job and line (recorded at the job's
 * creation), so writing one again changes nothing; the effect is written once, with its mark, so a
 * batch replayed after a crash counts nothing twice. An import is history, not news: its lines
 * announce nothing, the finished job announces {@code import.completed}.
 */
public final class InteractionImport {
    public static final String KIND = "interaction_import";
    public static final String ID_PREFIX = "iimp_";
    /**
     * Lines per step: large, so that a contact's lines of the step (a date-ordered export spreads them)
     * go out in one transaction with one summary update; a step still ends well within a worker's time.
     */
    static final int BATCH = 10_000;
    /** Contacts per base read: the step's reads go out in parallel slices of this many. */
    static final int READ_SLICE = 100;
    private static final int MAX_ATTEMPTS = 20;
    /**
     * New contacts per transaction: each is its profile and its external id's guard. 40 (80 items) once
     * ran past the SDK's 20 s call timeout under load with the stream on; the contact import uses 20 too.
     */
    static final int CREATE_GROUP = 20;

    private final ContactRepository contacts;
    private final ImportRowRepository rows;
    private final JobRepository jobRecords;
    private final ExecutorService workers;
    private final Clock clock;

    /** @param workers the threads contacts are resolved and written by (null: only {@link #start} and {@link #result}) */
    public InteractionImport(ContactRepository contacts, ImportRowRepository rows, JobRepository jobRecords,
            ExecutorService workers, Clock clock) {
        this.contacts = contacts;
        this.rows = rows;
        this.jobRecords = jobRecords;
        this.workers = workers;
        this.clock = clock;
    }

    /**
     * Stores the lines and creates the job (queued). An import with {@code jobId} that exists is the
     * answer (the id derives from an Idempotency-Key; an earlier run of the request created it).
     */
    public Job start(TenantId t, List<String> lines, boolean createContacts, String jobId) {
        Job existing = jobRecords.find(JobRef.of(t, jobId));
        if (existing != null && KIND.equals(existing.kind())) {
            return existing;
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("chunks", rows.storeImportRows(t, jobId, lines));
        input.put("createContacts", createContacts);
        return jobRecords.createOrFind(NewJob.forTenant(JobRef.of(t, jobId), KIND, input, lines.size()));
    }

    /** The job as the API shows it (with its result once it succeeded); null when the tenant has no such import. */
    public Map<String, Object> result(TenantId t, String jobId) {
        Job job = jobRecords.find(JobRef.of(t, jobId));
        if (job == null || !KIND.equals(job.kind())) {
            return null;
        }
        Map<String, Object> out = job.toJson();
        if (job.status() == Job.Status.SUCCEEDED) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("imported", job.result().get("imported"));
            if (job.result().get("createdContacts") != null) {
                result.put("createdContacts", job.result().get("createdContacts"));
            }
            List<Object> rejected = new ArrayList<>();
            for (var r : rows.rejections(t, job.id())) {
                rejected.add(Map.of("row", r.row(), "errors", r.errors()));
            }
            rejected.sort(java.util.Comparator.comparingInt(o -> ((Number) ((Map<?, ?>) o).get("row")).intValue()));
            result.put("rejected", rejected);
            out.put("result", result);
        }
        return out;
    }

    /** The touch point id of a line: stable per job and line, within the ids clients may choose. */
    static String interactionId(String jobId, int row) {
        return jobId + ":" + row;
    }

    @SuppressWarnings("unchecked")
    public JobRunner.Step step(TenantId t, Job job, ZoneId zone, String currency) {
        List<Number> chunks = (List<Number>) job.input().get("chunks");
        boolean createContacts = Boolean.TRUE.equals(job.input().get("createContacts"));
        int total = chunks.stream().mapToInt(Number::intValue).sum();
        int next = job.checkpoint().get("nextRow") instanceof Number n ? n.intValue() : 1;
        long createdBefore = job.checkpoint().get("createdContacts") instanceof Number n ? n.longValue() : 0;
        if (next > total) {
            var tally = rows.tally(t, job.id());
            rows.storeRejections(t, job.id(), tally.rejected());
            Map<String, Object> result = new LinkedHashMap<>();
            // every line is either applied or rejected (with its marker) before the job moves on
            result.put("imported", (long) total - tally.rejected().size());
            result.put("rejectedCount", tally.rejected().size());
            if (createdBefore > 0) {
                result.put("createdContacts", createdBefore);
            }
            return JobRunner.Step.finished(total, total, result);
        }
        int end = Math.min(total + 1, next + BATCH);
        Step range = new Step(t, job.id(), next, end,
                job.createdAt() != null ? job.createdAt() : clock.instant(), zone, currency);
        Set<Integer> done = rows.rowsDone(t, job.id(), next, end);
        // the job's instant, not the clock's: a line replayed after a crash is the same touch point
        Instant now = range.recordedAt();
        Map<Integer, Line> lines = new TreeMap<>();
        for (var row : ContactImport.rows(rows, t, job.id(), chunks, next, end).entrySet()) {
            if (done.contains(row.getKey())) {
                continue;
            }
            Line line = parse(job.id(), row.getKey(), row.getValue(), now, currency);
            if (line.errors != null) {
                rows.rejectRow(t, job.id(), row.getKey(), line.errors);
            } else {
                lines.put(row.getKey(), line);
            }
        }
        // each contact named in the batch once: external ids in batched reads, the others in parallel
        Set<String> externalIds = new HashSet<>();
        for (Line line : lines.values()) {
            if (line.contact.field().equals("externalId")) {
                externalIds.add(line.contact.value());
            }
        }
        Map<String, String> holders = holders(t, externalIds);
        Map<Reference, String> ids = new HashMap<>();
        Map<Reference, String> created = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Reference, Callable<String>> lookups = new LinkedHashMap<>();
        Set<Reference> absent = new java.util.LinkedHashSet<>();
        for (Line line : lines.values()) {
            Reference ref = line.contact;
            String known = ref.field().equals("externalId") ? holders.get(ref.value()) : null;
            if (known != null) {
                ids.put(ref, known);
            } else if (ref.field().equals("externalId") && createContacts) {
                absent.add(ref); // the batched read found no holder: create it, no lookup first
            } else if (!ref.field().equals("externalId")) {
                lookups.computeIfAbsent(ref, r -> () -> resolve(t, job.id(), r, createContacts));
            }
        }
        Map<Integer, Callable<String>> creations = new LinkedHashMap<>();
        List<Reference> pending = new ArrayList<>(absent);
        for (int from = 0; from < pending.size(); from += CREATE_GROUP) {
            List<Reference> group = pending.subList(from, Math.min(pending.size(), from + CREATE_GROUP));
            creations.put(from, () -> {
                createGroup(t, job.id(), group).forEach((ref, id) -> {
                    if (id != null) {
                        created.put(ref, id);
                    }
                });
                return "";
            });
        }
        all(creations);
        ids.putAll(created);
        ids.putAll(all(lookups));
        long createdHere = createContacts ? createdContacts(t, job.id(), chunks, next, lines.values(), ids, currency) : 0;
        Map<String, List<Line>> byContact = new LinkedHashMap<>();
        for (var e : lines.entrySet()) {
            String id = ids.get(e.getValue().contact);
            if (id == null) {
                rows.rejectRow(t, job.id(), e.getKey(), List.of(Map.of("pointer", "/contact", "detail",
                        "no contact with this " + e.getValue().contact.field() + (createContacts || "id".equals(e.getValue().contact.field())
                                ? "" : " (createContacts=true creates it)"))));
            } else {
                byContact.computeIfAbsent(id, k -> new ArrayList<>()).add(e.getValue());
            }
        }
        Map<String, Set<LocalDate>> days = new HashMap<>();
        for (var e : byContact.entrySet()) {
            days.put(e.getKey(), touched(e.getValue(), zone));
        }
        Map<String, PurchaseBase> bases = bases(range, days, created.values());
        // lines this job applied already (a step replayed after a crash) are left out, contact by contact
        for (var it = byContact.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            int through = bases.get(e.getKey()).appliedThrough();
            e.getValue().removeIf(l -> l.row <= through);
            if (e.getValue().isEmpty()) {
                it.remove();
            }
        }
        Map<Integer, Callable<String>> writes = new LinkedHashMap<>();
        for (List<Pending> group : groups(byContact, bases, zone)) {
            writes.put(writes.size(), () -> {
                writeGroup(range, group, days);
                return "";
            });
        }
        all(writes);
        return JobRunner.Step.progress(end - 1, total, Map.of("nextRow", end, "createdContacts", createdBefore + createdHere));
    }

    /**
     * The contacts this job created among those first named in this step: their id is the job's own
     * ({@link #createdContactId}), whether created now or by a run of this step that crashed, so a
     * replayed step counts each once, and a contact named again in a later step is not counted there.
     */
    private long createdContacts(TenantId t, String jobId, List<Number> chunks, int next, java.util.Collection<Line> lines,
            Map<Reference, String> ids, String currency) {
        Set<Reference> earlier = new HashSet<>();
        if (next > 1) {
            for (String text : ContactImport.rows(rows, t, jobId, chunks, 1, next).values()) {
                Line l = parse(jobId, 0, text, Instant.EPOCH, currency);
                if (l.errors == null) {
                    earlier.add(l.contact);
                }
            }
        }
        Set<Reference> counted = new HashSet<>();
        for (Line l : lines) {
            if (!earlier.contains(l.contact) && createdContactId(jobId, l.contact).equals(ids.get(l.contact))) {
                counted.add(l.contact);
            }
        }
        return counted.size();
    }

    /** The contacts holding these external ids, read in parallel slices. */
    private Map<String, String> holders(TenantId t, Set<String> externalIds) {
        Map<String, String> out = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Integer, Callable<String>> reads = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(externalIds);
        for (int from = 0; from < all.size(); from += READ_SLICE) {
            Set<String> these = new HashSet<>(all.subList(from, Math.min(all.size(), from + READ_SLICE)));
            reads.put(from, () -> {
                out.putAll(rows.externalIdHolders(t, these));
                return "";
            });
        }
        all(reads);
        return out;
    }

    /** A step's fixed facts: its lines [from, to), the touch points' recording instant, the tenant's zone and currency. */
    private record Step(TenantId t, String jobId, int from, int to, Instant recordedAt, ZoneId zone, String currency) {}

    /**
     * The contacts' bases, read in parallel slices; a contact this step just created has none (were it
     * written meanwhile, the summary's version condition refuses the write and it is read then).
     */
    private Map<String, PurchaseBase> bases(Step s, Map<String, Set<LocalDate>> days, java.util.Collection<String> fresh) {
        Set<String> created = new HashSet<>(fresh);
        Map<String, PurchaseBase> out = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Integer, Callable<String>> reads = new LinkedHashMap<>();
        Map<String, Set<LocalDate>> slice = new HashMap<>();
        for (var e : days.entrySet()) {
            if (created.contains(e.getKey())) {
                out.put(e.getKey(), new PurchaseBase(PurchaseSummary.empty(s.currency()), Set.of(), 0));
                continue;
            }
            slice.put(e.getKey(), e.getValue());
            if (slice.size() == READ_SLICE) {
                Map<String, Set<LocalDate>> these = slice;
                reads.put(reads.size(), () -> {
                    out.putAll(rows.purchaseBases(s.t(), s.jobId(), these, s.currency()));
                    return "";
                });
                slice = new HashMap<>();
            }
        }
        if (!slice.isEmpty()) {
            Map<String, Set<LocalDate>> these = slice;
            reads.put(reads.size(), () -> {
                out.putAll(rows.purchaseBases(s.t(), s.jobId(), these, s.currency()));
                return "";
            });
        }
        all(reads);
        return out;
    }

    /** A contact's lines of the step, its base, and its first part's batch (the one written in a group). */
    private record Pending(String contactId, List<Line> lines, PurchaseBase base, ContactBatch first) {}

    /**
     * The contacts' first parts packed into groups whose costs fit one write ({@link ImportRowRepository#importWriteBudget}).
     * A contact whose lines do not fit one part continues on its own after its group.
     */
    private List<List<Pending>> groups(Map<String, List<Line>> byContact, Map<String, PurchaseBase> bases, ZoneId zone) {
        int budget = rows.importWriteBudget();
        List<List<Pending>> out = new ArrayList<>();
        List<Pending> group = new ArrayList<>();
        int used = 0;
        for (var e : byContact.entrySet()) {
            List<Line> lines = e.getValue();
            PurchaseBase base = bases.get(e.getKey());
            List<Line> first = parts(lines, zone).get(0);
            int cost = rows.importWriteCost(touched(first, zone).size());
            if (!group.isEmpty() && used + cost > budget) {
                out.add(group);
                group = new ArrayList<>();
                used = 0;
            }
            group.add(new Pending(e.getKey(), lines, base, apply(e.getKey(), first, base, zone)));
            used += cost;
        }
        if (!group.isEmpty()) {
            out.add(group);
        }
        return out;
    }

    /** A contact's lines in order, split where one more purchase day would not fit one write. */
    private List<List<Line>> parts(List<Line> lines, ZoneId zone) {
        int budget = rows.importWriteBudget();
        List<List<Line>> out = new ArrayList<>();
        List<Line> part = new ArrayList<>();
        Set<LocalDate> days = new HashSet<>();
        for (Line l : lines) {
            LocalDate day = l.interaction.type() == InteractionType.PURCHASE ? l.interaction.occurredAt().atZone(zone).toLocalDate() : null;
            if (day != null && !days.contains(day) && !part.isEmpty() && rows.importWriteCost(days.size() + 1) > budget) {
                out.add(part);
                part = new ArrayList<>();
                days = new HashSet<>();
            }
            part.add(l);
            if (day != null) {
                days.add(day);
            }
        }
        out.add(part);
        return out;
    }

    /**
     * Writes a group's first parts in one call, then each contact's remaining parts. A contact whose
     * first part was refused (erased; applied or changed meanwhile) is written again on its own, which
     * tells those cases apart.
     */
    private void writeGroup(Step s, List<Pending> group, Map<String, Set<LocalDate>> days) {
        List<BatchOutcome> outcomes = rows.writeImported(s.t(), s.jobId(), group.stream().map(Pending::first).toList(), s.recordedAt());
        for (int k = 0; k < group.size(); k++) {
            Pending p = group.get(k);
            switch (outcomes.get(k)) {
                case WRITTEN -> {
                    int done = p.first().rows().size();
                    if (done < p.lines().size()) {
                        writeContact(s, p.contactId(), p.lines().subList(done, p.lines().size()), after(p.base(), p.first()),
                                days.get(p.contactId()));
                    }
                }
                case CONTACT_MISSING -> rejectMissing(s, p.lines());
                default -> writeContact(s, p.contactId(), p.lines(), null, days.get(p.contactId())); // REFUSED: read again
            }
        }
    }

    private void rejectMissing(Step s, List<Line> lines) {
        for (Line l : lines) {
            rows.rejectRow(s.t(), s.jobId(), l.row, List.of(Map.of("pointer", "/contact", "detail",
                    "the contact is being erased or was deleted")));
        }
    }

    /** The base once the batch is written: its summary (when it had purchases), its days added, its last line applied. */
    private static PurchaseBase after(PurchaseBase base, ContactBatch batch) {
        Set<LocalDate> days = new HashSet<>(base.purchaseDays());
        days.addAll(batch.purchaseDays());
        return new PurchaseBase(batch.summary() != null ? batch.summary() : base.summary(), days, batch.lastRow());
    }

    /** Runs the tasks on the workers; a store failure fails the step, which is retried from its checkpoint. */
    private <K> Map<K, String> all(Map<K, Callable<String>> tasks) {
        Map<K, Future<String>> pending = new LinkedHashMap<>();
        for (var e : tasks.entrySet()) {
            pending.put(e.getKey(), workers.submit(e.getValue()));
        }
        Map<K, String> out = new HashMap<>();
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

    /** How a line names its contact: exactly one of externalId, email, id. */
    record Reference(String field, String value) {}

    /** A parsed line: its contact and touch point, or its violations. */
    private record Line(int row, Reference contact, Interaction interaction, List<Map<String, Object>> errors) {}

    private static Line parse(String jobId, int row, String text, Instant now, String currency) {
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.SyntaxException e) {
            return new Line(row, null, null, List.of(Map.of("pointer", "", "detail", "not valid JSON: " + e.getMessage())));
        }
        Violations v = new Violations();
        JsonObject body = JsonObject.of(parsed, v);
        if (!v.isEmpty()) {
            return new Line(row, null, null, v.items());
        }
        if (body.has("id")) {
            v.pointer("/id", "not accepted: the import derives each touch point's id from the job and line");
        }
        Reference ref = reference(body.requiredObject("contact"));
        Map<String, Object> fields = new LinkedHashMap<>(body.raw());
        fields.remove("contact");
        fields.put("id", interactionId(jobId, row));
        JsonObject rest = JsonObject.of(fields, "", v);
        Interaction interaction = Interaction.read(rest, now, currency);
        if (!v.isEmpty()) {
            return new Line(row, null, null, v.items());
        }
        return new Line(row, ref, interaction, null);
    }

    private static Reference reference(JsonObject c) {
        if (c == null) {
            return null;
        }
        c.allowOnly("externalId", "email", "id");
        List<String> named = c.fields().stream().filter(f -> Set.of("externalId", "email", "id").contains(f)).toList();
        if (named.size() != 1) {
            c.violations().pointer("/contact", "must name the contact by exactly one of externalId, email, id");
            return null;
        }
        String field = named.get(0);
        if (field.equals("id")) {
            String id = c.requiredLine("id", 1, 64);
            if (id != null && !id.startsWith(Contact.ID_PREFIX)) {
                c.violations().pointer("/contact/id", "must be a contact id (" + Contact.ID_PREFIX + "…)");
            }
            return id == null ? null : new Reference(field, id);
        }
        // validated as the contact's own field is, so a created contact is a valid one
        ContactData data = ContactFields.create(c);
        String value = field.equals("email") ? data.email() : data.externalId();
        return value == null ? null : new Reference(field, value);
    }

    /**
     * Creates the group's contacts in one transaction; when that is refused (one was created meanwhile,
     * by a request or by this step before a crash), each is looked up or created on its own.
     */
    private Map<Reference, String> createGroup(TenantId t, String jobId, List<Reference> group) {
        Map<Reference, String> out = new HashMap<>();
        List<Contact> created = new ArrayList<>();
        for (Reference ref : group) {
            created.add(newContact(jobId, ref));
        }
        boolean written;
        try {
            written = group.size() > 1 && contacts.createAll(t, created);
        } catch (StoreException.Contention e) {
            written = false;
        }
        for (int i = 0; i < group.size(); i++) {
            out.put(group.get(i), written ? created.get(i).id() : resolve(t, jobId, group.get(i), true));
        }
        return out;
    }

    /** The contact an import creates for a reference, with its stable id. */
    private Contact newContact(String jobId, Reference ref) {
        Map<String, Object> fields = Map.of(ref.field(), ref.value());
        ContactData data = ContactFields.create(JsonObject.of(new HashMap<>(fields), "", new Violations()));
        Instant now = clock.instant();
        return new Contact(createdContactId(jobId, ref), data, now, now, 1, Contact.Status.ACTIVE);
    }

    /** The contact's id; null when there is none (and none may be created). */
    private String resolve(TenantId t, String jobId, Reference ref, boolean create) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            String id = switch (ref.field()) {
                case "externalId" -> contacts.findIdByExternalId(t, ref.value());
                case "email" -> contacts.findIdByEmail(t, ref.value());
                default -> {
                    Contact c = contacts.find(t, ref.value());
                    yield c == null || c.status() != Contact.Status.ACTIVE ? null : c.id();
                }
            };
            if (id != null || !create || ref.field().equals("id")) {
                return id;
            }
            try {
                contacts.create(t, newContact(jobId, ref));
                return createdContactId(jobId, ref);
            } catch (StoreException.UniqueViolation | StoreException.VersionConflict | StoreException.Contention e) {
                // created meanwhile (by a request, or by this batch before a crash): look again
            }
            Backoff.JITTER.pause(attempt);
        }
        throw new IllegalStateException("contact lookup still contended after retries");
    }

    /** Stable per job and reference: a contact created twice (a replay after a crash) is the same contact. */
    static String createdContactId(String jobId, Reference ref) {
        byte[] h = Hashes.sha256(("iimport|" + jobId + "|" + ref.field() + "|" + ref.value()).getBytes(StandardCharsets.UTF_8));
        char[] alphabet = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
        StringBuilder sb = new StringBuilder(Contact.ID_PREFIX);
        for (int i = 0; i < 20; i++) {
            sb.append(alphabet[h[i] & 31]);
        }
        return sb.toString();
    }

    /**
     * Writes one contact's lines of the step part after part, from {@code base} (null: read it); each
     * part's result is the next part's base.
     */
    private void writeContact(Step s, String contactId, List<Line> lines, PurchaseBase base, Set<LocalDate> days) {
        PurchaseBase current = base;
        for (List<Line> part : parts(lines, s.zone())) {
            current = writePart(s, contactId, new ArrayList<>(part), current, days);
        }
    }

    /** @return the base after this part (null when unknown: the next part reads it) */
    private PurchaseBase writePart(Step s, String contactId, List<Line> lines, PurchaseBase base, Set<LocalDate> days) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (base == null) {
                base = rows.purchaseBases(s.t(), s.jobId(), Map.of(contactId, days), s.currency()).get(contactId);
            }
            // what this job applied meanwhile (another worker on this step, a run before a crash) is left out
            int through = base.appliedThrough();
            lines.removeIf(l -> l.row <= through);
            if (lines.isEmpty()) {
                return base;
            }
            ContactBatch batch = apply(contactId, lines, base, s.zone());
            BatchOutcome outcome = rows.writeImported(s.t(), s.jobId(), List.of(batch), s.recordedAt()).get(0);
            switch (outcome) {
                case WRITTEN:
                    return after(base, batch);
                case CONTACT_MISSING:
                    rejectMissing(s, lines);
                    return null;
                default:
                    // applied or changed meanwhile (another worker, a live purchase): read the base again
                    base = null;
                    Backoff.JITTER.pause(attempt);
            }
        }
        throw new IllegalStateException("the contact's purchases are still contended after retries");
    }

    /**
     * The lines' effect, applied one after another exactly as {@link ContactService#record} applies a
     * single purchase (a purchase in another currency counts as a purchase day with no spend).
     */
    static ContactBatch apply(String contactId, List<Line> lines, PurchaseBase base, ZoneId zone) {
        PurchaseSummary summary = base.summary();
        Set<LocalDate> days = new HashSet<>(base.purchaseDays());
        boolean purchases = false;
        long complaints = 0;
        List<ImportedInteraction> out = new ArrayList<>();
        for (Line l : lines) {
            Interaction i = l.interaction;
            out.add(new ImportedInteraction(l.row, i));
            if (i.type() == InteractionType.PURCHASE) {
                purchases = true;
                LocalDate day = i.occurredAt().atZone(zone).toLocalDate();
                BigDecimal amount = i.value().currency().equals(summary.currency()) ? i.value().amount() : null;
                summary = summary.add(new PurchaseSummary.Purchase(day, amount), days.contains(day));
                days.add(day);
            } else if (i.type() == InteractionType.COMPLAINT) {
                complaints++;
            }
        }
        return new ContactBatch(contactId, out, purchases ? summary : null, base.summary().version(), touched(lines, zone),
                complaints);
    }

    private static Set<LocalDate> touched(List<Line> lines, ZoneId zone) {
        Set<LocalDate> out = new HashSet<>();
        for (Line l : lines) {
            if (l.interaction.type() == InteractionType.PURCHASE) {
                out.add(l.interaction.occurredAt().atZone(zone).toLocalDate());
            }
        }
        return out;
    }
}
