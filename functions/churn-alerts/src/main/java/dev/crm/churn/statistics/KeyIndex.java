package dev.crm.churn.statistics;

import java.util.Arrays;

/**
 * Dense indices 0, 1, 2, … of distinct (int, double, double) keys, in the order first seen: the grouping
 * of millions of customers by (x, tx, T) without a boxed key and a map node each (a {@code HashMap} of
 * record keys took most of the grouping's time at 10 million customers). Open addressing in one
 * {@code long[]}: a slot's four longs (x, the two doubles' bits, index + 1) share a cache line, so a
 * lookup costs about one cache miss.
 *
 * <p>Doubles compare by their bits, as records compare them: callers turn −0.0 into 0.0 first
 * ({@link CustomerSummary} does). Not thread-safe.
 */
final class KeyIndex {
    private static final int SLOT = 4;

    private long[] table;
    private int mask;
    private int size;
    private int[] xs;
    private double[] firsts;
    private double[] seconds;

    KeyIndex() {
        this(1 << 10);
    }

    /** @param expected how many distinct keys to make room for before growing */
    KeyIndex(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected) * 2 - 1) << 1;
        table = new long[capacity * SLOT];
        mask = capacity - 1;
        xs = new int[Math.max(16, expected)];
        firsts = new double[xs.length];
        seconds = new double[xs.length];
    }

    /** The key's index, a new one (the number of keys so far) if it was not seen before. */
    int indexOf(int x, double first, double second) {
        long firstBits = Double.doubleToRawLongBits(first);
        long secondBits = Double.doubleToRawLongBits(second);
        int slot = hash(x, firstBits, secondBits) & mask;
        while (true) {
            int at = slot * SLOT;
            long stored = table[at + 3];
            if (stored == 0) {
                return add(at, x, first, second, firstBits, secondBits);
            }
            if (table[at] == x && table[at + 1] == firstBits && table[at + 2] == secondBits) {
                return (int) (stored - 1);
            }
            slot = (slot + 1) & mask;
        }
    }

    int size() {
        return size;
    }

    int x(int index) {
        return xs[index];
    }

    double first(int index) {
        return firsts[index];
    }

    double second(int index) {
        return seconds[index];
    }

    private int add(int at, int x, double first, double second, long firstBits, long secondBits) {
        int index = size++;
        table[at] = x;
        table[at + 1] = firstBits;
        table[at + 2] = secondBits;
        table[at + 3] = index + 1L;
        if (index == xs.length) {
            int grown = xs.length * 2;
            xs = Arrays.copyOf(xs, grown);
            firsts = Arrays.copyOf(firsts, grown);
            seconds = Arrays.copyOf(seconds, grown);
        }
        xs[index] = x;
        firsts[index] = first;
        seconds[index] = second;
        if (size * 2 > mask + 1) {
            rehash();
        }
        return index;
    }

    private void rehash() {
        long[] old = table;
        int capacity = (mask + 1) * 2;
        table = new long[capacity * SLOT];
        mask = capacity - 1;
        for (int at = 0; at < old.length; at += SLOT) {
            if (old[at + 3] != 0) {
                int slot = hash((int) old[at], old[at + 1], old[at + 2]) & mask;
                while (table[slot * SLOT + 3] != 0) {
                    slot = (slot + 1) & mask;
                }
                System.arraycopy(old, at, table, slot * SLOT, SLOT);
            }
        }
    }

    private static int hash(int x, long firstBits, long secondBits) {
        long h = x * 0x9E3779B97F4A7C15L;
        h = (h ^ firstBits) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ secondBits) * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 32));
    }
}
