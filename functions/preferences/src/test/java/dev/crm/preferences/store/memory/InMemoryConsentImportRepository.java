package dev.crm.preferences.store.memory;

import dev.crm.preferences.domain.ConsentImport;
import dev.crm.preferences.domain.ConsentImportRepository;
import dev.crm.preferences.domain.LedgerEntry;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.jobs.store.dynamodb.ImportLines;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link ConsentImportRepository} in memory, held to the same contract as the adapter: its own contacts'
 * states and ledgers (a test makes contacts active with {@link #activeContact}), chunks cut where the
 * adapter cuts them, one all-or-nothing write.
 */
public final class InMemoryConsentImportRepository implements ConsentImportRepository {
    private record JobKey(TenantId tenant, String jobId) {}

    private record ContactKey(TenantId tenant, String contactId) {}

    /** A line's outcome: errors null when imported. */
    private record Outcome(List<Map<String, Object>> errors) {}

    private record State(Preferences preferences, long version, Instant updatedAt) {}

    /** What the adapter counts for a line's number beside its text. */
    private static final int NUMBER_BYTES = 8;

    private final Map<JobKey, Map<Integer, List<NumberedLine>>> chunks = new HashMap<>();
    private final Map<JobKey, TreeMap<Integer, Outcome>> outcomes = new HashMap<>();
    private final Set<ContactKey> active = new HashSet<>();
    private final Map<ContactKey, State> states = new HashMap<>();
    private final Map<ContactKey, List<LedgerEntry>> ledgers = new HashMap<>();

    /** What the contacts function would have stored: an active contact of the tenant. */
    public synchronized void activeContact(TenantId t, String contactId) {
        active.add(new ContactKey(t, contactId));
    }

    /** The ledger entries imports wrote for the contact, in write order. */
    public synchronized List<LedgerEntry> ledger(TenantId t, String contactId) {
        return List.copyOf(ledgers.getOrDefault(new ContactKey(t, contactId), List.of()));
    }

    @Override
    public synchronized List<Integer> storeLines(TenantId tenant, String jobId, List<NumberedLine> lines) {
        Map<Integer, List<NumberedLine>> job = chunks.computeIfAbsent(new JobKey(tenant, jobId), k -> new HashMap<>());
        List<Integer> sizes = new ArrayList<>();
        for (List<NumberedLine> chunk : ImportLines.chunks(lines, NumberedLine::text, NUMBER_BYTES)) {
            job.put(sizes.size(), List.copyOf(chunk));
            sizes.add(chunk.size());
        }
        return sizes;
    }

    @Override
    public synchronized List<NumberedLine> chunk(TenantId tenant, String jobId, int index) {
        return chunks.getOrDefault(new JobKey(tenant, jobId), Map.of()).getOrDefault(index, List.of());
    }

    @Override
    public synchronized void dropLines(TenantId tenant, String jobId, int chunks) {
        Map<Integer, List<NumberedLine>> job = this.chunks.getOrDefault(new JobKey(tenant, jobId), new HashMap<>());
        for (int i = 0; i < chunks; i++) {
            job.remove(i);
        }
    }

    private TreeMap<Integer, Outcome> outcomes(TenantId tenant, String jobId) {
        return outcomes.computeIfAbsent(new JobKey(tenant, jobId), k -> new TreeMap<>());
    }

    @Override
    public synchronized Set<Integer> linesDone(TenantId tenant, String jobId, Collection<Integer> lines) {
        Set<Integer> done = new HashSet<>(lines);
        done.retainAll(outcomes(tenant, jobId).keySet());
        return done;
    }

    @Override
    public synchronized Map<String, ContactConsent> consentOf(TenantId tenant, Map<String, Instant> earliestLineAt) {
        Map<String, ContactConsent> out = new LinkedHashMap<>();
        for (var e : earliestLineAt.entrySet()) {
            ContactKey key = new ContactKey(tenant, e.getKey());
            if (!active.contains(key)) {
                continue;
            }
            State s = states.get(key);
            if (s == null) {
                out.put(e.getKey(), new ContactConsent(Preferences.empty(), null, Map.of()));
                continue;
            }
            Map<String, Instant> lastChanged = new HashMap<>();
            if (s.updatedAt() != null && s.updatedAt().isAfter(e.getValue())) {
                for (LedgerEntry l : ledgers.getOrDefault(key, List.of())) {
                    lastChanged.merge(ConsentImport.statusKey(l.channel(), l.topic()), l.at(), (a, b) -> a.isAfter(b) ? a : b);
                }
            }
            out.put(e.getKey(), new ContactConsent(s.preferences(), s.updatedAt(), lastChanged));
        }
        return out;
    }

    @Override
    public synchronized void write(TenantId tenant, String jobId, List<Unit> units) {
        TreeMap<Integer, Outcome> done = outcomes(tenant, jobId);
        // every condition first: all or nothing, as the adapter's one transaction
        for (Unit u : units) {
            if (u.contactId() != null) {
                ContactKey key = new ContactKey(tenant, u.contactId());
                State s = states.get(key);
                if (!active.contains(key) || u.next() != null && (s == null ? 0 : s.version()) != u.expectedVersion()) {
                    throw new StoreException.VersionConflict();
                }
            }
            for (int line : u.imported()) {
                if (done.containsKey(line)) {
                    throw new StoreException.VersionConflict();
                }
            }
            for (int line : u.rejected().keySet()) {
                if (done.containsKey(line)) {
                    throw new StoreException.VersionConflict();
                }
            }
        }
        for (Unit u : units) {
            if (u.contactId() != null) {
                ContactKey key = new ContactKey(tenant, u.contactId());
                if (u.next() != null) {
                    states.put(key, new State(u.next(), u.next().version(), u.updatedAt()));
                }
                for (LedgerWrite w : u.entries()) {
                    ledgers.computeIfAbsent(key, k -> new ArrayList<>()).add(w.entry());
                }
            }
            u.imported().forEach(line -> done.put(line, new Outcome(null)));
            u.rejected().forEach((line, errors) -> done.put(line, new Outcome(List.copyOf(errors))));
        }
    }

    @Override
    public synchronized Tally tally(TenantId tenant, String jobId) {
        long imported = 0;
        List<Rejection> rejected = new ArrayList<>();
        for (var e : outcomes(tenant, jobId).entrySet()) {
            if (e.getValue().errors() == null) {
                imported++;
            } else {
                rejected.add(new Rejection(e.getKey(), e.getValue().errors()));
            }
        }
        return new Tally(imported, rejected);
    }
}
