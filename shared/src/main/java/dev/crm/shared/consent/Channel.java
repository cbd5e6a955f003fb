package dev.crm.shared.consent;

import dev.crm.shared.json.JsonObject;
import java.util.Locale;

/**
 * A way of reaching a contact. Wire names are lower_snake_case (`in_app`).
 */
public enum Channel {
    EMAIL, SMS, PHONE, POST, PUSH, IN_APP;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the constant, or null when the text is not one of the wire names */
    public static Channel fromWire(String wire) {
        return JsonObject.enumValue(Channel.class, wire);
    }

    /** The wire names, comma separated, for violation messages. */
    public static String wireNames() {
        return JsonObject.wireNames(Channel.class);
    }
}
