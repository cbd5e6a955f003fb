package dev.crm.shared.consent;

import java.util.Locale;

/** Why a message may not be sent now, in precedence order: a decision reports the first that applies. */
public enum DecisionReason {
    /** The address belonged to an erased contact; only its owner confirming a double opt-in lifts this. */
    SUPPRESSED,
    NO_CONSENT,
    OPTED_OUT_CHANNEL,
    OPTED_OUT_TOPIC,
    PENDING_DOUBLE_OPT_IN,
    PAUSED,
    FREQUENCY_CAP,
    QUIET_HOURS;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Consent reasons never clear with time alone: only the customer acting can lift them. */
    public boolean isConsent() {
        return ordinal() <= PENDING_DOUBLE_OPT_IN.ordinal();
    }
}
