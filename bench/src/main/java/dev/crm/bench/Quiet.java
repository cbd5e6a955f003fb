package dev.crm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Waits for the machine to be idle before a measurement. The harness shares a small machine with
 * whatever else runs on it (a build, another test suite); each cold-start run and each warm block
 * first waits, up to a limit, until the CPUs were mostly idle over a short window (Linux
 * {@code /proc/stat}), and counts the measurements it had to start on a busy machine.
 */
public final class Quiet {
    /** Busy share of all CPUs (0–1) above which the machine counts as busy. */
    static final double BUSY = 0.25;
    private static int busyStarts;
    private static long waitedMillis;

    private Quiet() {}

    /** @return true when the machine was idle (or idleness cannot be measured), false after waiting in vain */
    public static synchronized boolean await(long maxMillis) {
        long deadline = System.currentTimeMillis() + maxMillis;
        long start = System.currentTimeMillis();
        while (true) {
            double busy = busyShare(250);
            if (Double.isNaN(busy) || busy <= BUSY) {
                waitedMillis += System.currentTimeMillis() - start;
                return true;
            }
            if (System.currentTimeMillis() >= deadline) {
                busyStarts++;
                waitedMillis += System.currentTimeMillis() - start;
                return false;
            }
            sleep(750);
        }
    }

    public static synchronized int busyStarts() {
        return busyStarts;
    }

    public static synchronized long waitedMillis() {
        return waitedMillis;
    }

    /** Share of CPU time not idle over the window, NaN where /proc/stat is missing. */
    static double busyShare(long windowMillis) {
        long[] a = read();
        if (a == null) {
            return Double.NaN;
        }
        sleep(windowMillis);
        long[] b = read();
        if (b == null) {
            return Double.NaN;
        }
        long total = b[0] - a[0];
        long idle = b[1] - a[1];
        return total <= 0 ? 0 : (double) (total - idle) / total;
    }

    /** {total, idle + iowait} jiffies of all CPUs. */
    static long[] read() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            return parse(line);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static long[] parse(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu")) {
            return null;
        }
        long total = 0;
        // user nice system idle iowait irq softirq steal (guest time is already in user)
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        return new long[] {total, idle};
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
