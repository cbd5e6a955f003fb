package dev.crm.shared.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Validation failures collected across a whole request, so a client sees every problem at once. */
public final class Violations {
    private final List<Map<String, Object>> items = new ArrayList<>();

    public Violations pointer(String pointer, String detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pointer", pointer);
        m.put("detail", detail);
        items.add(m);
        return this;
    }

    public Violations parameter(String name, String detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("parameter", name);
        m.put("detail", detail);
        items.add(m);
        return this;
    }

    public Violations header(String name, String detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("header", name);
        m.put("detail", detail);
        items.add(m);
        return this;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public List<Map<String, Object>> items() {
        return items;
    }

    /** Escapes a member name for use in a JSON Pointer (RFC 6901). */
    public static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
