package dev.crm.local;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule expression, {@code rate(5 minutes)} or {@code cron(0 2 * * ? *)} (UTC), asked
 * one question: does one of its instants fall in a span the runner's clock was moved across. A rate
 * counts from the epoch (on AWS from the schedule's creation): locally only "was one crossed" matters.
 * Cron supports numbers, names, {@code * ? , - /}; not {@code L W #} (such a schedule never fires by a
 * clock move, and says so at start).
 */
sealed interface ScheduleExpression {
    /** Whether an instant of the schedule lies in {@code (from, to]}. */
    boolean crossed(Instant from, Instant to);

    static ScheduleExpression parse(String expression) {
        String e = expression.trim();
        Matcher rate = Pattern.compile("rate\\((\\d+)\\s+(minute|minutes|hour|hours|day|days)\\)").matcher(e);
        if (rate.matches()) {
            long n = Long.parseLong(rate.group(1));
            Duration unit = switch (rate.group(2).replaceAll("s$", "")) {
                case "minute" -> Duration.ofMinutes(1);
                case "hour" -> Duration.ofHours(1);
                default -> Duration.ofDays(1);
            };
            if (n < 1) {
                throw new IllegalArgumentException("rate must be at least 1: " + expression);
            }
            return new Rate(unit.multipliedBy(n));
        }
        Matcher cron = Pattern.compile("cron\\((.*)\\)").matcher(e);
        if (cron.matches()) {
            String[] f = cron.group(1).trim().split("\\s+");
            if (f.length != 6) {
                throw new IllegalArgumentException("cron needs 6 fields: " + expression);
            }
            return new Cron(field(f[0], 0, 59, Map.of()), field(f[1], 0, 23, Map.of()), field(f[2], 1, 31, Map.of()),
                    field(f[3], 1, 12, MONTHS), field(f[4], 1, 7, DAYS), field(f[5], 1970, 2199, Map.of()),
                    f[2].equals("?") || f[2].equals("*"), f[4].equals("?") || f[4].equals("*"));
        }
        throw new IllegalArgumentException("not a schedule expression the runner knows: " + expression);
    }

    record Rate(Duration period) implements ScheduleExpression {
        @Override
        public boolean crossed(Instant from, Instant to) {
            long p = period.toMillis();
            return Math.floorDiv(to.toEpochMilli(), p) > Math.floorDiv(from.toEpochMilli(), p);
        }
    }

    /** Day-of-week values are EventBridge's: 1 = Sunday … 7 = Saturday. */
    record Cron(BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months, BitSet daysOfWeek, BitSet years,
            boolean anyDayOfMonth, boolean anyDayOfWeek) implements ScheduleExpression {
        @Override
        public boolean crossed(Instant from, Instant to) {
            LocalDateTime t = LocalDateTime.ofInstant(from, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            LocalDateTime end = LocalDateTime.ofInstant(to, ZoneOffset.UTC);
            while (!t.isAfter(end)) {
                if (!dayMatches(t.toLocalDate())) {
                    t = t.toLocalDate().plusDays(1).atStartOfDay();
                    continue;
                }
                if (hours.get(t.getHour()) && minutes.get(t.getMinute())) {
                    return true;
                }
                t = t.plusMinutes(1);
            }
            return false;
        }

        private boolean dayMatches(LocalDate d) {
            if (!years.get(d.getYear()) || !months.get(d.getMonthValue())) {
                return false;
            }
            int dow = d.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : d.getDayOfWeek().getValue() + 1;
            boolean dom = daysOfMonth.get(d.getDayOfMonth());
            boolean wd = daysOfWeek.get(dow);
            if (anyDayOfMonth) {
                return wd;
            }
            if (anyDayOfWeek) {
                return dom;
            }
            return dom && wd;
        }
    }

    Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("JAN", 1), Map.entry("FEB", 2), Map.entry("MAR", 3),
            Map.entry("APR", 4), Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7), Map.entry("AUG", 8),
            Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
    Map<String, Integer> DAYS = Map.of("SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5, "FRI", 6, "SAT", 7);

    private static BitSet field(String spec, int min, int max, Map<String, Integer> names) {
        BitSet out = new BitSet(max + 1);
        for (String part : spec.toUpperCase(Locale.ROOT).split(",")) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = Integer.parseInt(part.substring(slash + 1));
                range = part.substring(0, slash);
            }
            int lo;
            int hi;
            if (range.equals("*") || range.equals("?")) {
                lo = min;
                hi = max;
            } else if (range.contains("-")) {
                String[] ab = range.split("-");
                lo = value(ab[0], names);
                hi = value(ab[1], names);
            } else {
                lo = value(range, names);
                hi = slash >= 0 ? max : lo;
            }
            if (lo < min || hi > max || lo > hi || step < 1) {
                throw new IllegalArgumentException("cron field out of range: " + spec);
            }
            for (int v = lo; v <= hi; v += step) {
                out.set(v);
            }
        }
        return out;
    }

    private static int value(String v, Map<String, Integer> names) {
        Integer named = names.get(v);
        if (named != null) {
            return named;
        }
        if (!v.matches("\\d+")) {
            throw new IllegalArgumentException("cron value the runner does not support: " + v);
        }
        return Integer.parseInt(v);
    }
}
