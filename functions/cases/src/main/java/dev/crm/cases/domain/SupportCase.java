package dev.crm.cases.domain;

import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One customer service case: a contact's request, numbered per tenant ({@code CS-000001}).
 * Named SupportCase because {@code case} is a Java keyword.
 */
public record SupportCase(TenantId tenant, String id, long number, String contactId, Channel channel, String category,
        Priority priority, String subject, String description, String assignee, String orderRef, Status status,
        Instant solvedAt, Instant firstResponseAt, Instant createdAt, Instant updatedAt, long version, CaseSla sla) {
    public static final String ID_PREFIX = "cs_";

    public enum Channel { PHONE, EMAIL, WEB, CHAT, IN_PERSON, SOCIAL }

    public enum Priority { LOW, NORMAL, HIGH, URGENT }

    public enum Status { NEW, OPEN, PENDING, ON_HOLD, SOLVED, CLOSED }

    /** The per-tenant display number: six digits at least, so numbers sort as text up to 999999. */
    public static String displayNumber(long number) {
        return String.format(Locale.ROOT, "CS-%06d", number);
    }

    public static String wire(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** The same case with another number (what the store hands out on create). */
    public SupportCase numbered(long n) {
        return new SupportCase(tenant, id, n, contactId, channel, category, priority, subject, description, assignee,
                orderRef, status, solvedAt, firstResponseAt, createdAt, updatedAt, version, sla);
    }

    /** The same case with another SLA state. */
    public SupportCase withSla(CaseSla s) {
        return new SupportCase(tenant, id, number, contactId, channel, category, priority, subject, description, assignee,
                orderRef, status, solvedAt, firstResponseAt, createdAt, updatedAt, version, s);
    }

    /**
     * The case as events carry it: everything GET shows but the SLA figures, which depend on the instant
     * they are looked at ({@link #toJson(dev.crm.shared.service.BusinessCalendar, Instant)}).
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("number", displayNumber(number));
        m.put("contactId", contactId);
        m.put("channel", wire(channel));
        m.put("category", category);
        m.put("priority", wire(priority));
        m.put("status", wire(status));
        m.put("subject", subject);
        if (description != null) {
            m.put("description", description);
        }
        if (assignee != null) {
            m.put("assignee", assignee);
        }
        if (orderRef != null) {
            m.put("orderRef", orderRef);
        }
        if (solvedAt != null) {
            m.put("solvedAt", solvedAt.toString());
        }
        if (firstResponseAt != null) {
            m.put("firstResponseAt", firstResponseAt.toString());
        }
        m.put("createdAt", createdAt.toString());
        m.put("updatedAt", updatedAt.toString());
        m.put("version", version);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("targets", sla.targetsJson());
        s.put("breaches", sla.breachesWire());
        m.put("sla", s);
        return m;
    }

    /** The case as the API shows it at {@code now}: with each metric's SLA figures. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> toJson(dev.crm.shared.service.BusinessCalendar calendar, Instant now) {
        Map<String, Object> m = toJson();
        Map<String, Object> s = (Map<String, Object>) m.get("sla");
        sla.figures(this, calendar, now).forEach((metric, f) ->
                s.put(metric.wire(), CaseSla.figuresJson(f, sla.breaches().contains(metric))));
        return m;
    }
}
