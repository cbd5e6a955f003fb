package dev.crm.contacts.store.memory;

import dev.crm.contacts.domain.ContactRepository;
import dev.crm.contacts.domain.Interaction;
import dev.crm.contacts.domain.Segment;
import dev.crm.contacts.domain.TimelineEntry;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.segment.ContactFacts;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@link ContactRepository} in memory, for unit tests: the same rules as the DynamoDB adapter (held
 * to them by {@code ContactRepositoryContract}), one lock instead of transactions. The other
 * in-memory contact ports share its state.
 */
public class InMemoryContactRepository implements ContactRepository {
    private static final DateTimeFormatter SORTABLE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    record ContactKey(TenantId tenant, String contactId) {}

    record GuardKey(TenantId tenant, boolean email, String hash) {}

    record StoredInteraction(String fingerprint, Map<String, Object> json, String timelineKey) {}

    record PurchaseDay(BigDecimal spend, long purchases) {}

    /** Everything held about one contact besides the record itself. */
    static final class Partition {
        final NavigableMap<String, TimelineEntry> timeline = new TreeMap<>();
        final Map<String, StoredInteraction> interactionIds = new HashMap<>();
        final List<Interaction> purchases = new ArrayList<>();
        final Map<LocalDate, PurchaseDay> days = new HashMap<>();
        PurchaseSummary summary;
        boolean hasSummaryItem;
        long complaints;
        Map<String, Object> preferences;
        Map<String, Object> surveyScores;
        Map<String, Object> churnScore;
    }

    final Map<ContactKey, Contact> contacts = new HashMap<>();
    final Map<GuardKey, String> guards = new HashMap<>();
    final Map<ContactKey, Partition> partitions = new HashMap<>();
    private final Map<TenantId, TreeMap<String, Segment>> segments = new HashMap<>();

    // ---- test set-up: what other functions write beside the contact ----

    public synchronized void putViews(TenantId t, String contactId, Map<String, Object> preferences,
            Map<String, Object> surveyScores, Map<String, Object> churnScore) {
        Partition p = partition(t, contactId);
        p.preferences = preferences;
        p.surveyScores = surveyScores;
        p.churnScore = churnScore;
    }

    /** A timeline entry another function wrote (a consent change, a survey response). */
    public synchronized void putTimelineEntry(TenantId t, String contactId, TimelineEntry entry) {
        partition(t, contactId).timeline.put(timelineKey(entry.occurredAt(), entry.kind(), entry.id()), entry);
    }

    Partition partition(TenantId t, String contactId) {
        return partitions.computeIfAbsent(new ContactKey(t, contactId), k -> new Partition());
    }

    static String timelineKey(Instant at, String kind, String id) {
        return SORTABLE.format(at) + "#" + kind + "#" + id;
    }

    // ---- contacts ----

    @Override
    public synchronized void create(TenantId t, Contact c) {
        if (contacts.containsKey(new ContactKey(t, c.id()))) {
            throw new StoreException.VersionConflict();
        }
        moveGuards(t, null, c);
        contacts.put(new ContactKey(t, c.id()), c);
    }

    @Override
    public synchronized boolean createAll(TenantId t, java.util.List<Contact> batch) {
        var ids = new java.util.HashSet<String>();
        var taken = new java.util.HashSet<GuardKey>();
        for (Contact c : batch) {
            GuardKey email = emailGuard(t, c);
            GuardKey ext = externalIdGuard(t, c);
            if (contacts.containsKey(new ContactKey(t, c.id())) || !ids.add(c.id())
                    || (email != null && (guards.containsKey(email) || !taken.add(email)))
                    || (ext != null && (guards.containsKey(ext) || !taken.add(ext)))) {
                return false;
            }
        }
        for (Contact c : batch) {
            create(t, c);
        }
        return true;
    }

    @Override
    public synchronized Contact find(TenantId t, String contactId) {
        return contacts.get(new ContactKey(t, contactId));
    }

    @Override
    public synchronized void replace(TenantId t, Contact previous, Contact updated) {
        Contact stored = contacts.get(new ContactKey(t, previous.id()));
        if (stored == null || stored.version() != previous.version() || stored.status() != previous.status()) {
            throw new StoreException.VersionConflict();
        }
        moveGuards(t, previous, updated);
        contacts.put(new ContactKey(t, updated.id()), updated);
    }

