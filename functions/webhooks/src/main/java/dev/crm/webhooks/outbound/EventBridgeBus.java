package dev.crm.webhooks.outbound;

import dev.crm.shared.config.ProcessHttp;
import dev.crm.shared.config.Settings;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.DynamoDbClients;
import dev.crm.webhooks.domain.EventBus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The product's EventBridge bus: {@code source} the owning function, {@code detail-type} the event
 * type, {@code detail} the envelope. One {@code PutEvents} call per event, signed with the SDK's SigV4
 * signer and sent with the URL-connection client: the EventBridge SDK module would add 1.5 MB to the
 * artifact for this one call (docs/performance.md).
 */
public final class EventBridgeBus implements EventBus {
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final URI endpoint;
    private final String busName;

    EventBridgeBus(SdkHttpClient http, AwsCredentialsProvider credentials, String region, URI endpoint, String busName) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint;
        this.busName = busName;
    }

    /** The bus named by EVENT_BUS_NAME, in the function's region (or at AWS_ENDPOINT_URL_EVENTBRIDGE). */
    public static EventBridgeBus fromSettings(Settings settings) {
        String custom = settings.get("AWS_ENDPOINT_URL_EVENTBRIDGE", settings.get("AWS_ENDPOINT_URL"));
        String region = settings.get("AWS_REGION", "us-east-1");
        URI endpoint = URI.create(custom != null ? custom : "https://events." + region + ".amazonaws.com");
        return new EventBridgeBus(ProcessHttp.client(), DynamoDbClients.credentials(settings, custom != null), region, endpoint,
                settings.require("EVENT_BUS_NAME"));
    }

    @Override
    public void publish(String source, String detailType, String envelopeJson) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("Source", source);
        entry.put("DetailType", detailType);
        entry.put("Detail", envelopeJson);
        entry.put("EventBusName", busName);
        byte[] body = Json.write(Map.of("Entries", List.of(entry))).getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AWSEvents.PutEvents")
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        SignedRequest signed = SIGNER.sign(r -> r.identity(credentials.resolveCredentials()).request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "events")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null)).build()).call();
            String text;
            try (InputStream in = response.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
                text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            }
            int status = response.httpResponse().statusCode();
            if (status != 200) {
                // the stream retries the batch: the event reaches the bus at least once
                throw new IllegalStateException("EventBridge answered " + status);
            }
            Object parsed = Json.parse(text);
            if (parsed instanceof Map<?, ?> m && m.get("FailedEntryCount") instanceof Number n && n.intValue() > 0) {
                Object entries = m.get("Entries");
                Object code = entries instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> e ? e.get("ErrorCode") : null;
                throw new IllegalStateException("EventBridge refused the event: " + code);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("EventBridge could not be reached", e);
        }
    }
}
