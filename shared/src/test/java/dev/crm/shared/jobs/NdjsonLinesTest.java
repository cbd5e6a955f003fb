package dev.crm.shared.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonLinesTest {

    @Test
    void blankLinesAreNotLinesAndLineEndsMayBeCrLf() {
        assertEquals(List.of("{\"a\": 1}", "{\"b\": 2}"), NdjsonLines.read("\n{\"a\": 1}\r\n  \n\t\n{\"b\": 2}\n", 5));
    }

    @Test
    void anEmptyOrBlankFileIsRefusedAsAWhole() {
        assertEquals("the file has no lines", assertThrows(NdjsonLines.Unreadable.class, () -> NdjsonLines.read("", 5)).getMessage());
        assertThrows(NdjsonLines.Unreadable.class, () -> NdjsonLines.read(" \r\n\n", 5));
    }

    @Test
    void theLimitCountsNonBlankLines() {
        assertEquals(3, NdjsonLines.read("{}\n\n{}\n\n{}\n", 3).size());
        assertEquals("at most 3 lines per import",
                assertThrows(NdjsonLines.Unreadable.class, () -> NdjsonLines.read("{}\n{}\n{}\n{}", 3)).getMessage());
    }
}
