package dev.crm.journeys.domain;

import dev.crm.shared.events.EventTypes;
import dev.crm.shared.json.JsonObject;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** What enrols a contact: an event of the catalogue (with a filter) or a yearly date of the contact. */
public sealed interface Trigger {
    int MAX_WHERE = 10;

    Map<String, Object> toJson();

    /**
     * {@code {"event": "interaction.recorded", "where": {"type": "purchase"}}}: the event's {@code data}
     * holds every {@code where} field (a dotted path into {@code data}) with an equal value.
     */
    record EventTrigger(String event, Map<String, Object> where) implements Trigger {
        public EventTrigger {
            Objects.requireNonNull(event, "event");
            where = where == null ? Map.of() : Map.copyOf(where);
        }

        public boolean matches(String type, Map<String, Object> data) {
            if (!event.equals(type)) {
                return false;
            }
            for (var e : where.entrySet()) {
                if (!same(valueAt(data, e.getKey()), e.getValue())) {
                    return false;
                }
            }
            return true;
        }

        @SuppressWarnings("unchecked")
        static Object valueAt(Map<String, Object> data, String path) {
            Object v = data;
            for (String part : path.split("\\.")) {
                if (!(v instanceof Map<?, ?> m)) {
                    return null;
                }
                v = ((Map<String, Object>) m).get(part);
            }
            return v;
        }

        private static boolean same(Object actual, Object wanted) {
            if (actual instanceof Number a && wanted instanceof Number w) {
                return new java.math.BigDecimal(a.toString()).compareTo(new java.math.BigDecimal(w.toString())) == 0;
            }
            return Objects.equals(actual, wanted);
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", event);
            m.put("where", where);
            return m;
        }
    }

    /**
     * {@code {"date": "attributes.birthday", "offsetDays": -3, "at": "10:00"}}: every year, {@code offsetDays}
     * from the month and day of the contact's date, at {@code at} in the contact's zone. A 29 February
     * falls on 28 February in a year without one.
     */
    record DateTrigger(String field, int offsetDays, LocalTime at) implements Trigger {
        public static final int MAX_OFFSET_DAYS = 365;

        /** The first occurrence strictly after {@code after}, or null when the date does not parse. */
        public Instant nextAfter(Object value, ZoneId zone, Instant after) {
            LocalDate date = date(value);
            if (date == null) {
                return null;
            }
            int year = after.atZone(zone).getYear() - 1;
            for (int i = 0; i < 4; i++, year++) {
                Instant at = occurrence(date, year, zone);
                if (at.isAfter(after)) {
                    return at;
                }
            }
            throw new IllegalStateException("no occurrence within three years");
        }

        /** This trigger's instant in a year: the anniversary in {@code year}, moved by the offset. */
        public Instant occurrence(LocalDate date, int year, ZoneId zone) {
            MonthDay md = MonthDay.of(date.getMonth(), date.getDayOfMonth());
            LocalDate anniversary = md.isValidYear(year) ? md.atYear(year) : LocalDate.of(year, 2, 28);
            return anniversary.plusDays(offsetDays).atTime(at).atZone(zone).toInstant();
        }

        /**
         * The contact's first occurrence strictly after {@code after} (its date field, in its zone or the
         * tenant's), or null when the contact holds no date there.
         */
        public Instant nextFor(dev.crm.shared.contact.Contact contact, ZoneId tenantZone, Instant after) {
            Map<String, Object> attributes = contact.data().attributes();
            Object value = EventTrigger.valueAt(Map.of("attributes", attributes == null ? Map.of() : attributes), field);
            return nextAfter(value, contact.zone(tenantZone), after);
        }

        /** What a scheduled occurrence was computed for: another trigger (a PATCH) makes it stale. */
        public String signature() {
            return dev.crm.shared.json.Json.write(toJson());
        }

        static LocalDate date(Object value) {
            if (!(value instanceof String s)) {
                return null;
            }
            try {
                return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
            } catch (DateTimeParseException e) {
                return null;
            }
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("date", field);
            m.put("offsetDays", offsetDays);
            m.put("at", at.toString());
            return m;
        }
    }

    /** Event types a journey may react to: the catalogue's, without the test and the journeys' own. */
    static boolean reactsTo(String type) {
        return EventTypes.subscribable().contains(type) && !type.startsWith("journey.");
    }

    Pattern ATTRIBUTE_FIELD = Pattern.compile("attributes\\.[A-Za-z0-9_]{1,64}");
    Pattern WHERE_FIELD = Pattern.compile("[A-Za-z0-9_]{1,64}(\\.[A-Za-z0-9_]{1,64}){0,3}");

    /** Reads a trigger object (also each {@code exitOn} entry, {@code eventsOnly}); problems go to its violations. */
    static Trigger parse(JsonObject o, boolean eventsOnly) {
        if (o == null) {
            return null;
        }
        if (!eventsOnly && o.has("date")) {
            o.allowOnly("date", "offsetDays", "at");
            String field = o.requiredLine("date", 1, 80);
            if (field != null && !ATTRIBUTE_FIELD.matcher(field).matches()) {
                o.violations().pointer(o.pointer("date"), "must name a contact attribute holding a date: attributes.<name>");
                field = null;
            }
            Long offset = o.optionalLong("offsetDays", -MAX_DATE_OFFSET, MAX_DATE_OFFSET);
            LocalTime at = localTime(o, "at", false);
            return field == null ? null : new DateTrigger(field, offset == null ? 0 : offset.intValue(),
                    at == null ? LocalTime.of(9, 0) : at);
        }
        o.allowOnly("event", "where");
        String event = o.requiredLine("event", 1, 64);
        if (event != null && !reactsTo(event)) {
            o.violations().pointer(o.pointer("event"), "must be an event of the catalogue (docs/events.md)"
                    + (eventsOnly ? "" : ", or use \"date\" for a yearly date of the contact"));
            event = null;
        }
        Map<String, Object> where = o.optionalMap("where", MAX_WHERE);
        if (where != null) {
            for (var e : where.entrySet()) {
                String p = o.pointer("where") + "/" + dev.crm.shared.json.Violations.escape(e.getKey());
                if (!WHERE_FIELD.matcher(e.getKey()).matches()) {
                    o.violations().pointer(p, "must be a field of the event's data (a dotted path)");
                } else if (e.getValue() instanceof Map || e.getValue() instanceof List) {
                    o.violations().pointer(p, "must be a string, number, boolean or null");
                } else if (e.getValue() instanceof String s && s.length() > 200) {
                    o.violations().pointer(p, "must be at most 200 characters");
                }
            }
        }
        return event == null ? null : new EventTrigger(event, where);
    }

    int MAX_DATE_OFFSET = DateTrigger.MAX_OFFSET_DAYS;

    /** {@code HH:mm} local time; null when absent or wrong (then reported). */
    static LocalTime localTime(JsonObject o, String field, boolean required) {
        String text = required ? o.requiredLine(field, 4, 5) : o.optionalLine(field, 4, 5);
        if (text == null) {
            return null;
        }
        try {
            if (!text.matches("[0-2][0-9]:[0-5][0-9]")) {
                throw new DateTimeException(text);
            }
            return LocalTime.parse(text);
        } catch (DateTimeException e) {
            o.violations().pointer(o.pointer(field), "must be a local time HH:mm, e.g. 10:00");
            return null;
        }
    }
}
