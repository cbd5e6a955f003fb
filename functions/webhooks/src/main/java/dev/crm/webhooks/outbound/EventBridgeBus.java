package dev.crm.webhooks.outbound;

import dev.crm.shared.config.Settings;
import dev.crm.shared.store.dynamodb.DynamoDbClients;
import dev.crm.webhooks.domain.EventBus;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** The product's EventBridge bus: {@code source} the owning function, {@code detail-type} the event type. */
public final class EventBridgeBus implements EventBus {
    private static volatile EventBridgeClient shared;

    private final EventBridgeClient client;
    private final String busName;

    public EventBridgeBus(EventBridgeClient client, String busName) {
        this.client = client;
        this.busName = busName;
    }

    /** The bus named by EVENT_BUS_NAME, through one client per process. */
    public static EventBridgeBus fromSettings(Settings settings) {
        return new EventBridgeBus(client(settings), settings.require("EVENT_BUS_NAME"));
    }

    private static EventBridgeClient client(Settings settings) {
        EventBridgeClient c = shared;
        if (c == null) {
            synchronized (EventBridgeBus.class) {
                c = shared;
                if (c == null) {
                    String endpoint = settings.get("AWS_ENDPOINT_URL_EVENTBRIDGE", settings.get("AWS_ENDPOINT_URL"));
                    var b = EventBridgeClient.builder()
                            .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                                    .socketTimeout(Duration.ofSeconds(10)).build())
                            .region(Region.of(settings.get("AWS_REGION", "us-east-1")))
                            .credentialsProvider(DynamoDbClients.credentials(settings, endpoint != null));
                    if (endpoint != null) {
                        b.endpointOverride(URI.create(endpoint));
                    }
                    c = b.build();
                    shared = c;
                }
            }
        }
        return c;
    }

    @Override
    public void publish(String source, String detailType, String envelopeJson) {
        PutEventsResponse r = client.putEvents(PutEventsRequest.builder().entries(PutEventsRequestEntry.builder()
                .eventBusName(busName).source(source).detailType(detailType).detail(envelopeJson).build()).build());
        if (r.failedEntryCount() != null && r.failedEntryCount() > 0) {
            // the stream retries the batch: the event reaches the bus at least once
            throw new IllegalStateException("EventBridge refused the event: " + r.entries().get(0).errorCode());
        }
    }
}
