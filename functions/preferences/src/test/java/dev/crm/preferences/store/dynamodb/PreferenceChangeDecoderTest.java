package dev.crm.preferences.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.devkit.StreamRecords;
import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.preferences.domain.LedgerEntry;
import dev.crm.preferences.domain.LegalBasis;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class PreferenceChangeDecoderTest {
    private static final TenantId T = TenantId.generate();
    private static final String CONTACT = "c_0123456789abcdefghjk";
    private static final Instant AT = Instant.parse("2026-11-23T10:00:00.123Z");
    private static final Instant STREAM_AT = Instant.parse("2026-11-23T10:00:01Z");
    private final PreferenceChangeDecoder decoder = new PreferenceChangeDecoder();

    /** An entry a public form wrote: it carries the client's address and User-Agent. */
    static LedgerEntry entry() {
        return new LedgerEntry("l_abc_0", CONTACT, AT, "contact", Channel.EMAIL, "newsletter", ConsentStatus.PENDING,
                ConsentStatus.OPTED_IN, LegalBasis.CONSENT, "preference-centre", "v3", "203.0.113.9", "Mozilla/5.0");
    }

    static Map<String, AttributeValue> item(LedgerEntry e) {
        return LedgerItem.SCHEMA.itemToMap(LedgerItem.of(T, e, 4, 0), true);
    }

    private List<Event> decode(String recordId, Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        return decoder.events(TableChange.of(StreamRecords.change(recordId, STREAM_AT, before, after)).get(0));
    }

    @Test
    void aNewLedgerEntryIsOneConsentChangeWithoutTheClientsAddress() {
        List<Event> events = decode("r1", null, item(entry()));
        assertEquals(1, events.size());
        Event e = events.get(0);
        assertEquals("consent.changed", e.type());
        assertEquals("crm.preferences", e.source());
        assertEquals(AT, e.timestamp());
        assertEquals(T, e.tenant());
        assertEquals(CONTACT, e.personalDataOf());
        Map<String, Object> expected = entry().toJson();
        expected.remove("ip");
        expected.remove("userAgent");
        assertEquals(expected, e.data(), "the consent history's entry");
        assertFalse(e.envelopeJson().contains("203.0.113.9"));
        assertFalse(e.envelopeJson().contains("Mozilla"));
        assertTrue(e.id().startsWith(EventIds.lowerBound(AT)));
    }

    @Test
    void thePseudonymousCopyOfAnErasedContactsLedgerIsNoEvent() {
        Map<String, AttributeValue> copy = new HashMap<>(item(entry()));
        copy.keySet().removeAll(List.of("contactId", "ip", "userAgent", "actor"));
        copy.put(Table.PK, Attr.s(Keys.pseudonymousLedger(T, "p_1")));
        copy.put("pseudonymised", Attr.bool(true));
        assertEquals(List.of(), decode("r2", null, copy));
        // and were a contact id left on a copy outside the contact's partition, still none
        copy.put("contactId", Attr.s(CONTACT));
        assertEquals(List.of(), decode("r3", null, copy));
    }

    @Test
    void onlyTheInsertOfALedgerEntryCounts() {
        var entry = item(entry());
        assertEquals(List.of(), decode("r4", entry, entry), "a MODIFY of a ledger entry");
        assertEquals(List.of(), decode("r5", entry, null), "the erasure deleting it");
        Map<String, AttributeValue> prefs = new HashMap<>(Table.key(Keys.contact(T, CONTACT), Keys.PREFERENCES));
        prefs.put(Table.ENTITY, Attr.s("PREFERENCES"));
        prefs.put("tenantId", Attr.s(T.value()));
        prefs.put("contactId", Attr.s(CONTACT));
        assertEquals(List.of(), decode("r6", null, prefs));
    }

    @Test
    void theSameRecordGivesTheSameIdAndAnotherRecordAnother() {
        assertEquals(decode("r7", null, item(entry())), decode("r7", null, item(entry())));
        assertNotEquals(decode("r7", null, item(entry())).get(0).id(), decode("r8", null, item(entry())).get(0).id());
    }
}
