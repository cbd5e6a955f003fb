package dev.crm.authorizer.store.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.crm.authorizer.config.SecretsManagerClients;
import dev.crm.authorizer.domain.OperatorKeyForm;
import dev.crm.devkit.MutableClock;
import dev.crm.shared.config.Settings;
import dev.crm.shared.crypto.Hashes;
import java.time.Instant;
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
class ConfiguredOperatorKeyRepositoryTest {
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

    private final MutableClock clock = MutableClock.at("1970-01-01T00:00:00Z");

    private ConfiguredOperatorKeyRepository fromSecret() {
        return configured(new Settings(Map.of("OPERATOR_KEY_SECRET_ARN", ARN, "AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:" + secretsManager.getAddress().getPort())));
    }

    private ConfiguredOperatorKeyRepository configured(Settings settings) {
        return new ConfiguredOperatorKeyRepository(settings, clock, () -> SecretsManagerClients.create(settings));
    }

    /** Whether {@code presented} is the operator key at {@code nowMillis}, as the authorizer compares them. */
    private boolean matches(ConfiguredOperatorKeyRepository key, String presented, long nowMillis) {
        clock.set(Instant.ofEpochMilli(nowMillis));
        byte[] expected = key.currentKeyHash();
        return expected != null && Hashes.equal(expected, Hashes.sha256(presented.getBytes(StandardCharsets.UTF_8)));
    }

    private List<String> malformedLines() {
        synchronized (lines) {
            return lines.stream().filter(l -> l.contains("operator key is malformed")).toList();
        }
    }

    @Test
    void aMalformedSecretIsLoggedOnceWithoutItsValue() {
        secretValue = MALFORMED;
        ConfiguredOperatorKeyRepository key = fromSecret();
        String presented = OperatorKeyForm.PREFIX + GOOD;
        assertFalse(matches(key, presented, 0));
        assertFalse(matches(key, presented, 1_000));
        assertFalse(matches(key, presented, 301_000)); // refreshed: read again, still malformed
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
        assertTrue(matches(key, presented, 602_000));
        assertEquals(1, malformedLines().size());
        secretValue = "";
        assertFalse(matches(key, presented, 903_000));
        assertFalse(matches(key, presented, 1_204_000));
        assertEquals(2, malformedLines().size());
        assertTrue(malformedLines().get(1).contains("the secret has no value"), malformedLines().get(1));
    }

    @Test
    void aWellFormedSecretIsAcceptedAndNothingIsLogged() {
        secretValue = GOOD;
        assertTrue(matches(fromSecret(), OperatorKeyForm.PREFIX + GOOD, 0));
        assertEquals(List.of(), malformedLines());
    }

    @Test
    void aMalformedCrmOperatorKeyIsLoggedOnceWithoutItsValueAndAnEmptyOneMeansNone() {
        String configured = "secret-operator-key-0123456789";
        ConfiguredOperatorKeyRepository key = configured(new Settings(Map.of("CRM_OPERATOR_KEY", configured)));
        assertFalse(matches(key, configured, 0));
        assertFalse(matches(key, configured, 301_000));
        List<String> logged = malformedLines();
        assertEquals(1, logged.size(), "logged once: " + logged);
        assertTrue(logged.get(0).contains("\"source\":\"CRM_OPERATOR_KEY\""), logged.get(0));
        assertTrue(logged.get(0).contains("it does not start with crm_op_"), logged.get(0));
        assertFalse(logged.get(0).contains(configured), logged.get(0));

        assertFalse(matches(configured(new Settings(Map.of("CRM_OPERATOR_KEY", ""))), OperatorKeyForm.PREFIX + GOOD, 0));
        assertEquals(1, malformedLines().size(), "an empty CRM_OPERATOR_KEY is no operator key, not a malformed one");
        assertEquals(0, fetches.get());
    }

    @Test
    void theRuleIsTheOneTheAuthorizerAppliesToEveryKey() {
        String min = OperatorKeyForm.PREFIX + "a".repeat(OperatorKeyForm.MIN_LENGTH - OperatorKeyForm.PREFIX.length());
        String max = OperatorKeyForm.PREFIX + "a".repeat(OperatorKeyForm.MAX_LENGTH - OperatorKeyForm.PREFIX.length());
        for (String k : List.of(min, max, OperatorKeyForm.PREFIX + GOOD, min + "_9Z")) {
            assertNull(OperatorKeyForm.problem(k), k);
            assertTrue(ApiKeys.looksValid(k), k);
        }
        for (String k : List.of(min.substring(1), max + "a", min.substring(0, min.length() - 1), OperatorKeyForm.PREFIX + GOOD + "-",
                "crm_live_" + GOOD, GOOD, OperatorKeyForm.PREFIX + "ä".repeat(20))) {
            assertTrue(OperatorKeyForm.problem(k) != null, k);
            assertTrue(!ApiKeys.looksValid(k) || !k.startsWith(OperatorKeyForm.PREFIX), k);
        }
    }
}
