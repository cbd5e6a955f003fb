package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runner refuses to start with a CRM_OPERATOR_KEY the authorizer would never accept (it would
 * answer every operator request 401 with no hint), and says why, before it binds or starts anything.
 */
class OperatorKeyCheckTest {

    @Test
    void aMalformedOperatorKeyStopsTheStartWithAMessageThatSaysWhatIsRequired() throws Exception {
        for (String key : List.of("secret", "crm_op_short", "crm_op_pick-a-long-random-operator-key-0123456789",
                "CRM_OP_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123", "crm_op_" + "a".repeat(122), " crm_op_abcdefghijklmnopqrstuvwxyz")) {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            var e = assertThrows(IllegalArgumentException.class,
                    () -> LocalRunner.start(port, true, null, Map.of("CRM_OPERATOR_KEY", key)).close(), key);
            String m = e.getMessage();
            assertTrue(m.startsWith("CRM_OPERATOR_KEY is not a usable operator key: "), m);
            assertTrue(m.contains("crm_op_ followed by ASCII letters, digits or _, 20 to 128 characters in all"), m);
            assertFalse(m.contains(key.strip()), "the message does not repeat the value: " + m);
            // refused before anything started: the port was never bound
            try (ServerSocket again = new ServerSocket()) {
                assertDoesNotThrow(() -> again.bind(new InetSocketAddress("127.0.0.1", port)), key);
            }
        }
    }

    @Test
    void theMessageNamesWhatIsWrong() {
        assertTrue(message("secret").contains("it does not start with crm_op_"));
        assertTrue(message("crm_op_short").contains("it has 12 characters, not 20 to 128"));
        assertTrue(message("crm_op_pick-a-long-random-operator-key").contains("characters other than ASCII letters, digits and _"));
    }

    @Test
    void wellFormedUnsetAndBlankKeysAreAccepted() {
        assertDoesNotThrow(() -> LocalRunner.requireUsableOperatorKey("crm_op_abcdefghijklm"));
        assertDoesNotThrow(() -> LocalRunner.requireUsableOperatorKey("crm_op_" + "A_1".repeat(40)));
        assertDoesNotThrow(() -> LocalRunner.requireUsableOperatorKey(null));
        assertDoesNotThrow(() -> LocalRunner.requireUsableOperatorKey("  "));
    }

    private static String message(String key) {
        return assertThrows(IllegalArgumentException.class, () -> LocalRunner.requireUsableOperatorKey(key)).getMessage();
    }
}
