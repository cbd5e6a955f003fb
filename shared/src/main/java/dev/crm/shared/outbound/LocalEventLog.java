package dev.crm.shared.outbound;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Events published while running locally, shown by the local runner at GET /_local/events. */
public final class LocalEventLog implements EventPublisher {
    public static final LocalEventLog INSTANCE = new LocalEventLog();
    private static final int CAPACITY = 1000;

    public record Published(Instant at, String detailType, Map<String, Object> detail) {}

    private final List<Published> events = new ArrayList<>();

    private LocalEventLog() {}

    @Override
    public synchronized void publish(String detailType, Map<String, Object> detail) {
        events.add(new Published(Instant.now(), detailType, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(detail))));
        if (events.size() > CAPACITY) {
            events.remove(0);
        }
    }

    public synchronized List<Published> events() {
        return List.copyOf(events);
    }
}
