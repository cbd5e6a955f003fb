package dev.crm.shared.jobs.store.dynamodb;

import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.BatchReads;
import dev.crm.shared.store.dynamodb.BatchWrites;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The staged lines of an NDJSON import and its per-line outcome items, under the import job's
 * partition: what the case, survey response and consent imports store alike (docs/data-model.md,
 * "Case imports", "Survey response imports", "Consent imports"). Each import names its entities and
 * sort-key prefixes ({@link Layout}); the items are those the three adapters wrote before, attribute for
 * attribute. Low-level items: no table schema to build or prime.
 */
public final class ImportLines {
    /** Chunks stay well under DynamoDB's 400 KB item limit. */
    public static final int CHUNK_BYTES = 300 * 1024;
    /** Lines and outcomes are kept a week after the import, then expire. */
    public static final Duration RETENTION = Duration.ofDays(7);
    public static final String OUTCOME = "outcome";
    public static final String ERRORS = "errors";
    public static final String IMPORTED = "imported";
    public static final String REJECTED = "rejected";

    /**
     * One import's item names: {@code kind} {@code CASE} makes the entities {@code CASE_IMPORT_CHUNK} and
     * {@code CASE_IMPORT_LINE}; chunks are {@code chunkPrefix + 0000}, outcomes {@code linePrefix + 000001}.
     */
    public record Layout(String kind, String chunkPrefix, String linePrefix) {
        String chunkEntity() {
            return kind + "_IMPORT_CHUNK";
        }

        String lineEntity() {
            return kind + "_IMPORT_LINE";
        }
    }

    /** How an import's line sits in a chunk: its text in {@code lines}, and whatever else the chunk keeps of it. */
    public interface Codec<L> {
        String text(L line);

        /** Bytes counted for a line beyond its text's three a character (what {@link #annotate} adds for it). */
        default int overhead() {
            return 0;
        }

        /** Adds the chunk's own attributes to its item. */
        default void annotate(List<L> chunk, Map<String, AttributeValue> item) {}

        List<L> decode(List<String> texts, Map<String, AttributeValue> item);
    }

    /** Lines that are their text. */
    public static final Codec<String> TEXT = new Codec<>() {
        @Override
        public String text(String line) {
            return line;
        }

        @Override
        public List<String> decode(List<String> texts, Map<String, AttributeValue> item) {
            return texts;
        }
    };

    /** One rejected line and its violations (pointer, detail). */
    public record Rejected(int line, List<Map<String, Object>> errors) {}

    /** The outcome items so far: lines imported, and the rejected lines in line order. */
    public record Outcomes(long imported, List<Rejected> rejected) {}

    private final Table table;
    private final Clock clock;
    private final Layout layout;

    public ImportLines(Table table, Clock clock, Layout layout) {
        this.table = table;
        this.clock = clock;
        this.layout = layout;
    }

    /** When a chunk or outcome written now expires. */
    public AttributeValue expiry() {
        return Attr.ttl(clock.instant().plus(RETENTION));
    }

    public String chunkKey(int index) {
        return String.format(Locale.ROOT, layout.chunkPrefix() + "%04d", index);
    }

    public String lineKey(int line) {
        return String.format(Locale.ROOT, layout.linePrefix() + "%06d", line);
    }

    public int lineOf(String sk) {
        return Integer.parseInt(sk.substring(layout.linePrefix().length()));
    }

