package dev.crm.shared.metrics;

import java.util.function.Consumer;

/**
 * Metrics in CloudWatch Embedded Metric Format (EMF): each invocation writes at most one JSON line to
 * stdout, which Lambda ships to CloudWatch Logs, where it becomes metrics in the {@value #NAMESPACE}
 * namespace (docs/architecture.md, "Metrics"). No client, no call to CloudWatch, nothing to load at
 * cold start but this package and the JSON writer the logs already use.
 *
 * <p>An entry point opens the invocation ({@link #begin()}: the API router per request, a worker or
 * schedule per event) and closes it at the end, which writes the document. Business code counts with
 * {@link #count(String)} from the invocation's own thread; a count made where no invocation is open
 * (another thread, a unit test of a service) is written at once as a document of its own, so nothing
 * is lost. Values are route templates, outcome classes, counts and the tenant id (a property, never a
 * dimension: one metric per tenant would multiply the bill): never request data, so no personal data.
 */
public final class Metrics {
    public static final String NAMESPACE = "ServerlessCrm";

    /** System.out looked up at each line: what Lambda ships, and what a test or the local runner tees. */
    private static final Consumer<String> STDOUT = line -> System.out.println(line);

    private static volatile Consumer<String> sink = STDOUT;
    private static final ThreadLocal<Invocation> CURRENT = new ThreadLocal<>();

    private Metrics() {}

    /** Where documents go (stdout unless replaced; replacing it is for tests that want no output). */
    public static void sink(Consumer<String> newSink) {
        sink = newSink == null ? STDOUT : newSink;
    }

    public static Consumer<String> sink() {
        return sink;
    }

    /**
     * Opens this thread's invocation; closing it writes its document. One left open on this thread (its
     * entry point failed before closing it) is closed first, so its counts are written, not carried over.
     */
    public static Invocation begin() {
        Invocation stale = CURRENT.get();
        if (stale != null) {
            stale.close();
        }
        Invocation invocation = new Invocation();
        CURRENT.set(invocation);
        return invocation;
    }

    /** The invocation open on this thread, or null. */
    public static Invocation current() {
        return CURRENT.get();
    }

    /** One more of a business counter (unit Count, no dimensions) for the invocation. */
    public static void count(String name) {
        count(name, 1);
    }

    public static void count(String name, long n) {
        if (n <= 0) {
            return;
        }
        Invocation invocation = CURRENT.get();
        if (invocation != null) {
            invocation.add(name, n);
        } else {
            try (Invocation alone = new Invocation()) {
                alone.add(name, n);
            }
        }
    }

    /** Sets the tenant of this thread's invocation, if one is open (a property of the document). */
    public static void tenant(String tenantId) {
        Invocation invocation = CURRENT.get();
        if (invocation != null) {
            invocation.tenant(tenantId);
        }
    }

    static void end(Invocation invocation, String document) {
        if (CURRENT.get() == invocation) {
            CURRENT.remove();
        }
        if (document != null) {
            sink.accept(document);
        }
    }
}
