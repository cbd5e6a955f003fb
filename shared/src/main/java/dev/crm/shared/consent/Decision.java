package dev.crm.shared.consent;

import dev.crm.shared.json.Times;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to "may we contact this person now, and if not, when?".
 *
 * @param reason        a {@link DecisionReason} wire name; null when allowed
 * @param nextAllowedAt the earliest instant at or after the asked one at which the message is allowed
 *                      (the asked instant itself when allowed); null when only the contact can change
 *                      the answer (a consent reason)
 */
public record Decision(boolean allowed, String reason, Instant nextAllowedAt) {
    public Decision {
        if (allowed && (reason != null || nextAllowedAt == null)) {
            throw new IllegalArgumentException("an allowed decision has no reason and is allowed at some instant");
        }
        if (!allowed && reason == null) {
            throw new IllegalArgumentException("a refusal has a reason");
        }
    }

    public static Decision allow(Instant at) {
        return new Decision(true, null, at);
    }

    public static Decision deny(DecisionReason reason, Instant nextAllowedAt) {
        if (reason.isConsent() != (nextAllowedAt == null)) {
            throw new IllegalArgumentException("consent reasons, and only they, have no next allowed instant");
        }
        return new Decision(false, reason.wire(), nextAllowedAt);
    }

    /** {@code {"allowed", "reason", "nextAllowedAt"}}, every key present (null where there is no value). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("allowed", allowed);
        m.put("reason", reason);
        m.put("nextAllowedAt", nextAllowedAt == null ? null : Times.format(nextAllowedAt));
        return m;
    }
}
