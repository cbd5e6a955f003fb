package dev.crm.webhooks.domain;

/** The product's event bus (outlet 1): EventBridge on AWS, the local event log on one machine. */
public interface EventBus {
    /** Publishes one stored envelope: {@code source} and {@code detailType} as EventBridge names them. */
    void publish(String source, String detailType, String envelopeJson);
}
