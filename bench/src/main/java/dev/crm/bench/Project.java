package dev.crm.bench;

import dev.crm.devkit.FilterPattern;
import dev.crm.shared.json.Json;
import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.SampleEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the harness discovers, never lists: the functions of template.yaml, the module that builds
 * each (Makefile), its shaded artifact, and the sample events in events/ with the function each
 * one starts (API route, the API's authorizer, stream filter, schedule name).
 */
public final class Project {
    private final Path root;
    private final SamTemplate template;
    private final Map<String, String> modules;
    private final Map<String, Path> frozen = new java.util.HashMap<>();
    private Path freezeDir;

    public Project(Path root) {
        this.root = root;
        this.template = SamTemplate.load(root.resolve("template.yaml"));
        try {
            this.modules = Makefiles.functionModules(Files.readString(root.resolve("Makefile")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Project locate() {
        return new Project(SamTemplate.locate().getParent());
    }

    public Path root() {
        return root;
    }

    public SamTemplate template() {
        return template;
    }

    public List<SamTemplate.Function> functions() {
        return template.functions();
    }

    public SamTemplate.Function function(String logicalId) {
        for (SamTemplate.Function f : functions()) {
            if (f.logicalId().equals(logicalId)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no function " + logicalId + " in template.yaml");
    }

    /** The module folder (under functions/) the Makefile builds the function from, or null. */
    public String module(String logicalId) {
        return modules.get(logicalId);
    }

    /**
     * From now on {@link #artifact} answers with a copy of each artifact made in {@code dir} the first
     * time it is asked for, so a build running beside the harness cannot change a jar mid-run.
     */
    public synchronized void freezeArtifacts(Path dir) {
        this.freezeDir = dir;
    }

    /** The function's artifact (a frozen copy after {@link #freezeArtifacts}), or null when not built. */
    public synchronized Path artifact(String module) {
        if (freezeDir == null) {
            return builtArtifact(module);
        }
        if (!frozen.containsKey(module)) {
            Path built = builtArtifact(module);
            Path copy = null;
            if (built != null) {
                try {
                    copy = Files.createDirectories(freezeDir.resolve(module)).resolve(built.getFileName());
                    if (!Files.exists(copy)) {
                        Files.copy(built, copy);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            frozen.put(module, copy);
        }
        return frozen.get(module);
    }

    /** functions/&lt;module&gt;/target/crm-fn-&lt;module&gt;-&lt;version&gt;-lambda.jar (the newest), or null when not built. */
    public Path builtArtifact(String module) {
        Path target = root.resolve("functions").resolve(module).resolve("target");
        if (!Files.isDirectory(target)) {
            return null;
        }
        String prefix = "crm-fn-" + module + "-";
        try (Stream<Path> s = Files.list(target)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)
                            && p.getFileName().toString().endsWith("-lambda.jar"))
                    .max(Comparator.comparingLong(p -> p.toFile().lastModified()))
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sample event, the route (or trigger) it stands for, and the function it starts (null if none). */
    public record Sample(String name, Path file, Map<String, Object> json, String route, String functionId) {
        public boolean isApi() {
            return SampleEvents.isApiEvent(json);
        }
    }

    public List<Sample> samples() {
        Path dir = root.resolve("events");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Sample> out = new ArrayList<>();
        for (Path p : files) {
            Map<String, Object> json;
            try {
                json = SamTemplate.map(Json.parse(Files.readString(p)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String name = dir.relativize(p).toString().replace('\\', '/');
            String[] routed = route(json);
            out.add(new Sample(name, p, json, routed[0], routed[1]));
        }
        return out;
    }

    /** {route, functionId} of a sample event; functionId null when no function of the template takes it. */
    String[] route(Map<String, Object> json) {
        if (SampleEvents.isApiEvent(json)) {
            String route = json.get("httpMethod") + " " + json.get("resource");
            for (SamTemplate.ApiRoute r : template.apiRoutes()) {
                if ((r.method() + " " + r.path()).equals(route)) {
                    return new String[] {route, r.functionId()};
                }
            }
            return new String[] {route, null};
        }
        if (SampleEvents.isAuthorizerEvent(json)) {
            return new String[] {"authorizer", authorizerFunction()};
        }
        if (SampleEvents.isStreamEvent(json)) {
            Map<String, Object> record = SamTemplate.map(SamTemplate.list(json.get("Records")).get(0));
            for (SamTemplate.Function f : functions()) {
                for (var ev : f.events().entrySet()) {
                    if ("DynamoDB".equals(ev.getValue().get("Type")) && streamMatches(ev.getValue(), record)) {
                        return new String[] {"stream " + ev.getKey(), f.logicalId()};
                    }
                }
            }
            return new String[] {"stream", null};
        }
        String source = recordSource(json);
        if (source.equals("aws:sns") || source.equals("aws:sqs")) {
            String type = source.equals("aws:sns") ? "SNS" : "SQS";
            for (SamTemplate.Function f : functions()) {
                for (var ev : f.events().entrySet()) {
                    if (type.equals(ev.getValue().get("Type"))) {
                        return new String[] {type.toLowerCase(java.util.Locale.ROOT) + " " + ev.getKey(), f.logicalId()};
                    }
                }
            }
            return new String[] {type.toLowerCase(java.util.Locale.ROOT), null};
        }
        if (SampleEvents.isScheduleEvent(json)) {
            String rule = String.valueOf(SamTemplate.list(json.get("resources")).get(0));
            String name = rule.substring(rule.lastIndexOf('/') + 1);
            for (SamTemplate.Function f : functions()) {
                Map<String, Object> ev = f.events().get(name);
                if (ev != null && String.valueOf(ev.get("Type")).startsWith("Schedule")) {
                    return new String[] {"schedule " + name, f.logicalId()};
                }
            }
            return new String[] {"schedule " + name, null};
        }
        return new String[] {"unknown", null};
    }

    /** Records[0].EventSource (SNS) or .eventSource (SQS, DynamoDB), or "". */
    private static String recordSource(Map<String, Object> json) {
        List<Object> records = SamTemplate.list(json.get("Records"));
        if (records.isEmpty()) {
            return "";
        }
        Map<String, Object> r = SamTemplate.map(records.get(0));
        Object s = r.get("EventSource") != null ? r.get("EventSource") : r.get("eventSource");
        return s == null ? "" : String.valueOf(s);
    }

    private static boolean streamMatches(Map<String, Object> event, Map<String, Object> record) {
        return FilterPattern.admits(FilterPattern.patternsOf(SamTemplate.map(event.get("Properties"))), record);
    }

    /** The function behind the API's (first) Lambda authorizer. */
    private String authorizerFunction() {
        Map<String, Object> auth;
        try {
            auth = SamTemplate.map(template.apiProperties().get("Auth"));
        } catch (IllegalStateException e) {
            return null;
        }
        for (Object a : SamTemplate.map(auth.get("Authorizers")).values()) {
            Object arn = SamTemplate.map(a).get("FunctionArn");
            String logical = null;
            if (arn instanceof Map<?, ?> m && m.get("Ref") != null) {
                logical = String.valueOf(m.get("Ref"));
            } else if (arn instanceof Map<?, ?> m && m.get("Fn::GetAtt") != null) {
                logical = String.valueOf(SamTemplate.list(m.get("Fn::GetAtt")).get(0));
            }
            if (logical != null) {
                String id = logical.contains(".") ? logical.substring(0, logical.indexOf('.')) : logical;
                if (template.resources().containsKey(id)) {
                    return id;
                }
            }
        }
        return null;
    }

    /** Samples grouped by function, in template order; samples no function takes are left out. */
    public Map<String, List<Sample>> samplesByFunction() {
        Map<String, List<Sample>> out = new LinkedHashMap<>();
        List<Sample> all = samples();
        for (SamTemplate.Function f : functions()) {
            List<Sample> mine = all.stream().filter(s -> f.logicalId().equals(s.functionId())).toList();
            if (!mine.isEmpty()) {
                out.put(f.logicalId(), mine);
            }
        }
        return out;
    }

    /**
     * The sample a function's cold start is reported with: its GET route with the shortest path (the
     * plainest read: {@code GET /v1/tenant}, {@code GET /v1/contacts}), else its first sample.
     */
    public static Sample primary(List<Sample> samples) {
        Sample best = null;
        for (Sample s : samples) {
            if (s.isApi() && "GET".equals(s.json().get("httpMethod"))
                    && (best == null || String.valueOf(s.json().get("resource")).length()
                            < String.valueOf(best.json().get("resource")).length())) {
                best = s;
            }
        }
        return best != null ? best : samples.get(0);
    }

    public int memoryMb(SamTemplate.Function f) {
        return intProperty(f, "MemorySize", 128);
    }

    public int timeoutSeconds(SamTemplate.Function f) {
        return intProperty(f, "Timeout", 3);
    }

    private int intProperty(SamTemplate.Function f, String name, int fallback) {
        Object v = f.properties().get(name);
        if (v == null) {
            v = template.globalsFunction().get(name);
        }
        if (v instanceof Number n) {
            return n.intValue();
        }
        try {
            return v == null ? fallback : Integer.parseInt(String.valueOf(v));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Globals.Function.Environment.Variables.JAVA_TOOL_OPTIONS (what the references run with). */
    public String globalJavaToolOptions() {
        Object v = SamTemplate.map(SamTemplate.map(template.globalsFunction().get("Environment")).get("Variables"))
                .get("JAVA_TOOL_OPTIONS");
        return v == null ? "" : String.valueOf(v);
    }
}
