package dev.crm.local.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.crm.devkit.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** docs/openapi.yaml as a checker: is this response (status, content type, body) what the contract says? */
public final class ApiContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode spec;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().nullableKeywordEnabled(true).build();
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    public ApiContract() {
        try {
            spec = new ObjectMapper(new YAMLFactory()).readTree(
                    Files.readString(SamTemplate.locate().getParent().resolve("docs/openapi.yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The path template of the spec that matches a concrete path, or null. */
    public String template(String method, String path) {
        for (Iterator<String> it = spec.get("paths").fieldNames(); it.hasNext();) {
            String t = it.next();
            String regex = "^" + Pattern.quote(t).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "$";
            if (path.matches(regex) && spec.get("paths").get(t).has(method.toLowerCase(Locale.ROOT))) {
                // prefer the most literal match (/v1/contacts/imports over /v1/contacts/{id})
                String literal = findMoreLiteral(method, path, t);
                return literal;
            }
        }
        return null;
    }

    private String findMoreLiteral(String method, String path, String first) {
        String best = first;
        for (Iterator<String> it = spec.get("paths").fieldNames(); it.hasNext();) {
            String t = it.next();
            String regex = "^" + Pattern.quote(t).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "$";
            if (path.matches(regex) && spec.get("paths").get(t).has(method.toLowerCase(Locale.ROOT))
                    && t.chars().filter(c -> c == '{').count() < best.chars().filter(c -> c == '{').count()) {
                best = t;
            }
        }
        return best;
    }

    /** @return what is wrong with the response, empty when it follows the contract */
    public List<String> check(String method, String path, int status, String contentType, String body) {
        List<String> problems = new ArrayList<>();
        String t = template(method, path);
        if (t == null) {
            problems.add("no operation " + method + " " + path + " in the contract");
            return problems;
        }
        JsonNode op = spec.get("paths").get(t).get(method.toLowerCase(Locale.ROOT));
        JsonNode response = op.get("responses").get(Integer.toString(status));
        if (response == null) {
            response = op.get("responses").get("default");
        }
        if (response == null) {
            problems.add(method + " " + t + ": status " + status + " is not in the contract");
            return problems;
        }
        response = resolve(response);
        JsonNode content = response.get("content");
        if (content == null) {
            if (body != null && !body.isEmpty()) {
                problems.add(method + " " + t + " " + status + ": the contract declares no body");
            }
            return problems;
        }
        String media = contentType == null ? "" : contentType.split(";")[0].trim();
        JsonNode declared = content.get(media);
        if (declared == null) {
            problems.add(method + " " + t + " " + status + ": content type " + media + " is not declared");
            return problems;
        }
        if (declared.has("schema") && media.endsWith("json")) {
            try {
                JsonNode data = JSON.readTree(body);
                for (ValidationMessage m : schema(t + "|" + method + "|" + status + "|" + media, declared.get("schema")).validate(data)) {
                    problems.add(method + " " + t + " " + status + ": " + m.getMessage());
                }
            } catch (IOException e) {
                problems.add(method + " " + t + " " + status + ": the body is not JSON");
            }
        }
        return problems;
    }

    /** Whether a request body is valid for the operation's declared request schema (for hostile-input expectations). */
    public boolean requestValid(String method, String template, String media, String body) {
        JsonNode op = spec.get("paths").get(template).get(method.toLowerCase(Locale.ROOT));
        JsonNode rb = op.get("requestBody");
        if (rb == null || rb.get("content") == null || rb.get("content").get(media) == null) {
            return false;
        }
        JsonNode schemaNode = rb.get("content").get(media).get("schema");
        try {
            Set<ValidationMessage> errors = schema("req|" + template + "|" + method + "|" + media, schemaNode).validate(JSON.readTree(body));
            return errors.isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the operation takes a JSON object body (application/json or a JSON merge patch). */
    public boolean takesJsonBody(String method, String template) {
        JsonNode rb = spec.get("paths").get(template).get(method.toLowerCase(Locale.ROOT)).get("requestBody");
        if (rb == null || rb.get("content") == null) {
            return false;
        }
        for (Iterator<String> it = rb.get("content").fieldNames(); it.hasNext();) {
            String media = it.next();
            if (media.equals("application/json") || media.equals("application/merge-patch+json")) {
                return true;
            }
        }
        return false;
    }

    /** Whether the operation requires a body (an optional one may be empty). */
    public boolean requestBodyRequired(String method, String template) {
        JsonNode rb = spec.get("paths").get(template).get(method.toLowerCase(Locale.ROOT)).get("requestBody");
        return rb != null && rb.path("required").asBoolean(false);
    }

    private JsonSchema schema(String key, JsonNode schemaNode) {
        return schemas.computeIfAbsent(key, k -> {
            ObjectNode root = schemaNode.deepCopy();
            // local references (#/components/...) resolve against this root
            root.set("components", spec.get("components"));
            return factory.getSchema(root, config);
        });
    }

    private JsonNode resolve(JsonNode node) {
        if (node.has("$ref")) {
            String[] parts = node.get("$ref").asText().substring(2).split("/");
            JsonNode n = spec;
            for (String p : parts) {
                n = n.get(p);
            }
            return n;
        }
        return node;
    }
}