    /**
     * The lines cut into chunks of at most {@link #CHUNK_BYTES}, in order (a longer line is a chunk of its
     * own): where {@link #store} cuts them, for the in-memory fakes to cut them alike.
     *
     * @param overhead bytes counted for a line beyond its text's
     */
    public static <L> List<List<L>> chunks(List<L> lines, Function<L, String> text, int overhead) {
        List<List<L>> out = new ArrayList<>();
        List<L> chunk = new ArrayList<>();
        int bytes = 0;
        for (L line : lines) {
            // three bytes a character at most
            int size = text.apply(line).length() * 3;
            if (!chunk.isEmpty() && bytes + size > CHUNK_BYTES) {
                out.add(chunk);
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(line);
            bytes += size + overhead;
        }
        if (!chunk.isEmpty()) {
            out.add(chunk);
        }
        return out;
    }

    /** Stores the lines in chunks under the job, in the order given; returns the number of lines in each chunk. */
    public <L> List<Integer> store(TenantId t, String jobId, List<L> lines, Codec<L> codec) {
        List<Integer> sizes = new ArrayList<>();
        List<WriteRequest> writes = new ArrayList<>();
        for (List<L> chunk : chunks(lines, codec::text, codec.overhead())) {
            Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.job(t, jobId), chunkKey(sizes.size())));
            item.put(Table.ENTITY, Attr.s(layout.chunkEntity()));
            item.put("tenantId", Attr.s(t.value()));
            item.put("lines", Attr.of(chunk.stream().map(codec::text).toList()));
            codec.annotate(chunk, item);
            item.put(Table.TTL, expiry());
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            sizes.add(chunk.size());
        }
        BatchWrites.write(table, writes);
        return sizes;
    }

    /** The lines of chunk {@code index} (empty when there is no such chunk). */
    public <L> List<L> chunk(TenantId t, String jobId, int index, Codec<L> codec) {
        var item = table.get(Keys.job(t, jobId), chunkKey(index));
        return item == null ? List.of() : codec.decode(Attr.strings(item, "lines"), item);
    }

    /** Deletes chunks {@code 0..chunks-1}. */
    public void drop(TenantId t, String jobId, int chunks) {
        List<WriteRequest> deletes = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            deletes.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder()
                    .key(Table.key(Keys.job(t, jobId), chunkKey(i))).build()).build());
        }
        BatchWrites.write(table, deletes);
    }

    /** A line's outcome item before its outcome: key, entity, tenant and expiry. */
    public Map<String, AttributeValue> lineItem(TenantId t, String jobId, int line) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.job(t, jobId), lineKey(line)));
        item.put(Table.ENTITY, Attr.s(layout.lineEntity()));
        item.put("tenantId", Attr.s(t.value()));
        item.put(Table.TTL, expiry());
        return item;
    }

    /** A line's outcome item: {@link #IMPORTED} or {@link #REJECTED} (the caller adds what goes with it). */
    public Map<String, AttributeValue> outcome(TenantId t, String jobId, int line, String outcome) {
        Map<String, AttributeValue> item = lineItem(t, jobId, line);
        item.put(OUTCOME, Attr.s(outcome));
        return item;
    }

    /** The lines among {@code lines} that have an outcome item (consistent, keys only). */
    public Set<Integer> linesDone(TenantId t, String jobId, Iterable<Integer> lines) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int line : lines) {
            keys.add(Table.key(Keys.job(t, jobId), lineKey(line)));
        }
        Set<Integer> done = new HashSet<>();
        for (var item : BatchReads.items(table, keys, b -> b.projectionExpression("SK").consistentRead(true))) {
            done.add(lineOf(Attr.str(item, Table.SK)));
        }
        return done;
    }

    /** Every outcome item of the job, counted: one consistent query of the line prefix. */
    @SuppressWarnings("unchecked")
    public Outcomes outcomes(TenantId t, String jobId) {
        long imported = 0;
        List<Rejected> rejected = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var q = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :l)")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.job(t, jobId)), ":l", Attr.s(layout.linePrefix())))
                    .projectionExpression("SK, outcome, #e").expressionAttributeNames(Map.of("#e", ERRORS))
                    .consistentRead(true);
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse r = table.client().query(q.build());
            for (var item : r.items()) {
                if (IMPORTED.equals(Attr.str(item, OUTCOME))) {
                    imported++;
                } else {
                    rejected.add(new Rejected(lineOf(Attr.str(item, Table.SK)),
                            (List<Map<String, Object>>) Json.parse(Attr.str(item, ERRORS))));
                }
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return new Outcomes(imported, rejected);
    }
}