    /** Takes the new guards (all or none) and releases the old ones. */
    void moveGuards(TenantId t, Contact previous, Contact next) {
        GuardKey oldEmail = emailGuard(t, previous);
        GuardKey newEmail = emailGuard(t, next);
        GuardKey oldExt = externalIdGuard(t, previous);
        GuardKey newExt = externalIdGuard(t, next);
        if (newEmail != null && !Objects.equals(oldEmail, newEmail) && guards.containsKey(newEmail)) {
            throw new StoreException.UniqueViolation("email", guards.get(newEmail));
        }
        if (newExt != null && !Objects.equals(oldExt, newExt) && guards.containsKey(newExt)) {
            throw new StoreException.UniqueViolation("externalId", guards.get(newExt));
        }
        if (!Objects.equals(oldEmail, newEmail)) {
            release(oldEmail, next.id());
            if (newEmail != null) {
                guards.put(newEmail, next.id());
            }
        }
        if (!Objects.equals(oldExt, newExt)) {
            release(oldExt, next.id());
            if (newExt != null) {
                guards.put(newExt, next.id());
            }
        }
    }

    void releaseGuards(TenantId t, Contact c) {
        release(emailGuard(t, c), c.id());
        release(externalIdGuard(t, c), c.id());
    }

    private void release(GuardKey key, String contactId) {
        if (key != null && contactId.equals(guards.get(key))) {
            guards.remove(key);
        }
    }

    private static GuardKey emailGuard(TenantId t, Contact c) {
        return c == null || c.data().email() == null ? null : new GuardKey(t, true, EmailAddress.legacyHash(c.data().email()));
    }

    private static GuardKey externalIdGuard(TenantId t, Contact c) {
        return c == null || c.data().externalId() == null ? null : new GuardKey(t, false, c.data().externalId());
    }

    @Override
    public synchronized String findIdByEmail(TenantId t, String email) {
        return guards.get(new GuardKey(t, true, EmailAddress.legacyHash(email)));
    }

    @Override
    public synchronized String findIdByExternalId(TenantId t, String externalId) {
        return guards.get(new GuardKey(t, false, externalId));
    }

    private static String listKey(Contact c) {
        return SORTABLE.format(c.updatedAt()) + "#" + c.id();
    }

    @Override
    public synchronized Slice<Contact> list(TenantId t, ListQuery q, int limit, Cursor from) {
        boolean forward = q.updatedSince() != null;
        Comparator<Contact> order = Comparator.comparing(InMemoryContactRepository::listKey);
        List<Contact> all = contacts.entrySet().stream()
                .filter(e -> e.getKey().tenant().equals(t))
                .map(Map.Entry::getValue)
                .filter(c -> c.status() == Contact.Status.ACTIVE)
                .filter(c -> q.stage() == null || q.stage() == c.data().lifecycleStage())
                .filter(c -> q.tag() == null || c.data().tags().contains(q.tag()))
                .filter(c -> q.updatedSince() == null || listKey(c).compareTo(SORTABLE.format(q.updatedSince())) >= 0)
                .sorted(forward ? order : order.reversed())
                .filter(c -> from == null || (forward ? listKey(c).compareTo(from.value()) > 0 : listKey(c).compareTo(from.value()) < 0))
                .toList();
        List<Contact> page = all.subList(0, Math.min(limit, all.size()));
        Cursor next = all.size() > limit ? new Cursor(listKey(page.get(page.size() - 1))) : null;
        return new Slice<>(page, next);
    }

    @Override
    public synchronized Cursor resumeAfter(TenantId t, Contact contact) {
        return new Cursor(listKey(contact));
    }

    // ---- touch points ----

    @Override
    public synchronized PurchaseState purchaseState(TenantId t, String contactId, LocalDate day, String defaultCurrency) {
        Partition p = partition(t, contactId);
        PurchaseDay d = p.days.get(day);
        PurchaseSummary summary = p.summary != null ? p.summary : PurchaseSummary.empty(defaultCurrency);
        return new PurchaseState(summary, d != null, d == null ? BigDecimal.ZERO : d.spend(), d == null ? 0 : d.purchases());
    }

