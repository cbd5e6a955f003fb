package dev.crm.shared.outbound;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The event bus on one machine: what the product publishes while running locally (where EventBridge
 * would receive it), shown by the local runner at GET /_local/events.
 */
public final class LocalEventLog {
    public static final LocalEventLog INSTANCE = new LocalEventLog();
    private static final int CAPACITY = 1000;

    /** One published event, as EventBridge would hold it: source, detail type and detail. */
    public record Published(Instant at, String source, String detailType, Map<String, Object> detail) {}

    private final List<Published> events = new ArrayList<>();

    private LocalEventLog() {}

    /** The local runner's clock, which a test may move forward; the system's until it says otherwise. */
    private volatile java.time.Clock clock = java.time.Clock.systemUTC();

    public void useClock(java.time.Clock clock) {
        this.clock = clock;
    }

    public synchronized void publish(String source, String detailType, Map<String, Object> detail) {
        events.add(new Published(clock.instant(), source, detailType,
                java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(detail))));
        if (events.size() > CAPACITY) {
            events.remove(0);
        }
    }

    public synchronized List<Published> events() {
        return List.copyOf(events);
    }
}
