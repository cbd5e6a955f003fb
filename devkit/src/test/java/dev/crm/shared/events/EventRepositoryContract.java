package dev.crm.shared.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link EventRepository} does: the fake and the DynamoDB adapter both pass it. */
public abstract class EventRepositoryContract {
    protected final Instant at = Instant.parse("2026-12-06T10:00:00Z");

    /** A repository whose clock reads {@link #at}. */
    protected abstract EventRepository repository();

    /** Makes an active contact of the tenant (the adapter writes its profile). */
    protected abstract String activeContact(TenantId tenant);

    /** Erases the contact as the erasure does: the profile is marked, then the partition deleted. */
    protected abstract void erase(TenantId tenant, String contactId);

    private Event event(TenantId t, String change, String contactId) {
        return new Event(EventIds.derive(at, change, EventTypes.CONTACT_UPDATED), EventTypes.CONTACT_UPDATED,
                "crm.contacts", at, t, contactId, Map.of("id", contactId == null ? "none" : contactId));
    }

    @Test
    void recordingTwiceKeepsOneEventAndItsEnvelope() {
        var repo = repository();
        TenantId t = TenantId.generate();
        String c = activeContact(t);
        Event e = event(t, "r1", c);
        assertEquals(EventRepository.Outcome.RECORDED, repo.record(e));
        assertEquals(EventRepository.Outcome.RECORDED, repo.record(e));
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) Json.parse(repo.envelope(t, e.id(), c).orElseThrow());
        assertEquals(e.id(), env.get("id"));
        assertEquals(t.value(), env.get("tenantId"));
        assertEquals("2026-12-06T10:00:00Z", env.get("timestamp"));
    }

    @Test
    void anotherTenantCannotReadTheEnvelope() {
        var repo = repository();
        TenantId a = TenantId.generate();
        TenantId b = TenantId.generate();
        Event e = event(a, "r2", null);
        repo.record(e);
        assertTrue(repo.envelope(a, e.id(), null).isPresent());
        assertTrue(repo.envelope(b, e.id(), null).isEmpty());
    }

    @Test
    void erasingTheContactErasesItsEventsAndWithholdsLaterOnes() {
        var repo = repository();
        TenantId t = TenantId.generate();
        String c = activeContact(t);
        Event before = event(t, "r3", c);
        repo.record(before);
        erase(t, c);
        assertTrue(repo.envelope(t, before.id(), c).isEmpty(), "erased with the contact");
        Event late = event(t, "r4", c);
        assertEquals(EventRepository.Outcome.WITHHELD, repo.record(late), "a change announced after the erasure");
        assertTrue(repo.envelope(t, late.id(), c).isEmpty());
    }
}
