package dev.crm.local;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.churn.entrypoints.ChurnAlertsHandler;
import dev.crm.churn.entrypoints.ChurnRunWorker;
import dev.crm.contacts.entrypoints.ContactJobsWorker;
import dev.crm.contacts.entrypoints.ContactsHandler;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.SampleEvents;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The raw CDNOW sample (../shared/datasets/cdnow/CDNOW_sample.txt, read by the test only) loaded through
 * POST /v1/interactions/imports, then a backtest churn run at the end of the calibration period through
 * the churn API: the run's BG/NBD fit is the published one (Fader, Hardie &amp; Lee 2005: r 0.243,
 * α 4.414, a 0.793, b 2.426, to the 3 decimals CdnowBgNbdTest checks). The handlers and workers are
 * the real ones, invoked directly on a table of its own without a stream (DynamoDB Local appends stream
 * records under one global lock, which would make this test slow; nothing here reads the stream).
 */
class CdnowImportIT {
    static final String TABLE = "CdnowImport";
    static final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    static Infrastructure infra;

    @BeforeAll
    static void table() {
        var client = LocalDynamoDb.shared().client();
        LocalDynamoDb.createTable(client, SamTemplate.load(), TABLE);
        client.updateTable(b -> b.tableName(TABLE).streamSpecification(s -> s.streamEnabled(false)));
        infra = TestInfrastructure.create(clock, Map.of("TABLE_NAME", TABLE));
    }

    @AfterAll
    static void drop() {
        LocalDynamoDb.shared().client().deleteTable(b -> b.tableName(TABLE));
    }

    /** The sample next to the repository (the product never reads it). */
    static Path sample() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("template.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("not inside the repository");
        }
        Path file = dir.resolve("../shared/datasets/cdnow/CDNOW_sample.txt").normalize();
        if (!Files.exists(file)) {
            throw new IllegalStateException("the CDNOW sample is missing: " + file);
        }
        return file;
    }

    static String location(Object response) {
        var r = (com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent) response;
        status(r, 202);
        return header(r, "Location");
    }

    static String id(String location) {
        return location.substring(location.lastIndexOf('/') + 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRawSampleImportedThroughTheApiReproducesThePublishedFit() throws Exception {
        TenantId t = TestInfrastructure.tenant(infra).id();
        List<String> raw = Files.readAllLines(sample());
        StringBuilder ndjson = new StringBuilder();
        Set<String> customers = new HashSet<>();
        int lines = 0;
        for (String line : raw) {
            if (line.isBlank()) {
                continue;
            }
            // customer id, master id, YYYYMMDD, CDs, dollar value
            String[] f = line.trim().split("\\s+");
            String day = f[2].substring(0, 4) + "-" + f[2].substring(4, 6) + "-" + f[2].substring(6, 8);
            customers.add(f[0]);
            ndjson.append("{\"contact\": {\"externalId\": \"cdnow-").append(f[0]).append("\"}, \"type\": \"purchase\", ")
                    .append("\"occurredAt\": \"").append(day).append("T12:00:00Z\", \"value\": {\"amount\": \"").append(f[4])
                    .append("\"}}\n");
            lines++;
        }
        assertEquals(6919, lines);
        assertEquals(2357, customers.size());

        var contacts = new ContactsHandler(infra);
        String imp = location(contacts.handleRequest(ApiEvents.request("POST", "/v1/interactions/imports").as(t, Scope.WRITE)
                .query("createContacts", "true").body("application/x-ndjson", ndjson.toString()).build(), new LambdaContext()));
        new ContactJobsWorker(infra).handleRequest(SampleEvents.jobQueued(Keys.job(t, id(imp))), new LambdaContext());
        var job = body(contacts.handleRequest(ApiEvents.request("GET", "/v1/interactions/imports/{id}").path("id", id(imp))
                .as(t, Scope.READ).build(), new LambdaContext()));
        assertEquals("succeeded", job.get("status"), job.toString());
        Map<String, Object> imported = (Map<String, Object>) job.get("result");
        assertEquals(6919L, imported.get("imported"));
        assertEquals(List.of(), imported.get("rejected"));

        var churn = new ChurnAlertsHandler(infra);
        String run = location(churn.handleRequest(ApiEvents.request("POST", "/v1/churn-runs").as(t, Scope.WRITE)
                .json("{\"asOf\": \"1997-09-30\"}").build(), new LambdaContext()));
        new ChurnRunWorker(infra).handleRequest(SampleEvents.jobQueued(Keys.job(t, id(run))), new LambdaContext());
        var done = body(churn.handleRequest(ApiEvents.request("GET", "/v1/churn-runs/{id}").path("id", id(run))
                .as(t, Scope.READ).build(), new LambdaContext()));
        assertEquals("succeeded", done.get("status"), done.toString());
        Map<String, Object> result = (Map<String, Object>) done.get("result");
        assertEquals(true, result.get("backtest"));
        assertEquals(2357L, ((Number) result.get("customers")).longValue(), "every customer's first purchase is in Q1 1997");
        Map<String, Object> model = (Map<String, Object>) result.get("model");
        assertEquals(0.243, round3(model.get("r")), model.toString());
        assertEquals(4.414, round3(model.get("alpha")), model.toString());
        assertEquals(0.793, round3(model.get("a")), model.toString());
        assertEquals(2.426, round3(model.get("b")), model.toString());
        assertTrue(Boolean.FALSE.equals(model.get("fallbackRule")));
    }

    static double round3(Object v) {
        return Math.round(((Number) v).doubleValue() * 1000.0) / 1000.0;
    }
}
