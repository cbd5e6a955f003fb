package dev.crm.surveys.domain;

import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.nio.charset.StandardCharsets;

/**
 * Response ids. A submission with an Idempotency-Key gets an id derived from the key (and the tenant
 * and survey it is scoped to): a first attempt that stored its response but crashed before its
 * idempotency record was sealed is retried under the same id, and the store's id guard turns the
 * retry into a replay instead of a second response. Without a key the id is random.
 */
public final class ResponseIds {
    public static final String PREFIX = "rsp_";
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final int LENGTH = 20;

    private ResponseIds() {}

    public static String random() {
        return Ids.random(PREFIX, LENGTH);
    }

    /** The same key on the same survey always gives the same id; 100 bits, like every id the product issues. */
    public static String forIdempotencyKey(TenantId tenant, String surveyId, String idempotencyKey) {
        byte[] hash = Hashes.sha256(("survey-response|" + tenant.value() + "|" + surveyId + "|" + idempotencyKey)
                .getBytes(StandardCharsets.UTF_8));
        char[] out = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = ALPHABET[hash[i] & 31];
        }
        return PREFIX + new String(out);
    }

    /** An imported line's response: the same job and line always give the same id, so a replayed step writes it once. */
    public static String forImportLine(String jobId, int line) {
        return derived("survey-response-import|" + jobId + "|" + line);
    }

    private static String derived(String seed) {
        byte[] hash = Hashes.sha256(seed.getBytes(StandardCharsets.UTF_8));
        char[] out = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = ALPHABET[hash[i] & 31];
        }
        return PREFIX + new String(out);
    }

    public static boolean isId(String value) {
        return Ids.isValid(PREFIX, value);
    }
}
