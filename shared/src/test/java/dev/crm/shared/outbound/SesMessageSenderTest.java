package dev.crm.shared.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.crm.shared.config.Settings;
import dev.crm.shared.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SES v2 SendEmail call against a stand-in HTTP endpoint (as AWS_ENDPOINT_URL_SESV2 would point at LocalStack). */
class SesMessageSenderTest {
    private record Received(String method, String path, Map<String, String> headers, String body) {}

    private HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus = 500;
    private volatile String failureType = "InternalFailure";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            synchronized (received) {
                received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(), headers,
                        new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            }
            byte[] answer;
            if (failuresLeft.getAndDecrement() > 0) {
                ex.getResponseHeaders().add("x-amzn-ErrorType", failureType + ":http://internal.amazon.com/");
                answer = "{\"message\": \"no\"}".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(failureStatus, answer.length);
            } else {
                answer = "{\"MessageId\": \"0102019a-test\"}".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, answer.length);
            }
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Settings settings(Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SES_SENDER", "crm@example.com");
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ENDPOINT_URL_SESV2", "http://127.0.0.1:" + server.getAddress().getPort() + "/");
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
        env.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        env.put("AWS_SECRET_ACCESS_KEY", "secret");
        env.putAll(extra);
        return new Settings(env);
    }

    private static EmailMessage message() {
        return new EmailMessage("t_0123456789abcdefghjk", "jane@example.com", "Please confirm", "Open the link",
                "<p>Open the link</p>", Map.of("X-Entity-Ref-ID", "42"), "double_opt_in");
    }

    @Test
    void aSignedSendEmailRequestWithTheTenantTag() {
        var sender = new SesMessageSender(settings(Map.of("SES_CONFIGURATION_SET", "crm-notifications")));
        assertEquals("0102019a-test", sender.send(message()));
        assertEquals(1, received.size());
        Received r = received.get(0);
        assertEquals("POST", r.method());
        assertEquals("/v2/email/outbound-emails", r.path());
        String authorization = r.headers().get("authorization");
        assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), authorization);
        assertTrue(authorization.contains("/eu-west-1/ses/aws4_request"), authorization);
        assertTrue(r.headers().containsKey("x-amz-date"));
        Map<?, ?> body = (Map<?, ?>) Json.parse(r.body());
        assertEquals("crm@example.com", body.get("FromEmailAddress"));
        assertEquals(Map.of("ToAddresses", List.of("jane@example.com")), body.get("Destination"));
        assertEquals("crm-notifications", body.get("ConfigurationSetName"));
        assertEquals(List.of(Map.of("Name", "tenantId", "Value", "t_0123456789abcdefghjk"),
                Map.of("Name", "purpose", "Value", "double_opt_in")), body.get("EmailTags"));
        Map<?, ?> simple = (Map<?, ?>) ((Map<?, ?>) body.get("Content")).get("Simple");
        assertEquals(Map.of("Data", "Please confirm", "Charset", "UTF-8"), simple.get("Subject"));
        assertEquals("<p>Open the link</p>", ((Map<?, ?>) ((Map<?, ?>) simple.get("Body")).get("Html")).get("Data"));
        assertEquals(List.of(Map.of("Name", "X-Entity-Ref-ID", "Value", "42")), simple.get("Headers"));
    }

    @Test
    void throttlingIsRetriedAndARejectionIsNot() {
        failureStatus = 429;
        failureType = "TooManyRequestsException";
        failuresLeft.set(2);
        var sender = new SesMessageSender(settings(Map.of()));
        assertEquals("0102019a-test", sender.send(message()));
        assertEquals(3, received.size());
        assertFalse(((Map<?, ?>) Json.parse(received.get(0).body())).containsKey("ConfigurationSetName"));

        failureStatus = 400;
        failureType = "MessageRejected";
        failuresLeft.set(1);
        MessageSendException e = assertThrows(MessageSendException.class, () -> sender.send(message()));
        assertFalse(e.retryable());
        assertEquals("SES answered 400 MessageRejected", e.getMessage());
        assertFalse(e.getMessage().contains("jane"), "no address in what may be logged");
        assertEquals(4, received.size());
    }

    @Test
    void theLocalOutboxWhenRunningLocallyOrWithoutASender() {
        assertSame(LocalOutbox.INSTANCE, MessageSenders.forSettings(new Settings(Map.of())));
        assertSame(LocalOutbox.INSTANCE, MessageSenders.forSettings(new Settings(Map.of("SES_SENDER", "a@example.com",
                "CRM_LOCAL", "true"))));
        assertTrue(MessageSenders.forSettings(new Settings(Map.of("SES_SENDER", "a@example.com"))) instanceof SesMessageSender);
    }
}
