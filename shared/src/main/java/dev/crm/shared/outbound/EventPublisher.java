package dev.crm.shared.outbound;

import java.util.Map;

/** Publishes domain events (new churn alerts, …): EventBridge on AWS, the local event log on one machine. */
public interface EventPublisher {
    void publish(String detailType, Map<String, Object> detail);
}
