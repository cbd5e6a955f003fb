package dev.crm.shared.tokens;

import java.util.Objects;

/**
 * A token that must not be honoured. The message is safe to show to the client: it never quotes the
 * token or says anything about the tenant's keys beyond the reason. Like an ApiProblem it is control
 * flow, so it carries no stack trace.
 */
public final class InvalidTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Not three well-formed parts, not our payload, or longer than {@link SignedTokens#MAX_LENGTH}. */
        MALFORMED("the token is not well-formed"),
        /** The tenant no longer holds (or never held) the signing key the token names. */
        UNKNOWN_KEY("the token's signing key is no longer valid; request a new link"),
        BAD_SIGNATURE("the token's signature does not match its content"),
        /** Checked after the signature, so it never confirms that a forged token would have been valid. */
        EXPIRED("the token has expired; request a new link"),
        WRONG_PURPOSE("the token is not valid for this action"),
        /** The tenant the token names does not exist (or no longer does). */
        UNKNOWN_TENANT("the token is not valid");

        private final String message;

        Reason(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    private final Reason reason;

    public InvalidTokenException(Reason reason) {
        super(Objects.requireNonNull(reason, "reason").message(), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
