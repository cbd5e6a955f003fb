package dev.crm.preferences.outbound;

import dev.crm.shared.config.Settings;
import dev.crm.shared.outbound.LocalOutbox;
import dev.crm.shared.outbound.MessageSender;

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
