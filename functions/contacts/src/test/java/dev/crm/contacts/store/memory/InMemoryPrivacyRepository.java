package dev.crm.contacts.store.memory;

import dev.crm.contacts.domain.PrivacyRepository;
import dev.crm.contacts.domain.TimelineEntry;
import dev.crm.contacts.store.memory.InMemoryContactRepository.ContactKey;
import dev.crm.contacts.store.memory.InMemoryContactRepository.Partition;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@link PrivacyRepository} in memory, over the state of an {@link InMemoryContactRepository}. What
 * other functions keep about a contact (consent ledger, referencing items) is set up with the
 * {@code given…} methods and read back with the accessors.
 */
public class InMemoryPrivacyRepository implements PrivacyRepository {
    record PseudonymKey(TenantId tenant, String pseudonym) {}

    private final InMemoryContactRepository contacts;
    private final Consumer<NewJob> jobs;
    private final Map<ContactKey, TreeMap<String, Map<String, Object>>> ledgers = new HashMap<>();
    /** Timeline key → the item elsewhere the entry references (a survey response). */
    private final Map<ContactKey, Map<String, Map<String, Object>>> references = new HashMap<>();
    private final Map<PseudonymKey, List<Map<String, Object>>> pseudonymousLedgers = new HashMap<>();
    private final Map<PseudonymKey, String> suppressions = new HashMap<>();

    private final Map<ContactKey, String> erasureJobs = new HashMap<>();
    /** The contact's cases (kept by the cases function): case id → how many items its partition holds. */
    private final Map<ContactKey, TreeMap<String, Integer>> cases = new HashMap<>();

    /** @param jobs where the jobs {@link #beginErasure} creates go */
    public InMemoryPrivacyRepository(InMemoryContactRepository contacts, Consumer<NewJob> jobs) {
        this.contacts = contacts;
        this.jobs = jobs;
    }

    // ---- set-up and inspection ----

    /** A case of the contact, linked from its partition, whose own partition holds {@code items} items. */
    public void givenCase(TenantId t, String contactId, String caseId, int items) {
        synchronized (contacts) {
            cases.computeIfAbsent(new ContactKey(t, contactId), k -> new TreeMap<>()).put(caseId, items);
        }
    }

    /** The contact's cases that still have items (or a link). */
    public java.util.Set<String> casesOf(TenantId t, String contactId) {
        synchronized (contacts) {
            return java.util.Set.copyOf(cases.getOrDefault(new ContactKey(t, contactId), new TreeMap<>()).keySet());
        }
    }

    @Override
    public int deleteCasePage(TenantId t, String contactId, int limit) {
        synchronized (contacts) {
            TreeMap<String, Integer> linked = cases.get(new ContactKey(t, contactId));
            if (linked == null || linked.isEmpty()) {
                return 0;
            }
            var first = linked.firstEntry();
            if (first.getValue() == 0) {
                linked.remove(first.getKey()); // nothing of the case is left: its link goes
                return 1;
            }
            int n = Math.min(limit, first.getValue());
            linked.put(first.getKey(), first.getValue() - n);
            return n;
        }
    }

    public void givenLedgerEntry(TenantId t, String contactId, Instant at, String entryId, Map<String, Object> entry) {
        synchronized (contacts) {
            ledgers.computeIfAbsent(new ContactKey(t, contactId), k -> new TreeMap<>())
                    .put(InMemoryContactRepository.timelineKey(at, "ledger", entryId), new LinkedHashMap<>(entry));
        }
    }

    /** A timeline entry of the contact that references {@code referenced}, an item another function owns. */
    public void givenReferencingEntry(TenantId t, String contactId, TimelineEntry entry, Map<String, Object> referenced) {
        synchronized (contacts) {
            contacts.putTimelineEntry(t, contactId, entry);
            references.computeIfAbsent(new ContactKey(t, contactId), k -> new HashMap<>())
                    .put(InMemoryContactRepository.timelineKey(entry.occurredAt(), entry.kind(), entry.id()), referenced);
        }
    }

    public List<Map<String, Object>> pseudonymousLedger(TenantId t, String pseudonym) {
        synchronized (contacts) {
            return List.copyOf(pseudonymousLedgers.getOrDefault(new PseudonymKey(t, pseudonym), List.of()));
        }
    }

