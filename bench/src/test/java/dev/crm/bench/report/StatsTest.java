package dev.crm.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3.0, Stats.of(List.of(5, 1, 3)).median());
        assertEquals(2.5, Stats.of(List.of(4, 1, 3, 2)).median());
    }

    @Test
    void minMaxAndCount() {
        Stats s = Stats.of(List.of(7.5, 2.0, 9.0, 4.0, 3.0));
        assertEquals(5, s.count());
        assertEquals(2.0, s.min());
        assertEquals(9.0, s.max());
        assertEquals(4.0, s.median());
    }

    @Test
    void nearestRankPercentile() {
        double[] sorted = new double[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertEquals(99.0, Stats.percentile(sorted, 99));
        assertEquals(50.0, Stats.percentile(sorted, 50));
        assertEquals(100.0, Stats.percentile(sorted, 100));
        assertEquals(1.0, Stats.percentile(sorted, 0));
        assertEquals(5.0, Stats.percentile(new double[] {1, 2, 3, 4, 5}, 99));
    }

    @Test
    void nanosBecomeMilliseconds() {
        Stats s = Stats.ofNanos(new long[] {1_000_000, 3_000_000, 2_000_000});
        assertEquals(2.0, s.median());
        assertEquals(3.0, s.p99());
    }

    @Test
    void emptySampleIsNaN() {
        assertTrue(Double.isNaN(Stats.of(List.<Double>of()).median()));
    }

    @Test
    void tablesEscapePipes() {
        String t = new Markdown.Table("a", "b").row("x|y", 2).toString();
        assertEquals("| a | b |\n| --- | --- |\n| x\\|y | 2 |\n", t);
        assertEquals("1234", Markdown.ms(1234.4));
        assertEquals("12.3", Markdown.ms(12.34));
        assertEquals("0.12", Markdown.ms(0.123));
    }
}
