package dev.crm.cases.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.cases.domain.SupportCase;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The case's writes into its contact's partition, and the key the contacts function's erasure relies on. */
class CaseLinksTest {
    private final TenantId t = TenantId.generate();

    @Test
    void theErasureFindsTheCasePartitionUnderTheSharedKey() {
        // the contacts function cannot use CaseKeys: it deletes Keys.casePartition, which must be the same
        assertEquals(CaseKeys.caseItem(t, "cs_abc"), Keys.casePartition(t, "cs_abc"));
    }

    private SupportCase inStatus(SupportCase.Status s, Instant solvedAt) {
        Instant at = Instant.parse("2026-12-07T09:00:00Z");
        return new SupportCase(t, "cs_abc", 7, "c_1", SupportCase.Channel.EMAIL, "billing", SupportCase.Priority.NORMAL,
                "Subject", null, null, null, s, solvedAt, null, at, at, 2);
    }

    /** What each write does, as "put SK" / "delete SK". */
    private static List<String> writes(List<software.amazon.awssdk.services.dynamodb.model.TransactWriteItem> tx) {
        return tx.stream().map(w -> w.put() != null ? "put " + w.put().item().get("SK").s()
                : "delete " + w.delete().key().get("SK").s()).toList();
    }

    @Test
    void aCreateLinksTheOpenCaseAndPutsItsCreationOnTheTimeline() {
        assertEquals(List.of("put A#CASE#cs_abc", "delete CASE#cs_abc", "put T#2026-12-07T09:00:00.000Z#case_created#cs_abc"),
                writes(CaseLinks.created("table", inStatus(SupportCase.Status.NEW, null))));
    }

    @Test
    void aSolvedCaseMovesItsLinkAndPutsItsResolutionOnTheTimeline() {
        Instant solved = Instant.parse("2026-12-08T10:00:00Z");
        assertEquals(List.of("put CASE#cs_abc", "delete A#CASE#cs_abc", "put T#2026-12-08T10:00:00.000Z#case_solved#cs_abc"),
                writes(CaseLinks.changed("table", inStatus(SupportCase.Status.SOLVED, solved))));
        // reopened: back under A#, and no new resolution entry
        assertEquals(List.of("put A#CASE#cs_abc", "delete CASE#cs_abc"),
                writes(CaseLinks.changed("table", inStatus(SupportCase.Status.OPEN, solved))));
    }
}
