package dev.crm.churn.entrypoints;

import dev.crm.shared.config.Settings;
import dev.crm.shared.json.Json;
import dev.crm.shared.outbound.EventPublisher;
import dev.crm.shared.outbound.LocalEventLog;
import dev.crm.shared.store.DynamoDbClients;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * Publishes to the EventBridge bus named by {@code EVENT_BUS_NAME}; locally (or without a bus) to
 * the local event log. The client is built on the first event, so runs that raise none never pay for it.
 */
final class EventBridgePublisher implements EventPublisher {
    static final String SOURCE = "crm.churn-alerts";

    private final Settings settings;
    private EventBridgeClient client;

    private EventBridgePublisher(Settings settings) {
        this.settings = settings;
    }

    static EventPublisher create(Settings settings) {
        if ("true".equals(settings.get("CRM_LOCAL")) || settings.get("EVENT_BUS_NAME") == null) {
            return LocalEventLog.INSTANCE;
        }
        return new EventBridgePublisher(settings);
    }

    @Override
    public synchronized void publish(String detailType, Map<String, Object> detail) {
        if (client == null) {
            String endpoint = settings.get("AWS_ENDPOINT_URL_EVENTBRIDGE", settings.get("AWS_ENDPOINT_URL"));
            var b = EventBridgeClient.builder()
                    .httpClient(UrlConnectionHttpClient.builder().build())
                    .region(Region.of(settings.get("AWS_REGION", "us-east-1")))
                    .credentialsProvider(DynamoDbClients.credentials(settings, endpoint != null));
            if (endpoint != null) {
                b.endpointOverride(URI.create(endpoint));
            }
            client = b.build();
        }
        var r = client.putEvents(PutEventsRequest.builder().entries(PutEventsRequestEntry.builder()
                .eventBusName(settings.require("EVENT_BUS_NAME"))
                .source(SOURCE)
                .detailType(detailType)
                .detail(Json.write(detail))
                .build()).build());
        if (r.failedEntryCount() != null && r.failedEntryCount() > 0) {
            throw new IllegalStateException("EventBridge did not accept the event");
        }
    }
}
