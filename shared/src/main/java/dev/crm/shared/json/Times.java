package dev.crm.shared.json;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** RFC 3339 timestamps: parsed with any offset, always written in UTC with second or milli precision. */
public final class Times {
    private Times() {}

    public static String format(Instant i) {
        Instant t = i.getNano() % 1_000_000 == 0 ? i : i.truncatedTo(ChronoUnit.MILLIS);
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    /** @return the instant, or null when the text is not an RFC 3339 date-time with an offset */
    public static Instant parse(String text) {
        if (text == null || text.length() > 40) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    public static String utc(OffsetDateTime t) {
        return format(t.withOffsetSameInstant(ZoneOffset.UTC).toInstant());
    }
}
