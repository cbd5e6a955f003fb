package dev.crm.preferences.store.memory;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.FrequencyCap;
import dev.crm.preferences.domain.LedgerEntry;
import dev.crm.shared.consent.Preferences;
import dev.crm.preferences.domain.PreferencesRepository;
import dev.crm.preferences.domain.RateLimit;
import dev.crm.shared.consent.RecordedSend;
import dev.crm.shared.consent.Send;
import dev.crm.preferences.domain.TokenUse;
import dev.crm.preferences.domain.TokenUsed;
import dev.crm.preferences.domain.Topic;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@link PreferencesRepository} in memory, held to the DynamoDB adapter's behaviour by
 * {@code PreferencesRepositoryContract}. Instants are kept at the store's millisecond precision. Tests
 * seed contacts and suppressions directly, and can make the next writes fail ({@link #failNextWrites}).
 */
public final class InMemoryPreferencesRepository implements PreferencesRepository {
    /** As the adapter: sends outlive the longest cap period by a day. */
    private static final Duration SEND_RETENTION = Duration.ofDays(FrequencyCap.MAX_PERIOD_DAYS + 1L);
    /** Fixed-width UTC instants at millisecond precision: string order is time order. */
    private static final DateTimeFormatter SORTABLE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private record ContactKey(TenantId t, String contactId) {}

    private record StoredEntry(LedgerEntry entry, long stateVersion, int position) {}

    private record Guard(String fingerprint, Send send, Instant expiresAt) {}

    private final Map<ContactKey, Contact> contacts = new HashMap<>();
    private final Map<TenantId, Map<String, String>> emailGuards = new HashMap<>();
    private final Set<String> suppressions = new HashSet<>();
    private final Map<ContactKey, Preferences> preferences = new HashMap<>();
    private final Map<ContactKey, Set<String>> usedTokens = new HashMap<>();
    /** Per contact, by the ledger's time order (instant, then entry id). */
    private final Map<ContactKey, TreeMap<String, StoredEntry>> ledgers = new HashMap<>();
    private final Map<ContactKey, Map<String, Guard>> sendGuards = new HashMap<>();
    /** Per contact and channel, by time then send id. */
    private final Map<ContactKey, Map<Channel, TreeMap<String, Send>>> sends = new HashMap<>();
    private final Map<TenantId, TreeMap<String, Topic>> topics = new HashMap<>();
    private final Map<String, Long> counters = new HashMap<>();
    private final Deque<Supplier<? extends RuntimeException>> writeFailures = new ArrayDeque<>();
    private int writes;

    // ---- seeding and failures, for tests ----

    /** A contact as the contacts function stores it (with its address lookup when it has an email). */
    public synchronized void putContact(TenantId t, Contact c) {
        contacts.put(new ContactKey(t, c.id()), c);
        if (c.data().email() != null) {
            emailGuards.computeIfAbsent(t, k -> new HashMap<>()).put(EmailAddress.legacyHash(c.data().email()), c.id());
        }
    }

    /** A new active contact with this address (or none) and zone (or none); its id. */
    public String givenContact(TenantId t, String email, String zone, Instant now) {
        Contact c = new Contact(Ids.random(Contact.ID_PREFIX, 20), new ContactData("Test", null, email, null, null, null,
                zone, LifecycleStage.SUBSCRIBER, List.of(), Map.of(), null), now, now, 1, Contact.Status.ACTIVE);
        putContact(t, c);
        return c.id();
    }

    /** Marks a contact as being erased, as the contacts function does before it deletes anything. */
    public synchronized void markErasing(TenantId t, String contactId) {
        ContactKey k = new ContactKey(t, contactId);
        Contact c = contacts.get(k);
        contacts.put(k, new Contact(c.id(), c.data(), c.createdAt(), c.updatedAt(), c.version(), Contact.Status.ERASING));
    }

    /** Suppresses an address by its pseudonym, as an erasure does. */
    public synchronized void suppress(TenantId t, String addressPseudonym) {
        suppressions.add(t.value() + "|" + addressPseudonym);
    }

    /** The next {@code times} consent writes fail with what {@code failure} makes, writing nothing. */
    public synchronized void failNextWrites(int times, Supplier<? extends RuntimeException> failure) {
        for (int i = 0; i < times; i++) {
            writeFailures.add(failure);
        }
    }

    /** How many consent writes were attempted (failed ones included). */
    public synchronized int writes() {
        return writes;
    }

    // ---- contacts ----

    @Override
    public synchronized Contact findContact(TenantId t, String contactId) {
        Contact c = contacts.get(new ContactKey(t, contactId));
        return c == null || c.status() != Contact.Status.ACTIVE ? null : c;
    }

    @Override
    public synchronized String findContactIdByEmail(TenantId t, String email) {
        return emailGuards.getOrDefault(t, Map.of()).get(EmailAddress.legacyHash(email));
    }

    @Override
    public synchronized Contact findOrCreateContactByEmail(TenantId t, String email, Instant now) {
        String id = findContactIdByEmail(t, email);
        if (id != null) {
            Contact c = contacts.get(new ContactKey(t, id));
            if (c != null && c.status() != Contact.Status.ERASING) {
                return c;
            }
            return null; // held by a contact being erased: as the adapter, nothing is created
        }
        Contact c = new Contact(Ids.random(Contact.ID_PREFIX, 20), new ContactData(null, null, email.trim(), null, null,
                null, null, LifecycleStage.SUBSCRIBER, List.of(), Map.of(), null), millis(now), millis(now), 1,
                Contact.Status.ACTIVE);
        putContact(t, c);
        return c;
    }

    // ---- suppression ----

    @Override
    public synchronized boolean isSuppressed(TenantId t, String addressPseudonym) {
        return suppressions.contains(t.value() + "|" + addressPseudonym);
    }

    // ---- preferences and the ledger ----

    @Override
    public synchronized Preferences find(TenantId t, String contactId) {
        return preferences.getOrDefault(new ContactKey(t, contactId), Preferences.empty());
    }

    @Override
    public synchronized void write(TenantId t, String contactId, long expectedVersion, Preferences next,
            List<LedgerEntry> entries, TokenUse token, Instant now) {
        if (next == null && !entries.isEmpty()) {
            throw new IllegalArgumentException("ledger entries come with a state change");
        }
        int items = 1 + (next == null ? 0 : 1) + (token == null ? 0 : token.liftsSuppression() == null ? 1 : 2)
                + 2 * entries.size();
        if (items > MAX_TRANSACTION_ITEMS) {
            throw new IllegalArgumentException("a consent write of " + items + " items exceeds one transaction");
        }
        writes++;
        Supplier<? extends RuntimeException> failure = writeFailures.poll();
        if (failure != null) {
            throw failure.get();
        }
        ContactKey k = new ContactKey(t, contactId);
        if (findContact(t, contactId) == null) {
            throw new StoreException.NotFound();
        }
        if (token != null && usedTokens.getOrDefault(k, Set.of()).contains(token.nonce())) {
            throw new TokenUsed();
        }
        if (next != null && find(t, contactId).version() != expectedVersion) {
            throw new StoreException.VersionConflict();
        }
        TreeMap<String, StoredEntry> ledger = ledgers.computeIfAbsent(k, x -> new TreeMap<>());
        for (LedgerEntry e : entries) {
            if (ledger.containsKey(ledgerKey(e))) {
                throw new StoreException.Contention(); // an entry id taken: retried with fresh ids
            }
        }
        if (next != null) {
            preferences.put(k, next.withVersion(expectedVersion + 1));
        }
        if (token != null) {
            usedTokens.computeIfAbsent(k, x -> new HashSet<>()).add(token.nonce());
            if (token.liftsSuppression() != null) {
                suppressions.remove(t.value() + "|" + token.liftsSuppression());
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            LedgerEntry e = entries.get(i);
            ledger.put(ledgerKey(e), new StoredEntry(atMillis(e), expectedVersion + 1, i));
        }
    }

    private static String ledgerKey(LedgerEntry e) {
        return SORTABLE.format(e.at()) + "#" + e.entryId();
    }

    private static LedgerEntry atMillis(LedgerEntry e) {
        return new LedgerEntry(e.entryId(), e.contactId(), millis(e.at()), e.actor(), e.channel(), e.topic(),
                e.oldStatus(), e.newStatus(), e.legalBasis(), e.source(), e.wordingVersion(), e.ip(), e.userAgent());
    }

    @Override
    public synchronized boolean isTokenUsed(TenantId t, String contactId, String nonce) {
        return usedTokens.getOrDefault(new ContactKey(t, contactId), Set.of()).contains(nonce);
    }

    @Override
    public synchronized List<LedgerEntry> ledger(TenantId t, String contactId) {
        return ledgers.getOrDefault(new ContactKey(t, contactId), new TreeMap<>()).values().stream()
                .sorted(Comparator.comparingLong(StoredEntry::stateVersion).thenComparingInt(StoredEntry::position))
                .map(StoredEntry::entry).toList();
    }

    @Override
    public synchronized Slice<LedgerEntry> history(TenantId t, String contactId, int limit, Cursor from) {
        TreeMap<String, StoredEntry> ledger = ledgers.getOrDefault(new ContactKey(t, contactId), new TreeMap<>());
        return page(from == null ? ledger : ledger.tailMap(from.value(), false), limit).map(StoredEntry::entry);
    }

    private static <T> Slice<T> page(Map<String, T> after, int limit) {
        List<T> items = new ArrayList<>();
        String last = null;
        for (var e : after.entrySet()) {
            if (items.size() == limit) {
                return new Slice<>(items, new Cursor(last));
            }
            items.add(e.getValue());
            last = e.getKey();
        }
        return Slice.last(items);
    }

    // ---- sends ----

    @Override
    public synchronized RecordedSend recordSend(TenantId t, String contactId, Send send, Instant now) {
        ContactKey k = new ContactKey(t, contactId);
        Send stored = new Send(send.id(), send.channel(), send.topic(), millis(send.at()));
        Guard guard = sendGuards.getOrDefault(k, Map.of()).get(send.id());
        // An expired guard (DynamoDB deletes it lazily) no longer holds the id.
        if (guard != null && guard.expiresAt().getEpochSecond() >= now.getEpochSecond()) {
            return send.fingerprint().equals(guard.fingerprint()) ? RecordedSend.replayed(guard.send())
                    : RecordedSend.idConflict();
        }
        if (findContact(t, contactId) == null) {
            return RecordedSend.contactMissing();
        }
        Instant expiresAt = send.at().plus(SEND_RETENTION);
        sendGuards.computeIfAbsent(k, x -> new HashMap<>()).put(send.id(), new Guard(send.fingerprint(), stored, expiresAt));
        sends.computeIfAbsent(k, x -> new HashMap<>()).computeIfAbsent(send.channel(), x -> new TreeMap<>())
                .put(SORTABLE.format(stored.at()) + "#" + send.id(), stored);
        return RecordedSend.created(send);
    }

    @Override
    public synchronized List<Instant> sends(TenantId t, String contactId, Channel channel, Instant from) {
        TreeMap<String, Send> byTime = sends.getOrDefault(new ContactKey(t, contactId), Map.of())
                .getOrDefault(channel, new TreeMap<>());
        return byTime.values().stream().map(Send::at).filter(at -> !at.isBefore(millis(from))).toList();
    }

    // ---- topics ----

    @Override
    public synchronized void createTopic(TenantId t, Topic topic) {
        TreeMap<String, Topic> tenantTopics = topics.computeIfAbsent(t, x -> new TreeMap<>());
        if (tenantTopics.containsKey(topic.key())) {
            throw new StoreException.UniqueViolation("key", topic.key());
        }
        if (tenantTopics.size() >= Topic.MAX_PER_TENANT) {
            throw new StoreException.LimitReached("at most " + Topic.MAX_PER_TENANT + " topics");
        }
        tenantTopics.put(topic.key(), new Topic(topic.key(), topic.name(), topic.description(), millis(topic.createdAt())));
    }

    @Override
    public synchronized Slice<Topic> topics(TenantId t, int limit, Cursor from) {
        TreeMap<String, Topic> tenantTopics = topics.getOrDefault(t, new TreeMap<>());
        return page(from == null ? tenantTopics : tenantTopics.tailMap(from.value(), false), limit);
    }

    @Override
    public synchronized Set<String> topicKeys(TenantId t) {
        return new LinkedHashSet<>(topics.getOrDefault(t, new TreeMap<>()).keySet());
    }

    // ---- rate counters ----

    @Override
    public synchronized long countRequest(TenantId t, RateLimit limit, String subjectHash, Instant now) {
        return counters.merge(t.value() + "|" + limit.name() + "|" + subjectHash + "|"
                + limit.windowStart(now).getEpochSecond(), 1L, Long::sum);
    }

    private static Instant millis(Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.MILLIS);
    }
}
