package dev.crm.preferences.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.shared.consent.DecisionReason;
import dev.crm.shared.consent.Decision;
import dev.crm.shared.consent.FrequencyCap;
import dev.crm.shared.consent.MessageClass;
import dev.crm.shared.consent.Send;
import dev.crm.shared.consent.RecordedSend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.preferences.store.memory.InMemoryPreferencesRepository;
import dev.crm.shared.contact.AddressSuppression;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.devkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The preferences use cases on the in-memory repository: their rules, edge cases and the port's failures. */
class PreferencesServiceTest {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final InMemoryPreferencesRepository repository = new InMemoryPreferencesRepository();
    private final PreferencesService service = new PreferencesService(repository, clock);
    private final TenantId tenant = TenantId.generate();
    private final TenantSecrets secrets = TenantSecrets.generate();
    private static final String OPT_IN_EMAIL = "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\":"
            + " {\"news\": \"opted_in\"}}}, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}";

    private String contact(String email) {
        return repository.givenContact(tenant, email, null, clock.instant());
    }

    private PreferencesService.Written replace(String contactId, long ifMatch, String body, Violations v) {
        return service.replace(tenant, contactId, ifMatch, Json.parse(body), v,
                u -> ConsentEvidence.apiKey("k1", u.legalBasis(), u.source()));
    }

    private void topics(String... keys) {
        for (String key : keys) {
            service.createTopic(tenant, new Topic(key, "Name of " + key, null, clock.instant()));
        }
    }

    // ---- replace (PUT) ----

    @Test
    void aReplaceWritesTheStateAndOneLedgerEntryPerChange() {
        topics("news");
        String c = contact("a@example.com");
        var written = replace(c, 0, OPT_IN_EMAIL, new Violations());
        assertEquals(1, written.preferences().version());
        assertEquals(2, written.changes().size());
        assertEquals(written.preferences(), repository.find(tenant, c));
        List<LedgerEntry> ledger = repository.ledger(tenant, c);
        assertEquals(2, ledger.size());
        assertEquals("key:k1", ledger.get(0).actor());
        assertEquals(written.preferences().channels(), ConsentLedgerReplay.replay(ledger));
    }

    @Test
    void aReplaceThatChangesNothingWritesNothing() {
        topics("news");
        String c = contact("a@example.com");
        replace(c, 0, OPT_IN_EMAIL, new Violations());
        int writes = repository.writes();
        var again = replace(c, 1, OPT_IN_EMAIL, new Violations());
        assertEquals(List.of(), again.changes());
        assertEquals(1, again.preferences().version());
        assertEquals(writes, repository.writes());
    }

    @Test
    void aReplaceFromAnOldVersionIsAConflictAndAnUnknownContactNotFound() {
        topics("news");
        String c = contact("a@example.com");
        assertThrows(StoreException.VersionConflict.class, () -> replace(c, 3, OPT_IN_EMAIL, new Violations()));
        assertThrows(StoreException.NotFound.class, () -> replace("c_" + "0".repeat(20), 0, OPT_IN_EMAIL, new Violations()));
        assertEquals(0, repository.writes());
    }

    @Test
    void aReplaceWithProblemsWritesNothingAndReportsThem() {
        String c = contact("a@example.com");
        Violations v = new Violations();
        assertNull(replace(c, 0, OPT_IN_EMAIL, v)); // "news" is not one of the tenant's topics
        assertFalse(v.items().isEmpty());
        assertEquals(0, repository.writes());
    }

    @Test
    void aReplaceRetriesThroughContention() {
        topics("news");
        String c = contact("a@example.com");
        repository.failNextWrites(3, StoreException.Contention::new);
        var written = replace(c, 0, OPT_IN_EMAIL, new Violations());
        assertEquals(1, written.preferences().version());
        assertEquals(4, repository.writes());
        assertEquals(2, repository.ledger(tenant, c).size());
    }

    @Test
    void aReplaceGivesUpOnContentionThatDoesNotEnd() {
        topics("news");
        String c = contact("a@example.com");
        repository.failNextWrites(PreferencesService.ATTEMPTS, StoreException.Contention::new);
        assertThrows(StoreException.Contention.class, () -> replace(c, 0, OPT_IN_EMAIL, new Violations()));
        assertEquals(PreferencesService.ATTEMPTS, repository.writes());
        assertEquals(0, repository.find(tenant, c).version());
    }

