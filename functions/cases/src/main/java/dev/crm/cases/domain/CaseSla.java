package dev.crm.cases.domain;

import dev.crm.shared.service.BusinessCalendar;
import dev.crm.shared.service.SlaClock;
import dev.crm.shared.service.SlaPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A case's SLA state: the targets it took from its priority's policy (a snapshot, so a later change of
 * the tenant's policies does not move a running case's deadlines), what {@link SlaClock} needs beyond
 * the case's own instants (the pauses), the metrics recorded as breached (each recorded once: the
 * record is what announces {@code case.sla_breached}), and the two instants the store indexes.
 *
 * @param pauses    waiting pauses (pending / on_hold; counted only when the targets pause) and stopped
 *                  pauses (solved until reopened); an open one has no end
 * @param nextDue   the earliest {@code dueAt} of a metric whose clock still runs (list {@code sort=dueAt}),
 *                  as of the last write; null when no clock runs
 * @param nextCheck when the SLA schedule should look at the case next: the earliest due of a running,
 *                  not yet recorded metric that can breach, or the auto-close instant of a solved case;
 *                  null when nothing is left to check
 * @param lastBreachAt when the target of the last recorded breach passed (its dueAt); null while none
 */
public record CaseSla(SlaPolicy targets, List<SlaClock.Pause> pauses, Set<Metric> breaches, Instant nextDue,
        Instant nextCheck, Instant lastBreachAt) {

    public enum Metric {
        FIRST_RESPONSE("firstResponse"), RESOLUTION("resolution");

        private final String wire;

        Metric(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        /** @return the metric of a wire name, or null */
        public static Metric fromWire(String s) {
            for (Metric m : values()) {
                if (m.wire.equals(s)) {
                    return m;
                }
            }
            return null;
        }
    }

    public CaseSla {
        pauses = List.copyOf(pauses);
        breaches = breaches.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(breaches));
    }

    /** Without a recorded breach instant. */
    public CaseSla(SlaPolicy targets, List<SlaClock.Pause> pauses, Set<Metric> breaches, Instant nextDue,
            Instant nextCheck) {
        this(targets, pauses, breaches, nextDue, nextCheck, null);
    }

    public static CaseSla start(SlaPolicy targets) {
        return new CaseSla(targets, List.of(), Set.of(), null, null, null);
    }

    /** The figures of both metrics at {@code now}. */
    public Map<Metric, SlaClock.Figures> figures(SupportCase c, BusinessCalendar calendar, Instant now) {
        SlaClock clock = new SlaClock(calendar, targets);
        Map<Metric, SlaClock.Figures> out = new EnumMap<>(Metric.class);
        out.put(Metric.FIRST_RESPONSE, clock.firstResponse(c.createdAt(), respondedAt(c), now));
        out.put(Metric.RESOLUTION, clock.resolution(c.createdAt(), pauses, stoppedAt(c), now));
        return out;
    }

    /**
     * Where the first-response clock stops: the first public agent message; a case solved (or closed)
     * without one needs no response any more, so its clock stops when it was solved.
     */
    static Instant respondedAt(SupportCase c) {
        if (c.firstResponseAt() != null) {
            return c.firstResponseAt();
        }
        return stoppedAt(c);
    }

    /** Where the resolution clock stops: when a solved or closed case was last solved; null while it runs. */
    static Instant stoppedAt(SupportCase c) {
        return c.status() == SupportCase.Status.SOLVED || c.status() == SupportCase.Status.CLOSED ? c.solvedAt() : null;
    }

    /** Whether the resolution clock stands still now (an open pause the targets count). */
    boolean resolutionPaused() {
        return pauses.stream().anyMatch(p -> p.to() == null && (p.always() || targets.pauseWhilePending()));
    }

    CaseSla with(SlaPolicy newTargets, List<SlaClock.Pause> newPauses, Set<Metric> newBreaches, Instant due,
            Instant check) {
        return new CaseSla(newTargets, newPauses, newBreaches, due, check, lastBreachAt);
    }

    /** The pauses after the status moved from {@code from} to {@code to} at {@code at}. */
    List<SlaClock.Pause> pausesAfter(SupportCase.Status from, SupportCase.Status to, Instant at) {
        if (from == to) {
            return pauses;
        }
        List<SlaClock.Pause> out = new ArrayList<>();
        for (SlaClock.Pause p : pauses) {
            // every open pause ends, but a solved case's stopped clock stays stopped when it closes
            boolean closes = p.to() == null && !(p.always() && to == SupportCase.Status.CLOSED);
            out.add(closes ? new SlaClock.Pause(p.from(), at, p.always()) : p);
        }
        if (waiting(to)) {
            out.add(SlaClock.Pause.waiting(at, null));
        } else if (to == SupportCase.Status.SOLVED) {
            out.add(SlaClock.Pause.stopped(at, null));
        }
        return out;
    }

    static boolean waiting(SupportCase.Status s) {
        return s == SupportCase.Status.PENDING || s == SupportCase.Status.ON_HOLD;
    }

    /** The targets as the API shows them. */
    public Map<String, Object> targetsJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("firstResponse", targets.firstResponse().toString());
        m.put("resolution", targets.resolution().toString());
        m.put("clock", targets.clock().wireName());
        m.put("pauseWhilePending", targets.pauseWhilePending());
        return m;
    }

    public List<String> breachesWire() {
        List<String> out = new ArrayList<>();
        for (Metric m : Metric.values()) {
            if (breaches.contains(m)) {
                out.add(m.wire());
            }
        }
        return out;
    }

    public static Map<String, Object> figuresJson(SlaClock.Figures f, boolean recorded) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dueAt", f.dueAt().toString());
        // whole seconds: a request's instant has nanoseconds, a reader wants "PT2H30M", not "PT0.163853251S"
        m.put("elapsedBusiness", wholeSeconds(f.elapsedBusiness()));
        m.put("elapsedCalendar", wholeSeconds(f.elapsedCalendar()));
        // a recorded breach stays one (its event went out) even if a later priority change relaxed the target
        m.put("breached", f.breached() || recorded);
        m.put("pausedFor", wholeSeconds(f.pausedFor()));
        return m;
    }

    private static String wholeSeconds(java.time.Duration d) {
        return d.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
}
