package dev.crm.webhooks.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.events.EventIds;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.webhooks.domain.Delivery;
import dev.crm.webhooks.domain.DeliveryRef;
import dev.crm.webhooks.domain.DeliveryRepository;
import dev.crm.webhooks.domain.WebhookEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link DeliveryRepository} does, held against the in-memory fake and the DynamoDB adapter alike. */
public abstract class DeliveryRepositoryContract {
    /** Far in the future, so other tests' due deliveries (at real time) are never due before these. */
    protected static final Instant NOW = Instant.parse("2031-01-01T12:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(60);

    protected abstract DeliveryRepository repository();

    protected final TenantId tenant = TenantId.generate();
    protected final String endpoint = Ids.random(WebhookEndpoint.ID_PREFIX, 20);

    protected Delivery pending(String eventId, Instant at) {
        return Delivery.pending(tenant, endpoint, eventId, "contact.created", null, at, at.plus(Delivery.RETENTION));
    }

    protected static String eventAt(Instant at) {
        return EventIds.derive(at, "contract", Ids.random("", 10));
    }

    private DeliveryRef created(Instant at) {
        Delivery d = pending(eventAt(at), at);
        assertTrue(repository().createPending(d));
        return d.ref();
    }

    private boolean isDue(DeliveryRef ref, Instant at) {
        return repository().due(at, 1000).contains(ref);
    }

    @Test
    void aNewDeliveryIsPendingDueAtOnceAndCreatedOnce() {
        Instant at = NOW.plusSeconds(1);
        Delivery d = pending(eventAt(at), at);
        assertTrue(repository().createPending(d));
        assertFalse(repository().createPending(d), "a second fan-out of the same event creates nothing");
        Delivery found = repository().find(d.ref()).orElseThrow();
        assertEquals(Delivery.Status.PENDING, found.status());
        assertEquals(at, found.nextAttemptAt());
        assertEquals(0, found.attemptCount());
        assertEquals(List.of(), found.attempts());
        assertEquals("contact.created", found.eventType());
        assertTrue(isDue(d.ref(), at));
        assertFalse(isDue(d.ref(), at.minusMillis(1)), "not due before its time");
        assertTrue(repository().find(new DeliveryRef(TenantId.generate(), endpoint, d.eventId())).isEmpty(),
                "another tenant's key finds nothing");
    }

    @Test
    void aClaimHoldsOthersOffUntilItsLeaseEndsAndOnlyTheHolderRecords() {
        Instant at = NOW.plusSeconds(2);
        DeliveryRef ref = created(at);
        var first = repository().claim(ref, at, LEASE).orElseThrow();
        assertTrue(repository().claim(ref, at.plusSeconds(30), LEASE).isEmpty(), "held");
        assertFalse(isDue(ref, at.plusSeconds(59)), "a claimed delivery is not due while its lease runs");
        assertTrue(isDue(ref, at.plus(LEASE)), "due again when the lease ends (its deliverer died)");
        var second = repository().claim(ref, at.plus(LEASE), LEASE).orElseThrow();
        Delivery.Attempt late = new Delivery.Attempt(at, 200, null, 5);
        assertFalse(repository().recordAttempt(first, late, true, Delivery.Status.DELIVERED, null),
                "the first claim's lease ended: its outcome is not recorded");
        assertTrue(repository().recordAttempt(second, new Delivery.Attempt(at.plus(LEASE), 200, null, 7), true,
                Delivery.Status.DELIVERED, null));
        Delivery d = repository().find(ref).orElseThrow();
        assertEquals(Delivery.Status.DELIVERED, d.status());
        assertEquals(1, d.attempts().size());
        assertEquals(7, d.attempts().get(0).durationMs());
    }

    @Test
    void aFailedAttemptSchedulesTheNextAndASettledDeliveryLeavesTheDueIndex() {
        Instant at = NOW.plusSeconds(3);
        DeliveryRef ref = created(at);
        var claim = repository().claim(ref, at, LEASE).orElseThrow();
        Instant next = at.plusSeconds(5);
        assertTrue(repository().recordAttempt(claim, new Delivery.Attempt(at, 503, null, 12), true,
                Delivery.Status.PENDING, next));
        Delivery d = repository().find(ref).orElseThrow();
        assertEquals(Delivery.Status.PENDING, d.status());
        assertEquals(next, d.nextAttemptAt());
        assertEquals(1, d.attemptCount());
        assertEquals(503, d.attempts().get(0).statusCode());
        assertFalse(isDue(ref, next.minusMillis(1)));
        assertTrue(repository().claim(ref, next.minusMillis(1), LEASE).isEmpty(), "not claimable before it is due");
        assertTrue(isDue(ref, next));

        var again = repository().claim(ref, next, LEASE).orElseThrow();
        assertEquals(1, again.delivery().attemptCount());
        assertTrue(repository().recordAttempt(again, new Delivery.Attempt(next, null, "endpoint disabled", 0), false,
                Delivery.Status.FAILED, null));
        d = repository().find(ref).orElseThrow();
        assertEquals(Delivery.Status.FAILED, d.status());
        assertEquals(1, d.attemptCount(), "an attempt that was not sent does not use the schedule");
        assertNull(d.nextAttemptAt());
        assertEquals("endpoint disabled", d.attempts().get(1).error());
        assertNull(d.attempts().get(1).statusCode());
        assertFalse(isDue(ref, next.plus(Duration.ofDays(3))), "settled: out of the due index");
        assertTrue(repository().claim(ref, next.plus(Duration.ofDays(3)), LEASE).isEmpty());
    }

    @Test
    void aRecordKeepsTheLastTwentyAttempts() {
        Instant at = NOW.plusSeconds(4);
        DeliveryRef ref = created(at);
        Instant t = at;
        for (int i = 1; i <= 23; i++) {
            var c = repository().claim(ref, t, LEASE).orElseThrow();
            t = t.plusSeconds(1);
            assertTrue(repository().recordAttempt(c, new Delivery.Attempt(t, 500, null, i), true, Delivery.Status.PENDING, t));
        }
        Delivery d = repository().find(ref).orElseThrow();
        assertEquals(20, d.attempts().size());
        assertEquals(4, d.attempts().get(0).durationMs(), "the oldest three dropped");
        assertEquals(23, d.attempts().get(19).durationMs());
        assertEquals(23, d.attemptCount());
    }

    @Test
    void theListIsNewestFirstInPages() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Instant at = NOW.minus(Duration.ofMinutes(10 - i));
            ids.add(created(at).eventId());
        }
        Slice<Delivery> first = repository().list(tenant, endpoint, null, 3);
        assertEquals(List.of(ids.get(4), ids.get(3), ids.get(2)), first.items().stream().map(Delivery::eventId).toList());
        Slice<Delivery> second = repository().list(tenant, endpoint, first.next(), 3);
        assertEquals(List.of(ids.get(1), ids.get(0)), second.items().stream().map(Delivery::eventId).toList());
        assertNull(second.next());
        assertEquals(List.of(), repository().list(TenantId.generate(), endpoint, null, 10).items(),
                "another tenant's list of the same endpoint id is empty");
    }

    @Test
    void aResendMakesAnyDeliveryPendingNowWithAFreshScheduleButNotOneInFlight() {
        Instant at = NOW.plusSeconds(5);
        DeliveryRef ref = created(at);
        var c = repository().claim(ref, at, LEASE).orElseThrow();
        assertFalse(repository().resend(ref, at.plusSeconds(1)), "an attempt is in flight: it is being sent anyway");
        assertTrue(repository().recordAttempt(c, new Delivery.Attempt(at, 500, null, 1), true, Delivery.Status.EXHAUSTED, null));
        Instant later = at.plus(Duration.ofHours(1));
        assertTrue(repository().resend(ref, later));
        Delivery d = repository().find(ref).orElseThrow();
        assertEquals(Delivery.Status.PENDING, d.status());
        assertEquals(0, d.attemptCount());
        assertEquals(later, d.nextAttemptAt());
        assertEquals(1, d.attempts().size(), "the history stays");
        assertTrue(isDue(ref, later));
        assertFalse(repository().resend(new DeliveryRef(tenant, endpoint, eventAt(at)), later), "no such delivery");
    }

    @Test
    void aReplayResendsFromTheInstantOldestFirstBoundedAndResumable() {
        Instant base = NOW.minus(Duration.ofDays(2));
        List<DeliveryRef> refs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            DeliveryRef ref = created(base.plus(Duration.ofMinutes(i)));
            var c = repository().claim(ref, NOW, LEASE).orElseThrow();
            repository().recordAttempt(c, new Delivery.Attempt(NOW, 200, null, 1), true, Delivery.Status.DELIVERED, null);
            refs.add(ref);
        }
        Instant since = base.plus(Duration.ofMinutes(2));
        Instant now = NOW.plusSeconds(10);
        DeliveryRepository.Replay first = repository().resendSince(tenant, endpoint, since, null, now, 3);
        assertEquals(3, first.resent());
        assertEquals(refs.get(4).eventId(), first.resumeAfter());
        DeliveryRepository.Replay rest = repository().resendSince(tenant, endpoint, since, first.resumeAfter(), now, 3);
        assertEquals(1, rest.resent());
        assertNull(rest.resumeAfter());
        for (int i = 0; i < 6; i++) {
            Delivery d = repository().find(refs.get(i)).orElseThrow();
            assertEquals(i < 2 ? Delivery.Status.DELIVERED : Delivery.Status.PENDING, d.status(), "delivery " + i);
        }
        assertEquals(0, repository().resendSince(TenantId.generate(), endpoint, since, null, now, 3).resent());
    }
}
