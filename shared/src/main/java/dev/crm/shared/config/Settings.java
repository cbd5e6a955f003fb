package dev.crm.shared.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The function's configuration: environment variables on Lambda, a map the local runner fills
 * from template.yaml in-process (a JVM cannot change its own environment).
 */
public final class Settings {
    private final Map<String, String> values;
    private final boolean processEnvironment;

    public Settings(Map<String, String> values) {
        this(values, false);
    }

    private Settings(Map<String, String> values, boolean processEnvironment) {
        this.values = Map.copyOf(values);
        this.processEnvironment = processEnvironment;
    }

    public static Settings fromEnvironment() {
        return new Settings(System.getenv(), true);
    }

    /** True on Lambda (and whenever the values are this process's own environment). */
    public boolean isProcessEnvironment() {
        return processEnvironment;
    }

    public String get(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    public String get(String name, String fallback) {
        String v = get(name);
        return v == null ? fallback : v;
    }

    public String require(String name) {
        String v = get(name);
        if (v == null) {
            throw new IllegalStateException("missing configuration " + name);
        }
        return v;
    }

    public List<String> list(String name) {
        String v = get(name);
        if (v == null) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public Map<String, String> asMap() {
        return values;
    }

    /** The table every function shares. */
    public String tableName() {
        return get("TABLE_NAME", "CrmTable");
    }
}
