package dev.crm.contacts.store.memory;

import dev.crm.contacts.domain.ImportRowRepository;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.contacts.domain.InteractionType;
import java.time.Instant;
import java.time.LocalDate;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@link ImportRowRepository} in memory, writing contacts into an {@link InMemoryContactRepository}. */
public class InMemoryImportRowRepository implements ImportRowRepository {
    record JobKey(TenantId tenant, String jobId) {}

    record Marker(RowOutcome outcome, String contactId, List<Map<String, Object>> errors) {}

    private final InMemoryContactRepository contacts;
    private final int rowsPerChunk;
    private final Map<JobKey, List<List<String>>> chunks = new HashMap<>();
    private final Map<JobKey, TreeMap<Integer, Marker>> markers = new HashMap<>();
    private final Map<JobKey, List<Rejection>> rejections = new HashMap<>();
    /** Per job, each contact's last applied line (the DynamoDB adapter keeps it on the contact's summary). */
    private final Map<JobKey, Map<String, Integer>> applied = new HashMap<>();

    /** @param rowsPerChunk how many rows a chunk holds (the DynamoDB adapter chunks by size) */
    public InMemoryImportRowRepository(InMemoryContactRepository contacts, int rowsPerChunk) {
        this.contacts = contacts;
        this.rowsPerChunk = rowsPerChunk;
    }

