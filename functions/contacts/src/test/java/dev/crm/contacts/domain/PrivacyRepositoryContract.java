package dev.crm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.contacts.domain.PrivacyRepository.HeldItem;
import dev.crm.contacts.domain.PrivacyRepository.HeldKind;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link PrivacyRepository} does: run against the in-memory fake and the DynamoDB adapter. */
public abstract class PrivacyRepositoryContract {
    protected static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    protected final TenantId tenant = new TenantId(Ids.random("t_", 20));

    protected abstract PrivacyRepository privacy();

    /** The contact repository over the same store. */
    protected abstract ContactRepository contacts();

    /** A consent-ledger entry of the contact, as the preferences function writes it. */
    protected abstract void givenLedgerEntry(TenantId t, String contactId, Instant at, String entryId, Map<String, Object> entry);

    /**
     * A timeline entry of the contact referencing an item elsewhere (a survey response) that holds
     * {@code contactId} and {@code personal}; returns a handle to read that item back.
     */
    protected abstract String givenReferencingEntry(TenantId t, String contactId, Instant at, String entryId);

    /** The referenced item's attributes now. */
    protected abstract Map<String, Object> referencedItem(String handle);

    protected abstract List<Map<String, Object>> pseudonymousLedger(TenantId t, String pseudonym);

    protected abstract String suppressionReason(TenantId t, String pseudonym);

    protected abstract boolean jobExists(JobRef ref);

    private String email;

    protected Contact created() {
        email = "gone." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        ContactData d = new ContactData("Ada", "Lovelace", email, null, null, null, null, null, List.of(), Map.of(), "ext-" + UUID.randomUUID());
        Contact c = new Contact(Ids.random(Contact.ID_PREFIX, 20), d, T0, T0, 1, Contact.Status.ACTIVE);
        contacts().create(tenant, c);
        return c;
    }

    private void call(Contact c, String id, int second) {
        contacts().appendInteraction(tenant, c.id(), new Interaction(id, InteractionType.CALL, InteractionChannel.PHONE,
                T0.plusSeconds(second), null, "said something personal", null), null, false, T0);
    }

    @Test
    void anErasureBeginsOnceAtomicallyWithItsJob() {
        Contact c = created();
        JobRef ref = JobRef.of(tenant, Ids.random("era_", 20));
        assertTrue(privacy().beginErasure(tenant, c.id(), NewJob.forTenant(ref, ContactErasure.ERASURE, Map.of("contactId", c.id()), 0), T0));
        assertTrue(jobExists(ref));
        assertEquals(Contact.Status.ERASING, privacy().findAnyState(tenant, c.id()).status());
        assertTrue(contacts().list(tenant, ContactRepository.ListQuery.ALL, 10, null).items().isEmpty());
        JobRef again = JobRef.of(tenant, Ids.random("era_", 20));
        assertFalse(privacy().beginErasure(tenant, c.id(), NewJob.forTenant(again, ContactErasure.ERASURE, Map.of(), 0), T0));
        assertFalse(jobExists(again));
        JobRef none = JobRef.of(tenant, Ids.random("era_", 20));
        assertFalse(privacy().beginErasure(tenant, Ids.random(Contact.ID_PREFIX, 20),
                NewJob.forTenant(none, ContactErasure.ERASURE, Map.of(), 0), T0));
        assertFalse(jobExists(none));
    }

    @Test
    void anErasureIsHandedToANewJobOnlyFromTheJobThatMarkedTheContact() {
        Contact c = created();
        assertNull(privacy().erasureJobOf(tenant, c.id()), "not being erased");
        JobRef first = JobRef.of(tenant, Ids.random("era_", 20));
        assertTrue(privacy().beginErasure(tenant, c.id(), NewJob.forTenant(first, ContactErasure.ERASURE, Map.of("contactId", c.id()), 0), T0));
        assertEquals(first.id(), privacy().erasureJobOf(tenant, c.id()));
        JobRef stray = JobRef.of(tenant, Ids.random("era_", 20));
        assertFalse(privacy().restartErasure(tenant, c.id(), "era_" + "0".repeat(20),
                NewJob.forTenant(stray, ContactErasure.ERASURE, Map.of("contactId", c.id()), 0)), "not the job that marked it");
        assertFalse(jobExists(stray));
        JobRef second = JobRef.of(tenant, Ids.random("era_", 20));
        assertTrue(privacy().restartErasure(tenant, c.id(), first.id(),
                NewJob.forTenant(second, ContactErasure.ERASURE, Map.of("contactId", c.id()), 0)));
        assertTrue(jobExists(second));
        assertEquals(second.id(), privacy().erasureJobOf(tenant, c.id()));
        JobRef third = JobRef.of(tenant, Ids.random("era_", 20));
        assertFalse(privacy().restartErasure(tenant, c.id(), first.id(),
                NewJob.forTenant(third, ContactErasure.ERASURE, Map.of("contactId", c.id()), 0)), "handed over once");
        assertFalse(jobExists(third));
        assertNull(privacy().erasureJobOf(tenant, Ids.random(Contact.ID_PREFIX, 20)));
    }

    @Test
    void guardsAreReleasedOnlyWhileTheyPointAtTheContact() {
        Contact c = created();
        privacy().releaseGuards(tenant, c);
        assertNull(contacts().findIdByEmail(tenant, email));
        assertNull(contacts().findIdByExternalId(tenant, c.data().externalId()));
        Contact holder = new Contact(Ids.random(Contact.ID_PREFIX, 20), c.data(), T0, T0, 1, Contact.Status.ACTIVE);
        contacts().create(tenant, holder);
        privacy().releaseGuards(tenant, c);
        assertEquals(holder.id(), contacts().findIdByEmail(tenant, email));
    }