    @Test
    void aReplaceChangingTooManyStatusesAtOnceIsRefused() {
        StringBuilder topicsJson = new StringBuilder();
        for (int i = 0; i < PreferencesService.MAX_CONSENT_CHANGES_PER_WRITE; i++) {
            String key = "t" + i;
            topics(key);
            topicsJson.append(i == 0 ? "" : ", ").append('"').append(key).append("\": \"opted_in\"");
        }
        String c = contact("a@example.com");
        Violations v = new Violations();
        // the channel's status and 48 topics: 49 changes
        assertNull(replace(c, 0, "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {" + topicsJson
                + "}}}, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}", v));
        assertTrue(v.items().toString().contains("/channels"), v.items().toString());
        assertEquals(0, repository.writes());
    }

    // ---- modify: subscribe, confirm, unsubscribe, bounces ----

    @Test
    void aSystemChangeRetriesWhenAnotherWriterMovedTheVersion() {
        String c = contact("a@example.com");
        repository.failNextWrites(2, StoreException.VersionConflict::new);
        var written = service.suppress(tenant, c, Channel.EMAIL, ConsentEvidence.system(ConsentEvidence.SOURCE_BOUNCE));
        assertEquals(1, written.changes().size());
        assertEquals(ConsentStatus.OPTED_OUT, repository.find(tenant, c).channelStatus(Channel.EMAIL));
        assertEquals(3, repository.writes());
        // done already: nothing more is written
        service.suppress(tenant, c, Channel.EMAIL, ConsentEvidence.system(ConsentEvidence.SOURCE_BOUNCE));
        assertEquals(3, repository.writes());
    }

    @Test
    void aSubscriptionCreatesTheContactAndAwaitsConfirmation() {
        topics("news");
        SubscribeRequest request = new SubscribeRequest("new@example.com", Channel.EMAIL, List.of("news"));
        var subscription = service.subscribe(tenant, request, evidence(), AddressSuppression.ofEmail(secrets, "new@example.com"));
        assertNotNull(subscription);
        assertTrue(subscription.awaitsConfirmation());
        assertEquals(subscription.contactId(), repository.findContactIdByEmail(tenant, "new@example.com"));
        assertEquals(ConsentStatus.PENDING, repository.find(tenant, subscription.contactId()).channelStatus(Channel.EMAIL));
    }

    @Test
    void aConfirmationUsesItsTokenOnceAndLiftsTheAddressSuppression() {
        topics("news");
        String email = "back@example.com";
        String c = contact(email);
        String pseudonym = AddressSuppression.ofEmail(secrets, email);
        repository.suppress(tenant, pseudonym);
        SubscribeRequest request = new SubscribeRequest(email, Channel.EMAIL, List.of("news"));
        assertTrue(service.subscribe(tenant, request, evidence(), pseudonym).awaitsConfirmation());
        TokenUse token = new TokenUse("nonce-1", clock.instant().plus(Duration.ofDays(7)));
        assertEquals(List.of("Name of news", "gone"), service.confirmationTopics(tenant, c, "nonce-1", List.of("news", "gone")));
        service.confirm(tenant, c, Channel.EMAIL, List.of("news"), token, evidence(), secrets);
        assertEquals(ConsentStatus.OPTED_IN, repository.find(tenant, c).topicStatus(Channel.EMAIL, "news"));
        assertFalse(repository.isSuppressed(tenant, pseudonym));
        assertThrows(TokenUsed.class, () -> service.confirm(tenant, c, Channel.EMAIL, List.of("news"), token, evidence(),
                secrets));
        assertThrows(TokenUsed.class, () -> service.confirmationTopics(tenant, c, "nonce-1", List.of("news")));
        // opted in already: nothing to confirm, unless the address is suppressed again
        assertFalse(service.subscribe(tenant, request, evidence(), pseudonym).awaitsConfirmation());
        repository.suppress(tenant, pseudonym);
        assertTrue(service.subscribe(tenant, request, evidence(), pseudonym).awaitsConfirmation());
    }

