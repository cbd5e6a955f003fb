package dev.crm.authorizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.crm.shared.config.Settings;
import dev.crm.shared.log.Log;
import dev.crm.shared.tenant.ApiKeys;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A configured operator key the authorizer can never accept is logged once, with what is wrong and
 * where it came from, never with its value; the secret path is exercised against a stand-in for
 * Secrets Manager (GetSecretValue over the SDK's JSON protocol).
 */
class OperatorKeyTest {
    static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:crm-operator-key-AbCdEf";
    static final String MALFORMED = "short secret!";
    static final String GOOD = "Q7mZ2xV9kL4pW8nR3tY6bH1cJ5dF0gS2aE7uI9oP4lK8jM3n"; // 48 letters and digits, as the template generates

    private final List<String> lines = new ArrayList<>();
    private Consumer<String> previous;
    private HttpServer secretsManager;
    private volatile String secretValue;
    private final AtomicInteger fetches = new AtomicInteger();

    @BeforeEach
    void capture() throws Exception {
        previous = Log.sink();
        Log.sink(line -> {
            synchronized (lines) {
                lines.add(line);
            }
            previous.accept(line);
        });
        secretsManager = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        secretsManager.createContext("/", ex -> {
            fetches.incrementAndGet();
            assertEquals("secretsmanager.GetSecretValue", ex.getRequestHeaders().getFirst("X-Amz-Target"));
            byte[] body = dev.crm.shared.json.Json.write(Map.of("ARN", ARN, "Name", "crm-operator-key", "VersionId", "v1",
                    "SecretString", secretValue)).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        secretsManager.start();
    }

    @AfterEach
    void release() {
        Log.sink(previous);
        secretsManager.stop(0);
    }

    private OperatorKey fromSecret() {
        return new OperatorKey(new Settings(Map.of("OPERATOR_KEY_SECRET_ARN", ARN, "AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:" + secretsManager.getAddress().getPort())));
    }

    private List<String> malformedLines() {
        synchronized (lines) {
            return lines.stream().filter(l -> l.contains("operator key is malformed")).toList();
        }
    }

    @Test
    void aMalformedSecretIsLoggedOnceWithoutItsValue() {
        secretValue = MALFORMED;
        OperatorKey key = fromSecret();
        String presented = OperatorKey.PREFIX + GOOD;
        assertFalse(key.matches(presented, 0));
        assertFalse(key.matches(presented, 1_000));
        assertFalse(key.matches(presented, 301_000)); // refreshed: read again, still malformed
        assertEquals(2, fetches.get(), "the secret was read again after the refresh interval");
        List<String> logged = malformedLines();
        assertEquals(1, logged.size(), "logged once: " + logged);
        String line = logged.get(0);
        assertTrue(line.contains("\"level\":\"ERROR\""), line);
        assertTrue(line.contains("\"source\":\"OPERATOR_KEY_SECRET_ARN\""), line);
        assertTrue(line.contains(":secret:crm-operator-key-AbCdEf"), "names the secret (the account id is scrubbed): " + line);
        assertTrue(line.contains("characters other than ASCII letters, digits and _"), line);
        assertTrue(line.contains("crm_op_ followed by ASCII letters, digits or _, 20 to 128 characters in all"), line);
        assertFalse(line.contains(MALFORMED), "the value is not logged: " + line);
        assertFalse(line.contains("short"), "no part of the value is logged: " + line);

        // fixed: accepted, nothing more logged; broken again: logged again, once
        secretValue = GOOD;
        assertTrue(key.matches(presented, 602_000));
        assertEquals(1, malformedLines().size());
        secretValue = "";
        assertFalse(key.matches(presented, 903_000));
        assertFalse(key.matches(presented, 1_204_000));
        assertEquals(2, malformedLines().size());
        assertTrue(malformedLines().get(1).contains("the secret has no value"), malformedLines().get(1));
    }

    @Test
    void aWellFormedSecretIsAcceptedAndNothingIsLogged() {
        secretValue = GOOD;
        assertTrue(fromSecret().matches(OperatorKey.PREFIX + GOOD, 0));
        assertEquals(List.of(), malformedLines());
    }

    @Test
    void aMalformedCrmOperatorKeyIsLoggedOnceWithoutItsValueAndAnEmptyOneMeansNone() {
        String configured = "secret-operator-key-0123456789";
        OperatorKey key = new OperatorKey(new Settings(Map.of("CRM_OPERATOR_KEY", configured)));
        assertFalse(key.matches(configured, 0));
        assertFalse(key.matches(configured, 301_000));
        List<String> logged = malformedLines();
        assertEquals(1, logged.size(), "logged once: " + logged);
        assertTrue(logged.get(0).contains("\"source\":\"CRM_OPERATOR_KEY\""), logged.get(0));
        assertTrue(logged.get(0).contains("it does not start with crm_op_"), logged.get(0));
        assertFalse(logged.get(0).contains(configured), logged.get(0));

        assertFalse(new OperatorKey(new Settings(Map.of("CRM_OPERATOR_KEY", ""))).matches(OperatorKey.PREFIX + GOOD, 0));
        assertEquals(1, malformedLines().size(), "an empty CRM_OPERATOR_KEY is no operator key, not a malformed one");
        assertEquals(0, fetches.get());
    }

    @Test
    void theRuleIsTheOneTheAuthorizerAppliesToEveryKey() {
        String min = OperatorKey.PREFIX + "a".repeat(OperatorKey.MIN_LENGTH - OperatorKey.PREFIX.length());
        String max = OperatorKey.PREFIX + "a".repeat(OperatorKey.MAX_LENGTH - OperatorKey.PREFIX.length());
        for (String k : List.of(min, max, OperatorKey.PREFIX + GOOD, min + "_9Z")) {
            assertNull(OperatorKey.problem(k), k);
            assertTrue(ApiKeys.looksValid(k), k);
        }
        for (String k : List.of(min.substring(1), max + "a", min.substring(0, min.length() - 1), OperatorKey.PREFIX + GOOD + "-",
                "crm_live_" + GOOD, GOOD, OperatorKey.PREFIX + "ä".repeat(20))) {
            assertTrue(OperatorKey.problem(k) != null, k);
            assertTrue(!ApiKeys.looksValid(k) || !k.startsWith(OperatorKey.PREFIX), k);
        }
    }
}
