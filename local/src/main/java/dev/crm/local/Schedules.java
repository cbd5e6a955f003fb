package dev.crm.local;

import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.SamTemplate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The template's Schedule and ScheduleV2 events, fired on demand: the runner does not keep timers,
 * so a retention run happens when someone asks for it (POST /_local/schedules/{name} or
 * --fire-schedule NAME), with the event EventBridge would send.
 */
final class Schedules implements AutoCloseable {
    record Schedule(String name, String functionId, String expression, long timeoutMillis) {}

    private final Map<String, Schedule> schedules = new LinkedHashMap<>();
    private final Functions functions;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "schedule");
        t.setDaemon(true);
        return t;
    });

    Schedules(SamTemplate template, Functions functions) {
        this.functions = functions;
        for (SamTemplate.Function f : template.functions()) {
            Number timeout = (Number) f.properties().getOrDefault("Timeout", 29);
            for (var ev : f.events().entrySet()) {
                Object type = ev.getValue().get("Type");
                if (!"Schedule".equals(type) && !"ScheduleV2".equals(type)) {
                    continue;
                }
                Map<String, Object> p = SamTemplate.map(ev.getValue().get("Properties"));
                Object expr = p.getOrDefault("Schedule", p.get("ScheduleExpression"));
                schedules.put(ev.getKey(), new Schedule(ev.getKey(), f.logicalId(), String.valueOf(expr),
                        timeout.longValue() * 1000));
            }
        }
    }

    List<Schedule> list() {
        return List.copyOf(schedules.values());
    }

    boolean exists(String name) {
        return schedules.containsKey(name);
    }

    /** Starts the scheduled function in the background, as EventBridge would. */
    Future<Object> fire(String name) {
        Schedule s = schedules.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no schedule named " + name + " in template.yaml; known: " + schedules.keySet());
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", "000000000000");
        event.put("time", Instant.now().toString());
        event.put("region", "local");
        event.put("resources", List.of("arn:aws:events:local:000000000000:rule/" + name));
        event.put("detail", Map.of());
        return executor.submit(() -> functions.invoke(s.functionId(), event, LambdaContext.local(s.functionId(), s.timeoutMillis())));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
