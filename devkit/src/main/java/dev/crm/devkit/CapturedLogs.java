package dev.crm.devkit;

import dev.crm.shared.log.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The log lines written while it is open, for a test that asserts on them. Every line still goes on
 * to the sink it replaced (the {@link LogWatch}'s, in a test), and closing puts that sink back:
 * {@code try (var logs = CapturedLogs.start()) { … } … logs.lines()}.
 */
public final class CapturedLogs implements AutoCloseable {
    private final Consumer<String> previous;
    private final Consumer<String> capture;
    private final List<String> lines = new ArrayList<>();

    private CapturedLogs() {
        previous = Log.sink();
        capture = line -> {
            synchronized (lines) {
                lines.add(line);
            }
            previous.accept(line);
        };
    }

    public static CapturedLogs start() {
        CapturedLogs logs = new CapturedLogs();
        Log.sink(logs.capture);
        return logs;
    }

    /** The lines captured so far, in the order they were written. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Puts back the sink it replaced. */
    @Override
    public void close() {
        Log.sink(previous);
    }
}
