package dev.crm.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class QuietTest {
    @Test
    void readsTotalAndIdleJiffiesOfTheCpuLine() {
        assertArrayEquals(new long[] {10 + 2 + 5 + 100 + 3 + 1 + 1 + 0, 103},
                Quiet.parse("cpu  10 2 5 100 3 1 1 0 0 0"));
        assertNull(Quiet.parse("cpu0 1 2 3 4"));
    }
}
