package dev.crm.surveys.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.ResponseImportRepository;
import dev.crm.surveys.domain.ResponseImportRepository.Done;
import dev.crm.surveys.domain.ResponseImportRepository.Part;
import dev.crm.surveys.domain.ResponseImportRepository.Rejection;
import dev.crm.surveys.domain.ResponseImportRepository.Tally;
import dev.crm.surveys.domain.StoredSurvey;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the survey response import relies on from {@link ResponseImportRepository}, held against the
 * in-memory fake and the DynamoDB adapter alike: its staged lines come back chunk by chunk, in order and
 * complete; a replayed part or rejection changes nothing; a step reads the outcomes of its own range; the
 * lines go at the end; another tenant reaches nothing of the job.
 */
public abstract class ResponseImportRepositoryContract {
    protected static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");
    private static final List<Map<String, Object>> ERRORS = List.of(Map.of("pointer", "/score", "detail", "out of range"));

    protected abstract ResponseImportRepository imports();

    /** Gives the store a contact as the contacts function keeps it. */
    protected abstract void givenContact(TenantId tenant, Contact contact);

    protected final TenantId tenant = TenantId.generate();
    private final TenantId other = TenantId.generate();
    protected final String jobId = Ids.random("simp_", 20);
    private final StoredSurvey survey = new StoredSurvey(SurveyRepositoryContract.survey(tenant, NOW,
            "{\"kind\": \"nps\", \"title\": \"How did we do?\", \"duplicatePolicy\": \"replace\"}"), ZoneId.of("UTC"));

    /** {@code n} lines of about {@code width} characters, each telling its number. */
    static List<String> lines(int n, int width) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String head = "{\"line\": " + i + ", \"why\": \"";
            out.add(head + "x".repeat(Math.max(0, width - head.length() - 2)) + "\"}");
        }
        return out;
    }

    private List<String> readBack(TenantId t, List<Integer> sizes) {
        List<String> back = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            List<String> chunk = imports().chunk(t, jobId, i);
            assertEquals(sizes.get(i), chunk.size(), "chunk " + i);
            back.addAll(chunk);
        }
        return back;
    }

    /** A part that changes no contact and no counter: its applied marker alone. */
    private Part part(TenantId t, Integer... lines) {
        return new Part(t, survey, jobId, List.of(lines), Map.of(), List.of());
    }

    @Test
    void aLargeBodyComesBackChunkByChunkInOrderAndComplete() {
        List<String> lines = lines(250, 1000); // ~750 KB at three bytes a character: more than one chunk
        List<Integer> sizes = imports().storeLines(tenant, jobId, lines);
        assertTrue(sizes.size() > 1, sizes::toString);
        assertEquals(lines, readBack(tenant, sizes));
        assertTrue(imports().chunk(tenant, jobId, sizes.size()).isEmpty());
    }

    @Test
    void aReplayedStoreWritesTheSameChunksAgainNotMore() {
        List<String> lines = lines(250, 1000);
        List<Integer> sizes = imports().storeLines(tenant, jobId, lines);
        assertEquals(sizes, imports().storeLines(tenant, jobId, lines));
        assertEquals(lines, readBack(tenant, sizes));
        assertTrue(imports().chunk(tenant, jobId, sizes.size()).isEmpty());
    }

    @Test
    void aStepReadsTheOutcomesOfItsRangeOnly() {
        assertTrue(imports().apply(part(tenant, 1, 2, 4)));
        assertTrue(imports().apply(part(tenant, 11, 12)));
        imports().reject(tenant, jobId, Map.of(3, ERRORS, 10, ERRORS, 15, ERRORS));
        assertEquals(new Done(Set.of(1, 2, 4), Set.of(3, 10)), imports().done(tenant, jobId, 1, 11));
        assertEquals(new Done(Set.of(11, 12), Set.of(15)), imports().done(tenant, jobId, 11, 21));
        assertEquals(new Done(Set.of(), Set.of()), imports().done(tenant, jobId, 5, 10));
    }

    @Test
    void aReplayedPartOrRejectionChangesNothing() {
        assertTrue(imports().apply(part(tenant, 1, 2)));
        assertFalse(imports().apply(part(tenant, 1, 2)));
        imports().reject(tenant, jobId, Map.of(3, ERRORS));
        imports().reject(tenant, jobId, Map.of(3, ERRORS));
        assertTrue(imports().apply(part(tenant, 4)));

        Tally tally = imports().tally(tenant, jobId);
        assertEquals(3, tally.imported());
        assertEquals(List.of(new Rejection(3, ERRORS)), tally.rejected());
    }

    @Test
    void droppedLinesAreGoneAndTheOutcomesStay() {
        List<Integer> sizes = imports().storeLines(tenant, jobId, lines(250, 1000));
        imports().reject(tenant, jobId, Map.of(5, ERRORS));
        imports().dropLines(tenant, jobId, sizes.size());
        for (int i = 0; i < sizes.size(); i++) {
            assertTrue(imports().chunk(tenant, jobId, i).isEmpty(), "chunk " + i);
        }
        assertEquals(List.of(new Rejection(5, ERRORS)), imports().tally(tenant, jobId).rejected());
    }

    @Test
    void anotherTenantReachesNothingOfTheJob() {
        List<String> lines = lines(250, 1000);
        List<Integer> sizes = imports().storeLines(tenant, jobId, lines);
        assertTrue(imports().apply(part(tenant, 1)));
        imports().reject(tenant, jobId, Map.of(2, ERRORS));
        Contact c = new Contact(Ids.random(Contact.ID_PREFIX, 20), new ContactData("Ada", "Lovelace", null, null, null,
                null, null, null, List.of(), Map.of(), null), NOW, NOW, 1, Contact.Status.ACTIVE);
        givenContact(tenant, c);

        assertTrue(imports().chunk(other, jobId, 0).isEmpty());
        assertEquals(new Done(Set.of(), Set.of()), imports().done(other, jobId, 1, 10));
        assertEquals(new Tally(0, List.of()), imports().tally(other, jobId));
        assertEquals(Set.of(c.id()), imports().activeContacts(tenant, List.of(c.id())));
        assertEquals(Set.of(), imports().activeContacts(other, List.of(c.id())));
        imports().dropLines(other, jobId, sizes.size());
        assertEquals(lines, readBack(tenant, sizes));
        // the same job id under the other tenant is a job of its own
        assertTrue(imports().apply(part(other, 1)));
        imports().storeLines(other, jobId, List.of("{\"other\": true}"));
        assertEquals(lines, readBack(tenant, sizes));
        assertEquals(new Done(Set.of(1), Set.of(2)), imports().done(tenant, jobId, 1, 10));
    }
}
