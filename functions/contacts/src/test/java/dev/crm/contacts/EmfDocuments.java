package dev.crm.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What CloudWatch requires of an Embedded Metric Format document (the EMF specification), checked on
 * a line a function wrote: a JSON object whose {@code _aws} holds a numeric {@code Timestamp} and
 * {@code CloudWatchMetrics}, an array of directives with exactly {@code Namespace}, {@code Dimensions}
 * (arrays of at most 30 keys, each a string member of the root) and {@code Metrics} (a {@code Name}
 * that is a numeric member of the root, and a CloudWatch unit).
 */
final class EmfDocuments {
    static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");

    private EmfDocuments() {}

    /** What {@code action} wrote to System.out, line by line; the output still reaches the stream it replaced. */
    static List<String> stdoutOf(Runnable action) {
        PrintStream previous = System.out;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(new OutputStream() {
            @Override
            public synchronized void write(int b) {
                copy.write(b);
                previous.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                copy.write(b, off, len);
                previous.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        System.setOut(tee);
        try {
            action.run();
        } finally {
            System.setOut(previous);
        }
        return copy.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** The lines that are EMF documents, each validated; the parsed documents. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(List<String> lines) {
        return lines.stream().filter(l -> l.contains("\"_aws\"")).map(l -> validate(l)).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> validate(String line) {
        Map<String, Object> root = assertInstanceOf(Map.class, Json.parse(line), "one JSON object per line: " + line);
        Map<String, Object> aws = assertInstanceOf(Map.class, root.get("_aws"), "_aws");
        assertInstanceOf(Number.class, aws.get("Timestamp"), "_aws.Timestamp is a number (epoch milliseconds)");
        List<Object> directives = assertInstanceOf(List.class, aws.get("CloudWatchMetrics"), "_aws.CloudWatchMetrics");
        assertFalse(directives.isEmpty(), "at least one metric directive");
        Set<String> names = new HashSet<>();
        for (Object o : directives) {
            Map<String, Object> d = assertInstanceOf(Map.class, o, "a directive is an object");
            assertEquals(Set.of("Namespace", "Dimensions", "Metrics"), d.keySet(), "a directive's members");
            assertEquals("ServerlessCrm", d.get("Namespace"));
            for (Object set : assertInstanceOf(List.class, d.get("Dimensions"), "Dimensions")) {
                List<Object> keys = assertInstanceOf(List.class, set, "a dimension set is an array");
                assertTrue(keys.size() <= 30, "at most 30 dimensions in a set");
                for (Object k : keys) {
                    assertInstanceOf(String.class, root.get(assertInstanceOf(String.class, k)),
                            "dimension " + k + " is a string member of the root");
                }
            }
            List<Object> metrics = assertInstanceOf(List.class, d.get("Metrics"), "Metrics");
            assertFalse(metrics.isEmpty());
            for (Object m : metrics) {
                Map<String, Object> def = assertInstanceOf(Map.class, m, "a metric definition is an object");
                String name = assertInstanceOf(String.class, def.get("Name"));
                assertTrue(names.add(name), "metric " + name + " defined once");
                assertTrue(UNITS.contains(def.get("Unit")), "a CloudWatch unit: " + def.get("Unit"));
                assertInstanceOf(Number.class, root.get(name), "metric " + name + " has its value at the root");
            }
        }
        return root;
    }

    /** Every dimension key of every directive. */
    @SuppressWarnings("unchecked")
    static Set<String> dimensionKeys(Map<String, Object> doc) {
        Set<String> keys = new HashSet<>();
        for (Object d : (List<Object>) ((Map<String, Object>) doc.get("_aws")).get("CloudWatchMetrics")) {
            for (Object set : (List<Object>) ((Map<String, Object>) d).get("Dimensions")) {
                keys.addAll((List<String>) set);
            }
        }
        return keys;
    }

    /** Every metric name of every directive. */
    @SuppressWarnings("unchecked")
    static Set<String> metricNames(Map<String, Object> doc) {
        Set<String> names = new HashSet<>();
        for (Object d : (List<Object>) ((Map<String, Object>) doc.get("_aws")).get("CloudWatchMetrics")) {
            for (Object m : (List<Object>) ((Map<String, Object>) d).get("Metrics")) {
                names.add((String) ((Map<String, Object>) m).get("Name"));
            }
        }
        assertNotNull(names);
        return names;
    }
}
