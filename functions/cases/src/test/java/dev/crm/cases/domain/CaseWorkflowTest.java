package dev.crm.cases.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.cases.domain.SupportCase.Status;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class CaseWorkflowTest {
    @Test
    void theWorkflowIsExactlyTheDocumentedOne() {
        assertEquals(EnumSet.of(Status.OPEN, Status.PENDING, Status.ON_HOLD, Status.SOLVED), CaseWorkflow.allowed(Status.NEW));
        assertEquals(EnumSet.of(Status.PENDING, Status.ON_HOLD, Status.SOLVED), CaseWorkflow.allowed(Status.OPEN));
        assertEquals(EnumSet.of(Status.OPEN, Status.SOLVED), CaseWorkflow.allowed(Status.PENDING));
        assertEquals(EnumSet.of(Status.OPEN, Status.SOLVED), CaseWorkflow.allowed(Status.ON_HOLD));
        assertEquals(EnumSet.of(Status.OPEN, Status.CLOSED), CaseWorkflow.allowed(Status.SOLVED));
        assertEquals(EnumSet.noneOf(Status.class), CaseWorkflow.allowed(Status.CLOSED));
    }
}
