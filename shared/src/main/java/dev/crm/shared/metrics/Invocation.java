package dev.crm.shared.metrics;

import dev.crm.shared.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One invocation's metrics, written as one EMF document when it closes (nothing when it recorded
 * nothing). An API request adds its route template, outcome class and latency; business code adds
 * counters. Dimensions: {@code Route} for {@code Latency}; {@code Route, Outcome} and {@code Outcome}
 * for {@code Requests}; none for the business counters, so each is one metric an alarm can watch
 * across functions. The tenant and request ids are properties: searchable in Logs Insights, no metric.
 */
public final class Invocation implements AutoCloseable {
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private String route;
    private String outcome;
    private double latencyMillis;
    private String tenantId;
    private String requestId;
    private boolean discarded;
    private boolean closed;

    Invocation() {}

    /** The request's route template ("POST /v1/contacts"), its status and its latency. */
    public Invocation request(String routeTemplate, int status, double latencyMillis) {
        this.route = routeTemplate;
        this.outcome = outcomeClass(status);
        this.latencyMillis = latencyMillis;
        return this;
    }

    public Invocation tenant(String tenantId) {
        this.tenantId = tenantId;
        return this;
    }

    public String tenantId() {
        return tenantId;
    }

    public Invocation requestId(String requestId) {
        this.requestId = requestId;
        return this;
    }

    synchronized void add(String name, long n) {
        counts.merge(name, n, Long::sum);
    }

    /** Closes without writing: SnapStart priming runs a request through the router but it is no traffic. */
    public void discard() {
        discarded = true;
        close();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Metrics.end(this, discarded ? null : document());
    }

    static String outcomeClass(int status) {
        return status >= 500 ? "5xx" : status >= 400 ? "4xx" : status >= 300 ? "3xx" : "2xx";
    }

    /** The EMF document, or null when there is nothing to report. */
    synchronized String document() {
        if (route == null && counts.isEmpty()) {
            return null;
        }
        List<Object> directives = new ArrayList<>();
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", System.currentTimeMillis());
        aws.put("CloudWatchMetrics", directives);
        doc.put("_aws", aws);
        if (route != null) {
            directives.add(directive(List.of(List.of(MetricNames.ROUTE)),
                    List.of(definition(MetricNames.LATENCY, "Milliseconds"))));
            directives.add(directive(List.of(List.of(MetricNames.ROUTE, MetricNames.OUTCOME), List.of(MetricNames.OUTCOME)),
                    List.of(definition(MetricNames.REQUESTS, "Count"))));
            doc.put(MetricNames.ROUTE, route);
            doc.put(MetricNames.OUTCOME, outcome);
            doc.put(MetricNames.LATENCY, Math.round(latencyMillis * 100) / 100.0);
            doc.put(MetricNames.REQUESTS, 1);
        }
        if (!counts.isEmpty()) {
            List<Object> definitions = new ArrayList<>();
            counts.forEach((name, n) -> {
                definitions.add(definition(name, "Count"));
                doc.put(name, n);
            });
            directives.add(directive(List.of(List.of()), definitions));
        }
        if (tenantId != null) {
            doc.put("tenantId", tenantId);
        }
        if (requestId != null) {
            doc.put("requestId", requestId);
        }
        return Json.write(doc);
    }

    private static Map<String, Object> directive(List<List<String>> dimensions, List<Object> metrics) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("Namespace", Metrics.NAMESPACE);
        d.put("Dimensions", dimensions);
        d.put("Metrics", metrics);
        return d;
    }

    private static Map<String, Object> definition(String name, String unit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", name);
        m.put("Unit", unit);
        return m;
    }
}
