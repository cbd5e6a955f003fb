package dev.crm.devkit;

import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tokens.SignedTokens;
import dev.crm.shared.tokens.TokenPurpose;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Real signed tokens for the token placeholders of the samples (tok_example_…), for one contact. */
public final class SampleTokens {
    private SampleTokens() {}

    public static Map<String, String> mint(TenantId t, TenantSecrets secrets, String contactId, Instant now) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tok_example_confirm", SignedTokens.issue(t, secrets, TokenPurpose.CONFIRM_SUBSCRIPTION, contactId,
                Map.of("ch", "email", "t0", "newsletter"), now, Duration.ofDays(7)));
        m.put("tok_example_preferences", SignedTokens.issue(t, secrets, TokenPurpose.PREFERENCES, contactId, null, now,
                Duration.ofDays(90)));
        m.put("tok_example_unsubscribe", SignedTokens.issue(t, secrets, TokenPurpose.UNSUBSCRIBE_TOPIC, contactId,
                Map.of("ch", "email", "tp", "newsletter"), now, Duration.ofDays(365)));
        return m;
    }

    /**
     * The case link (tok_example_case) for the samples' case, once a sample created it (cs_example… is
     * known) with the samples' contact; empty before that, or once minted.
     */
    public static Map<String, String> mintCase(TenantId t, TenantSecrets secrets, Map<String, String> replace, Instant now) {
        String caseId = replace.get("cs_example0000000000000");
        String contactId = replace.get("c_example0000000000000");
        if (caseId == null || contactId == null || replace.containsKey("tok_example_case")) {
            return Map.of();
        }
        return Map.of("tok_example_case", SignedTokens.issue(t, secrets, TokenPurpose.CASE_ACCESS, caseId,
                Map.of("ct", contactId), now, Duration.ofDays(90)));
    }
}
