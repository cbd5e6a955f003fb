package dev.crm.shared.service;

import dev.crm.shared.service.BusinessCalendar.Period;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A case's SLA figures for one metric, computed from the business calendar, the policy, the instant the
 * clock started, the pauses and the stop event (first public agent message, or solving).
 *
 * <p>Definitions (docs/api.md "SLA clocks"):
 * <ul>
 * <li>Counted time: the clock's time (business time of the calendar, or all time for a calendar clock)
 *     from the start to the stop (or to now while not stopped), outside pauses.</li>
 * <li>{@code dueAt}: the instant at which the counted time reaches the target; pauses push it later. While
 *     a pause is open it is projected as if the case resumed now.</li>
 * <li>{@code elapsedBusiness}: business time from start to stop/now, minus business time inside pauses.</li>
 * <li>{@code elapsedCalendar}: wall time from start to stop/now, minus wall time inside pauses.</li>
 * <li>{@code pausedFor}: wall time inside pauses between start and stop/now.</li>
 * <li>{@code breached}: the stop came after {@code dueAt}, or there is no stop yet and now is after it.</li>
 * </ul>
 * Pauses: {@link Pause#waiting} (pending / on_hold) count only when the policy pauses while pending;
 * {@link Pause#stopped} (solved until reopened) always count. The first-response clock is never paused.
 * Work is day by day over the calendar, never minute by minute.
 */
public final class SlaClock {
    /** A business clock searching further than this for its due instant has a calendar without hours. */
    private static final int MAX_DAYS = 366 * 20;

    private final BusinessCalendar calendar;
    private final SlaPolicy policy;

    public SlaClock(BusinessCalendar calendar, SlaPolicy policy) {
        this.calendar = calendar;
        this.policy = policy;
    }

    /**
     * A stretch during which the clock stands still, {@code [from, to)}; {@code to} null while open.
     *
     * @param always true for a stretch that stops the clock whatever the policy (solved until reopened)
     */
    public record Pause(Instant from, Instant to, boolean always) {
        public static Pause waiting(Instant from, Instant to) {
            return new Pause(from, to, false);
        }

        public static Pause stopped(Instant from, Instant to) {
            return new Pause(from, to, true);
        }
    }

    public record Figures(Instant dueAt, Duration elapsedBusiness, Duration elapsedCalendar, boolean breached,
            Duration pausedFor) {
    }

    /** @param respondedAt the first public agent message, or null */
    public Figures firstResponse(Instant start, Instant respondedAt, Instant now) {
        return figures(policy.firstResponse(), start, List.of(), respondedAt, now);
    }

    /** @param solvedAt when the case was (last) solved and not reopened since, or null */
    public Figures resolution(Instant start, List<Pause> pauses, Instant solvedAt, Instant now) {
        List<Pause> counted = pauses.stream().filter(p -> p.always() || policy.pauseWhilePending()).toList();
        return figures(policy.resolution(), start, counted, solvedAt, now);
    }

    private Figures figures(Duration target, Instant start, List<Pause> pauses, Instant stop, Instant now) {
        Instant end = stop != null ? stop : now;
        if (end.isBefore(start)) {
            end = start;
        }
        List<Period> paused = merge(pauses, start, end);
        Instant due = dueAt(target, start, paused);
        Duration pausedFor = Duration.ZERO;
        for (Period p : paused) {
            pausedFor = pausedFor.plus(Duration.between(p.from(), p.to()));
        }
        Duration calendarTime = Duration.between(start, end).minus(pausedFor);
        Duration businessTime = businessBetween(start, end, paused);
        boolean breached = stop != null ? stop.isAfter(due) : now.isAfter(due);
        return new Figures(due, businessTime, calendarTime, breached, pausedFor);
    }

    /** Pauses clipped to {@code [start, end)}, open ones ending at end, sorted and merged. */
    private static List<Period> merge(List<Pause> pauses, Instant start, Instant end) {
        List<Period> clipped = new ArrayList<>();
        for (Pause p : pauses) {
            Instant from = p.from().isBefore(start) ? start : p.from();
            Instant to = p.to() == null || p.to().isAfter(end) ? end : p.to();
            if (from.isBefore(to)) {
                clipped.add(new Period(from, to));
            }
        }
        clipped.sort(Comparator.comparing(Period::from));
        List<Period> out = new ArrayList<>();
        for (Period p : clipped) {
            Period last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && !p.from().isAfter(last.to())) {
                out.set(out.size() - 1, new Period(last.from(), p.to().isAfter(last.to()) ? p.to() : last.to()));
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** The parts of {@code [from, to)} outside the (sorted, merged) pauses. */
    private static List<Period> outside(Instant from, Instant to, List<Period> paused) {
        List<Period> out = new ArrayList<>();
        Instant cursor = from;
        for (Period p : paused) {
            if (!p.to().isAfter(cursor)) {
                continue;
            }
            if (!p.from().isBefore(to)) {
                break;
            }
            if (p.from().isAfter(cursor)) {
                out.add(new Period(cursor, p.from()));
            }
            cursor = p.to();
            if (!cursor.isBefore(to)) {
                return out;
            }
        }
        if (cursor.isBefore(to)) {
            out.add(new Period(cursor, to));
        }
        return out;
    }

    private Duration businessBetween(Instant start, Instant end, List<Period> paused) {
        Duration total = Duration.ZERO;
        LocalDate last = calendar.localDate(end);
        for (LocalDate d = calendar.localDate(start); !d.isAfter(last); d = d.plusDays(1)) {
            for (Period p : calendar.periods(d)) {
                Instant from = p.from().isBefore(start) ? start : p.from();
                Instant to = p.to().isAfter(end) ? end : p.to();
                if (from.isBefore(to)) {
                    for (Period o : outside(from, to, paused)) {
                        total = total.plus(Duration.between(o.from(), o.to()));
                    }
                }
            }
        }
        return total;
    }

    private Instant dueAt(Duration target, Instant start, List<Period> paused) {
        Duration left = target;
        if (policy.clock() == SlaPolicy.Clock.CALENDAR) {
            Instant cursor = start;
            for (Period o : outside(start, Instant.MAX, paused)) {
                Duration len = Duration.between(o.from(), o.to());
                if (len.compareTo(left) >= 0) {
                    return o.from().plus(left);
                }
                left = left.minus(len);
                cursor = o.to();
            }
            return cursor.plus(left);
        }
        LocalDate d = calendar.localDate(start);
        for (int i = 0; i < MAX_DAYS; i++, d = d.plusDays(1)) {
            for (Period p : calendar.periods(d)) {
                Instant from = p.from().isBefore(start) ? start : p.from();
                if (!from.isBefore(p.to())) {
                    continue;
                }
                for (Period o : outside(from, p.to(), paused)) {
                    Duration len = Duration.between(o.from(), o.to());
                    if (len.compareTo(left) >= 0) {
                        return o.from().plus(left);
                    }
                    left = left.minus(len);
                }
            }
        }
        throw new IllegalStateException("the business calendar has no hours");
    }
}
