package dev.crm.bench;

import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.tenant.ApiKeyRecord;
import dev.crm.shared.tenant.ApiKeys;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.SampleEvents;
import dev.crm.devkit.TestInfrastructure;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Data a sample event needs to succeed, made fresh for every run through the store (as the sample
 * test does): an active tenant with its admin key and a second (read) key. The samples' placeholders
 * are replaced with them: the example tenant id, admin key, key id, operator key, and the example
 * slug {@code acme} (made unique, so provisioning never collides); Idempotency-Key values get a
 * unique suffix, so a run never replays an earlier one.
 */
public final class Fixtures {
    public static final String EXAMPLE_KEY = "crm_live_EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEX";
    public static final String EXAMPLE_OPERATOR_KEY = "crm_op_EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLE";
    public static final String EXAMPLE_KEY_ID = "key_example0000000000000";
    public static final String EXAMPLE_SLUG = "acme";
    public static final String OPERATOR_KEY = TestInfrastructure.OPERATOR_KEY;

    private static final Pattern IDEMPOTENCY = Pattern.compile("\"Idempotency-Key\"\\s*:\\s*\\[?\\s*\"([^\"]+)\"");
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final String RUN = Long.toString(new SecureRandom().nextLong() & 0xffffffffL, 36);

    private Fixtures() {}

    /** @param extra ids made by preparation steps, keyed by the placeholder they replace */
    public record Fixture(TenantId tenant, String slug, String adminKey, String adminKeyHash, String readKeyId,
            String token, Map<String, String> extra) {
        public Map<String, String> replacements() {
            Map<String, String> r = new LinkedHashMap<>();
            // The slug first: the generated ids and keys that follow could contain "acme" by chance.
            r.put(EXAMPLE_SLUG, EXAMPLE_SLUG + "-" + token);
            r.putAll(extra);
            r.put(SampleEvents.EXAMPLE_TENANT, tenant.value());
            r.put(EXAMPLE_KEY, adminKey);
            r.put(EXAMPLE_OPERATOR_KEY, OPERATOR_KEY);
            r.put(EXAMPLE_KEY_ID, readKeyId);
            return r;
        }
    }

    /** A new tenant (admin key) plus a read key, written directly to the store. */
    public static Fixture create(Infrastructure infra) {
        var t = TestInfrastructure.tenant(infra);
        String secret = ApiKeys.generate();
        var now = infra.clock().instant();
        String keyId = Ids.random("key_", 20);
        infra.tenants().createKey(new ApiKeyRecord(t.id(), keyId, "bench read", Scope.READ,
                ApiKeys.displayPrefix(secret), Hashes.sha256Hex(secret), now, null, null));
        return new Fixture(t.id(), t.slug(), t.adminKey(), ApiKeys.hash(t.adminKey()), keyId, token(),
                new LinkedHashMap<>());
    }

    /** A short token unique in this process run: lower-case letters and digits (valid in a slug). */
    public static String token() {
        return RUN + Long.toString(COUNTER.incrementAndGet(), 36);
    }

    /** The sample's text with the fixture's values in place of the placeholders. */
    public static String apply(String sampleText, Fixture f) {
        String text = suffixIdempotencyKeys(sampleText, "-" + f.token());
        for (var r : f.replacements().entrySet()) {
            text = text.replace(r.getKey(), r.getValue());
        }
        return text;
    }

    /** The text with {@code suffix} appended to every Idempotency-Key value (header and multi-value header). */
    public static String suffixIdempotencyKeys(String text, String suffix) {
        String out = text;
        Matcher m = IDEMPOTENCY.matcher(text);
        while (m.find()) {
            String key = m.group(1);
            out = out.replace("\"" + key + "\"", "\"" + key + suffix + "\"");
        }
        return out;
    }
}
