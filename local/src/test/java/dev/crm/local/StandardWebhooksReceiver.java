package dev.crm.local;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import dev.crm.shared.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;

/**
 * A webhook consumer on 127.0.0.1: every request is verified with the official Standard Webhooks
 * library, as a tenant's own receiver would, and recorded per path.
 */
final class StandardWebhooksReceiver implements AutoCloseable {
    /** One request as it arrived. */
    record Received(Instant at, String path, String webhookId, boolean verified, Map<String, Object> envelope) {
        String type() {
            return (String) envelope.get("type");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> data() {
            return (Map<String, Object>) envelope.get("data");
        }
    }

    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Map<String, IntSupplier> answers = new ConcurrentHashMap<>();
    private final List<Received> received = new ArrayList<>();

    private StandardWebhooksReceiver(HttpServer server) {
        this.server = server;
    }

    static StandardWebhooksReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        StandardWebhooksReceiver r = new StandardWebhooksReceiver(server);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String path = exchange.getRequestURI().getPath();
                Map<String, List<String>> headers = new LinkedHashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
                boolean verified = false;
                String secret = r.secrets.get(path);
                if (secret != null) {
                    try {
                        new Webhook(secret).verify(body, headers);
                        verified = true;
                    } catch (Exception e) {
                        verified = false;
                    }
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> envelope = (Map<String, Object>) Json.parse(body);
                String id = headers.getOrDefault("webhook-id", List.of("")).get(0);
                synchronized (r.received) {
                    r.received.add(new Received(Instant.now(), path, id, verified, envelope));
                }
                int status = r.answers.getOrDefault(path, () -> 204).getAsInt();
                exchange.sendResponseHeaders(status, -1);
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        return r;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Requests to {@code path} are verified with this secret (whsec_…). */
    void secret(String path, String secret) {
        secrets.put(path, secret);
    }

    void answer(String path, IntSupplier status) {
        answers.put(path, status);
    }

    List<Received> received(String path) {
        synchronized (received) {
            return received.stream().filter(r -> r.path().equals(path)).toList();
        }
    }

    Set<String> distinctIds(String path) {
        Set<String> ids = new java.util.TreeSet<>();
        received(path).forEach(r -> ids.add(r.webhookId()));
        return ids;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