    @Test
    void aConfirmationThatFailsLeavesTheTokenUnusedAndTheSuppressionInPlaceForARetry() {
        topics("news");
        String email = "retry@example.com";
        String c = contact(email);
        String pseudonym = AddressSuppression.ofEmail(secrets, email);
        repository.suppress(tenant, pseudonym);
        service.subscribe(tenant, new SubscribeRequest(email, Channel.EMAIL, List.of("news")), evidence(), pseudonym);
        TokenUse token = new TokenUse("nonce-2", clock.instant().plus(Duration.ofDays(7)));
        repository.failNextWrites(1, StoreException.Busy::new);
        assertThrows(StoreException.Busy.class, () -> service.confirm(tenant, c, Channel.EMAIL, List.of("news"), token,
                evidence(), secrets));
        assertFalse(repository.isTokenUsed(tenant, c, "nonce-2"));
        assertTrue(repository.isSuppressed(tenant, pseudonym));
        // the retry of the same link goes through, and lifts the suppression with the consent
        service.confirm(tenant, c, Channel.EMAIL, List.of("news"), token, evidence(), secrets);
        assertEquals(ConsentStatus.OPTED_IN, repository.find(tenant, c).topicStatus(Channel.EMAIL, "news"));
        assertFalse(repository.isSuppressed(tenant, pseudonym));
    }

    @Test
    void aSubscriptionOfAnAddressBeingErasedDoesNothing() {
        String c = contact("gone@example.com");
        repository.markErasing(tenant, c);
        int writes = repository.writes();
        assertNull(service.subscribe(tenant, new SubscribeRequest("gone@example.com", Channel.EMAIL, List.of()), evidence(),
                "p"));
        assertEquals(writes, repository.writes());
        assertThrows(StoreException.NotFound.class, () -> service.confirmationTopics(tenant, c, "n", List.of()));
    }

    @Test
    void subscriptionsAreLimitedPerClientThenPerAddress() {
        Instant now = clock.instant();
        for (int i = 0; i < RateLimit.SUBSCRIBE_PER_ADDRESS.limit(); i++) {
            assertNull(service.admitSubscription(tenant, "client", "address", now));
        }
        assertEquals(RateLimit.SUBSCRIBE_PER_ADDRESS, service.admitSubscription(tenant, "client", "address", now));
        for (int i = RateLimit.SUBSCRIBE_PER_ADDRESS.limit() + 1; i < RateLimit.SUBSCRIBE_PER_CLIENT.limit(); i++) {
            assertNull(service.admitSubscription(tenant, "client", "address-" + i, now));
        }
        assertEquals(RateLimit.SUBSCRIBE_PER_CLIENT, service.admitSubscription(tenant, "client", "fresh", now));
        // a request over the client's limit is not counted against the address
        assertNull(service.admitSubscription(tenant, "other-client", "fresh", now));
        // the next window starts over
        assertNull(service.admitSubscription(tenant, "client", "address", RateLimit.SUBSCRIBE_PER_ADDRESS.windowEnd(now)
                .plus(RateLimit.SUBSCRIBE_PER_CLIENT.window())));
    }

    @Test
    void aBounceSuppressesTheAddressesContactOnly() {
        String c = contact("b@example.com");
        var evidence = ConsentEvidence.system(ConsentEvidence.SOURCE_BOUNCE);
        assertNull(service.suppressAddress(tenant, "nobody@example.com", Channel.EMAIL, evidence));
        assertEquals(1, service.suppressAddress(tenant, "B@example.com", Channel.EMAIL, evidence).changes().size());
        assertEquals("system", repository.ledger(tenant, c).get(0).actor());
        // suppressed already: nothing to write, nothing to count
        assertEquals(List.of(), service.suppressAddress(tenant, "b@example.com", Channel.EMAIL, evidence).changes());
        String erased = contact("e@example.com");
        repository.markErasing(tenant, erased);
        assertNull(service.suppressAddress(tenant, "e@example.com", Channel.EMAIL, evidence));
        assertEquals(List.of(), repository.ledger(tenant, erased));
    }

    @Test
    void anUnsubscribeOfAContactBeingErasedIsNotFound() {
        String c = contact("u@example.com");
        repository.markErasing(tenant, c);
        assertThrows(StoreException.NotFound.class, () -> service.unsubscribe(tenant, c, Channel.EMAIL, null, evidence()));
    }

