package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.http.ProblemType;
import dev.crm.devkit.SamTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
