package dev.crm.preferences.domain;

import dev.crm.preferences.domain.ConsentImportRepository.ContactConsent;
import dev.crm.preferences.domain.ConsentImportRepository.LedgerWrite;
import dev.crm.preferences.domain.ConsentImportRepository.NumberedLine;
import dev.crm.preferences.domain.ConsentImportRepository.Unit;
import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.shared.consent.Preferences;
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
import dev.crm.shared.jobs.NdjsonLines;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A consent import (history from another system) as job steps. Each line is one
 * {@code PUT /v1/contacts/{id}/preferences} at a past instant: parsed by {@link PreferencesUpdate} against
 * the state the contact's earlier lines left, with the PUT's rules and limit of changes. The file is staged
 * sorted by contact, then {@code at}, then line, so a contact's lines apply in time order whatever their
 * place in the file. A status whose last recorded change is later than a line's {@code at} keeps that newer
 * status (the line changes it neither in the state nor in the ledger); caps, quiet hours and the pause keep
 * theirs when the state was written after the line's {@code at}. Writes are grouped: each transaction holds
 * several contacts' new states, their ledger and timeline entries and every line's outcome, so a replayed
 * step skips what committed and nothing is written or counted twice. Nothing is announced.
 */
public final class ConsentImport {
    public static final String KIND = "consent_import";
    public static final String ID_PREFIX = "cnimp_";
    public static final int MAX_LINES = 20_000;
    public static final int MAX_BYTES = 5 * 1024 * 1024;
    /** Lines per step (a checkpoint after each). */
    static final int BATCH = 500;
    /** Recomputations of a step's lines when live writes move a contact's state under it. */
    static final int ATTEMPTS = 5;
    private static final List<String> FIELDS = List.of("contactId", "at", "preferences", "source");
    private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

    private final ConsentImportRepository store;
    private final JobRepository jobs;
    private final Function<TenantId, Set<String>> topicKeys;
    private final Clock clock;

    public ConsentImport(ConsentImportRepository store, JobRepository jobs, Function<TenantId, Set<String>> topicKeys,
            Clock clock) {
        this.store = store;
        this.jobs = jobs;
        this.topicKeys = topicKeys;
        this.clock = clock;
    }

