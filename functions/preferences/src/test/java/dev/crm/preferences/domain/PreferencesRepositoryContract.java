package dev.crm.preferences.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.shared.consent.FrequencyCap;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.consent.Send;
import dev.crm.shared.consent.RecordedSend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PreferencesRepository} does, whatever stores it: the in-memory fake and the DynamoDB
 * adapter (against DynamoDB Local) run these same tests.
 */
public abstract class PreferencesRepositoryContract {
    protected static final Instant NOW = Instant.parse("2026-11-24T10:00:00.123Z");

    protected final TenantId tenant = TenantId.generate();
    protected final TenantId otherTenant = TenantId.generate();

    protected abstract PreferencesRepository repository();

    /** An active contact stored as the contacts function stores it (with its address lookup); its id. */
    protected abstract String givenContact(TenantId t, String email);

    /** Marks the contact as being erased, as the contacts function does first. */
    protected abstract void givenErasing(TenantId t, String contactId);

    /** Suppresses an address by its pseudonym, as an erasure does. */
    protected abstract void givenSuppressed(TenantId t, String addressPseudonym);

    private static String email() {
        return "c." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    // ---- contacts and suppression ----

    @Test
    void findsActiveContactsOfItsTenantOnly() {
        String email = email();
        String id = givenContact(tenant, email);
        assertEquals(id, repository().findContact(tenant, id).id());
        assertEquals(email, repository().findContact(tenant, id).data().email());
        assertNull(repository().findContact(otherTenant, id));
        assertNull(repository().findContact(tenant, "c_doesnotexist00000000"));
        assertEquals(id, repository().findContactIdByEmail(tenant, email));
        assertNull(repository().findContactIdByEmail(otherTenant, email));
        assertNull(repository().findContactIdByEmail(tenant, email()));
        givenErasing(tenant, id);
        assertNull(repository().findContact(tenant, id));
    }

    @Test
    void findOrCreateByEmailCreatesOneSubscriber() {
        String email = email();
        Contact created = repository().findOrCreateContactByEmail(tenant, email, NOW);
        assertEquals(Contact.Status.ACTIVE, created.status());
        assertEquals(email, created.data().email());
        assertEquals(created.id(), repository().findContactIdByEmail(tenant, email));
        assertEquals(created.id(), repository().findOrCreateContactByEmail(tenant, email, NOW).id());
        assertEquals(created.id(), repository().findContact(tenant, created.id()).id());
        String known = givenContact(tenant, email());
        Contact existing = repository().findContact(tenant, known);
        assertEquals(known, repository().findOrCreateContactByEmail(tenant, existing.data().email(), NOW).id());
    }

    @Test
    void anAddressHeldByAContactBeingErasedFindsNothingAndCreatesNothing() {
        String email = email();
        String erasing = givenContact(tenant, email);
        givenErasing(tenant, erasing);
        assertNull(repository().findOrCreateContactByEmail(tenant, email, NOW));
        assertEquals(erasing, repository().findContactIdByEmail(tenant, email), "the guard is the erasure's to release");
    }

    @Test
    void suppressionsAreLiftedPerTenant() {
        String pseudonym = "p" + UUID.randomUUID().toString().replace("-", "");
        assertFalse(repository().isSuppressed(tenant, pseudonym));
        givenSuppressed(tenant, pseudonym);
        assertTrue(repository().isSuppressed(tenant, pseudonym));
        assertFalse(repository().isSuppressed(otherTenant, pseudonym));
        givenSuppressed(otherTenant, pseudonym);
        String c = givenContact(tenant, email());
        TokenUse token = new TokenUse("n" + UUID.randomUUID().toString().replace("-", ""), NOW.plus(Duration.ofDays(7)))
                .liftingSuppressionOf(pseudonym);
        repository().write(tenant, c, 0, null, List.of(), token, NOW);
        assertFalse(repository().isSuppressed(tenant, pseudonym));
        assertTrue(repository().isSuppressed(otherTenant, pseudonym));
        // lifting what is not there is harmless
        repository().write(tenant, c, 0, null, List.of(),
                new TokenUse("n" + UUID.randomUUID().toString().replace("-", ""), NOW.plus(Duration.ofDays(7)))
                        .liftingSuppressionOf(pseudonym), NOW);
    }

    @Test
    void aSuppressionIsLiftedOnlyWithTheWriteThatUsesTheToken() {
        String pseudonym = "p" + UUID.randomUUID().toString().replace("-", "");
        givenSuppressed(tenant, pseudonym);
        String c = givenContact(tenant, email());
        TokenUse token = new TokenUse("n" + UUID.randomUUID().toString().replace("-", ""), NOW.plus(Duration.ofDays(7)));
        repository().write(tenant, c, 0, null, List.of(), token, NOW);
        // The token was used already: the whole write fails, the suppression stays.
        assertThrows(TokenUsed.class, () -> repository().write(tenant, c, 0, null, List.of(),
                token.liftingSuppressionOf(pseudonym), NOW));
        assertTrue(repository().isSuppressed(tenant, pseudonym));
        // The contact is being erased: the same.
        String erasing = givenContact(tenant, email());
        givenErasing(tenant, erasing);
        assertThrows(StoreException.NotFound.class, () -> repository().write(tenant, erasing, 0, null, List.of(),
                new TokenUse("n" + UUID.randomUUID().toString().replace("-", ""), NOW.plus(Duration.ofDays(7)))
                        .liftingSuppressionOf(pseudonym), NOW));
        assertTrue(repository().isSuppressed(tenant, pseudonym));
    }

    // ---- preferences and the ledger ----

    /** The state after opting in to the email channel and {@code topics}, and the changes from {@code before}. */
    private static Preferences optedIn(Preferences before, String... topics) {
        Preferences p = before.withChannelStatus(Channel.EMAIL, ConsentStatus.OPTED_IN);
        for (String topic : topics) {
            p = p.withTopicStatus(Channel.EMAIL, topic, ConsentStatus.OPTED_IN);
        }
        return p;
    }

    private static List<LedgerEntry> entries(String contactId, Preferences before, Preferences after, Instant at) {
        List<ConsentChange> changes = ConsentChanges.between(before, after);
        String stem = "l_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        List<LedgerEntry> out = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            out.add(ConsentEvidence.system(ConsentEvidence.SOURCE_BOUNCE).entry(stem + "000" + i, contactId, at,
                    changes.get(i)));
        }
        return out;
    }

    /** Writes {@code next} over the stored state with its ledger entries at {@code at}; the entries. */
    private List<LedgerEntry> write(String contactId, Preferences next, Instant at) {
        Preferences current = repository().find(tenant, contactId);
        List<LedgerEntry> entries = entries(contactId, current, next, at);
        repository().write(tenant, contactId, current.version(), next, entries, null, at);
        return entries;
    }

    @Test
    void aStateNeverWrittenIsEmptyAtVersionZero() {
        String c = givenContact(tenant, email());
        assertEquals(Preferences.empty(), repository().find(tenant, c));
        assertEquals(0, repository().find(tenant, c).version());
        assertEquals(List.of(), repository().ledger(tenant, c));
    }

    @Test
    void aWriteStoresTheStateAtTheNextVersionWithItsLedgerEntries() {
        String c = givenContact(tenant, email());
        Preferences next = optedIn(Preferences.empty(), "news", "offers");
        List<LedgerEntry> entries = write(c, next, NOW);
        assertEquals(3, entries.size());
        Preferences stored = repository().find(tenant, c);
        assertEquals(1, stored.version());
        assertEquals(next.withVersion(1), stored);
        assertEquals(entries, repository().ledger(tenant, c));
        assertEquals(Preferences.empty(), repository().find(otherTenant, c));
        assertEquals(List.of(), repository().ledger(otherTenant, c));

        Preferences later = stored.withTopicStatus(Channel.EMAIL, "news", ConsentStatus.OPTED_OUT);
        write(c, later, NOW.plusSeconds(1));
        assertEquals(later.withVersion(2), repository().find(tenant, c));
        assertEquals(4, repository().ledger(tenant, c).size());
    }

    @Test
    void aWriteFromAStaleVersionIsAVersionConflictAndWritesNothing() {
        String c = givenContact(tenant, email());
        write(c, optedIn(Preferences.empty()), NOW);
        Preferences stored = repository().find(tenant, c);
        Preferences next = optedIn(stored, "news");
        for (long stale : new long[] {0, 2}) {
            assertThrows(StoreException.VersionConflict.class, () -> repository().write(tenant, c, stale, next,
                    entries(c, stored, next, NOW), null, NOW));
        }
        assertEquals(stored, repository().find(tenant, c));
        assertEquals(1, repository().ledger(tenant, c).size());
    }

    @Test
    void aWriteForAContactMissingOrBeingErasedIsNotFound() {
        Preferences next = optedIn(Preferences.empty());
        String missing = "c_" + "0".repeat(20);
        assertThrows(StoreException.NotFound.class, () -> repository().write(tenant, missing, 0, next,
                entries(missing, Preferences.empty(), next, NOW), null, NOW));
        String c = givenContact(tenant, email());
        givenErasing(tenant, c);
        assertThrows(StoreException.NotFound.class, () -> repository().write(tenant, c, 0, next,
                entries(c, Preferences.empty(), next, NOW), null, NOW));
        assertEquals(List.of(), repository().ledger(tenant, c));
        assertEquals(0, repository().find(tenant, c).version());
    }

    @Test
    void aTokenIsUsedOnceEvenWithoutAStateChange() {
        String c = givenContact(tenant, email());
        TokenUse token = new TokenUse("n" + UUID.randomUUID().toString().replace("-", ""), NOW.plus(Duration.ofDays(7)));
        assertFalse(repository().isTokenUsed(tenant, c, token.nonce()));
        repository().write(tenant, c, 0, null, List.of(), token, NOW);
        assertTrue(repository().isTokenUsed(tenant, c, token.nonce()));
        assertFalse(repository().isTokenUsed(otherTenant, c, token.nonce()));
        assertEquals(0, repository().find(tenant, c).version());
        Preferences next = optedIn(Preferences.empty());
        assertThrows(TokenUsed.class, () -> repository().write(tenant, c, 0, next,
                entries(c, Preferences.empty(), next, NOW), token, NOW));
        assertEquals(0, repository().find(tenant, c).version());
        assertEquals(List.of(), repository().ledger(tenant, c));
    }

    @Test
    void ledgerEntriesWithoutAStateChangeAreRefused() {
        String c = givenContact(tenant, email());
        Preferences next = optedIn(Preferences.empty());
        assertThrows(IllegalArgumentException.class, () -> repository().write(tenant, c, 0, null,
                entries(c, Preferences.empty(), next, NOW), null, NOW));
    }

    @Test
    void theLedgerIsInAppendOrderWhateverTheClocksSaid() {
        String c = givenContact(tenant, email());
        List<LedgerEntry> first = write(c, optedIn(Preferences.empty(), "a", "b"), NOW);
        // a second writer whose clock is behind
        List<LedgerEntry> second = write(c, repository().find(tenant, c)
                .withTopicStatus(Channel.EMAIL, "a", ConsentStatus.OPTED_OUT), NOW.minusSeconds(60));
        List<LedgerEntry> expected = new ArrayList<>(first);
        expected.addAll(second);
        assertEquals(expected, repository().ledger(tenant, c));
        // by time, the second writer's entry comes first
        assertEquals(second.get(0), repository().history(tenant, c, 10, null).items().get(0));
    }

    @Test
    void historyPagesThroughTheLedgerByTime() {
        String c = givenContact(tenant, email());
        List<LedgerEntry> all = new ArrayList<>();
        Preferences p = Preferences.empty();
        for (int i = 0; i < 5; i++) {
            p = p.withTopicStatus(Channel.EMAIL, "t" + i, ConsentStatus.OPTED_IN);
            all.addAll(write(c, p, NOW.plusSeconds(i)));
            p = repository().find(tenant, c);
        }
        List<LedgerEntry> paged = pageThrough((limit, from) -> repository().history(tenant, c, limit, from), 2);
        assertEquals(all, paged);
        assertEquals(List.of(), repository().history(otherTenant, c, 2, null).items());
    }

    /** Every item, page by page; each page holds at most {@code limit}. */
    private static <T> List<T> pageThrough(BiFunction<Integer, Cursor, Slice<T>> query, int limit) {
        List<T> out = new ArrayList<>();
        Cursor from = null;
        for (int pages = 0; pages < 100; pages++) {
            Slice<T> slice = query.apply(limit, from);
            assertTrue(slice.items().size() <= limit);
            out.addAll(slice.items());
            if (slice.next() == null) {
                return out;
            }
            from = slice.next();
        }
        throw new AssertionError("no end of pages");
    }

    // ---- sends ----

    @Test
    void aSendIsRecordedOncePerId() {
        String c = givenContact(tenant, email());
        Send send = new Send("s-" + UUID.randomUUID(), Channel.EMAIL, "news", NOW.minusSeconds(30));
        RecordedSend first = repository().recordSend(tenant, c, send, NOW);
        assertEquals(RecordedSend.Outcome.CREATED, first.outcome());
        assertEquals(send, first.send());
        RecordedSend replay = repository().recordSend(tenant, c, send, NOW.plusSeconds(5));
        assertEquals(RecordedSend.Outcome.REPLAYED, replay.outcome());
        assertEquals(send, replay.send());
        Send other = new Send(send.id(), Channel.SMS, "news", NOW.minusSeconds(10));
        assertEquals(RecordedSend.Outcome.ID_CONFLICT, repository().recordSend(tenant, c, other, NOW).outcome());
        assertEquals(List.of(send.at()), repository().sends(tenant, c, Channel.EMAIL, NOW.minus(Duration.ofDays(1))));
        assertEquals(List.of(), repository().sends(tenant, c, Channel.SMS, NOW.minus(Duration.ofDays(1))));
    }

    @Test
    void aSendForAContactMissingOrBeingErasedIsRefused() {
        Send send = new Send("s-" + UUID.randomUUID(), Channel.EMAIL, null, NOW);
        assertEquals(RecordedSend.Outcome.CONTACT_MISSING,
                repository().recordSend(tenant, "c_" + "1".repeat(20), send, NOW).outcome());
        String c = givenContact(tenant, email());
        givenErasing(tenant, c);
        assertEquals(RecordedSend.Outcome.CONTACT_MISSING, repository().recordSend(tenant, c, send, NOW).outcome());
        assertEquals(List.of(), repository().sends(tenant, c, Channel.EMAIL, NOW.minusSeconds(1)));
    }

    @Test
    void anExpiredIdGuardNoLongerHoldsTheId() {
        String c = givenContact(tenant, email());
        Send old = new Send("s-" + UUID.randomUUID(), Channel.EMAIL, null, NOW);
        repository().recordSend(tenant, c, old, NOW);
        Instant muchLater = NOW.plus(Duration.ofDays(FrequencyCap.MAX_PERIOD_DAYS + 2L));
        Send reused = new Send(old.id(), Channel.SMS, null, muchLater.minusSeconds(1));
        assertEquals(RecordedSend.Outcome.CREATED, repository().recordSend(tenant, c, reused, muchLater).outcome());
    }

    @Test
    void sendsAreCountedFromAnInstantOnPerChannelInOrder() {
        String c = givenContact(tenant, email());
        List<Instant> ats = List.of(NOW.minusSeconds(300), NOW.minusSeconds(200), NOW.minusSeconds(100), NOW);
        for (Instant at : List.of(ats.get(2), ats.get(0), ats.get(3), ats.get(1))) {
            repository().recordSend(tenant, c, new Send("s-" + UUID.randomUUID(), Channel.EMAIL, null, at), NOW);
        }
        repository().recordSend(tenant, c, new Send("s-" + UUID.randomUUID(), Channel.SMS, null, NOW), NOW);
        assertEquals(ats, repository().sends(tenant, c, Channel.EMAIL, ats.get(0)));
        assertEquals(ats.subList(1, 4), repository().sends(tenant, c, Channel.EMAIL, ats.get(1)));
        assertEquals(ats.subList(2, 4), repository().sends(tenant, c, Channel.EMAIL, ats.get(1).plusMillis(1)));
        assertEquals(List.of(NOW), repository().sends(tenant, c, Channel.SMS, ats.get(0)));
        assertEquals(List.of(), repository().sends(otherTenant, c, Channel.EMAIL, ats.get(0)));
    }

    // ---- topics ----

    private static Topic topic(String key) {
        return new Topic(key, "Topic " + key, key.startsWith("d") ? "about " + key : null, NOW);
    }

    @Test
    void topicKeysAreUniquePerTenantAndListedInKeyOrder() {
        for (String key : List.of("news", "alpha", "digest")) {
            repository().createTopic(tenant, topic(key));
        }
        var taken = assertThrows(StoreException.UniqueViolation.class, () -> repository().createTopic(tenant, topic("news")));
        assertEquals("key", taken.field());
        repository().createTopic(otherTenant, topic("news"));
        assertEquals(List.of(topic("alpha"), topic("digest"), topic("news")),
                pageThrough((limit, from) -> repository().topics(tenant, limit, from), 2));
        assertEquals(Set.of("alpha", "digest", "news"), repository().topicKeys(tenant));
        assertEquals(List.of("alpha", "digest", "news"), List.copyOf(repository().topicKeys(tenant)));
        assertEquals(Set.of("news"), repository().topicKeys(otherTenant));
    }

    @Test
    void aTenantHasAtMostTheTopicLimit() {
        for (int i = 0; i < Topic.MAX_PER_TENANT; i++) {
            repository().createTopic(tenant, topic(String.format("t%03d", i)));
        }
        assertThrows(StoreException.LimitReached.class, () -> repository().createTopic(tenant, topic("one-more")));
        assertEquals(Topic.MAX_PER_TENANT, repository().topicKeys(tenant).size());
        assertNotNull(repository().topics(tenant, Topic.MAX_PER_TENANT, null));
    }

    // ---- rate counters ----

    @Test
    void requestsAreCountedPerSubjectAndWindow() {
        RateLimit limit = RateLimit.SUBSCRIBE_PER_ADDRESS;
        Instant start = limit.windowStart(NOW);
        String subject = "h" + UUID.randomUUID().toString().replace("-", "");
        assertEquals(1, repository().countRequest(tenant, limit, subject, start));
        assertEquals(2, repository().countRequest(tenant, limit, subject, start.plusSeconds(1)));
        assertEquals(1, repository().countRequest(tenant, RateLimit.SUBSCRIBE_PER_CLIENT, subject, start));
        assertEquals(1, repository().countRequest(tenant, limit, subject + "x", start));
        assertEquals(1, repository().countRequest(otherTenant, limit, subject, start));
        assertEquals(1, repository().countRequest(tenant, limit, subject, limit.windowEnd(NOW)));
        assertEquals(3, repository().countRequest(tenant, limit, subject, start.plusSeconds(2)));
    }
}
