package dev.crm.bench.imports;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Counts the items a client's requests write (puts, updates, deletes; condition checks are not writes),
 * by the item's kind: its {@code entity} when the request carries it, else its sort key's prefix. An
 * attempt a retry repeats counts again: these are the writes the server was asked for.
 */
final class ItemCounter implements ExecutionInterceptor {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        if (r instanceof BatchWriteItemRequest b) {
            b.requestItems().values().forEach(list -> list.forEach(w -> {
                if (w.putRequest() != null) {
                    count("put ", w.putRequest().item());
                } else if (w.deleteRequest() != null) {
                    count("delete ", w.deleteRequest().key());
                }
            }));
        } else if (r instanceof TransactWriteItemsRequest t) {
            t.transactItems().forEach(i -> {
                if (i.put() != null) {
                    count("put ", i.put().item());
                } else if (i.update() != null) {
                    count("update ", i.update().key());
                } else if (i.delete() != null) {
                    count("delete ", i.delete().key());
                }
            });
        } else if (r instanceof PutItemRequest p) {
            count("put ", p.item());
        } else if (r instanceof UpdateItemRequest u) {
            count("update ", u.key());
        } else if (r instanceof DeleteItemRequest d) {
            count("delete ", d.key());
        }
    }

    private void count(String how, Map<String, AttributeValue> item) {
        AttributeValue entity = item.get("entity");
        String kind;
        if (entity != null && entity.s() != null) {
            kind = entity.s();
        } else {
            AttributeValue sk = item.get("SK");
            String s = sk == null || sk.s() == null ? "?" : sk.s();
            int cut = s.indexOf('#');
            kind = cut < 0 ? s : s.substring(0, cut);
        }
        counts.computeIfAbsent(how + kind, k -> new LongAdder()).increment();
    }

    /** The counts since the last call, by kind, and their total under "total". */
    synchronized Map<String, Long> drain() {
        Map<String, Long> out = new TreeMap<>();
        long total = 0;
        for (var e : counts.entrySet()) {
            long n = e.getValue().sumThenReset();
            if (n > 0) {
                out.put(e.getKey(), n);
                total += n;
            }
        }
        out.put("total", total);
        return out;
    }
}
