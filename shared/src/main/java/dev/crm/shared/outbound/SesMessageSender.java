package dev.crm.shared.outbound;

import dev.crm.shared.config.ProcessHttp;
import dev.crm.shared.config.Settings;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.DynamoDbClients;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Sends the product's own email through Amazon SES (API v2, {@code SendEmail}).
 *
 * <p>Why not the SDK's {@code sesv2} client: its 1,600 model classes add 3.2 MB to the artifact, which
 * would then weigh 11.8 MB, over the 10 MB budget (docs/performance.md). {@code SendEmail} is one
 * signed JSON POST, so this class makes exactly that call with the SDK pieces the function already
 * ships: the SigV4 signer ({@code http-auth-aws}), the URL-connection HTTP client and the credentials
 * provider the DynamoDB client uses.
 *
 * <p>Configuration: {@code SES_SENDER} (the verified From address), {@code SES_CONFIGURATION_SET}
 * (optional; it publishes bounces and complaints to the BounceFunction's topic), {@code AWS_REGION}, and
 * the endpoint from {@code AWS_ENDPOINT_URL_SESV2} or {@code AWS_ENDPOINT_URL} (LocalStack). The HTTP
 * client and credentials are built on the first send, so a function that sends nothing never pays for them.
 *
 * <p>Every message carries the SES message tags {@code tenantId} and {@code purpose}: SES returns them in
 * its bounce and complaint events, which is how the BounceFunction knows the tenant.
 */
public final class SesMessageSender implements MessageSender {
    public static final String SENDER = "SES_SENDER";
    public static final String CONFIGURATION_SET = "SES_CONFIGURATION_SET";
    public static final String TENANT_TAG = "tenantId";
    public static final String PURPOSE_TAG = "purpose";
    static final String PATH = "/v2/email/outbound-emails";
    private static final int ATTEMPTS = 3;
    /** SES tag values: letters, digits, '_' and '-' only. */
    private static final Pattern TAG_VALUE = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    private final Settings settings;
    private final String sender;
    private final String configurationSet;
    private final String region;
    private final URI endpoint;
    private volatile Connection connection;

    private record Connection(SdkHttpClient http, AwsCredentialsProvider credentials, AwsV4HttpSigner signer) {}

    public SesMessageSender(Settings settings) {
        this.settings = settings;
        this.sender = settings.require(SENDER);
        this.configurationSet = settings.get(CONFIGURATION_SET);
        this.region = settings.get("AWS_REGION", "us-east-1");
        String custom = settings.get("AWS_ENDPOINT_URL_SESV2", settings.get("AWS_ENDPOINT_URL"));
        this.endpoint = URI.create(custom != null ? stripSlash(custom) : "https://email." + region + ".amazonaws.com");
    }

    private Connection connection() {
        Connection c = connection;
        if (c == null) {
            synchronized (this) {
                c = connection;
                if (c == null) {
                    boolean customEndpoint = !endpoint.getHost().endsWith(".amazonaws.com");
                    c = new Connection(ProcessHttp.client(),
                            DynamoDbClients.credentials(settings, customEndpoint), AwsV4HttpSigner.create());
                    connection = c;
                }
            }
        }
        return c;
    }

    @Override
    public String send(EmailMessage message) {
        String body = Json.write(requestBody(message));
        MessageSendException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return sendOnce(body);
            } catch (MessageSendException e) {
                last = e;
                if (!e.retryable()) {
                    throw e;
                }
                pause(attempt);
            }
        }
        throw last;
    }

    /** The SES v2 {@code SendEmail} request body for a simple (not raw) message. */
    Map<String, Object> requestBody(EmailMessage message) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("Subject", text(message.subject()));
        Map<String, Object> bodies = new LinkedHashMap<>();
        if (message.textBody() != null) {
            bodies.put("Text", text(message.textBody()));
        }
        if (message.htmlBody() != null) {
            bodies.put("Html", text(message.htmlBody()));
        }
        content.put("Body", bodies);
        if (message.headers() != null && !message.headers().isEmpty()) {
            List<Object> headers = new ArrayList<>();
            message.headers().forEach((name, value) -> headers.add(Map.of("Name", name, "Value", value)));
            content.put("Headers", headers);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("FromEmailAddress", sender);
        request.put("Destination", Map.of("ToAddresses", List.of(message.to())));
        request.put("Content", Map.of("Simple", content));
        List<Object> tags = new ArrayList<>();
        addTag(tags, TENANT_TAG, message.tenantId());
        addTag(tags, PURPOSE_TAG, message.purpose());
        if (!tags.isEmpty()) {
            request.put("EmailTags", tags);
        }
        if (configurationSet != null) {
            request.put("ConfigurationSetName", configurationSet);
        }
        return request;
    }

    private static void addTag(List<Object> tags, String name, String value) {
        if (value != null && TAG_VALUE.matcher(value).matches()) {
            tags.add(Map.of("Name", name, "Value", value));
        }
    }

    private static Map<String, Object> text(String data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Data", data);
        m.put("Charset", "UTF-8");
        return m;
    }

    private String sendOnce(String body) {
        Connection c = connection();
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint.resolve(PATH))
                .putHeader("Content-Type", "application/json")
                .build();
        SignedRequest signed = c.signer().sign(r -> r
                .identity(c.credentials().resolveCredentials())
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ses")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpExecuteResponse response;
        try {
            response = c.http().prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null))
                    .build()).call();
        } catch (IOException e) {
            throw new MessageSendException("SES could not be reached (" + e.getClass().getSimpleName() + ")", true, null);
        }
        int status = response.httpResponse().statusCode();
        String answer = read(response);
        if (status >= 200 && status < 300) {
            Object parsed = answer == null || answer.isBlank() ? null : Json.parse(answer);
            if (parsed instanceof Map<?, ?> m && m.get("MessageId") instanceof String id) {
                return id;
            }
            throw new MessageSendException("SES answered " + status + " without a message id", false, null);
        }
        String code = response.httpResponse().firstMatchingHeader("x-amzn-ErrorType").orElse("unknown");
        int colon = code.indexOf(':');
        code = colon >= 0 ? code.substring(0, colon) : code;
        boolean retryable = status == 429 || status >= 500 || code.contains("Throttling") || code.contains("TooManyRequests");
        throw new MessageSendException("SES answered " + status + " " + code, retryable, null);
    }

    private static String read(HttpExecuteResponse response) {
        if (response.responseBody().isEmpty()) {
            return null;
        }
        try (InputStream in = response.responseBody().get()) {
            return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(100L * attempt * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessageSendException("interrupted", false, e);
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
