package dev.crm.preferences.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.preferences.domain.ConsentImportRepository.NumberedLine;
import dev.crm.preferences.domain.ConsentImportRepository.Rejection;
import dev.crm.preferences.domain.ConsentImportRepository.Tally;
import dev.crm.preferences.domain.ConsentImportRepository.Unit;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the consent import relies on from {@link ConsentImportRepository}, held against the in-memory
 * fake and the DynamoDB adapter alike: its staged lines (in staged order, each with its number in the
 * file) come back chunk by chunk, complete; a line gets one outcome however often a step is replayed; a
 * step reads the outcomes of its lines; the lines go at the end; another tenant reaches nothing of the job.
 */
public abstract class ConsentImportRepositoryContract {
    protected static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");
    private static final List<Map<String, Object>> ERRORS = List.of(Map.of("pointer", "/at", "detail", "missing"));

    protected abstract ConsentImportRepository imports();

    /** Makes {@code contactId} an active contact of {@code t}. */
    protected abstract void activeContact(TenantId t, String contactId);

    protected final TenantId tenant = TenantId.generate();
    private final TenantId other = TenantId.generate();
    protected final String jobId = Ids.random("cnimp_", 20);

    /** {@code n} lines of about {@code width} characters, staged in the reverse of their file order. */
    static List<NumberedLine> lines(int n, int width) {
        List<NumberedLine> out = new ArrayList<>();
        for (int i = n; i >= 1; i--) {
            String head = "{\"contactId\": \"ct_" + i + "\", \"note\": \"";
            out.add(new NumberedLine(i, head + "x".repeat(Math.max(0, width - head.length() - 2)) + "\"}"));
        }
        return out;
    }

    private List<NumberedLine> readBack(TenantId t, List<Integer> sizes) {
        List<NumberedLine> back = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            List<NumberedLine> chunk = imports().chunk(t, jobId, i);
            assertEquals(sizes.get(i), chunk.size(), "chunk " + i);
            back.addAll(chunk);
        }
        return back;
    }

    private static Unit rejections(Map<Integer, List<Map<String, Object>>> rejected) {
        return new Unit(null, 0, null, null, List.of(), List.of(), rejected);
    }

    /** Lines of an active contact that changed nothing: the contact check and their outcomes. */
    private Unit unchanged(TenantId t, Integer... lines) {
        String c = Ids.random("ct_", 20);
        activeContact(t, c);
        return new Unit(c, 0, null, null, List.of(), List.of(lines), Map.of());
    }

    @Test
    void aLargeBodyComesBackChunkByChunkInStagedOrderWithItsLineNumbers() {
        List<NumberedLine> lines = lines(250, 1000); // ~750 KB at three bytes a character: more than one chunk
        List<Integer> sizes = imports().storeLines(tenant, jobId, lines);
        assertTrue(sizes.size() > 1, sizes::toString);
        assertEquals(lines, readBack(tenant, sizes));
        assertTrue(imports().chunk(tenant, jobId, sizes.size()).isEmpty());
    }

    @Test
    void aReplayedStoreWritesTheSameChunksAgainNotMore() {
        List<NumberedLine> lines = lines(250, 1000);
        List<Integer> sizes = imports().storeLines(tenant, jobId, lines);
        assertEquals(sizes, imports().storeLines(tenant, jobId, lines));
        assertEquals(lines, readBack(tenant, sizes));
        assertTrue(imports().chunk(tenant, jobId, sizes.size()).isEmpty());
    }

    @Test
    void aStepReadsTheOutcomesOfItsLinesOnly() {
        imports().write(tenant, jobId, List.of(rejections(Map.of(3, ERRORS)), unchanged(tenant, 7, 9)));
        imports().write(tenant, jobId, List.of(rejections(Map.of(12, ERRORS))));
        assertEquals(Set.of(3, 7), imports().linesDone(tenant, jobId, List.of(1, 2, 3, 4, 5, 6, 7, 8)));
        assertEquals(Set.of(9, 12), imports().linesDone(tenant, jobId, List.of(12, 9, 10)));
        assertEquals(Set.of(), imports().linesDone(tenant, jobId, List.of(4, 5, 6)));
    }

    @Test
    void aLineGetsOneOutcomeWhateverIsReplayed() {
        Unit unit = unchanged(tenant, 2);
        imports().write(tenant, jobId, List.of(rejections(Map.of(1, ERRORS)), unit));
        assertThrows(StoreException.VersionConflict.class, () -> imports().write(tenant, jobId, List.of(unit)));
        assertThrows(StoreException.VersionConflict.class,
                () -> imports().write(tenant, jobId, List.of(rejections(Map.of(2, ERRORS)), unchanged(tenant, 3))));
        // all or nothing: line 3 of the refused write has no outcome
        assertEquals(Set.of(1, 2), imports().linesDone(tenant, jobId, List.of(1, 2, 3)));
        // a contact that is not active refuses its unit
        assertThrows(StoreException.VersionConflict.class, () -> imports().write(tenant, jobId,
                List.of(new Unit(Ids.random("ct_", 20), 0, null, null, List.of(), List.of(4), Map.of()))));

        Tally tally = imports().tally(tenant, jobId);
        assertEquals(1, tally.imported());
        assertEquals(List.of(new Rejection(1, ERRORS)), tally.rejected());
    }

    @Test
    void droppedLinesAreGoneAndTheOutcomesStay() {
        List<Integer> sizes = imports().storeLines(tenant, jobId, lines(250, 1000));
        imports().write(tenant, jobId, List.of(rejections(Map.of(5, ERRORS))));
        imports().dropLines(tenant, jobId, sizes.size());
        for (int i = 0; i < sizes.size(); i++) {
            assertTrue(imports().chunk(tenant, jobId, i).isEmpty(), "chunk " + i);
        }
        assertEquals(List.of(new Rejection(5, ERRORS)), imports().tally(tenant, jobId).rejected());
    }

    @Test
    void anotherTenantReachesNothingOfTheJob() {
        List<NumberedLine> lines = lines(250, 1000);
        List<Integer> sizes = imports().storeLines(tenant, jobId, lines);
        Unit unit = unchanged(tenant, 2);
        imports().write(tenant, jobId, List.of(rejections(Map.of(1, ERRORS)), unit));

        assertTrue(imports().chunk(other, jobId, 0).isEmpty());
        assertEquals(Set.of(), imports().linesDone(other, jobId, List.of(1, 2)));
        assertEquals(new Tally(0, List.of()), imports().tally(other, jobId));
        assertEquals(Map.of(), imports().consentOf(other, Map.of(unit.contactId(), NOW)));
        assertEquals(Preferences.empty(), imports().consentOf(tenant, Map.of(unit.contactId(), NOW))
                .get(unit.contactId()).preferences());
        imports().dropLines(other, jobId, sizes.size());
        assertEquals(lines, readBack(tenant, sizes));
        // the same job id under the other tenant is a job of its own
        imports().write(other, jobId, List.of(rejections(Map.of(1, ERRORS))));
        imports().storeLines(other, jobId, List.of(new NumberedLine(1, "{\"other\": true}")));
        assertEquals(lines, readBack(tenant, sizes));
        assertEquals(Set.of(1, 2), imports().linesDone(tenant, jobId, List.of(1, 2)));
        assertEquals(1, imports().tally(tenant, jobId).imported());
    }
}