    // ---- decisions, sends, links, history ----

    @Test
    void marketingToASuppressedAddressIsDeniedFirst() {
        topics("news");
        String email = "s@example.com";
        String c = contact(email);
        replace(c, 0, OPT_IN_EMAIL, new Violations());
        var marketing = new ContactDecisionRequest(Channel.EMAIL, "news", MessageClass.MARKETING, clock.instant());
        assertTrue(service.decide(tenant, c, marketing, ZoneId.of("UTC"), Map.of(), secrets).allowed());
        repository.suppress(tenant, AddressSuppression.ofEmail(secrets, email));
        assertEquals(Decision.deny(DecisionReason.SUPPRESSED, null),
                service.decide(tenant, c, marketing, ZoneId.of("UTC"), Map.of(), secrets));
        var transactional = new ContactDecisionRequest(Channel.EMAIL, null, MessageClass.TRANSACTIONAL, clock.instant());
        assertTrue(service.decide(tenant, c, transactional, ZoneId.of("UTC"), Map.of(), secrets).allowed());
        assertThrows(StoreException.NotFound.class, () -> service.decide(tenant, "c_" + "0".repeat(20), marketing,
                ZoneId.of("UTC"), Map.of(), secrets));
    }

    @Test
    void aCapCountsTheSendsRecordedInItsWindow() {
        topics("news");
        String c = contact("cap@example.com");
        replace(c, 0, OPT_IN_EMAIL, new Violations());
        Map<Channel, FrequencyCap> caps = Map.of(Channel.EMAIL, new FrequencyCap(1, 7));
        var marketing = new ContactDecisionRequest(Channel.EMAIL, "news", MessageClass.MARKETING, clock.instant());
        assertTrue(service.decide(tenant, c, marketing, ZoneId.of("UTC"), caps, secrets).allowed());
        Send send = new Send("s-1", Channel.EMAIL, "news", clock.instant().minus(Duration.ofDays(1)));
        assertEquals(RecordedSend.Outcome.CREATED, service.recordSend(tenant, c, send).outcome());
        assertEquals(RecordedSend.Outcome.REPLAYED, service.recordSend(tenant, c, send).outcome());
        assertFalse(service.decide(tenant, c, marketing, ZoneId.of("UTC"), caps, secrets).allowed());
        clock.advance(Duration.ofDays(7));
        var later = new ContactDecisionRequest(Channel.EMAIL, "news", MessageClass.MARKETING, clock.instant());
        assertTrue(service.decide(tenant, c, later, ZoneId.of("UTC"), caps, secrets).allowed());
    }

    @Test
    void aLinkTopicMustBeHeldOrOffered() {
        topics("news", "offers");
        String c = contact("l@example.com");
        replace(c, 0, OPT_IN_EMAIL, new Violations());
        assertTrue(service.linkSubject(tenant, c, Channel.EMAIL, null).topicKnown());
        assertTrue(service.linkSubject(tenant, c, Channel.EMAIL, "news").topicKnown());
        assertTrue(service.linkSubject(tenant, c, Channel.EMAIL, "offers").topicKnown());
        assertFalse(service.linkSubject(tenant, c, Channel.EMAIL, "unknown").topicKnown());
        assertThrows(StoreException.NotFound.class, () -> service.linkSubject(tenant, "c_" + "0".repeat(20), Channel.EMAIL,
                null));
    }

    @Test
    void historyAndThePreferenceCentreNeedAnActiveContact() {
        String c = contact("h@example.com");
        assertEquals(List.of(), service.history(tenant, c, 10, null).items());
        assertNotNull(service.preferenceCentre(tenant, c));
        assertEquals(0, service.get(tenant, c).version());
        repository.markErasing(tenant, c);
        assertThrows(StoreException.NotFound.class, () -> service.history(tenant, c, 10, null));
        assertNull(service.preferenceCentre(tenant, c));
        assertNull(service.get(tenant, c));
    }

    private static ConsentEvidence evidence() {
        return ConsentEvidence.contact(ConsentEvidence.SOURCE_SUBSCRIBE_FORM, "v1", "203.0.113.9", "test");
    }
}