    /** @return the reason the pseudonymised address is suppressed for, or null */
    public String suppression(TenantId t, String pseudonym) {
        synchronized (contacts) {
            return suppressions.get(new PseudonymKey(t, pseudonym));
        }
    }

    // ---- the port ----

    @Override
    public boolean beginErasure(TenantId t, String contactId, NewJob job, java.time.Instant at) {
        synchronized (contacts) {
            Contact c = contacts.contacts.get(new ContactKey(t, contactId));
            if (c == null || (c.status() != Contact.Status.ACTIVE && c.status() != Contact.Status.ANONYMIZED)) {
                return false;
            }
            contacts.contacts.put(new ContactKey(t, contactId),
                    new Contact(c.id(), c.data(), c.createdAt(), c.updatedAt(), c.version(), Contact.Status.ERASING));
            erasureJobs.put(new ContactKey(t, contactId), job.ref().id());
            jobs.accept(job);
            return true;
        }
    }

    @Override
    public String erasureJobOf(TenantId t, String contactId) {
        synchronized (contacts) {
            Contact c = contacts.contacts.get(new ContactKey(t, contactId));
            return c == null || c.status() != Contact.Status.ERASING ? null : erasureJobs.get(new ContactKey(t, contactId));
        }
    }

    @Override
    public boolean restartErasure(TenantId t, String contactId, String failedJobId, NewJob job) {
        synchronized (contacts) {
            if (!failedJobId.equals(erasureJobOf(t, contactId))) {
                return false;
            }
            erasureJobs.put(new ContactKey(t, contactId), job.ref().id());
            jobs.accept(job);
            return true;
        }
    }

    @Override
    public Contact findAnyState(TenantId t, String contactId) {
        return contacts.find(t, contactId);
    }

    @Override
    public void suppress(TenantId t, String pseudonym, String reason, String jobId, Instant at) {
        synchronized (contacts) {
            suppressions.put(new PseudonymKey(t, pseudonym), reason);
        }
    }

    @Override
    public void releaseGuards(TenantId t, Contact contact) {
        synchronized (contacts) {
            contacts.releaseGuards(t, contact);
        }
    }

    @Override
    public void anonymize(TenantId t, Contact previous, Contact anonymized) {
        synchronized (contacts) {
            Contact stored = contacts.contacts.get(new ContactKey(t, previous.id()));
            if (stored == null || stored.version() != previous.version()) {
                throw new StoreException.VersionConflict();
            }
            contacts.releaseGuards(t, previous);
            contacts.contacts.put(new ContactKey(t, anonymized.id()), anonymized);
        }
    }

    @Override
    public int moveLedgerPage(TenantId t, String contactId, String pseudonym, int limit) {
        synchronized (contacts) {
            TreeMap<String, Map<String, Object>> ledger = ledgers.getOrDefault(new ContactKey(t, contactId), new TreeMap<>());
            int moved = 0;
            while (moved < limit && !ledger.isEmpty()) {
                Map<String, Object> copy = new LinkedHashMap<>(ledger.pollFirstEntry().getValue());
                copy.keySet().removeAll(List.of("contactId", "ip", "userAgent", "actor"));
                copy.put("pseudonymised", true);
                pseudonymousLedgers.computeIfAbsent(new PseudonymKey(t, pseudonym), k -> new ArrayList<>()).add(copy);
                moved++;
            }
            return moved;
        }
    }

    @Override
    public Cursor detachReferences(TenantId t, String contactId, Cursor from, int limit) {
        return timelinePage(t, contactId, from, limit, true);
    }

    @Override
    public Cursor anonymizeTimeline(TenantId t, String contactId, Cursor from, int limit) {
        return timelinePage(t, contactId, from, limit, false);
    }

