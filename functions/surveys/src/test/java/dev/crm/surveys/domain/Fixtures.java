package dev.crm.surveys.domain;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Shared test helpers: bodies from JSON text, surveys that must validate, violation pointers. */
final class Fixtures {
    static final TenantId TENANT = new TenantId("t_0123456789abcdefghjk");
    static final String SURVEY_ID = "srv_0123456789abcdefghjk";
    static final Instant CREATED = Instant.parse("2026-11-01T09:00:00Z");

    private Fixtures() {}

    /** JSON with single quotes for readability. */
    static JsonObject body(String json, Violations violations) {
        return JsonObject.of(Json.parse(json.replace('\'', '"')), violations);
    }

    static Survey survey(String json) {
        Violations v = new Violations();
        Survey s = Survey.create(body(json, v), SURVEY_ID, TENANT, CREATED);
        assertTrue(v.isEmpty(), () -> "unexpected violations " + v.items());
        assertNotNull(s);
        return s;
    }

    static List<String> pointers(Violations v) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> item : v.items()) {
            out.add(String.valueOf(item.containsKey("pointer") ? item.get("pointer") : item.get("parameter")));
        }
        return out;
    }

    static String detail(Violations v, String pointerOrParameter) {
        for (Map<String, Object> item : v.items()) {
            if (pointerOrParameter.equals(item.get("pointer")) || pointerOrParameter.equals(item.get("parameter"))) {
                return (String) item.get("detail");
            }
        }
        return null;
    }

    static final String NPS_WITH_EXTRAS = "{'kind': 'nps', 'title': 'How did we do?', 'questions': ["
            + "{'id': 'score', 'type': 'score', 'label': 'Recommend us?'},"
            + "{'id': 'reason', 'type': 'single_choice', 'label': 'Main reason', 'options': ["
            + "  {'value': 'fast', 'label': 'Fast'}, {'value': 'friendly', 'label': 'Friendly'}, {'value': 'cheap', 'label': 'Cheap'}]},"
            + "{'id': 'channels', 'type': 'multi_choice', 'label': 'Channels used', 'required': true, 'minSelected': 1, 'maxSelected': 2, 'options': ["
            + "  {'value': 'email', 'label': 'E-mail'}, {'value': 'phone', 'label': 'Phone'}, {'value': 'chat', 'label': 'Chat'}]},"
            + "{'id': 'effort', 'type': 'score', 'label': 'Effort', 'min': 1, 'max': 5},"
            + "{'id': 'why', 'type': 'text', 'label': 'Anything else?', 'maxLength': 20}]}";
}
