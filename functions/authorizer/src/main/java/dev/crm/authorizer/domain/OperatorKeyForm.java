package dev.crm.authorizer.domain;

import dev.crm.shared.tenant.ApiKeys;

/**
 * What an operator key must look like for the authorizer to accept it: {@code crm_op_} and the
 * characters and length every presented key is held to ({@link ApiKeys#looksValid}). The authorizer
 * refuses any other bearer value before it looks at it, so a configured key of another form could
 * never authenticate; the local runner refuses to start with one, the authorizer logs it once.
 */
public final class OperatorKeyForm {
    public static final String PREFIX = KeyAuthentication.OPERATOR_PREFIX;
    public static final int MIN_LENGTH = 20;
    public static final int MAX_LENGTH = 128;
    /** The rule in words, for messages. */
    public static final String FORM = PREFIX + " followed by ASCII letters, digits or _, " + MIN_LENGTH + " to " + MAX_LENGTH
            + " characters in all";

    private OperatorKeyForm() {}

    /** What keeps {@code key} from being an acceptable operator key, in words that do not repeat it; null when none. */
    public static String problem(String key) {
        if (key == null || key.isEmpty()) {
            return "it is empty";
        }
        if (!key.startsWith(PREFIX)) {
            return "it does not start with " + PREFIX;
        }
        if (key.length() < MIN_LENGTH || key.length() > MAX_LENGTH) {
            return "it has " + key.length() + " characters, not " + MIN_LENGTH + " to " + MAX_LENGTH;
        }
        if (!ApiKeys.looksValid(key)) {
            return "it has characters other than ASCII letters, digits and _";
        }
        return null;
    }
}
