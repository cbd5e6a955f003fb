package dev.crm.bench.churn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Counts the DynamoDB operations a client makes (a map update per call: nothing next to a request). */
public final class OperationCounter implements ExecutionInterceptor {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        counts.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new LongAdder())
                .increment();
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        counts.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + " (failed)",
                k -> new LongAdder()).increment();
    }

    /** The counts since the last call, "Query ×100, BatchWriteItem ×4,000", largest first. */
    public synchronized String drain() {
        Map<String, Long> now = new TreeMap<>();
        counts.forEach((op, n) -> now.put(op, n.sumThenReset()));
        List<Map.Entry<String, Long>> entries = new ArrayList<>(now.entrySet());
        entries.removeIf(e -> e.getValue() == 0);
        entries.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        List<String> parts = new ArrayList<>();
        for (var e : entries) {
            parts.add(e.getKey() + " ×" + String.format("%,d", e.getValue()));
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