    @Override
    public synchronized List<Integer> storeImportRows(TenantId t, String jobId, List<String> rows) {
        List<List<String>> stored = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += rowsPerChunk) {
            List<String> chunk = List.copyOf(rows.subList(i, Math.min(rows.size(), i + rowsPerChunk)));
            stored.add(chunk);
            sizes.add(chunk.size());
        }
        chunks.put(new JobKey(t, jobId), stored);
        return sizes;
    }

    @Override
    public synchronized List<String> importChunk(TenantId t, String jobId, int index) {
        List<List<String>> stored = chunks.getOrDefault(new JobKey(t, jobId), List.of());
        return index < stored.size() ? stored.get(index) : List.of();
    }

    @Override
    public synchronized Set<Integer> rowsDone(TenantId t, String jobId, int fromRow, int toRowExclusive) {
        Set<Integer> done = new HashSet<>();
        var own = markers.getOrDefault(new JobKey(t, jobId), new TreeMap<>());
        for (int row : own.subMap(fromRow, toRowExclusive).keySet()) {
            done.add(row);
        }
        return done;
    }

    @Override
    public boolean writeImportedContact(TenantId t, String jobId, int row, Contact previous, Contact contact,
            RowOutcome outcome) {
        synchronized (contacts) {
            synchronized (this) {
                var own = markers.computeIfAbsent(new JobKey(t, jobId), k -> new TreeMap<>());
                if (own.containsKey(row)) {
                    return false;
                }
                if (previous == null) {
                    contacts.create(t, contact);
                } else {
                    Contact stored = contacts.find(t, previous.id());
                    if (stored == null || stored.status() != Contact.Status.ACTIVE) {
                        throw new StoreException.VersionConflict();
                    }
                    contacts.replace(t, previous, contact);
                }
                own.put(row, new Marker(outcome, contact.id(), null));
                return true;
            }
        }
    }

    @Override
    public boolean createImportedContacts(TenantId t, String jobId, List<ImportedContact> created) {
        synchronized (contacts) {
            synchronized (this) {
                var own = markers.computeIfAbsent(new JobKey(t, jobId), k -> new TreeMap<>());
                for (ImportedContact c : created) {
                    if (own.containsKey(c.row())) {
                        return false;
                    }
                }
                if (!contacts.createAll(t, created.stream().map(ImportedContact::contact).toList())) {
                    return false;
                }
                for (ImportedContact c : created) {
                    own.put(c.row(), new Marker(RowOutcome.CREATED, c.contact().id(), null));
                }
                return true;
            }
        }
    }

    @Override
    public synchronized boolean rejectRow(TenantId t, String jobId, int row, List<Map<String, Object>> errors) {
        var own = markers.computeIfAbsent(new JobKey(t, jobId), k -> new TreeMap<>());
        if (own.containsKey(row)) {
            return false;
        }
        own.put(row, new Marker(RowOutcome.REJECTED, null, List.copyOf(errors)));
        return true;
    }

    @Override
    public synchronized ImportTally tally(TenantId t, String jobId) {
        long created = 0;
        long updated = 0;
        List<Rejection> rejected = new ArrayList<>();
        for (var e : markers.getOrDefault(new JobKey(t, jobId), new TreeMap<>()).entrySet()) {
            switch (e.getValue().outcome()) {
                case CREATED -> created++;
                case UPDATED -> updated++;
                default -> rejected.add(new Rejection(e.getKey(), e.getValue().errors()));
            }
        }
        return new ImportTally(created, updated, rejected);
    }

    @Override
    public synchronized void storeRejections(TenantId t, String jobId, List<Rejection> rejected) {
        rejections.put(new JobKey(t, jobId), List.copyOf(rejected));
    }

    @Override
    public synchronized List<Rejection> rejections(TenantId t, String jobId) {
        return rejections.getOrDefault(new JobKey(t, jobId), List.of());
    }

    // ---- interaction imports ----

    @Override
    public Map<String, PurchaseBase> purchaseBases(TenantId t, String jobId, Map<String, Set<LocalDate>> daysByContact,
            String defaultCurrency) {
        synchronized (contacts) {
            synchronized (this) {
                Map<String, PurchaseBase> out = new HashMap<>();
                Map<String, Integer> marks = applied.getOrDefault(new JobKey(t, jobId), Map.of());
                for (var e : daysByContact.entrySet()) {
                    var p = contacts.partition(t, e.getKey());
                    Set<LocalDate> found = new HashSet<>();
                    for (LocalDate d : e.getValue()) {
                        if (p.days.containsKey(d)) {
                            found.add(d);
                        }
                    }
                    out.put(e.getKey(), new PurchaseBase(p.summary != null ? p.summary : PurchaseSummary.empty(defaultCurrency), found,
                            marks.getOrDefault(e.getKey(), 0)));
                }
                return out;
            }
        }
    }

    @Override
    public Holders holders(TenantId t, Set<String> emails, Set<String> externalIds) {
        Map<String, String> byEmail = new HashMap<>();
        for (String email : emails) {
            String holder = contacts.findIdByEmail(t, email);
            if (holder != null) {
                byEmail.put(email, holder);
            }
        }
        return new Holders(byEmail, externalIdHolders(t, externalIds));
    }

    @Override
    public Map<String, String> externalIdHolders(TenantId t, Set<String> externalIds) {
        Map<String, String> out = new HashMap<>();
        for (String id : externalIds) {
            String holder = contacts.findIdByExternalId(t, id);
            if (holder != null) {
                out.put(id, holder);
            }
        }
        return out;
    }

    private BatchOutcome writeOne(TenantId t, String jobId, ContactBatch batch) {
        synchronized (contacts) {
            synchronized (this) {
                BatchOutcome refused = refusal(t, jobId, batch);
                if (refused != null) {
                    return refused;
                }
                var p = contacts.partition(t, batch.contactId());
                for (var row : batch.rows()) {
                    var i = row.interaction();
                    String key = InMemoryContactRepository.timelineKey(i.occurredAt(), "interaction", i.id());
                    Map<String, Object> json = i.toJson();
                    json.put("occurredAt", dev.crm.shared.json.Times.format(i.occurredAt()));
                    p.timeline.put(key, new dev.crm.contacts.domain.TimelineEntry("interaction", i.id(), i.occurredAt(), json));
                    if (i.type() == InteractionType.PURCHASE) {
                        p.purchases.add(i);
                    }
                }
                applied.computeIfAbsent(new JobKey(t, jobId), k -> new HashMap<>()).put(batch.contactId(), batch.rows()
                        .get(batch.rows().size() - 1).row());
                if (batch.summary() != null) {
                    p.summary = batch.summary();
                    // the day's spend is not kept for imported days (as in the DynamoDB adapter): presence only
                    for (LocalDate d : batch.purchaseDays()) {
                        p.days.putIfAbsent(d, new InMemoryContactRepository.PurchaseDay(java.math.BigDecimal.ZERO, 0));
                    }
                }
                p.complaints += batch.complaints();
                p.hasSummaryItem |= batch.summary() != null || batch.complaints() > 0;
                return BatchOutcome.WRITTEN;
            }
        }
    }

    @Override
    public int importWriteBudget() {
        return 100;
    }

    @Override
    public int importWriteCost(int purchaseDays) {
        return 2 + purchaseDays / 5_000;
    }

    @Override
    public List<BatchOutcome> writeImported(TenantId t, String jobId, List<ContactBatch> batches, Instant recordedAt) {
        List<BatchOutcome> out = new ArrayList<>();
        for (ContactBatch batch : batches) {
            try {
                out.add(writeOne(t, jobId, batch));
            } catch (StoreException.Contention e) {
                out.add(BatchOutcome.REFUSED);
            }
        }
        return out;
    }

    /** Why the batch cannot be written as read (null: it can); a changed summary, day or guard is contention. */
    private BatchOutcome refusal(TenantId t, String jobId, ContactBatch batch) {
        Contact c = contacts.find(t, batch.contactId());
        if (c == null || c.status() != Contact.Status.ACTIVE) {
            return BatchOutcome.CONTACT_MISSING;
        }
        int mark = applied.getOrDefault(new JobKey(t, jobId), Map.of()).getOrDefault(batch.contactId(), 0);
        if (mark >= batch.rows().get(0).row()) {
            return BatchOutcome.REFUSED;
        }
        var p = contacts.partition(t, batch.contactId());
        long stored = p.summary == null ? 0 : p.summary.version();
        if (batch.summary() != null && stored != batch.expectedVersion()) {
            throw new StoreException.Contention();
        }
        return null;
    }
}