    private Cursor timelinePage(TenantId t, String contactId, Cursor from, int limit, boolean erased) {
        synchronized (contacts) {
            Partition p = contacts.partition(t, contactId);
            var rest = from == null ? p.timeline : p.timeline.tailMap(from.value(), false);
            var refs = references.getOrDefault(new ContactKey(t, contactId), Map.of());
            int seen = 0;
            String last = null;
            for (var e : new ArrayList<>(rest.entrySet())) {
                if (seen == limit) {
                    return new Cursor(last);
                }
                Map<String, Object> referenced = refs.get(e.getKey());
                if (referenced != null) {
                    referenced.remove("personal");
                    if (erased) {
                        referenced.remove("contactId");
                        referenced.put("erased", true);
                    } else {
                        referenced.put("anonymized", true);
                    }
                }
                TimelineEntry entry = e.getValue();
                if (!erased && entry.kind().equals("interaction")) {
                    Map<String, Object> data = new LinkedHashMap<>(entry.data());
                    data.put("summary", null);
                    p.timeline.put(e.getKey(), new TimelineEntry(entry.kind(), entry.id(), entry.occurredAt(), data));
                }
                seen++;
                last = e.getKey();
            }
            return null;
        }
    }

    /** The contact's items in storage order, each as a way to delete it. */
    private List<Runnable> items(TenantId t, String contactId) {
        ContactKey key = new ContactKey(t, contactId);
        Partition p = contacts.partition(t, contactId);
        List<Runnable> out = new ArrayList<>();
        if (contacts.contacts.containsKey(key)) {
            out.add(() -> contacts.contacts.remove(key));
        }
        if (p.hasSummaryItem) {
            out.add(() -> {
                p.hasSummaryItem = false;
                p.summary = null;
                p.complaints = 0;
            });
        }
        for (String id : List.copyOf(p.interactionIds.keySet())) {
            out.add(() -> p.interactionIds.remove(id));
        }
        for (String k : List.copyOf(ledgers.getOrDefault(key, new TreeMap<>()).keySet())) {
            out.add(() -> ledgers.get(key).remove(k));
        }
        for (var day : List.copyOf(p.days.keySet())) {
            out.add(() -> p.days.remove(day));
        }
        for (String k : List.copyOf(p.timeline.keySet())) {
            out.add(() -> p.timeline.remove(k));
        }
        return out;
    }

    @Override
    public int deletePage(TenantId t, String contactId, int limit) {
        synchronized (contacts) {
            List<Runnable> items = items(t, contactId);
            int n = Math.min(limit, items.size());
            items.subList(0, n).forEach(Runnable::run);
            if (items(t, contactId).isEmpty()) {
                contacts.partition(t, contactId).purchases.clear();
            }
            return n;
        }
    }

    @Override
    public Slice<HeldItem> heldItems(TenantId t, String contactId, Cursor from, int limit) {
        synchronized (contacts) {
            ContactKey key = new ContactKey(t, contactId);
            Partition p = contacts.partition(t, contactId);
            List<HeldItem> all = new ArrayList<>();
            if (p.preferences != null) {
                all.add(new HeldItem(HeldKind.STATE, "prefs", p.preferences));
            }
            if (contacts.contacts.containsKey(key)) {
                all.add(new HeldItem(HeldKind.OTHER, null, null));
            }
            if (p.hasSummaryItem) {
                all.add(new HeldItem(HeldKind.PURCHASE_SUMMARY, "purchaseSummary",
                        p.summary == null ? Map.of("complaints", p.complaints) : p.summary.toJson()));
            }
            if (p.churnScore != null) {
                all.add(new HeldItem(HeldKind.STATE, "score", p.churnScore));
            }
            if (p.surveyScores != null) {
                all.add(new HeldItem(HeldKind.STATE, "surveys", p.surveyScores));
            }
            p.interactionIds.keySet().forEach(id -> all.add(new HeldItem(HeldKind.OTHER, null, null)));
            ledgers.getOrDefault(key, new TreeMap<>()).values()
                    .forEach(e -> all.add(new HeldItem(HeldKind.CONSENT_LEDGER, null, e)));
            p.days.keySet().forEach(d -> all.add(new HeldItem(HeldKind.OTHER, null, null)));
            for (TimelineEntry e : p.timeline.values()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("kind", e.kind());
                m.put("id", e.id());
                m.put("occurredAt", dev.crm.shared.json.Times.format(e.occurredAt()));
                m.putAll(e.data());
                all.add(new HeldItem(HeldKind.TIMELINE, null, m));
            }
            int start = from == null ? 0 : Integer.parseInt(from.value());
            int end = Math.min(all.size(), start + limit);
            return new Slice<>(all.subList(start, end), end < all.size() ? new Cursor(Integer.toString(end)) : null);
        }
    }
}
