package dev.crm.shared.consent;

import dev.crm.shared.json.JsonObject;
import java.util.Locale;

/**
 * A recorded consent status; "absent" (no record) is represented by null, never by a constant, so
 * absent can never be confused with a status someone chose. {@code PENDING} means a double opt-in message
 * was sent and not yet confirmed; only the confirmation flow sets it.
 */
public enum ConsentStatus {
    OPTED_IN, OPTED_OUT, PENDING;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the constant, or null when the text is not one of the wire names */
    public static ConsentStatus fromWire(String wire) {
        return JsonObject.enumValue(ConsentStatus.class, wire);
    }

    /** The wire names, comma separated, for violation messages. */
    public static String wireNames() {
        return JsonObject.wireNames(ConsentStatus.class);
    }
}
