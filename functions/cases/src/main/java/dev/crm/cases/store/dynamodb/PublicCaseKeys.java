package dev.crm.cases.store.dynamodb;

import dev.crm.shared.tenant.TenantId;
import java.time.Instant;

/** The key formats of the public case routes' rate counters (docs/data-model.md, "Public case rate counters"). */
public final class PublicCaseKeys {
    private PublicCaseKeys() {}

    /**
     * One partition per limit and subject (a keyed pseudonym or a case id, never an address); the sort key
     * is the window. Under {@code #RATE#} with the other public rate counters (their limit names differ).
     */
    public static String rateCounter(TenantId t, String limitName, String subject) {
        return t.value() + "#RATE#" + limitName + "#" + subject;
    }

    public static String window(Instant windowStart) {
        return "W#" + windowStart.getEpochSecond();
    }
}
