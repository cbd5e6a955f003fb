package dev.crm.shared.tenant;

import dev.crm.shared.json.JsonObject;
import dev.crm.shared.service.BusinessCalendar;
import dev.crm.shared.service.BusinessCalendar.Hours;
import dev.crm.shared.service.SlaPolicy;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A tenant's customer-service settings (flat fields of the tenant settings on the wire). Unset values
 * read as their documented defaults: no categories, the default business calendar
 * ({@link BusinessCalendar#defaultFor}, in the tenant's {@code defaultTimeZone}), the default SLA policy
 * per priority ({@link SlaPolicy#defaultFor}), auto-close after 7 days, complaints open no cases, a
 * staffing occupancy cap of 0.85.
 *
 * @param businessCalendar null when the tenant set none
 * @param slaPolicies      only the priorities the tenant set
 */
public record ServiceSettings(List<CaseCategory> caseCategories, BusinessCalendar businessCalendar,
        Map<String, SlaPolicy> slaPolicies, int casesAutoCloseAfterDays, boolean complaintsOpenCases,
        double staffingMaxOccupancy) {
    public static final List<String> PRIORITIES = List.of("urgent", "high", "normal", "low");
    public static final int MAX_CATEGORIES = 100;
    public static final int MAX_HOLIDAYS = 400;
    public static final int MAX_INTERVALS_PER_DAY = 10;
    public static final List<String> FIELDS = List.of("caseCategories", "businessCalendar", "slaPolicies",
            "casesAutoCloseAfter", "complaintsOpenCases", "staffingMaxOccupancy");
    private static final Pattern CATEGORY_KEY = Pattern.compile("[a-z0-9_-]{1,40}");
    private static final Pattern AUTO_CLOSE = Pattern.compile("P([1-9][0-9]?)D");

    public record CaseCategory(String key, String name) {
    }

    public ServiceSettings {
        caseCategories = List.copyOf(caseCategories);
        Map<String, SlaPolicy> ordered = new LinkedHashMap<>();
        for (String p : PRIORITIES) {
            if (slaPolicies.containsKey(p)) {
                ordered.put(p, slaPolicies.get(p));
            }
        }
        slaPolicies = java.util.Collections.unmodifiableMap(ordered);
    }

    public static ServiceSettings defaults() {
        return new ServiceSettings(List.of(), null, Map.of(), 7, false, 0.85);
    }

    public BusinessCalendar calendarOrDefault(ZoneId tenantZone) {
        return businessCalendar != null ? businessCalendar : BusinessCalendar.defaultFor(tenantZone);
    }

    public SlaPolicy policyOrDefault(String priority) {
        SlaPolicy p = slaPolicies.get(priority);
        return p != null ? p : SlaPolicy.defaultFor(priority);
    }

    /** The wire (and stored) fields, set values only: defaults read as null or {}. */
    void putJson(Map<String, Object> m) {
        List<Object> cats = new ArrayList<>();
        for (CaseCategory c : caseCategories) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("key", c.key());
            o.put("name", c.name());
            cats.add(o);
        }
        m.put("caseCategories", cats);
        m.put("businessCalendar", businessCalendar == null ? null : calendarJson(businessCalendar));
        Map<String, Object> policies = new LinkedHashMap<>();
        slaPolicies.forEach((k, p) -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("firstResponse", p.firstResponse().toString());
            o.put("resolution", p.resolution().toString());
            o.put("clock", p.clock().wireName());
            o.put("pauseWhilePending", p.pauseWhilePending());
            policies.put(k, o);
        });
        m.put("slaPolicies", policies);
        m.put("casesAutoCloseAfter", "P" + casesAutoCloseAfterDays + "D");
        m.put("complaintsOpenCases", complaintsOpenCases);
        m.put("staffingMaxOccupancy", java.math.BigDecimal.valueOf(staffingMaxOccupancy));
    }

    private static Map<String, Object> calendarJson(BusinessCalendar c) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("timeZone", c.zone().getId());
        Map<String, Object> week = new LinkedHashMap<>();
        for (DayOfWeek d : DayOfWeek.values()) {
            List<Object> day = new ArrayList<>();
            for (Hours h : c.weeklyHours().get(d)) {
                Map<String, Object> i = new LinkedHashMap<>();
                i.put("start", h.startText());
                i.put("end", h.endText());
                day.add(i);
            }
            week.put(d.name().toLowerCase(Locale.ROOT), day);
        }
        o.put("weeklyHours", week);
        o.put("holidays", new TreeSet<>(c.holidays()).stream().map(LocalDate::toString).toList());
        return o;
    }

    /** Reads stored fields leniently (they were validated when written); a missing field is its default. */
    @SuppressWarnings("unchecked")
    static ServiceSettings fromStored(Map<String, Object> m) {
        ServiceSettings d = defaults();
        var violations = new dev.crm.shared.json.Violations();
        JsonObject o = JsonObject.of(new LinkedHashMap<>(m), "", violations);
        ServiceSettings s = d.mergeFields(o, true);
        if (!violations.isEmpty()) {
            throw new IllegalStateException("stored service settings do not read back: " + violations);
        }
        return s;
    }

    /** Applies the service fields of a tenant settings merge patch; problems go to its violations. */
    ServiceSettings merge(JsonObject patch) {
        return mergeFields(patch, false);
    }

    private ServiceSettings mergeFields(JsonObject patch, boolean stored) {
        ServiceSettings d = defaults();
        List<CaseCategory> categories = caseCategories;
        if (patch.has("caseCategories")) {
            categories = patch.isNull("caseCategories") ? d.caseCategories() : categories(patch, categories);
        }
        BusinessCalendar calendar = businessCalendar;
        if (patch.has("businessCalendar")) {
            if (patch.isNull("businessCalendar")) {
                calendar = null;
            } else {
                JsonObject c = patch.optionalObject("businessCalendar");
                if (c != null) {
                    BusinessCalendar parsed = calendar(c);
                    calendar = parsed != null ? parsed : calendar;
                }
            }
        }
        Map<String, SlaPolicy> policies = slaPolicies;
        if (patch.has("slaPolicies")) {
            if (patch.isNull("slaPolicies")) {
                policies = d.slaPolicies();
            } else {
                JsonObject p = patch.optionalObject("slaPolicies");
                if (p != null) {
                    policies = policies(p);
                }
            }
        }
        int autoClose = casesAutoCloseAfterDays;
        if (patch.has("casesAutoCloseAfter")) {
            if (patch.isNull("casesAutoCloseAfter")) {
                autoClose = d.casesAutoCloseAfterDays();
            } else {
                Object v = patch.raw().get("casesAutoCloseAfter");
                var m = v instanceof String s ? AUTO_CLOSE.matcher(s) : null;
                if (m != null && m.matches() && Integer.parseInt(m.group(1)) <= 90) {
                    autoClose = Integer.parseInt(m.group(1));
                } else {
                    patch.violations().pointer(patch.pointer("casesAutoCloseAfter"), "must be whole days from P1D to P90D, e.g. P7D");
                }
            }
        }
        boolean complaints = complaintsOpenCases;
        if (patch.has("complaintsOpenCases")) {
            Boolean b = patch.isNull("complaintsOpenCases") ? Boolean.valueOf(d.complaintsOpenCases())
                    : patch.optionalBoolean("complaintsOpenCases");
            complaints = b == null ? complaints : b;
        }
        double occupancy = staffingMaxOccupancy;
        if (patch.has("staffingMaxOccupancy")) {
            Object v = patch.raw().get("staffingMaxOccupancy");
            if (v == null) {
                occupancy = d.staffingMaxOccupancy();
            } else if (v instanceof Number n && n.doubleValue() > 0 && n.doubleValue() <= 1) {
                occupancy = n.doubleValue();
            } else {
                patch.violations().pointer(patch.pointer("staffingMaxOccupancy"), "must be a number above 0 and at most 1");
            }
        }
        return new ServiceSettings(categories, calendar, policies, autoClose, complaints, occupancy);
    }

    @SuppressWarnings("unchecked")
    private static List<CaseCategory> categories(JsonObject patch, List<CaseCategory> current) {
        List<Object> list = patch.optionalArray("caseCategories", MAX_CATEGORIES);
        if (list == null) {
            return current;
        }
        List<CaseCategory> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String ptr = patch.pointer("caseCategories") + "/" + i;
            if (!(list.get(i) instanceof Map<?, ?> raw)) {
                patch.violations().pointer(ptr, "must be an object {\"key\", \"name\"}");
                continue;
            }
            JsonObject c = JsonObject.of((Map<String, Object>) raw, ptr, patch.violations());
            c.allowOnly("key", "name");
            String key = c.requiredLine("key", 1, 40);
            String name = c.requiredLine("name", 1, 100);
            if (key != null && !CATEGORY_KEY.matcher(key).matches()) {
                patch.violations().pointer(c.pointer("key"), "must be 1 to 40 of a-z, 0-9, '_' and '-'");
            } else if (key != null && !keys.add(key)) {
                patch.violations().pointer(c.pointer("key"), "must be unique; " + key + " is already listed");
            } else if (key != null && name != null) {
                out.add(new CaseCategory(key, name));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static BusinessCalendar calendar(JsonObject c) {
        c.allowOnly("timeZone", "weeklyHours", "holidays");
        int before = c.violations().items().size();
        String tz = c.requiredLine("timeZone", 1, 64);
        if (tz != null && !TenantSettings.isZone(tz)) {
            c.violations().pointer(c.pointer("timeZone"), "must be an IANA time zone such as Europe/Berlin");
        }
        Map<DayOfWeek, List<Hours>> week = new EnumMap<>(DayOfWeek.class);
        JsonObject w = c.requiredObject("weeklyHours");
        if (w != null) {
            List<String> days = new ArrayList<>();
            for (DayOfWeek d : DayOfWeek.values()) {
                days.add(d.name().toLowerCase(Locale.ROOT));
            }
            w.allowOnly(days);
            for (DayOfWeek d : DayOfWeek.values()) {
                String day = d.name().toLowerCase(Locale.ROOT);
                List<Object> intervals = w.optionalArray(day, MAX_INTERVALS_PER_DAY);
                List<Hours> hours = new ArrayList<>();
                int previousEnd = -1;
                for (int i = 0; intervals != null && i < intervals.size(); i++) {
                    String ptr = w.pointer(day) + "/" + i;
                    if (!(intervals.get(i) instanceof Map<?, ?> raw)) {
                        c.violations().pointer(ptr, "must be an object {\"start\": \"09:00\", \"end\": \"17:00\"}");
                        continue;
                    }
                    JsonObject h = JsonObject.of((Map<String, Object>) raw, ptr, c.violations());
                    h.allowOnly("start", "end");
                    String s = h.requiredLine("start", 5, 5);
                    String e = h.requiredLine("end", 5, 5);
                    int start = s == null ? -1 : Hours.parseMinute(s, false);
                    int end = e == null ? -1 : Hours.parseMinute(e, true);
                    if (s != null && start < 0) {
                        c.violations().pointer(h.pointer("start"), "must be a time HH:mm from 00:00 to 23:59");
                    }
                    if (e != null && end < 0) {
                        c.violations().pointer(h.pointer("end"), "must be a time HH:mm from 00:01 to 24:00");
                    }
                    if (start >= 0 && end >= 0) {
                        if (end <= start) {
                            c.violations().pointer(h.pointer("end"), "must be after start");
                        } else if (start < previousEnd) {
                            c.violations().pointer(h.pointer("start"), "must not be before the previous interval's end (intervals in order, not overlapping)");
                        } else {
                            hours.add(new Hours(start, end));
                            previousEnd = end;
                        }
                    }
                }
                week.put(d, hours);
            }
        }
        if (w != null && week.values().stream().allMatch(List::isEmpty) && c.violations().items().size() == before) {
            // a business clock would never reach its target
            c.violations().pointer(c.pointer("weeklyHours"), "must give at least one weekday business hours");
        }
        Set<LocalDate> holidays = new HashSet<>();
        List<Object> hs = c.optionalArray("holidays", MAX_HOLIDAYS);
        for (int i = 0; hs != null && i < hs.size(); i++) {
            try {
                if (!(hs.get(i) instanceof String s) || !s.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
                    throw new DateTimeParseException("not a date", String.valueOf(hs.get(i)), 0);
                }
                holidays.add(LocalDate.parse(s));
            } catch (DateTimeParseException e) {
                c.violations().pointer(c.pointer("holidays") + "/" + i, "must be a date such as 2026-04-03");
            }
        }
        if (c.violations().items().size() != before) {
            return null;
        }
        return new BusinessCalendar(ZoneId.of(tz), week, holidays);
    }

    private Map<String, SlaPolicy> policies(JsonObject patch) {
        Map<String, SlaPolicy> out = new LinkedHashMap<>(slaPolicies);
        for (String priority : patch.fields()) {
            if (!PRIORITIES.contains(priority)) {
                patch.violations().pointer(patch.pointer(priority), "unknown priority; one of " + String.join(", ", PRIORITIES));
                continue;
            }
            if (patch.isNull(priority)) {
                out.remove(priority);
                continue;
            }
            JsonObject p = patch.optionalObject(priority);
            if (p == null) {
                continue;
            }
            p.allowOnly("firstResponse", "resolution", "clock", "pauseWhilePending");
            Duration first = duration(p, "firstResponse");
            Duration resolution = duration(p, "resolution");
            SlaPolicy.Clock clock = SlaPolicy.Clock.BUSINESS;
            if (p.has("clock") && !p.isNull("clock")) {
                clock = SlaPolicy.Clock.fromWire(String.valueOf(p.raw().get("clock")));
                if (clock == null) {
                    patch.violations().pointer(p.pointer("clock"), "must be business or calendar");
                }
            }
            Boolean pause = p.optionalBoolean("pauseWhilePending");
            if (first != null && resolution != null && clock != null) {
                out.put(priority, new SlaPolicy(first, resolution, clock, pause == null || pause));
            }
        }
        return out;
    }

    private static Duration duration(JsonObject p, String field) {
        String text = p.requiredLine(field, 3, 20);
        if (text == null) {
            return null;
        }
        try {
            Duration d = text.matches("P(T.*|[0-9]+D(T.*)?)") ? Duration.parse(text) : null;
            if (d != null && !d.isNegative() && !d.isZero() && d.compareTo(Duration.ofDays(366)) <= 0
                    && d.toSecondsPart() == 0 && d.getNano() == 0) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        p.violations().pointer(p.pointer(field), "must be an ISO 8601 duration of whole minutes up to P366D, e.g. PT8H");
        return null;
    }
}
