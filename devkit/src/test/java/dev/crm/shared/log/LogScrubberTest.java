package dev.crm.shared.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.devkit.CapturedLogs;
import dev.crm.shared.tenant.ApiKeys;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tokens.SignedTokens;
import dev.crm.shared.tokens.TokenPurpose;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scrubber, the logs' second line of defence, on its own: each mask, and that a log line carries
 * none of what it masks. The inputs never reach an output unscrubbed (they are arguments only), so the
 * log watch, which sees every line written here, stays quiet unless a mask fails.
 */
class LogScrubberTest {
    private static final String TOKEN = SignedTokens.issue(TenantId.generate(), TenantSecrets.generate(),
            TokenPurpose.PREFERENCES, "c_1", Map.of(), Instant.parse("2026-01-01T00:00:00Z"), Duration.ofDays(7));

    @Test
    void keysAreMaskedToTheirFamily() {
        String key = ApiKeys.generate();
        assertEquals("key crm_***", Log.scrub("key " + key));
        assertEquals("crm_***", Log.scrub("crm_op_Q7mZ2xV9kL4pW8nR3tY6bH1cJ5dF0gS2aE7uI9oP4lK8jM3n"));
        assertEquals("signing with whsec_***", Log.scrub("signing with whsec_q+3fZ/8kLm0Pz1uV9xY2wA7bC4dE6fG8hJ0kL2mN4o="),
                "a webhook signing secret");
    }

    @Test
    void signedTokensLoseTheirPayloadAndSignature() {
        String kid = TOKEN.substring(0, TOKEN.indexOf('.'));
        assertEquals("link " + kid + ".***", Log.scrub("link " + TOKEN));
        assertEquals("***", Log.scrub("eyJhbGciOiJIUzI1NiJ9abc.eyJzdWIiOiIxMjM0NTY3ODkwIn0xyz"));
    }

    @Test
    void emailAddressesAreMaskedWhole() {
        assertEquals("to ***@*** and ***@***", Log.scrub("to jane.doe@example.com and Jo+news@shop.example.co.uk"));
    }

    @Test
    void phoneNumbersAreMaskedInternationalOrAsLongRunsOfDigits() {
        assertEquals("call *** now", Log.scrub("call +44 20 7946 0958 now"));
        assertEquals("call ***", Log.scrub("call +14155550123"));
        assertEquals("call ***", Log.scrub("call 07946095800"));
    }

    @Test
    void whatIsNotPersonalIsLeftAsItIs() {
        String plain = "contact c_01HZX status opted_in after 250 ms, 12 items, 2026-01-01T00:00:00Z";
        assertEquals(plain, Log.scrub(plain));
        assertEquals("", Log.scrub(""));
        assertNull(Log.scrub(null));
    }

    @Test
    void aLogLineCarriesNoneOfItInTheMessageFieldsListsOrMaps() {
        String key = ApiKeys.generate();
        String line;
        try (var logs = CapturedLogs.start()) {
            Log.info("sent to jane.doe@example.com", Map.of(
                    "a", "key " + key + " and jane.doe@example.com, +44 20 7946 0958",
                    "b", "token " + TOKEN,
                    "recipients", List.of("jo@example.org", "+14155550123"),
                    "nested", Map.of("email", "max@example.net"),
                    "count", 3));
            line = logs.lines().get(0);
        }
        assertFalse(line.contains(key.substring(9)), line);
        assertFalse(line.contains("jane.doe"), line);
        assertFalse(line.contains("7946"), line);
        assertFalse(line.contains(TOKEN.substring(TOKEN.indexOf('.') + 1)), line);
        assertFalse(line.contains("jo@"), line);
        assertFalse(line.contains("4155550123"), line);
        assertFalse(line.contains("max@"), line);
        assertTrue(line.contains("\"level\":\"INFO\""), line);
        assertTrue(line.contains("\"count\":3"), line);
    }
}
