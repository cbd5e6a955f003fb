package dev.crm.surveys.domain;

import java.nio.charset.StandardCharsets;

/**
 * Spreads a survey's counter writes over several items so that one hot survey is not limited by the
 * write rate of a single DynamoDB item (a partition accepts about 1,000 write units a second, and every
 * response increments the counters of its day).
 *
 * <p>Each response goes to one shard, chosen from its response id by a stable hash (FNV-1a, the same in
 * every process and release, unlike a seeded or identity hash), so a replaced or recounted response
 * lands on the same shard it was first counted in. Reading results sums the shards of each day
 * ({@link ScoreCounts#sum}): {@value #SHARDS} reads per day are cheap next to a scan.
 */
public final class CounterShards {
    /**
     * Ten shards give a survey about ten times one item's write rate, thousands of responses a second,
     * far beyond what a website form produces, while a 366-day result stays a few thousand small reads.
     */
    public static final int SHARDS = 10;
    public static final int MAX_SHARDS = 1000;

    private CounterShards() {}

    /** The shard, 0 to {@code shards − 1}, of one response. */
    public static int shardFor(String responseId, int shards) {
        if (responseId == null || responseId.isEmpty()) {
            throw new IllegalArgumentException("a response id is required");
        }
        if (shards < 1 || shards > MAX_SHARDS) {
            throw new IllegalArgumentException("shards must be from 1 to " + MAX_SHARDS);
        }
        return Integer.remainderUnsigned(fnv1a32(responseId), shards);
    }

    public static int shardFor(String responseId) {
        return shardFor(responseId, SHARDS);
    }

    /** 32-bit FNV-1a over the UTF-8 bytes. */
    static int fnv1a32(String s) {
        int hash = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return hash;
    }
}