    @Test
    void anAnonymisationReplacesTheContactFromItsVersionAndFreesItsAddress() {
        Contact c = created();
        Contact anonymized = ContactErasure.anonymized(c, java.time.Clock.fixed(T0.plusSeconds(5), java.time.ZoneOffset.UTC));
        Contact stale = new Contact(c.id(), c.data(), c.createdAt(), c.updatedAt(), 7, c.status());
        assertThrows(StoreException.VersionConflict.class, () -> privacy().anonymize(tenant, stale, anonymized));
        privacy().anonymize(tenant, c, anonymized);
        Contact now = privacy().findAnyState(tenant, c.id());
        assertEquals(Contact.Status.ANONYMIZED, now.status());
        assertNull(now.data().email());
        assertEquals(2, now.version());
        assertNull(contacts().findIdByEmail(tenant, email));
    }

    @Test
    void theLedgerMovesToThePseudonymPageByPageWithoutWhoAndWhere() {
        Contact c = created();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("contactId", c.id());
            entry.put("topic", "news");
            entry.put("decision", "granted");
            entry.put("ip", "203.0.113.7");
            entry.put("userAgent", "Mozilla/5.0");
            givenLedgerEntry(tenant, c.id(), T0.plusSeconds(i), "led" + i, entry);
        }
        privacy().suppress(tenant, "pseudo-1", "erasure", "era_x", T0);
        assertEquals("erasure", suppressionReason(tenant, "pseudo-1"));
        assertEquals(2, privacy().moveLedgerPage(tenant, c.id(), "pseudo-1", 2));
        assertEquals(1, privacy().moveLedgerPage(tenant, c.id(), "pseudo-1", 2));
        assertEquals(0, privacy().moveLedgerPage(tenant, c.id(), "pseudo-1", 2));
        List<Map<String, Object>> copies = pseudonymousLedger(tenant, "pseudo-1");
        assertEquals(3, copies.size());
        for (Map<String, Object> copy : copies) {
            assertEquals("news", copy.get("topic"));
            assertEquals(true, copy.get("pseudonymised"));
            assertFalse(copy.containsKey("contactId"));
            assertFalse(copy.containsKey("ip"));
            assertFalse(copy.containsKey("userAgent"));
        }
    }

    @Test
    void referencesAreDetachedPageByPage() {
        Contact c = created();
        String first = givenReferencingEntry(tenant, c.id(), T0.plusSeconds(1), "resp-1");
        String second = givenReferencingEntry(tenant, c.id(), T0.plusSeconds(2), "resp-2");
        call(c, "call-1", 3);
        Cursor next = privacy().detachReferences(tenant, c.id(), null, 2);
        assertNotNull(next);
        assertNull(privacy().detachReferences(tenant, c.id(), next, 2));
        for (String ref : List.of(first, second)) {
            Map<String, Object> item = referencedItem(ref);
            assertFalse(item.containsKey("contactId"));
            assertFalse(item.containsKey("personal"));
            assertEquals(true, item.get("erased"));
            assertEquals(7, ((Number) item.get("score")).intValue());
        }
    }

    @Test
    void anAnonymisedTimelineKeepsItsLinksButNoFreeText() {
        Contact c = created();
        String ref = givenReferencingEntry(tenant, c.id(), T0.plusSeconds(1), "resp-1");
        call(c, "call-1", 2);
        assertNull(privacy().anonymizeTimeline(tenant, c.id(), null, 10));
        Map<String, Object> item = referencedItem(ref);
        assertEquals(c.id(), item.get("contactId"));
        assertFalse(item.containsKey("personal"));
        assertEquals(true, item.get("anonymized"));
        TimelineEntry call = contacts().timeline(tenant, c.id(), 1, null).items().get(0);
        assertEquals("call-1", call.id());
        assertTrue(call.data().containsKey("summary"));
        assertNull(call.data().get("summary"));
    }

    @Test
    void everythingHeldIsListedForTheExportThenDeletedPageByPage() {
        Contact c = created();
        call(c, "call-1", 1);
        call(c, "call-2", 2);
        givenLedgerEntry(tenant, c.id(), T0, "led0", Map.of("contactId", c.id(), "topic", "news"));
        List<HeldItem> held = new ArrayList<>();
        Cursor from = null;
        do {
            Slice<HeldItem> page = privacy().heldItems(tenant, c.id(), from, 2);
            held.addAll(page.items());
            from = page.next();
        } while (from != null);
        List<String> timeline = held.stream().filter(h -> h.kind() == HeldKind.TIMELINE).map(h -> (String) h.content().get("id")).toList();
        assertEquals(List.of("call-1", "call-2"), timeline);
        assertEquals("interaction", held.stream().filter(h -> h.kind() == HeldKind.TIMELINE).findFirst().get().content().get("kind"));
        List<HeldItem> ledger = held.stream().filter(h -> h.kind() == HeldKind.CONSENT_LEDGER).toList();
        assertEquals(1, ledger.size());
        assertEquals("news", ledger.get(0).content().get("topic"));
        assertFalse(ledger.get(0).content().containsKey("PK"));

        int deleted = 0;
        for (int n; (n = privacy().deletePage(tenant, c.id(), 2)) > 0; ) {
            assertTrue(n <= 2);
            deleted += n;
        }
        assertEquals(held.size(), deleted);
        assertNull(privacy().findAnyState(tenant, c.id()));
        assertTrue(contacts().timeline(tenant, c.id(), 10, null).items().isEmpty());
        assertTrue(privacy().heldItems(tenant, c.id(), null, 10).items().isEmpty());
    }
}
