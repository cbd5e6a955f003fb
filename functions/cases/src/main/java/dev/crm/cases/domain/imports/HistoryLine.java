package dev.crm.cases.domain.imports;

import dev.crm.cases.domain.Cases;
import dev.crm.cases.domain.SupportCase;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One line of a case history import, read and checked: the {@code POST /v1/cases} body plus
 * {@code createdAt}, {@code messages} and {@code statusChanges}, each event at or after the creation and
 * not in the future. Events are replayed in time order; at the same instant, messages before status changes.
 */
public record HistoryLine(Cases.NewCase newCase, Instant createdAt, List<Event> events) {
    public static final int MAX_SUBJECT = 200;
    public static final int MAX_TEXT = 10_000;
    public static final int MAX_NAME = 200;
    /**
     * Events per line, so a line fits one 100-item transaction: a message writes two history entries only
     * when it reopens (itself and the reopening), which needs a status change before it, so 45 events write
     * at most 67 entries; with the creation, two breaches and an auto-close at most 71, and 9 other items
     * (counter, case, contact check, outcome, arrival entry, case link and its other key's delete, the
     * created and solved timeline entries): 80.
     */
    public static final int MAX_EVENTS = 45;
    private static final Set<String> FIELDS = Set.of("contactId", "channel", "category", "priority", "subject",
            "description", "assignee", "orderRef", "createdAt", "messages", "statusChanges");

    /** A message or a status change, with the JSON pointer it came from (for a rejection). */
    public record Event(Instant at, Cases.NewMessage message, SupportCase.Status status, String pointer) {}

    /**
     * @param categoryProblem null when a category is acceptable for the tenant, else why not
     * @return the line, or null with {@code v} holding why not
     */
    @SuppressWarnings("unchecked")
    public static HistoryLine parse(String text, Function<String, String> categoryProblem, Instant now, Violations v) {
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.SyntaxException e) {
            v.pointer("", "not valid JSON: " + e.getMessage());
            return null;
        }
        JsonObject body = JsonObject.of(parsed, v);
        if (!v.isEmpty()) {
            return null;
        }
        body.allowOnly(FIELDS);
        String contactId = body.requiredString("contactId", 1, 64);
        SupportCase.Channel channel = body.requiredEnum("channel", SupportCase.Channel.class);
        String category = body.requiredString("category", 1, 40);
        SupportCase.Priority priority = body.requiredEnum("priority", SupportCase.Priority.class);
        String subject = body.requiredLine("subject", 1, MAX_SUBJECT);
        String description = body.optionalString("description", 0, MAX_TEXT);
        String assignee = body.optionalLine("assignee", 1, MAX_NAME);
        String orderRef = body.optionalLine("orderRef", 1, MAX_NAME);
        Instant createdAt = body.requiredInstant("createdAt");
        if (category != null) {
            String problem = categoryProblem.apply(category);
            if (problem != null) {
                v.pointer("/category", problem);
            }
        }
        if (createdAt != null && createdAt.isAfter(now)) {
            v.pointer("/createdAt", "must not be in the future");
        }
        List<Event> events = new ArrayList<>();
        List<Object> messages = body.optionalArray("messages", MAX_EVENTS);
        for (int i = 0; messages != null && i < messages.size(); i++) {
            JsonObject m = item(messages.get(i), "/messages/" + i, v);
            if (m == null) {
                continue;
            }
            m.allowOnly("author", "visibility", "body", "at");
            Cases.Author author = m.requiredEnum("author", Cases.Author.class);
            Cases.Visibility visibility = m.requiredEnum("visibility", Cases.Visibility.class);
            String text2 = m.requiredString("body", 1, MAX_TEXT);
            Instant at = at(m, createdAt, now, v);
            if (author != null && visibility != null && text2 != null && at != null) {
                events.add(new Event(at, new Cases.NewMessage(author, visibility, text2), null, "/messages/" + i));
            }
        }
        List<Object> changes = body.optionalArray("statusChanges", MAX_EVENTS);
        for (int i = 0; changes != null && i < changes.size(); i++) {
            JsonObject c = item(changes.get(i), "/statusChanges/" + i, v);
            if (c == null) {
                continue;
            }
            c.allowOnly("status", "at");
            SupportCase.Status status = c.requiredEnum("status", SupportCase.Status.class);
            Instant at = at(c, createdAt, now, v);
            if (status != null && at != null) {
                events.add(new Event(at, null, status, "/statusChanges/" + i));
            }
        }
        int count = (messages == null ? 0 : messages.size()) + (changes == null ? 0 : changes.size());
        if (count > MAX_EVENTS) {
            v.pointer("", "at most " + MAX_EVENTS + " messages and status changes per case");
        }
        if (!v.isEmpty()) {
            return null;
        }
        // stable: equal instants keep messages (listed first) before status changes
        events.sort(Comparator.comparing(Event::at));
        return new HistoryLine(new Cases.NewCase(contactId, channel, category, priority, subject, description, assignee,
                orderRef), createdAt, events);
    }

    @SuppressWarnings("unchecked")
    private static JsonObject item(Object raw, String pointer, Violations v) {
        if (!(raw instanceof Map<?, ?> map)) {
            v.pointer(pointer, "must be an object");
            return null;
        }
        return JsonObject.of((Map<String, Object>) map, pointer, v);
    }

    private static Instant at(JsonObject o, Instant createdAt, Instant now, Violations v) {
        Instant at = o.requiredInstant("at");
        if (at != null && createdAt != null && at.isBefore(createdAt)) {
            v.pointer(o.pointer("at"), "must not be before createdAt");
            return null;
        }
        if (at != null && at.isAfter(now)) {
            v.pointer(o.pointer("at"), "must not be in the future");
            return null;
        }
        return at;
    }
}
