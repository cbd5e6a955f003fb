package dev.crm.shared.outbound;

/**
 * What a {@link MessageSender} reports when the provider did not accept a message. The message says what the provider answered (a status and an
 * error code), never the recipient or the content, so it is safe to log.
 */
public final class MessageSendException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    public MessageSendException(String message, boolean retryable, Throwable cause) {
        super(message, cause, false, false);
        this.retryable = retryable;
    }

    /** Throttling or a provider fault: the same message may succeed later. */
    public boolean retryable() {
        return retryable;
    }
}