    /**
     * The non-blank lines of an NDJSON body, numbered from 1.
     *
     * @throws NdjsonLines.Unreadable when there are none or too many
     */
    public static List<NumberedLine> ndjsonLines(String body) {
        List<String> lines = NdjsonLines.read(body, MAX_LINES);
        List<NumberedLine> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            out.add(new NumberedLine(out.size() + 1, line));
        }
        return out;
    }

    /** Stages the lines (by contact, then time) and queues the job; a job with this id (a keyed re-run) is the answer. */
    public Job start(TenantId t, List<NumberedLine> lines, String jobId) {
        Job existing = jobs.find(JobRef.of(t, jobId));
        if (existing != null && KIND.equals(existing.kind())) {
            return existing;
        }
        List<NumberedLine> sorted = new ArrayList<>(lines);
        Map<Integer, String> contactOf = new HashMap<>();
        Map<Integer, Instant> atOf = new HashMap<>();
        for (NumberedLine l : lines) {
            try {
                if (Json.parse(l.text()) instanceof Map<?, ?> m) {
                    if (m.get("contactId") instanceof String c) {
                        contactOf.put(l.line(), c);
                    }
                    if (m.get("at") instanceof String a) {
                        atOf.put(l.line(), Instant.parse(a));
                    }
                }
            } catch (RuntimeException unreadable) {
                // rejected with its reason when its step parses it
            }
        }
        sorted.sort(Comparator.comparing((NumberedLine l) -> contactOf.getOrDefault(l.line(), ""))
                .thenComparing(l -> atOf.getOrDefault(l.line(), Instant.MIN)).thenComparingInt(NumberedLine::line));
        List<Integer> chunks = store.storeLines(t, jobId, sorted);
        return jobs.createOrFind(NewJob.forTenant(JobRef.of(t, jobId), KIND, Map.of("chunks", chunks), lines.size()));
    }

    /** The job as the API shows it; once it succeeded, with the rejected lines in line order. Null: no such import. */
    public Map<String, Object> result(TenantId t, String jobId) {
        Job job = jobs.find(JobRef.of(t, jobId));
        if (job == null || !KIND.equals(job.kind())) {
            return null;
        }
        Map<String, Object> out = job.toJson();
        if (job.status() == Job.Status.SUCCEEDED) {
            ConsentImportRepository.Tally tally = store.tally(t, jobId);
            List<Object> rejected = new ArrayList<>();
            for (var r : tally.rejected()) {
                rejected.add(Map.of("line", r.line(), "errors", r.errors()));
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("imported", tally.imported());
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
            store.dropLines(t, job.id(), chunks.size());
            ConsentImportRepository.Tally tally = store.tally(t, job.id());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("imported", tally.imported());
            result.put("rejectedCount", tally.rejected().size());
            return JobRunner.Step.finished(total, total, result);
        }
        int end = Math.min(total + 1, next + BATCH);
        List<NumberedLine> part = read(t, job.id(), chunks, next, end);
        for (int attempt = 1; ; attempt++) {
            Set<Integer> done = store.linesDone(t, job.id(), part.stream().map(NumberedLine::line).toList());
            List<NumberedLine> todo = part.stream().filter(l -> !done.contains(l.line())).toList();
            if (todo.isEmpty()) {
                break;
            }
            try {
                apply(t, job.id(), todo);
                break;
            } catch (StoreException.VersionConflict | StoreException.Contention e) {
                // a live write moved a contact on (or a transaction clashed): what committed has its outcome,
                // the rest is computed again from what is stored now
                if (attempt == ATTEMPTS) {
                    throw new StoreException.Contention();
                }
                Backoff.JITTER.pause(attempt);
            }
        }
        return JobRunner.Step.progress(end - 1, total, Map.of("nextLine", end));
    }

    /** Staged positions [from, to) (1-based) from the chunks. */
    private List<NumberedLine> read(TenantId t, String jobId, List<Number> chunks, int from, int to) {
        List<NumberedLine> out = new ArrayList<>();
        int first = 1;
        for (int c = 0; c < chunks.size() && first < to; c++) {
            int size = chunks.get(c).intValue();
            if (first + size > from) {
                List<NumberedLine> chunk = store.chunk(t, jobId, c);
                for (int i = 0; i < chunk.size(); i++) {
                    int n = first + i;
                    if (n >= from && n < to) {
                        out.add(chunk.get(i));
                    }
                }
            }
            first += size;
        }
        return out;
    }

    /** A line that parsed: the PUT body is parsed later, against the state the contact's earlier lines leave. */
    private record Parsed(int line, String contactId, Instant at, Map<String, Object> body) {}

    /** Computes the lines' writes from the stored states and writes them in transactions of whole units. */
    void apply(TenantId t, String jobId, List<NumberedLine> lines) {
        Instant now = clock.instant();
        List<Unit> units = new ArrayList<>();
        Map<Integer, List<Map<String, Object>>> unreadable = new LinkedHashMap<>();
        Map<String, List<Parsed>> byContact = new LinkedHashMap<>();
        for (NumberedLine l : lines) {
            Violations v = new Violations();
            Parsed p = parse(l, now, v);
            if (p == null) {
                unreadable.put(l.line(), v.items());
            } else {
                byContact.computeIfAbsent(p.contactId(), k -> new ArrayList<>()).add(p);
            }
        }
        Map<String, Instant> earliest = new HashMap<>();
        byContact.forEach((id, ps) -> earliest.put(id, ps.stream().map(Parsed::at).min(Comparator.naturalOrder()).orElseThrow()));
        Map<String, ContactConsent> consent = byContact.isEmpty() ? Map.of() : store.consentOf(t, earliest);
        Set<String> topics = byContact.isEmpty() ? Set.of() : topicKeys.apply(t);
        for (var e : byContact.entrySet()) {
            ContactConsent c = consent.get(e.getKey());
            if (c == null) {
                for (Parsed p : e.getValue()) {
                    unreadable.put(p.line(), List.of(error("/contactId", "must name a contact of this tenant")));
                }
            } else {
                units.addAll(contactUnits(jobId, e.getKey(), e.getValue(), c, topics));
            }
        }
        for (var r : unreadable.entrySet()) {
            units.add(new Unit(null, 0, null, null, List.of(), List.of(), Map.of(r.getKey(), r.getValue())));
        }
        List<Unit> tx = new ArrayList<>();
        Set<String> contacts = new HashSet<>();
        int items = 0;
        for (Unit u : units) {
            if (!tx.isEmpty() && (items + u.items() > PreferencesRepository.MAX_TRANSACTION_ITEMS
                    || (u.contactId() != null && contacts.contains(u.contactId())))) {
                store.write(t, jobId, tx);
                tx = new ArrayList<>();
                contacts.clear();
                items = 0;
            }
            tx.add(u);
            items += u.items();
            if (u.contactId() != null) {
                contacts.add(u.contactId());
            }
        }
        if (!tx.isEmpty()) {
            store.write(t, jobId, tx);
        }
    }

    private static Map<String, Object> error(String pointer, String detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pointer", pointer);
        m.put("detail", detail);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Parsed parse(NumberedLine l, Instant now, Violations v) {
        Object json;
        try {
            json = Json.parse(l.text());
        } catch (RuntimeException e) {
            v.pointer("", "not a JSON object");
            return null;
        }
        JsonObject o = JsonObject.of(json, v);
        if (!v.isEmpty()) {
            return null;
        }
        o.allowOnly(FIELDS);
        String contactId = o.requiredString("contactId", 1, 64);
        Instant at = o.requiredInstant("at");
        JsonObject preferences = o.requiredObject("preferences");
        String source = o.optionalLine("source", 1, PreferencesUpdate.MAX_SOURCE_LENGTH);
        if (at != null && at.isAfter(now)) {
            v.pointer("/at", "must not be in the future");
        }
        if (!v.isEmpty()) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>(preferences.raw());
        if (source != null && !body.containsKey("source")) {
            body.put("source", source); // the line's source stands for the body's when the body names none
        }
        return new Parsed(l.line(), contactId, at, body);
    }

    /** The key of a channel's own status ({@code topic} null) or of a topic's, as {@link ContactConsent#lastChanged()} has them. */
    public static String statusKey(Channel channel, String topic) {
        return channel.wire() + "/" + (topic == null ? "" : topic);
    }

    /** One contact's lines in time order, as units each within one transaction. */
    private static List<Unit> contactUnits(String jobId, String contactId, List<Parsed> lines, ContactConsent consent,
            Set<String> topics) {
        List<Unit> units = new ArrayList<>();
        Preferences state = consent.preferences();
        Instant updatedAt = consent.updatedAt();
        Map<String, Instant> lastChanged = new HashMap<>(consent.lastChanged());
        long segmentFrom = state.version();
        Preferences segmentState = null;
        Instant segmentUpdatedAt = updatedAt;
        List<LedgerWrite> entries = new ArrayList<>();
        List<Integer> imported = new ArrayList<>();
        Map<Integer, List<Map<String, Object>>> rejected = new LinkedHashMap<>();
        for (Parsed line : lines) {
            Violations v = new Violations();
            PreferencesUpdate update = PreferencesUpdate.parse(line.body(), state, contactId, topics, v);
            Preferences next = update == null ? null : keepNewer(state, update.preferences(), line.at(), lastChanged, updatedAt);
            List<ConsentChange> changes = next == null ? List.of() : ConsentChanges.between(state, next);
            if (next != null && changes.size() > PreferencesService.MAX_CONSENT_CHANGES_PER_WRITE) {
                v.pointer("/channels", "changes " + changes.size() + " consent statuses; one line may change at most "
                        + PreferencesService.MAX_CONSENT_CHANGES_PER_WRITE + " (as one PUT; split it into two lines)");
                next = null;
            }
            boolean changed = next != null && !next.equals(state);
            int lineItems = 1 + 2 * changes.size();
            int segmentItems = 1 + (segmentState != null || changed ? 1 : 0) + 2 * entries.size() + imported.size()
                    + rejected.size();
            if (segmentItems + lineItems > PreferencesRepository.MAX_TRANSACTION_ITEMS) {
                units.add(new Unit(contactId, segmentFrom, segmentState, segmentUpdatedAt, entries, imported, rejected));
                segmentFrom = state.version();
                segmentState = null;
                entries = new ArrayList<>();
                imported = new ArrayList<>();
                rejected = new LinkedHashMap<>();
            }
            if (next == null) {
                List<Map<String, Object>> errors = new ArrayList<>();
                for (Map<String, Object> item : v.items()) {
                    Map<String, Object> copy = new LinkedHashMap<>(item);
                    copy.put("pointer", "/preferences" + item.get("pointer"));
                    errors.add(copy);
                }
                rejected.put(line.line(), errors);
                continue;
            }
            imported.add(line.line());
            if (!changed) {
                continue;
            }
            long version = state.version() + 1;
            ConsentEvidence evidence = new ConsentEvidence("import:" + jobId, update.legalBasis(),
                    update.source() == null ? "import" : update.source(), null, null, null);
            String stem = derivedId("l_", "consent-import|" + jobId + "|" + line.line());
            for (int i = 0; i < changes.size(); i++) {
                String suffix = Integer.toString(i, 32);
                ConsentChange change = changes.get(i);
                entries.add(new LedgerWrite(evidence.entry(stem + "0".repeat(4 - suffix.length()) + suffix, contactId,
                        line.at(), change), version, i));
                lastChanged.put(statusKey(change.channel(), change.topic()), line.at());
            }
            state = next.withVersion(version);
            updatedAt = updatedAt == null || line.at().isAfter(updatedAt) ? line.at() : updatedAt;
            segmentState = state;
            segmentUpdatedAt = updatedAt;
        }
        if (!imported.isEmpty() || !rejected.isEmpty()) {
            units.add(new Unit(contactId, segmentFrom, segmentState, segmentUpdatedAt, entries, imported, rejected));
        }
        return units;
    }

    /**
     * What a line at {@code at} may change: a status changed later than {@code at} keeps its current value,
     * and caps, quiet hours and the pause keep theirs when the state was written after {@code at}.
     */
    static Preferences keepNewer(Preferences current, Preferences wanted, Instant at, Map<String, Instant> lastChanged,
            Instant updatedAt) {
        Preferences out = wanted;
        for (Channel channel : Channel.values()) {
            if (later(lastChanged.get(statusKey(channel, null)), at)) {
                out = out.withChannelStatus(channel, current.channelStatus(channel));
            }
            Set<String> keys = new TreeSet<>(current.channel(channel).topics().keySet());
            keys.addAll(wanted.channel(channel).topics().keySet());
            for (String topic : keys) {
                if (later(lastChanged.get(statusKey(channel, topic)), at)) {
                    ConsentStatus kept = current.topicStatus(channel, topic);
                    out = out.withTopicStatus(channel, topic, kept);
                }
            }
        }
        if (later(updatedAt, at)) {
            out = new Preferences(out.channels(), current.frequencyCaps(), current.quietHours(), current.pausedUntil(),
                    out.version());
        }
        return out;
    }

    private static boolean later(Instant recorded, Instant at) {
        return recorded != null && recorded.isAfter(at);
    }

    /** Stable per job and line: a replayed line writes the same ledger entries. */
    static String derivedId(String prefix, String seed) {
        byte[] h = Hashes.sha256(seed.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < 16; i++) {
            sb.append(ALPHABET.charAt(h[i] & 31));
        }
        return sb.toString();
    }
}
