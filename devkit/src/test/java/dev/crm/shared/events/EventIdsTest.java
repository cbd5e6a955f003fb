package dev.crm.shared.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventIdsTest {
    private final Instant at = Instant.parse("2026-12-06T10:15:30.123Z");

    @Test
    void theSameChangeGivesTheSameIdAndAnotherChangeAnother() {
        String id = EventIds.derive(at, "stream-record-1", "contact.created");
        assertEquals(id, EventIds.derive(at, "stream-record-1", "contact.created"), "a redelivered record");
        assertNotEquals(id, EventIds.derive(at, "stream-record-2", "contact.created"));
        assertNotEquals(id, EventIds.derive(at, "stream-record-1", "contact.updated"));
        assertTrue(EventIds.isValid(id), id);
        assertEquals(EventIds.LENGTH, id.length());
    }

    @Test
    void idsSortByTheirInstantAndTheLowerBoundStartsARange() {
        String earlier = EventIds.derive(at, "z");
        String later = EventIds.derive(at.plusMillis(1), "a");
        assertTrue(earlier.compareTo(later) < 0);
        assertTrue(EventIds.lowerBound(at).compareTo(earlier) <= 0);
        assertTrue(EventIds.lowerBound(at.plusMillis(1)).compareTo(earlier) > 0);
    }

    @Test
    void anOversizedPayloadKeepsItsIdsOnly() {
        Event e = new Event(EventIds.derive(at, "x"), EventTypes.CONTACT_UPDATED, "crm.contacts", at,
                new TenantId("t_aaaaaaaaaaaaaaaaaaaa"), null,
                Map.of("id", "c_1", "contactId", "c_1", "notes", "x".repeat(30_000)));
        String json = e.envelopeJson();
        assertTrue(json.length() < Event.MAX_BYTES, "" + json.length());
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) Json.parse(json)).get("data");
        assertEquals(Map.of("id", "c_1", "contactId", "c_1", "truncated", true), data);
    }
}
