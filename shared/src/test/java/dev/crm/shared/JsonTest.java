package dev.crm.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Times;
import dev.crm.shared.json.Violations;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesScalarsAndKeepsDecimalsExact() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse("{\"a\": 1, \"b\": 20.50, \"c\": null, \"d\": [true, \"x\"]}");
        assertEquals(1L, m.get("a"));
        assertEquals(new BigDecimal("20.50"), m.get("b"));
        assertTrue(m.containsKey("c"));
        assertNull(m.get("c"));
        assertEquals(List.of(true, "x"), m.get("d"));
    }

    @Test
    void rejectsWhatIsNotOneWellFormedValueWithoutQuotingIt() {
        for (String bad : new String[] {"", "   ", "{", "{\"a\":1}x", "{'a':1}", "{\"a\":1,\"a\":2}", "[1,]", "NaN",
            "[".repeat(40) + "]".repeat(40), "{\"secret\": \"crm_live_abc\""}) {
            var e = assertThrows(Json.SyntaxException.class, () -> Json.parse(bad), bad);
            assertFalse(e.getMessage().contains("secret"));
            assertFalse(e.getMessage().contains("crm_live"));
        }
    }

    @Test
    void writesTreesAndInstantsInUtc() {
        Map<String, Object> tree = new java.util.LinkedHashMap<>();
        tree.put("t", Instant.parse("2026-11-23T20:30:00Z"));
        tree.put("n", java.util.Arrays.asList(1, new BigDecimal("2.5"), null));
        assertEquals("{\"t\":\"2026-11-23T20:30:00Z\",\"n\":[1,2.5,null]}", Json.write(tree));
        assertEquals(Instant.parse("2026-11-23T20:30:00Z"), Times.parse("2026-11-23T21:30:00+01:00"));
        assertNull(Times.parse("2026-11-23T20:30:00"), "a timestamp without offset is ambiguous");
        assertNull(Times.parse("yesterday"));
    }

    @Test
    void fieldReadersRecordEveryProblemWithItsPointer() {
        var v = new Violations();
        var o = JsonObject.of(Json.parse("{\"name\": 5, \"tags\": [\"a\", \"\", 3], \"nested\": {\"x~/y\": \"z\"},"
                + " \"when\": \"soon\", \"ctl\": \"a\\u0000b\", \"extra\": 1}"), v);
        o.allowOnly("name", "tags", "nested", "when", "ctl", "missing");
        assertNull(o.requiredString("name", 1, 10));
        assertNull(o.optionalStringSet("tags", 5, 10));
        var nested = o.optionalObject("nested");
        nested.allowOnly("other");
        assertNull(o.optionalInstant("when"));
        assertNull(o.optionalString("ctl", 0, 10));
        assertNull(o.requiredString("missing", 1, 10));
        List<Object> pointers = v.items().stream().map(m -> m.get("pointer")).toList();
        assertEquals(List.of("/extra", "/name", "/tags/1", "/tags/2", "/nested/x~0~1y", "/when", "/ctl", "/missing"), pointers);
    }

    @Test
    void readOnlyFieldsMayComeBackUnchangedOnly() {
        var v = new Violations();
        var o = JsonObject.of(Json.parse("{\"id\": \"c_1\", \"version\": 3, \"createdAt\": \"2026-01-01T00:00:00.000Z\"}"), v);
        o.readOnly("id", "c_1");
        o.readOnly("version", 3L);
        o.readOnly("createdAt", Instant.parse("2026-01-01T00:00:00Z"));
        assertTrue(v.isEmpty());
        o.readOnly("id", "c_2");
        o.readOnly("version", 4L);
        assertEquals(2, v.items().size());
    }
}