    @Override
    public synchronized AppendOutcome appendInteraction(TenantId t, String contactId, Interaction i, PurchaseUpdate purchase,
            boolean complaint, Instant recordedAt) {
        Partition p = partition(t, contactId);
        StoredInteraction existing = p.interactionIds.get(i.id());
        if (existing != null) {
            throw new InteractionExists(new ExistingInteraction(existing.fingerprint(), existing.json()));
        }
        Contact c = contacts.get(new ContactKey(t, contactId));
        if (c == null || c.status() != Contact.Status.ACTIVE) {
            return AppendOutcome.CONTACT_MISSING;
        }
        if (purchase != null) {
            long stored = p.summary == null ? 0 : p.summary.version();
            if (stored != purchase.expectedVersion() || p.days.containsKey(purchase.day()) != purchase.dayExisted()) {
                throw new StoreException.Contention();
            }
            p.summary = purchase.summary();
            p.hasSummaryItem = true;
            p.days.put(purchase.day(), new PurchaseDay(purchase.daySpend(), purchase.dayPurchases()));
            p.purchases.add(i);
        } else if (complaint) {
            p.complaints++;
            p.hasSummaryItem = true;
        }
        String key = timelineKey(i.occurredAt(), "interaction", i.id());
        Map<String, Object> json = i.toJson();
        json.put("occurredAt", dev.crm.shared.json.Times.format(i.occurredAt()));
        p.interactionIds.put(i.id(), new StoredInteraction(i.fingerprint(), json, key));
        p.timeline.put(key, new TimelineEntry("interaction", i.id(), i.occurredAt(), json));
        return AppendOutcome.CREATED;
    }

    @Override
    public synchronized Slice<TimelineEntry> timeline(TenantId t, String contactId, int limit, Cursor from) {
        NavigableMap<String, TimelineEntry> newestFirst = partition(t, contactId).timeline.descendingMap();
        if (from != null) {
            newestFirst = newestFirst.tailMap(from.value(), false);
        }
        List<TimelineEntry> page = new ArrayList<>();
        String last = null;
        for (var e : newestFirst.entrySet()) {
            if (page.size() == limit) {
                return new Slice<>(page, new Cursor(last));
            }
            page.add(e.getValue());
            last = e.getKey();
        }
        return new Slice<>(page, null);
    }

    @Override
    public synchronized List<Interaction> purchases(TenantId t, String contactId) {
        return List.copyOf(partition(t, contactId).purchases);
    }

    @Override
    public synchronized View360 view360(TenantId t, String contactId, int recent, String defaultCurrency) {
        Contact c = contacts.get(new ContactKey(t, contactId));
        if (c == null) {
            return null;
        }
        Partition p = partition(t, contactId);
        List<TimelineEntry> interactions = p.timeline.descendingMap().values().stream()
                .filter(e -> e.kind().equals("interaction")).limit(recent).toList();
        PurchaseSummary summary = !p.hasSummaryItem ? null : p.summary != null ? p.summary : PurchaseSummary.empty(defaultCurrency);
        return new View360(c, summary, p.complaints, p.preferences, p.surveyScores, p.churnScore, interactions,
                List.of()); // case links are written by the cases function, which the fake does not model
    }

    @Override
    public synchronized Map<String, ContactFacts> facts(TenantId t, List<Contact> page) {
        Map<String, ContactFacts> out = new LinkedHashMap<>();
        for (Contact c : page) {
            Partition p = partition(t, c.id());
            Integer nps = null;
            if (p.surveyScores != null && p.surveyScores.get("nps") instanceof Map<?, ?> n && n.get("score") instanceof Number s) {
                nps = s.intValue();
            }
            PurchaseSummary summary = !p.hasSummaryItem ? null : p.summary != null ? p.summary : PurchaseSummary.empty(null);
            out.put(c.id(), new ContactFacts(c, summary, p.churnScore, nps));
        }
        return out;
    }

    // ---- segments ----

    @Override
    public synchronized void createSegment(TenantId t, Segment s) {
        TreeMap<String, Segment> own = segments.computeIfAbsent(t, k -> new TreeMap<>());
        if (own.containsKey(s.id())) {
            throw new StoreException.VersionConflict();
        }
        if (own.size() >= Segment.MAX_PER_TENANT) {
            throw new StoreException.LimitReached("at most " + Segment.MAX_PER_TENANT + " segments");
        }
        own.put(s.id(), s);
    }

    @Override
    public synchronized Segment findSegment(TenantId t, String segmentId) {
        return segments.getOrDefault(t, new TreeMap<>()).get(segmentId);
    }

    @Override
    public synchronized List<Segment> segments(TenantId t) {
        return List.copyOf(segments.getOrDefault(t, new TreeMap<>()).values());
    }

    @Override
    public synchronized boolean deleteSegment(TenantId t, String segmentId) {
        return segments.getOrDefault(t, new TreeMap<>()).remove(segmentId) != null;
    }

    /** The stored purchase summary (null before the first purchase), for assertions. */
    public synchronized PurchaseSummary storedSummary(TenantId t, String contactId) {
        return partition(t, contactId).summary;
    }
}
