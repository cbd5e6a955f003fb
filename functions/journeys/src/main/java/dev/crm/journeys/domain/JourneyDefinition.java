package dev.crm.journeys.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.MessageClass;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.segment.SegmentRule;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a journey does, the part that is versioned: an enrolment runs the version it entered under, so
 * a running journey's change applies to new enrolments only.
 *
 * @param audience a segment id (evaluated at entry), or null for everyone the trigger names
 * @param exitOn   events that end an enrolment (a purchase ends a win-back)
 */
public record JourneyDefinition(Trigger trigger, String audience, Entry entry, List<Step> steps,
        List<Trigger.EventTrigger> exitOn, Map<String, Object> json) {
    public static final int MAX_STEPS = 50;
    public static final int MAX_BRANCH_DEPTH = 3;
    public static final int MAX_EXIT_ON = 10;
    public static final Duration MIN_WAIT = Duration.ofMinutes(1);
    public static final Duration MAX_WAIT = Duration.ofDays(365);
    private static final Pattern SEGMENT_ID = Pattern.compile("seg_[A-Za-z0-9_-]{1,60}");
    private static final Pattern EMIT_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,30}(\\.[a-z][a-z0-9_]{0,30}){1,2}");
    /** The top-level fields of the definition (the journey's {@code name} is not versioned). */
    public static final Set<String> FIELDS = Set.of("trigger", "audience", "entry", "steps", "exitOn");

    /**
     * Reads the definition's fields from a request body (POST) or a stored definition. Problems point at
     * the field ({@code /steps/2/send/topic}) and go to the body's violations; the result is then null.
     *
     * @param topics the tenant's topic keys; null for a stored definition (checked when it was written)
     */
    public static JourneyDefinition parse(JsonObject body, Set<String> topics) {
        Violations v = body.violations();
        int before = v.items().size();
        JsonObject triggerJson = body.requiredObject("trigger");
        Trigger trigger = Trigger.parse(triggerJson, false);
        String audience = body.optionalLine("audience", 1, 80);
        if (audience != null && !SEGMENT_ID.matcher(audience).matches()) {
            v.pointer(body.pointer("audience"), "must be a segment id (seg_…)");
        }
        Entry entry = Entry.parse(body.requiredObject("entry"));
        List<Step> steps = null;
        if (!body.has("steps") || body.isNull("steps")) {
            v.pointer(body.pointer("steps"), "required");
        } else {
            steps = steps(body, "steps", topics, 0);
            if (body.raw().get("steps") instanceof List<?> raw && raw.isEmpty()) {
                v.pointer(body.pointer("steps"), "must have at least one step");
            }
        }
        List<Trigger.EventTrigger> exitOn = new ArrayList<>();
        if (body.isNull("exitOn")) {
            v.pointer(body.pointer("exitOn"), "must be an array of event triggers (omit it for none)");
        }
        List<Object> exits = body.optionalArray("exitOn", MAX_EXIT_ON);
        if (exits != null) {
            for (int i = 0; i < exits.size(); i++) {
                JsonObject e = element(body, "exitOn", exits, i);
                if (e != null && Trigger.parse(e, true) instanceof Trigger.EventTrigger et) {
                    exitOn.add(et);
                }
            }
        }
        if (v.items().size() > before) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("trigger", trigger.toJson());
        json.put("audience", audience);
        json.put("entry", entry.toJson());
        json.put("steps", body.raw().get("steps"));
        json.put("exitOn", exitOn.stream().map(Trigger.EventTrigger::toJson).toList());
        return new JourneyDefinition(trigger, audience, entry, List.copyOf(steps), List.copyOf(exitOn), json);
    }

    @SuppressWarnings("unchecked")
    private static JsonObject element(JsonObject parent, String field, List<Object> list, int i) {
        String p = parent.pointer(field) + "/" + i;
        if (!(list.get(i) instanceof Map<?, ?> m)) {
            parent.violations().pointer(p, "must be an object");
            return null;
        }
        return JsonObject.of((Map<String, Object>) m, p, parent.violations());
    }

    private static List<Step> steps(JsonObject parent, String field, Set<String> topics, int depth) {
        List<Object> list = parent.optionalArray(field, MAX_STEPS);
        if (list == null) {
            return parent.has(field) && !parent.isNull(field) ? null : List.of();
        }
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonObject o = element(parent, field, list, i);
            if (o == null) {
                continue;
            }
            if (o.fields().size() != 1) {
                o.violations().pointer(o.pointer("").replaceAll("/$", ""), "a step is an object with one key: wait,"
                        + " waitUntil, send, branch, createCase or emit");
                continue;
            }
            Step s = step(o, o.fields().iterator().next(), topics, depth);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static Step step(JsonObject o, String kind, Set<String> topics, int depth) {
        Violations v = o.violations();
        switch (kind) {
            case "wait": {
                Duration d = Durations.required(o, "wait", MIN_WAIT, MAX_WAIT);
                return d == null ? null : new Step.Wait(d);
            }
            case "waitUntil": {
                JsonObject w = o.requiredObject("waitUntil");
                if (w == null) {
                    return null;
                }
                w.allowOnly("localTime", "weekday");
                LocalTime t = Trigger.localTime(w, "localTime", false);
                String day = w.optionalLine("weekday", 6, 9);
                DayOfWeek weekday = null;
                if (day != null) {
                    try {
                        weekday = DayOfWeek.valueOf(day.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        v.pointer(w.pointer("weekday"), "must be a weekday: monday … sunday");
                    }
                }
                if (!w.has("localTime") && !w.has("weekday")) {
                    v.pointer(o.pointer("waitUntil"), "needs localTime, weekday or both");
                }
                return new Step.WaitUntil(t, weekday);
            }
            case "send":
                return send(o.requiredObject("send"), topics);
            case "branch": {
                JsonObject b = o.requiredObject("branch");
                if (b == null) {
                    return null;
                }
                b.allowOnly("if", "then", "else");
                if (depth + 1 > MAX_BRANCH_DEPTH) {
                    v.pointer(o.pointer("branch"), "branches nest at most " + MAX_BRANCH_DEPTH + " deep");
                    return null;
                }
                SegmentRule rule = null;
                if (!b.has("if")) {
                    v.pointer(b.pointer("if"), "required: a segment rule");
                } else {
                    rule = SegmentRule.parse(b.raw().get("if"), b.pointer("if"), v);
                }
                List<Step> then = steps(b, "then", topics, depth + 1);
                List<Step> otherwise = steps(b, "else", topics, depth + 1);
                return rule == null || then == null || otherwise == null ? null : new Step.Branch(rule, then, otherwise);
            }
            case "createCase":
                return createCase(o.requiredObject("createCase"));
            case "emit": {
                JsonObject e = o.requiredObject("emit");
                if (e == null) {
                    return null;
                }
                e.allowOnly("type", "data");
                String type = e.requiredLine("type", 3, 64);
                if (type != null && (!EMIT_TYPE.matcher(type).matches() || dev.crm.shared.events.EventTypes.SOURCES.containsKey(type))) {
                    v.pointer(e.pointer("type"), "must be a custom event type such as offer.accepted (not a catalogue type)");
                }
                Map<String, Object> data = emitData(e);
                return type == null ? null : new Step.Emit(type, data == null ? Map.of() : data);
            }
            default:
                v.pointer(o.pointer(kind), "not a step: wait, waitUntil, send, branch, createCase or emit");
                return null;
        }
    }

    /** The case API's values (functions/cases), repeated here: journeys do not depend on the cases module. */
    static final Set<String> CASE_PRIORITIES = Set.of("low", "normal", "high", "urgent");
    static final Set<String> CASE_CHANNELS = Set.of("phone", "email", "web", "chat", "in_person", "social");
    private static final Pattern CASE_CATEGORY = Pattern.compile("[a-z0-9_-]{1,40}");
    private static final Pattern EMIT_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    /** A custom event's data, serialised: well inside the envelope's 20 KB. */
    static final int MAX_EMIT_DATA_BYTES = 4096;

    private static Step createCase(JsonObject c) {
        if (c == null) {
            return null;
        }
        Violations v = c.violations();
        int before = v.items().size();
        c.allowOnly("subject", "description", "priority", "category", "channel");
        String subject = c.requiredLine("subject", 1, 200);
        String description = c.optionalString("description", 0, 2000);
        String priority = c.optionalLine("priority", 1, 20);
        if (priority != null && !CASE_PRIORITIES.contains(priority)) {
            v.pointer(c.pointer("priority"), "must be one of low, normal, high, urgent");
        }
        String category = c.optionalLine("category", 1, 40);
        if (category != null && !CASE_CATEGORY.matcher(category).matches()) {
            v.pointer(c.pointer("category"), "must match [a-z0-9_-]{1,40}");
        }
        String channel = c.optionalLine("channel", 1, 20);
        if (channel != null && !CASE_CHANNELS.contains(channel)) {
            v.pointer(c.pointer("channel"), "must be one of phone, email, web, chat, in_person, social");
        }
        return v.items().size() > before ? null : new Step.CreateCase(subject, description, priority, category, channel);
    }

    /** Flat data: keys like field names, values strings (up to 500 characters), numbers, booleans or null. */
    private static Map<String, Object> emitData(JsonObject e) {
        Violations v = e.violations();
        Map<String, Object> data = e.optionalMap("data", 20);
        if (data == null) {
            return null; // absent, or already reported
        }
        int before = v.items().size();
        String base = e.pointer("data");
        for (var entry : data.entrySet()) {
            String where = base + "/" + entry.getKey().replace("~", "~0").replace("/", "~1");
            Object value = entry.getValue();
            if (!EMIT_KEY.matcher(entry.getKey()).matches()) {
                v.pointer(where, "a key is a letter then letters, digits or _ (at most 64)");
            } else if (value instanceof String str ? str.length() > 500
                    : !(value == null || value instanceof Number || value instanceof Boolean)) {
                v.pointer(where, "must be a string of at most 500 characters, a number, a boolean or null");
            }
        }
        if (v.items().size() == before && dev.crm.shared.json.Json.write(data)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_EMIT_DATA_BYTES) {
            v.pointer(base, "must take at most " + MAX_EMIT_DATA_BYTES + " bytes as JSON");
        }
        return v.items().size() > before ? null : data;
    }

    @SuppressWarnings("unchecked")
    private static Step send(JsonObject s, Set<String> topics) {
        if (s == null) {
            return null;
        }
        Violations v = s.violations();
        s.allowOnly("channel", "topic", "messageClass", "template", "onBlocked");
        Channel channel = s.requiredEnum("channel", Channel.class);
        if (channel != null && channel != Channel.EMAIL) {
            v.pointer(s.pointer("channel"), "journeys send email only for now");
        }
        MessageClass messageClass = s.has("messageClass") ? s.requiredEnum("messageClass", MessageClass.class)
                : MessageClass.MARKETING;
        String topic = s.optionalLine("topic", 1, 64);
        if (topic == null && messageClass == MessageClass.MARKETING && !s.has("topic")) {
            v.pointer(s.pointer("topic"), "required for marketing: one of the tenant's topics");
        } else if (topic != null && topics != null && !topics.contains(topic)) {
            v.pointer(s.pointer("topic"), "not one of the tenant's topics (GET /v1/topics)");
        }
        String onBlocked = s.optionalLine("onBlocked", 4, 4);
        if (onBlocked != null && !onBlocked.equals("wait") && !onBlocked.equals("skip")) {
            v.pointer(s.pointer("onBlocked"), "must be wait or skip");
        }
        JsonObject t = s.requiredObject("template");
        MessageTemplate template = null;
        if (t != null) {
            t.allowOnly("subject", "text", "html", "defaults");
            String subject = t.requiredLine("subject", 1, MessageTemplate.MAX_SUBJECT);
            String text = t.requiredString("text", 1, MessageTemplate.MAX_BODY);
            String html = t.optionalString("html", 1, MessageTemplate.MAX_BODY);
            Map<String, Object> defaults = t.optionalMap("defaults", 20);
            Map<String, String> d = new LinkedHashMap<>();
            if (defaults != null) {
                for (var e : defaults.entrySet()) {
                    if (!(e.getValue() instanceof String str) || str.length() > 200 || !e.getKey().matches("[A-Za-z0-9_.]{1,80}")) {
                        v.pointer(t.pointer("defaults") + "/" + Violations.escape(e.getKey()),
                                "must map a placeholder (contact.firstName) to a string of at most 200 characters");
                    } else {
                        d.put(e.getKey(), str);
                    }
                }
            }
            if (subject != null && text != null) {
                template = new MessageTemplate(subject, text, html, d);
                String problem = template.problem();
                if (problem != null) {
                    v.pointer(t.pointer(problem.substring(0, problem.indexOf(':'))), "not a valid template: "
                            + problem.substring(problem.indexOf(':') + 2));
                    template = null;
                }
            }
        }
        if (channel == null || messageClass == null || template == null) {
            return null;
        }
        return new Step.Send(channel, topic, messageClass, template, !"skip".equals(onBlocked));
    }
}
