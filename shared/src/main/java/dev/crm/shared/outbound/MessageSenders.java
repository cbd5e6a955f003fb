package dev.crm.shared.outbound;

import dev.crm.shared.config.Settings;

/** Chooses where the product's own email goes: Amazon SES on AWS, the local outbox on one machine. */
public final class MessageSenders {
    private MessageSenders() {}

    /**
     * The local outbox when running locally ({@code CRM_LOCAL=true}) or when no sender address is
     * configured (a stack deployed without {@code SesSender}, and the tests); SES otherwise.
     */
    public static MessageSender forSettings(Settings settings) {
        if ("true".equalsIgnoreCase(settings.get("CRM_LOCAL")) || settings.get(SesMessageSender.SENDER) == null) {
            return LocalOutbox.INSTANCE;
        }
        return new SesMessageSender(settings);
    }
}
