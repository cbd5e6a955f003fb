package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.http.ProblemType;
import dev.crm.devkit.SamTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The documents that describe the API stay true with the code and the template. */
class DocsConsistencyTest {
    private final Path root = SamTemplate.locate().getParent();

    @Test
    void everyProblemTypeIsDocumented() throws Exception {
        String problems = Files.readString(root.resolve("docs/problems.md"));
        for (ProblemType t : ProblemType.values()) {
            assertTrue(problems.contains("`" + t.uri() + "` | " + t.status() + " |"), "docs/problems.md lacks " + t.uri());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOpenApiContractHasExactlyTheTemplatesRoutes() throws Exception {
        Map<String, Object> spec = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(root.resolve("docs/openapi.yaml")));
        Set<String> documented = new TreeSet<>();
        for (var path : ((Map<String, Object>) spec.get("paths")).entrySet()) {
            for (String method : ((Map<String, Object>) path.getValue()).keySet()) {
                if (Set.of("get", "put", "post", "patch", "delete", "options").contains(method)) {
                    documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        Set<String> deployed = new TreeSet<>();
        for (SamTemplate.ApiRoute r : SamTemplate.load().apiRoutes()) {
            deployed.add(r.method() + " " + r.path());
        }
        assertEquals(deployed, documented);
    }

    /**
     * The contract catches undocumented fields only where a schema forbids them: at least 80 % of the
     * object schemas under components/schemas (nested ones included: a schema with {@code type:
     * object} or {@code properties}) say {@code additionalProperties: false}. A map (whose
     * {@code additionalProperties} is a schema) has data for keys and is not counted. What may stay
     * open: Problem (RFC 9457 lets a problem carry extension members), the composition bases (Job,
     * ContactFields, SurveySummary: the schemas built on them close over their properties), merge
     * patches and free-form values.
     */
    @Test
    @SuppressWarnings("unchecked")
    void mostObjectSchemasForbidUndocumentedProperties() throws Exception {
        Map<String, Object> spec = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(root.resolve("docs/openapi.yaml")));
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) spec.get("components")).get("schemas");
        List<String> closed = new ArrayList<>();
        List<String> open = new ArrayList<>();
        schemas.forEach((name, schema) -> objectSchemas(name, schema, closed, open));
        int total = closed.size() + open.size();
        assertTrue(total > 50, "object schemas found: " + total);
        assertTrue(closed.size() * 100 >= total * 80, closed.size() + " of " + total
                + " object schemas under components/schemas have additionalProperties: false (under 80 %); open: " + open);
    }

    @SuppressWarnings("unchecked")
    private static void objectSchemas(String where, Object node, List<String> closed, List<String> open) {
        if (!(node instanceof Map<?, ?>)) {
            return;
        }
        Map<String, Object> schema = (Map<String, Object>) node;
        Object additional = schema.get("additionalProperties");
        if (("object".equals(schema.get("type")) || schema.containsKey("properties")) && !(additional instanceof Map<?, ?>)) {
            (Boolean.FALSE.equals(additional) ? closed : open).add(where);
        }
        if (schema.get("properties") instanceof Map<?, ?> properties) {
            properties.forEach((name, s) -> objectSchemas(where + "." + name, s, closed, open));
        }
        objectSchemas(where + "[]", schema.get("items"), closed, open);
        objectSchemas(where + ".*", additional, closed, open);
        objectSchemas(where + "!", schema.get("not"), closed, open);
        for (String composition : List.of("allOf", "anyOf", "oneOf")) {
            if (schema.get(composition) instanceof List<?> parts) {
                for (int i = 0; i < parts.size(); i++) {
                    objectSchemas(where + "/" + composition + i, parts.get(i), closed, open);
                }
            }
        }
    }
}
