package dev.crm.churn.domain.analytics;

import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A calendar month ({@code 2027-03}) or quarter ({@code 2027-Q1}), as targets, the scorecard and the
 * cohorts name them. Days are the tenant's calendar days: the caller turns them into instants in its zone.
 */
public record Period(int year, int firstMonth, boolean quarter) {
    private static final Pattern FORM = Pattern.compile("([0-9]{4})-(?:Q([1-4])|(0[1-9]|1[0-2]))");
    /** Older periods than this are typing errors, not history (and keep the index arithmetic small). */
    public static final int MIN_YEAR = 1900;

    /** @return the period {@code text} names, or null when it is not {@code YYYY-MM} or {@code YYYY-Qn} */
    public static Period parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return null;
        }
        int year = Integer.parseInt(m.group(1));
        if (year < MIN_YEAR) {
            return null;
        }
        return m.group(2) != null ? new Period(year, (Integer.parseInt(m.group(2)) - 1) * 3 + 1, true)
                : new Period(year, Integer.parseInt(m.group(3)), false);
    }

    /** The month or quarter holding {@code day}. */
    public static Period containing(LocalDate day, boolean quarter) {
        int month = quarter ? (day.getMonthValue() - 1) / 3 * 3 + 1 : day.getMonthValue();
        return new Period(day.getYear(), month, quarter);
    }

    /** A number that grows by one from each period to the next of the same kind. */
    public int index() {
        return quarter ? year * 4 + (firstMonth - 1) / 3 : year * 12 + firstMonth - 1;
    }

    public Period plus(int periods) {
        int months = (year * 12 + firstMonth - 1) + periods * (quarter ? 3 : 1);
        return new Period(Math.floorDiv(months, 12), Math.floorMod(months, 12) + 1, quarter);
    }

    /** The first day. */
    public LocalDate start() {
        return LocalDate.of(year, firstMonth, 1);
    }

    /** The day after the last. */
    public LocalDate end() {
        return start().plusMonths(quarter ? 3 : 1);
    }

    public boolean contains(LocalDate day) {
        return !day.isBefore(start()) && day.isBefore(end());
    }

    @Override
    public String toString() {
        return quarter ? String.format("%04d-Q%d", year, (firstMonth - 1) / 3 + 1) : String.format("%04d-%02d", year, firstMonth);
    }
}
