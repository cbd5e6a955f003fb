package dev.crm.preferences.domain;

import dev.crm.shared.json.JsonObject;
import java.util.Locale;

/**
 * The lawful basis of processing a consent change is recorded under (GDPR Art. 6(1)(a)–(f)).
 */
public enum LegalBasis {
    CONSENT, CONTRACT, LEGAL_OBLIGATION, VITAL_INTERESTS, PUBLIC_TASK, LEGITIMATE_INTERESTS;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the constant, or null when the text is not one of the wire names */
    public static LegalBasis fromWire(String wire) {
        return JsonObject.enumValue(LegalBasis.class, wire);
    }

    /** The wire names, comma separated, for violation messages. */
    public static String wireNames() {
        return JsonObject.wireNames(LegalBasis.class);
    }
}
