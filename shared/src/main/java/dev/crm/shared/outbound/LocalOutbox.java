package dev.crm.shared.outbound;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Where the product's email goes when it runs locally: kept in this JVM, shown by the local runner at
 * GET /_local/outbox so a double opt-in can be followed without AWS. Bounded, oldest dropped first.
 */
public final class LocalOutbox implements MessageSender {
    public static final LocalOutbox INSTANCE = new LocalOutbox();
    /** Enough for the tests that count every message of a large run (10,000 enrolments). */
    private static final int CAPACITY = 10_000;

    public record Sent(String messageId, Instant sentAt, EmailMessage message) {}

    private final List<Sent> sent = new ArrayList<>();

    private LocalOutbox() {}

    /** The local runner's clock, which a test may move forward; the system's until it says otherwise. */
    private volatile java.time.Clock clock = java.time.Clock.systemUTC();

    public void useClock(java.time.Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized String send(EmailMessage message) {
        String id = "local-" + UUID.randomUUID();
        sent.add(new Sent(id, clock.instant(), message));
        if (sent.size() > CAPACITY) {
            sent.remove(0);
        }
        return id;
    }

    public synchronized List<Sent> messages() {
        return List.copyOf(sent);
    }

    public synchronized List<Sent> messagesTo(String address) {
        List<Sent> out = new ArrayList<>();
        for (Sent s : sent) {
            if (s.message().to().equalsIgnoreCase(address)) {
                out.add(s);
            }
        }
        return out;
    }
}
