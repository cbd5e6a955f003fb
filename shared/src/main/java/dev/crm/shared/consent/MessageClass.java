package dev.crm.shared.consent;

import dev.crm.shared.json.JsonObject;
import java.util.Locale;

/**
 * What kind of message a sender wants to send: marketing needs consent, transactional messages
 * (receipts, password resets, service notices) are not subject to marketing preferences.
 */
public enum MessageClass {
    MARKETING, TRANSACTIONAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the constant, or null when the text is not one of the wire names */
    public static MessageClass fromWire(String wire) {
        return JsonObject.enumValue(MessageClass.class, wire);
    }

    /** The wire names, comma separated, for violation messages. */
    public static String wireNames() {
        return JsonObject.wireNames(MessageClass.class);
    }
}
