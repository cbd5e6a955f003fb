package dev.crm.cases.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One append-only entry of a case's history: {@code created}, {@code message}, {@code status_changed},
 * {@code assigned} or {@code sla_breached}, with the fields of that kind. Entries are never changed once written.
 */
public record HistoryEntry(String id, Instant at, String kind, Map<String, Object> fields) {
    public static final String ID_PREFIX = "ch_";
    public static final String CREATED = "created";
    public static final String MESSAGE = "message";
    public static final String STATUS_CHANGED = "status_changed";
    public static final String ASSIGNED = "assigned";
    /** A metric's target passed unmet; {@code at} is its dueAt, fields {@code metric}, {@code dueAt}. */
    public static final String SLA_BREACHED = "sla_breached";

    public HistoryEntry {
        fields = Map.copyOf(fields);
    }

    /**
     * The agent a write assigns the case to: the {@code to} of its {@code assigned} entry, or null when
     * the write leaves the assignee alone or unassigns (what the store checks is an active agent).
     */
    public static String newAssignee(java.util.List<HistoryEntry> entries) {
        for (HistoryEntry e : entries) {
            if (ASSIGNED.equals(e.kind()) && e.fields().get("to") instanceof String to) {
                return to;
            }
        }
        return null;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", at.toString());
        m.put("kind", kind);
        new java.util.TreeMap<>(fields).forEach(m::put);
        return m;
    }
}
