package dev.crm.bench.warm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.crm.bench.Project;
import dev.crm.devkit.LocalDynamoDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The bench's capacity pass as a gate: every API route and the authorizer, through its real handler
 * (loaded from the function's artifact) against DynamoDB Local, consumes at most the RCU and WCU that
 * docs/performance.md's capacity table ("3. DynamoDB capacity per operation") documents for its
 * sample, so a change cannot raise what a request costs without changing that table. Units, not time:
 * the figures are deterministic for a fixture, so one repeat is enough.
 */
class CapacityBudgetIT {
    /** Floating-point slack only: the units are multiples of 0.5, and so are the table's figures. */
    private static final double SLACK = 1e-6;

    private static LocalDynamoDb db;
    private static DynamoDbClient admin;

    @BeforeAll
    static void start() {
        db = LocalDynamoDb.start(null);
        admin = db.client();
    }

    @AfterAll
    static void stop() {
        admin.close();
        db.close();
    }

    @Test
    void everyDocumentedRouteCostsAtMostItsDocumentedUnits() throws IOException {
        Project project = Project.locate();
        Map<String, double[]> documented = documented(project.root().resolve("docs/performance.md"));
        assertFalse(documented.isEmpty(), "docs/performance.md has no capacity table (### 3. DynamoDB capacity per operation)");
        boolean built = project.samples().stream().anyMatch(s -> s.functionId() != null
                && project.module(s.functionId()) != null && project.builtArtifact(project.module(s.functionId())) != null);
        assumeTrue(built, "no function artifact built (run mvn package or verify first)");

        LocalDynamoDb.createTable(admin, project.template(), WarmMain.CAPACITY_TABLE);
        List<Object> rows = WarmMain.capacity(project, db.endpoint(), 1, admin,
                s -> documented.containsKey(s.name()) && (s.isApi() || "authorizer".equals(s.route())), false);

        List<String> over = new ArrayList<>();
        int measured = 0;
        for (Object o : rows) {
            @SuppressWarnings("unchecked")
            Map<String, Object> row = (Map<String, Object>) o;
            String sample = (String) row.get("sample");
            double[] budget = sample == null ? null : documented.get(sample);
            if (budget == null || row.containsKey("skipped")) {
                continue;
            }
            measured++;
            double rcu = ((Number) row.get("rcu")).doubleValue();
            double wcu = ((Number) row.get("wcu")).doubleValue();
            // every route's figure beside its budget in the test's output: a route now cheaper is a row to lower
            System.out.println("capacity " + row.get("route") + " (" + sample + ", " + row.get("status") + ", "
                    + row.get("calls") + "): " + rcu + " RCU / " + wcu + " WCU (" + row.get("indexWcu") + " index; reported "
                    + row.get("reported") + "), documented "
                    + budget[0] + " / " + budget[1]);
            if (rcu > budget[0] + SLACK || wcu > budget[1] + SLACK) {
                over.add(row.get("route") + " (" + sample + ", " + row.get("status") + ", " + row.get("calls") + "): "
                        + rcu + " RCU / " + wcu + " WCU, documented " + budget[0] + " / " + budget[1]);
            }
        }
        assumeTrue(measured > 0, "no documented route's handler could be loaded");
        assertTrue(over.isEmpty(), "over the documented capacity (docs/performance.md, section 3):\n  "
                + String.join("\n  ", over));
    }

    /** sample → {RCU, WCU} from the rows of the capacity table (route, sample, status, calls, RCU, WCU, …). */
    static Map<String, double[]> documented(Path performanceMd) throws IOException {
        Map<String, double[]> out = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(performanceMd)) {
            if (line.startsWith("### ")) {
                inSection = line.startsWith("### 3. DynamoDB capacity per operation");
                continue;
            }
            if (!inSection || !line.startsWith("| ")) {
                continue;
            }
            String[] cells = line.split("\\|");
            // cells[0] is empty (the leading bar): route, sample, status, calls, RCU, WCU (of which indexes)
            if (cells.length < 7 || !cells[2].trim().endsWith(".json")) {
                continue;
            }
            try {
                double rcu = Double.parseDouble(cells[5].trim());
                double wcu = Double.parseDouble(cells[6].trim().split(" ")[0]);
                out.put(cells[2].trim(), new double[] {rcu, wcu});
            } catch (NumberFormatException notAFigure) {
                // a row without figures (skipped sample): nothing to hold the route to
            }
        }
        return out;
    }
}
