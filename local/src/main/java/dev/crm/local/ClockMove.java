package dev.crm.local;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Reads the two forms of POST /_local/clock: a forward ISO 8601 duration or period, or an instant. */
final class ClockMove {
    private ClockMove() {}

    /** What a refusal quotes of the input: enough to recognise it, never a whole hostile body. */
    private static String quoted(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }

    /**
     * {@code now} moved by {@code iso}: a duration ({@code PT90M}, {@code P2DT3H}) or a period
     * ({@code P1W}, {@code P1M}, {@code P1Y}, counted on the UTC calendar).
     *
     * @throws IllegalArgumentException when it is neither, or negative
     */
    static Instant advance(Instant now, String iso) {
        Instant target;
        try {
            Duration d = Duration.parse(iso);
            target = now.plus(d);
        } catch (DateTimeParseException notDuration) {
            try {
                Period p = Period.parse(iso);
                target = now.atZone(ZoneOffset.UTC).plus(p).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("advanceBy is not an ISO 8601 duration (e.g. P2D, PT90M): " + quoted(iso));
            }
        }
        if (target.isBefore(now)) {
            throw new IllegalArgumentException("the clock only moves forward: advanceBy " + quoted(iso) + " is negative");
        }
        return target;
    }

    static Instant instant(String iso) {
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("set is not an ISO 8601 instant (e.g. 2027-01-01T00:00:00Z): " + quoted(iso));
        }
    }
}
