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
 * The template's Schedule and ScheduleV2 events, fired on demand (POST /_local/schedules/{name} or
 * --fire-schedule NAME), with the event EventBridge would send. The runner keeps timers only for the
 * schedules it is told to tick ({@link #tick}: by default the webhook retries, so deliveries and their
 * retries happen by themselves); a retention run happens when someone asks for it.
 */
final class Schedules implements AutoCloseable {
    record Schedule(String name, String functionId, String expression, long timeoutMillis) {}

    /** What a clock move ran: the template schedules whose instants it crossed, each once. */
    private final Map<String, ScheduleExpression> expressions = new LinkedHashMap<>();
    private final List<String> tickingNames = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Runner setting: the schedules fired by a timer, comma-separated ({@code none} for none). */
    static final String TICK_SETTING = "CRM_LOCAL_TICK_SCHEDULES";
    /**
     * What ticks when the setting is absent: webhook deliveries must retry by themselves, and case SLA
     * breaches and auto-closes happen when their time comes, not when someone asks.
     */
    static final List<String> DEFAULT_TICKING = List.of("WebhookRetries", "CaseSlaChecks", "JourneySteps");
    static final java.time.Duration TICK = java.time.Duration.ofMillis(250);

    private final Map<String, Schedule> schedules = new LinkedHashMap<>();
    private final Functions functions;
    private final java.time.Clock clock;
    private final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "schedule-timer");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "schedule");
        t.setDaemon(true);
        return t;
    });

    Schedules(SamTemplate template, Functions functions, java.time.Clock clock) {
        this.functions = functions;
        this.clock = clock;
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
                try {
                    expressions.put(ev.getKey(), ScheduleExpression.parse(String.valueOf(expr)));
                } catch (IllegalArgumentException e) {
                    System.err.println("schedule " + ev.getKey() + " will not fire when the clock moves: " + e.getMessage());
                }
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
        Schedule s = schedule(name);
        return executor.submit(() -> functions.invoke(s.functionId(), event(name), LambdaContext.local(s.functionId(), s.timeoutMillis())));
    }

    /**
     * Runs, one after the other and before returning, every schedule with an instant in
     * {@code (from, to]}: once each, however many of its instants the span holds (EventBridge would
     * have fired it on each; the product's scheduled work catches up on one run).
     *
     * @return the names fired, in template order
     */
    List<String> fireCrossed(Instant from, Instant to) {
        List<String> fired = new java.util.ArrayList<>();
        for (var e : expressions.entrySet()) {
            if (e.getValue().crossed(from, to)) {
                runNow(e.getKey());
                fired.add(e.getKey());
            }
        }
        return fired;
    }

    /** One run of each ticking schedule, now, on the caller's thread. */
    void runTicking() {
        tickingNames.forEach(this::runNow);
    }

    private void runNow(String name) {
        Schedule s = schedule(name);
        try {
            functions.invoke(s.functionId(), event(name), LambdaContext.local(s.functionId(), s.timeoutMillis()));
        } catch (RuntimeException e) {
            System.err.println(s.functionId() + " failed on a clock move: " + e.getClass().getSimpleName());
        }
    }

    private Schedule schedule(String name) {
        Schedule s = schedules.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no schedule named " + name + " in template.yaml; known: " + schedules.keySet());
        }
        return s;
    }

    /**
     * Fires each named schedule every {@link #TICK}, one run at a time per schedule (a tick that finds
     * the previous run still going is skipped), on the runner's clock.
     *
     * @return the names ticking
     */
    List<String> tick(List<String> names) {
        List<String> ticking = new java.util.ArrayList<>();
        for (String name : names) {
            if (!schedules.containsKey(name)) {
                System.err.println("not ticking " + name + ": no such schedule in template.yaml");
                continue;
            }
            Schedule s = schedules.get(name);
            timer.scheduleWithFixedDelay(() -> {
                try {
                    functions.invoke(s.functionId(), event(name), LambdaContext.local(s.functionId(), s.timeoutMillis()));
                } catch (RuntimeException e) {
                    System.err.println(s.functionId() + " failed on a tick: " + e.getClass().getSimpleName());
                }
            }, TICK.toMillis(), TICK.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            ticking.add(name);
            tickingNames.add(name);
        }
        return ticking;
    }

    /** The schedules to tick, from the runner's setting. */
    static List<String> ticking(Map<String, String> environment) {
        String v = environment.get(TICK_SETTING);
        if (v == null || v.isBlank()) {
            return DEFAULT_TICKING;
        }
        if (v.trim().equals("none")) {
            return List.of();
        }
        return java.util.Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private Map<String, Object> event(String name) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", "000000000000");
        event.put("time", clock.instant().toString());
        event.put("region", "local");
        event.put("resources", List.of("arn:aws:events:local:000000000000:rule/" + name));
        event.put("detail", Map.of());
        return event;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        executor.shutdownNow();
    }
}
