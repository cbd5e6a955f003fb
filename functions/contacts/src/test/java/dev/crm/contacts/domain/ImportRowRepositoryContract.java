package dev.crm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.contacts.domain.ImportRowRepository.Rejection;
import dev.crm.contacts.domain.ImportRowRepository.RowOutcome;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link ImportRowRepository} does: run against the in-memory fake and the DynamoDB adapter. */
public abstract class ImportRowRepositoryContract {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    protected final TenantId tenant = new TenantId(Ids.random("t_", 20));
    protected final String jobId = Ids.random("imp_", 20);

    /** The port under test and the contact repository it writes contacts to, over the same store. */
    protected abstract ImportRowRepository rows();

    protected abstract ContactRepository contacts();

    private static ContactData data(String email) {
        return new ContactData("Ada", null, email, null, null, null, null, null, List.of(), Map.of(), null);
    }

    private static String email() {
        return "row." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    @Test
    void storedRowsComeBackChunkByChunkInOrder() {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add("{\"email\": \"row" + i + "@example.com\", \"note\": \"" + "x".repeat(i) + "\"}");
        }
        List<Integer> sizes = rows().storeImportRows(tenant, jobId, rows);
        assertEquals(rows.size(), sizes.stream().mapToInt(Integer::intValue).sum());
        List<String> back = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            List<String> chunk = rows().importChunk(tenant, jobId, i);
            assertEquals(sizes.get(i), chunk.size());
            back.addAll(chunk);
        }
        assertEquals(rows, back);
        assertTrue(rows().importChunk(tenant, jobId, sizes.size()).isEmpty());
        assertTrue(rows().importChunk(new TenantId(Ids.random("t_", 20)), jobId, 0).isEmpty());
    }

    @Test
    void aRowIsWrittenOnceWithItsContactAndAReplayWritesNothing() {
        String email = email();
        Contact created = new Contact(Ids.random(Contact.ID_PREFIX, 20), data(email), T0, T0, 1, Contact.Status.ACTIVE);
        assertTrue(rows().writeImportedContact(tenant, jobId, 1, null, created, RowOutcome.CREATED));
        assertFalse(rows().writeImportedContact(tenant, jobId, 1, null, created, RowOutcome.CREATED));
        assertEquals(created.id(), contacts().findIdByEmail(tenant, email));
        assertEquals(Set.of(1), rows().rowsDone(tenant, jobId, 1, 10));

        Contact updated = new Contact(created.id(), data(email), T0, T0.plusSeconds(1), 2, Contact.Status.ACTIVE);
        assertTrue(rows().writeImportedContact(tenant, jobId, 2, created, updated, RowOutcome.UPDATED));
        assertEquals(2, contacts().find(tenant, created.id()).version());
        // a stale version, and an address another contact holds
        Contact stale = new Contact(created.id(), data(email), T0, T0.plusSeconds(2), 2, Contact.Status.ACTIVE);
        assertThrows(StoreException.VersionConflict.class,
                () -> rows().writeImportedContact(tenant, jobId, 3, created, stale, RowOutcome.UPDATED));
        Contact clash = new Contact(Ids.random(Contact.ID_PREFIX, 20), data(email), T0, T0, 1, Contact.Status.ACTIVE);
        var taken = assertThrows(StoreException.UniqueViolation.class,
                () -> rows().writeImportedContact(tenant, jobId, 4, null, clash, RowOutcome.CREATED));
        assertEquals("email", taken.field());
        // neither failed row has an outcome
        assertEquals(Set.of(1, 2), rows().rowsDone(tenant, jobId, 1, 10));
        assertEquals(Set.of(2), rows().rowsDone(tenant, jobId, 2, 4));
    }

    @Test
    void aGroupOfNewContactsIsWrittenWholeWithItsMarkersOrNotAtAll() {
        List<ImportRowRepository.ImportedContact> group = new ArrayList<>();
        for (int row = 1; row <= 20; row++) {
            group.add(new ImportRowRepository.ImportedContact(row,
                    new Contact(Ids.random(Contact.ID_PREFIX, 20), data(email()), T0, T0, 1, Contact.Status.ACTIVE)));
        }
        assertTrue(rows().createImportedContacts(tenant, jobId, group));
        assertEquals(20, rows().rowsDone(tenant, jobId, 1, 21).size());
        assertEquals(20L, rows().tally(tenant, jobId).created());
        for (var c : group) {
            assertEquals(c.contact().id(), contacts().findIdByEmail(tenant, c.contact().data().email()));
        }
        // a replay of the group, and a group one of whose addresses is taken: nothing of either is written
        assertFalse(rows().createImportedContacts(tenant, jobId, group));
        String free = email();
        Contact fresh = new Contact(Ids.random(Contact.ID_PREFIX, 20), data(free), T0, T0, 1, Contact.Status.ACTIVE);
        Contact clash = new Contact(Ids.random(Contact.ID_PREFIX, 20), data(group.get(3).contact().data().email()), T0, T0, 1,
                Contact.Status.ACTIVE);
        assertFalse(rows().createImportedContacts(tenant, jobId, List.of(new ImportRowRepository.ImportedContact(21, fresh),
                new ImportRowRepository.ImportedContact(22, clash))));
        assertEquals(null, contacts().findIdByEmail(tenant, free));
        assertEquals(null, contacts().find(tenant, fresh.id()));
        assertEquals(Set.of(), rows().rowsDone(tenant, jobId, 21, 23));
        assertEquals(20L, rows().tally(tenant, jobId).created());
    }

    @Test
    void theTallyCountsEveryOutcomeAndTheRejectionsAreKept() {
        for (int row = 1; row <= 3; row++) {
            Contact c = new Contact(Ids.random(Contact.ID_PREFIX, 20), data(email()), T0, T0, 1, Contact.Status.ACTIVE);
            assertTrue(rows().writeImportedContact(tenant, jobId, row, null, c, RowOutcome.CREATED));
        }
        List<Map<String, Object>> errors = List.of(Map.of("pointer", "/email", "detail", "must be an email address"));
        assertTrue(rows().rejectRow(tenant, jobId, 5, errors));
        assertTrue(rows().rejectRow(tenant, jobId, 4, List.of(Map.of("pointer", "", "detail", "not valid JSON"))));
        assertFalse(rows().rejectRow(tenant, jobId, 5, errors));
        assertFalse(rows().rejectRow(tenant, jobId, 1, errors));
        var tally = rows().tally(tenant, jobId);
        assertEquals(3, tally.created());
        assertEquals(0, tally.updated());
        assertEquals(List.of(4, 5), tally.rejected().stream().map(Rejection::row).sorted().toList());
        rows().storeRejections(tenant, jobId, tally.rejected());
        List<Rejection> kept = new ArrayList<>(rows().rejections(tenant, jobId));
        kept.sort(java.util.Comparator.comparingInt(Rejection::row));
        assertEquals(2, kept.size());
        assertEquals(5, kept.get(1).row());
        assertEquals(errors, kept.get(1).errors());
    }
}
