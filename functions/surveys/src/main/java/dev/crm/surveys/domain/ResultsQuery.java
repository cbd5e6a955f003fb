package dev.crm.surveys.domain;

import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The query of {@code GET /v1/surveys/{id}/results?from=&to=&interval=}: the days [from, to) in the
 * tenant's time zone, cut into calendar intervals (days, ISO weeks starting on Monday, months).
 *
 * <p>Intervals are calendar intervals clipped to the range: when {@code from} or {@code to} falls
 * inside a week or month, the first or last interval is partial and its {@code start}/{@code end}
 * say so. Defaults: {@code interval=day}; {@code to} = tomorrow (today included); {@code from} = 30
 * days before {@code to} for days, the Monday 11 weeks before the last week for weeks, the first of
 * the month 11 months before the last month for months (12 intervals, the last one the current).
 * Other query parameters are left to the caller.
 */
public record ResultsQuery(LocalDate from, LocalDate to, Interval interval, ZoneId zone) {
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    public enum Interval {
        DAY(366),
        WEEK(200),
        MONTH(120);

        /** A year of days, ~4 years of weeks, 10 years of months: a chart's worth, bounded work per request. */
        private final int maxIntervals;

        Interval(int maxIntervals) {
            this.maxIntervals = maxIntervals;
        }

        public int maxIntervals() {
            return maxIntervals;
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The calendar interval holding {@code day} starts here. */
        public LocalDate startOf(LocalDate day) {
            return switch (this) {
                case DAY -> day;
                case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                case MONTH -> day.withDayOfMonth(1);
            };
        }

        public LocalDate next(LocalDate start) {
            return switch (this) {
                case DAY -> start.plusDays(1);
                case WEEK -> start.plusWeeks(1);
                case MONTH -> start.plusMonths(1);
            };
        }

        /** How many calendar intervals [from, to) touches, without walking them. */
        long count(LocalDate from, LocalDate to) {
            LocalDate last = to.minusDays(1);
            return switch (this) {
                case DAY -> ChronoUnit.DAYS.between(from, to);
                case WEEK -> ChronoUnit.WEEKS.between(startOf(from), startOf(last)) + 1;
                case MONTH -> ChronoUnit.MONTHS.between(YearMonth.from(from), YearMonth.from(last)) + 1;
            };
        }
    }

    /** One interval of the results: the days [start, end). */
    public record Period(LocalDate start, LocalDate end) {
        public boolean contains(LocalDate day) {
            return !day.isBefore(start) && day.isBefore(end);
        }
    }

    public ResultsQuery {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(zone, "zone");
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("to must be after from");
        }
    }

    /**
     * Reads the query parameters (single values, as API Gateway passes them); problems are recorded as
     * {@code {"parameter": ...}} violations.
     *
     * @param zone the tenant's time zone
     * @param now  to tell which day is today in that zone (for the defaults)
     * @return the query, or null when there are violations
     */
    public static ResultsQuery parse(Map<String, String> parameters, ZoneId zone, Instant now, Violations violations) {
        int before = violations.items().size();
        Interval interval = Interval.DAY;
        String intervalText = parameters.get("interval");
        if (intervalText != null) {
            interval = JsonObject.enumValue(Interval.class, intervalText);
            if (interval == null) {
                violations.parameter("interval", "must be one of day, week, month");
            }
        }
        LocalDate from = date(parameters, "from", violations);
        LocalDate to = date(parameters, "to", violations);
        if (violations.items().size() != before) {
            return null;
        }
        if (to == null) {
            to = LocalDate.ofInstant(now, zone).plusDays(1);
        }
        if (from == null) {
            LocalDate last = to.minusDays(1);
            from = switch (interval) {
                case DAY -> to.minusDays(30);
                case WEEK -> interval.startOf(last).minusWeeks(11);
                case MONTH -> interval.startOf(last).minusMonths(11);
            };
        }
        if (!to.isAfter(from)) {
            violations.parameter("to", "must be after from");
            return null;
        }
        long count = interval.count(from, to);
        if (count > interval.maxIntervals()) {
            violations.parameter("to", "the range from " + from + " to " + to + " holds " + count + " " + interval.wire()
                    + " intervals; at most " + interval.maxIntervals() + " are allowed");
            return null;
        }
        return new ResultsQuery(from, to, interval, zone);
    }

    private static LocalDate date(Map<String, String> parameters, String name, Violations violations) {
        String text = parameters.get(name);
        if (text == null) {
            return null;
        }
        if (DATE.matcher(text).matches()) {
            try {
                return LocalDate.parse(text);
            } catch (DateTimeException e) {
                // falls through to the violation
            }
        }
        violations.parameter(name, "must be a date YYYY-MM-DD");
        return null;
    }

    /** The intervals covering [from, to), in order, the first and last possibly partial. */
    public List<Period> periods() {
        List<Period> out = new ArrayList<>();
        LocalDate start = from;
        while (start.isBefore(to)) {
            LocalDate next = interval.next(interval.startOf(start));
            LocalDate end = next.isAfter(to) ? to : next;
            out.add(new Period(start, end));
            start = end;
        }
        return out;
    }

    public boolean contains(LocalDate day) {
        return !day.isBefore(from) && day.isBefore(to);
    }
}
