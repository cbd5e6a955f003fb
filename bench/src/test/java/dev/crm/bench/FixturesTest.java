package dev.crm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.tenant.TenantId;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

class FixturesTest {
    @Test
    void placeholdersIdempotencyKeysAndTheExampleSlugAreReplaced() {
        var extra = new LinkedHashMap<String, String>();
        extra.put("c_example0000000000000", "c_made");
        var f = new Fixtures.Fixture(new TenantId("t_bbbbbbbbbbbbbbbbbbbbbb"), "t-slug", "crm_live_secret", "hash",
                "key_read", "tok1", extra);
        String sample = """
                {"path":"/v1/contacts/c_example0000000000000","headers":{"Idempotency-Key":"4a8f-acme",
                 "Authorization":"Bearer crm_live_EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEX"},
                 "multiValueHeaders":{"Idempotency-Key":["4a8f-acme"]},
                 "requestContext":{"authorizer":{"tenantId":"t_example0000000000000","keyId":"key_example0000000000000"}},
                 "body":"{\\"slug\\": \\"acme\\"}"}""";
        String out = Fixtures.apply(sample, f);
        assertTrue(out.contains("/v1/contacts/c_made"), out);
        assertTrue(out.contains("\"Idempotency-Key\":\"4a8f-acme-tok1-tok1\""), out);
        assertTrue(out.contains("[\"4a8f-acme-tok1-tok1\"]"), out);
        assertTrue(out.contains("Bearer crm_live_secret"), out);
        assertTrue(out.contains("\"tenantId\":\"t_bbbbbbbbbbbbbbbbbbbbbb\""), out);
        assertTrue(out.contains("\"keyId\":\"key_read\""), out);
        assertTrue(out.contains("\\\"slug\\\": \\\"acme-tok1\\\""), out);
        assertEquals(-1, out.indexOf("example0000"));
    }
}
