package dev.crm.devkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * template.yaml as data: the local runner and the tests read routes, handlers, schedules, stream
 * triggers and the table definition from it, so the template stays the one source of truth.
 * CloudFormation short-form tags ({@code !Ref}, {@code !GetAtt}, {@code !Sub}, …) become their
 * long forms ({@code {"Ref": …}}, {@code {"Fn::GetAtt": […]}}).
 */
public final class SamTemplate {
    private static final String[] INTRINSICS = {"Ref", "GetAtt", "Sub", "Join", "Select", "Split", "If", "Equals",
        "Not", "And", "Or", "Condition", "FindInMap", "Base64", "Cidr", "ImportValue", "GetAZs", "Transform", "ToJsonString"};

    private final Map<String, Object> root;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    /** template.yaml at the project root, found from the working directory upwards. */
    public static SamTemplate load() {
        return load(locate());
    }

    public static Path locate() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("template.yaml");
            if (Files.exists(candidate) && Files.exists(dir.resolve("pom.xml"))) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath());
    }

    @SuppressWarnings("unchecked")
    public static SamTemplate load(Path file) {
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).build();
            Load load = new Load(settings, new CfnConstructor(settings));
            return new SamTemplate((Map<String, Object>) load.loadFromString(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class CfnConstructor extends StandardConstructor {
        CfnConstructor(LoadSettings settings) {
            super(settings);
            for (String fn : INTRINSICS) {
                tagConstructors.put(new Tag("!" + fn), new Intrinsic(fn));
            }
        }

        private final class Intrinsic implements ConstructNode {
            private final String fn;

            Intrinsic(String fn) {
                this.fn = fn;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode s) {
                    value = constructScalar(s);
                } else if (node instanceof SequenceNode q) {
                    value = constructSequence(q);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                if (fn.equals("GetAtt") && value instanceof String s) {
                    value = List.of(s.split("\\.", 2));
                }
                return Map.of(fn.equals("Ref") || fn.equals("Condition") ? fn : "Fn::" + fn, value);
            }
        }
    }

    public Map<String, Object> root() {
        return root;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> resources() {
        return (Map<String, Map<String, Object>>) root.get("Resources");
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    public Map<String, Object> globalsFunction() {
        return map(map(root.get("Globals")).get("Function"));
    }

    public Map<String, Object> parameterDefaults() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : map(root.get("Parameters")).entrySet()) {
            out.put(e.getKey(), map(e.getValue()).get("Default"));
        }
        return out;
    }

    /** A Lambda function of the template: its handler class, environment and events. */
    public record Function(String logicalId, String handlerClass, String handlerMethod, Map<String, Object> environment,
            Map<String, Map<String, Object>> events, Map<String, Object> properties) {}

    public List<Function> functions() {
        List<Function> out = new ArrayList<>();
        Map<String, Object> globalEnv = map(map(globalsFunction().get("Environment")).get("Variables"));
        for (var e : resources().entrySet()) {
            Map<String, Object> r = e.getValue();
            if (!"AWS::Serverless::Function".equals(r.get("Type"))) {
                continue;
            }
            Map<String, Object> props = map(r.get("Properties"));
            String handler = (String) props.get("Handler");
            String[] parts = handler.split("::", 2);
            Map<String, Object> env = new LinkedHashMap<>(globalEnv);
            env.putAll(map(map(props.get("Environment")).get("Variables")));
            Map<String, Map<String, Object>> events = new LinkedHashMap<>();
            for (var ev : map(props.get("Events")).entrySet()) {
                events.put(ev.getKey(), map(ev.getValue()));
            }
            out.add(new Function(e.getKey(), parts[0], parts.length > 1 ? parts[1] : "handleRequest", env, events, props));
        }
        return out;
    }

    /** One API route: method, path, the function serving it, and whether it skips the authorizer. */
    public record ApiRoute(String method, String path, String functionId, boolean isPublic) {}

    public List<ApiRoute> apiRoutes() {
        List<ApiRoute> out = new ArrayList<>();
        for (Function f : functions()) {
            for (var ev : f.events().entrySet()) {
                if (!"Api".equals(ev.getValue().get("Type"))) {
                    continue;
                }
                Map<String, Object> p = map(ev.getValue().get("Properties"));
                Object auth = map(p.get("Auth")).get("Authorizer");
                out.add(new ApiRoute(((String) p.get("Method")).toUpperCase(java.util.Locale.ROOT),
                        (String) p.get("Path"), f.logicalId(), "NONE".equals(auth)));
            }
        }
        return out;
    }

    /** The single DynamoDB table's properties (KeySchema, AttributeDefinitions, GSIs, stream, TTL). */
    public Map<String, Object> tableProperties() {
        for (var r : resources().values()) {
            if ("AWS::DynamoDB::Table".equals(r.get("Type"))) {
                return map(r.get("Properties"));
            }
        }
        throw new IllegalStateException("no AWS::DynamoDB::Table in template.yaml");
    }

    /** The API resource's properties (authorizer, gateway responses). */
    public Map<String, Object> apiProperties() {
        for (var r : resources().values()) {
            if ("AWS::Serverless::Api".equals(r.get("Type"))) {
                return map(r.get("Properties"));
            }
        }
        throw new IllegalStateException("no AWS::Serverless::Api in template.yaml");
    }
}
