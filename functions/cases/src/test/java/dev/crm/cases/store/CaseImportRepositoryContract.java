package dev.crm.cases.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.cases.domain.CaseRepository;
import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.SupportCase;
import dev.crm.cases.domain.imports.CaseImportRepository;
import dev.crm.cases.domain.imports.CaseImportRepository.Rejection;
import dev.crm.cases.domain.imports.CaseImportRepository.Tally;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the case history import relies on from {@link CaseImportRepository}, held against the in-memory
 * fake and the DynamoDB adapter alike: its staged lines come back chunk by chunk, in order and complete;
 * a replayed step changes nothing; a step reads the outcomes of its own range; the lines go at the end;
 * another tenant reaches nothing of the job.
 */
public abstract class CaseImportRepositoryContract {
    protected static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");
    private static final List<Map<String, Object>> ERRORS = List.of(Map.of("pointer", "/status", "detail", "unknown"));

    protected abstract CaseImportRepository imports();

    /** Makes {@code contactId} an active contact of {@code t}. */
    protected abstract void activeContact(TenantId t, String contactId);

    protected final TenantId tenant = TenantId.generate();
    private final TenantId other = TenantId.generate();
    protected final String jobId = Ids.random("cimp_", 20);

    /** {@code n} lines of about {@code width} characters, each telling its number. */
    static List<String> lines(int n, int width) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String head = "{\"line\": " + i + ", \"subject\": \"";
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

    private SupportCase draft(String contactId) {
        return new SupportCase(tenant, Ids.random(SupportCase.ID_PREFIX, 20), 0, contactId, SupportCase.Channel.EMAIL,
                "billing", SupportCase.Priority.NORMAL, "Charged twice", null, null, null, SupportCase.Status.NEW, null,
                null, NOW, NOW, 1, CaseRepositoryContract.SLA);
    }

    private static List<HistoryEntry> history() {
        return List.of(new HistoryEntry(Ids.random(HistoryEntry.ID_PREFIX, 20), NOW, HistoryEntry.CREATED,
                Map.of("status", "new")));
    }

    private String contact() {
        String id = Ids.random("ct_", 20);
        activeContact(tenant, id);
        return id;
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
        assertTrue(imports().rejectLine(tenant, jobId, 3, ERRORS));
        assertTrue(imports().storeImported(tenant, jobId, 7, draft(contact()), history()).isPresent());
        assertTrue(imports().rejectLine(tenant, jobId, 10, ERRORS));
        assertTrue(imports().rejectLine(tenant, jobId, 11, ERRORS));
        assertEquals(Set.of(3, 7, 10), imports().linesDone(tenant, jobId, 1, 11));
        assertEquals(Set.of(11), imports().linesDone(tenant, jobId, 11, 21));
        assertEquals(Set.of(), imports().linesDone(tenant, jobId, 4, 7));
    }

    @Test
    void aLineGetsOneOutcomeAndOneNumberWhateverIsReplayed() {
        String c = contact();
        assertThrows(CaseRepository.ContactNotActive.class,
                () -> imports().storeImported(tenant, jobId, 1, draft(Ids.random("ct_", 20)), history()));
        assertTrue(imports().rejectLine(tenant, jobId, 1, ERRORS));
        assertFalse(imports().rejectLine(tenant, jobId, 1, ERRORS));
        assertEquals(OptionalLong.empty(), imports().storeImported(tenant, jobId, 1, draft(c), history()));
        SupportCase d = draft(c);
        assertEquals(OptionalLong.of(1), imports().storeImported(tenant, jobId, 2, d, history())); // the refusal took no number
        assertEquals(OptionalLong.empty(), imports().storeImported(tenant, jobId, 2, d, history()));
        assertEquals(OptionalLong.empty(), imports().storeImported(tenant, jobId, 2, draft(c), history()));
        assertFalse(imports().rejectLine(tenant, jobId, 2, ERRORS));
        assertEquals(OptionalLong.of(2), imports().storeImported(tenant, jobId, 3, draft(c), history()));

        Tally tally = imports().tally(tenant, jobId);
        assertEquals(2, tally.imported());
        assertEquals(List.of(new Rejection(1, ERRORS)), tally.rejected());
    }

    @Test
    void droppedLinesAreGoneAndTheOutcomesStay() {
        List<Integer> sizes = imports().storeLines(tenant, jobId, lines(250, 1000));
        assertTrue(imports().rejectLine(tenant, jobId, 5, ERRORS));
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
        assertTrue(imports().rejectLine(tenant, jobId, 1, ERRORS));
        assertTrue(imports().storeImported(tenant, jobId, 2, draft(contact()), history()).isPresent());

        assertTrue(imports().chunk(other, jobId, 0).isEmpty());
        assertEquals(Set.of(), imports().linesDone(other, jobId, 1, 10));
        assertEquals(new Tally(0, List.of()), imports().tally(other, jobId));
        imports().dropLines(other, jobId, sizes.size());
        assertEquals(lines, readBack(tenant, sizes));
        // the same job id under the other tenant is a job of its own
        assertTrue(imports().rejectLine(other, jobId, 1, ERRORS));
        imports().storeLines(other, jobId, List.of("{\"other\": true}"));
        assertEquals(lines, readBack(tenant, sizes));
        assertEquals(Set.of(1, 2), imports().linesDone(tenant, jobId, 1, 10));
        assertEquals(1, imports().tally(tenant, jobId).imported());
    }
}
