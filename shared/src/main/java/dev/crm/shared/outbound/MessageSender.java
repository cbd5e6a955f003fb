package dev.crm.shared.outbound;

/** Sends the product's own email: Amazon SES v2 on AWS, the local outbox on one machine. */
public interface MessageSender {
    /**
     * @return the provider's message id
     * @throws MessageSendException when the provider does not take the message (retryable or not)
     */
    String send(EmailMessage message);
}
