package dev.crm.webhooks.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.crm.webhooks.domain.WebhookSender;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sender against real servers on 127.0.0.1: what goes out, what comes back, and what it refuses. */
class PinnedHttpSenderTest {
    private static final Map<String, String> HEADERS = Map.of("webhook-id", "evt_x", "content-type", "application/json",
            "user-agent", "serverless-crm-webhooks/1.0");
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> servers = new CopyOnWriteArrayList<>();
    private final List<InetAddress> loopback = List.of(InetAddress.getLoopbackAddress());

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    private int http(String path, int status, Map<String, String> answerHeaders, CountDownLatch hold) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("Host") + " "
                    + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (hold != null) {
                try {
                    hold.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            answerHeaders.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            byte[] out = "x".repeat(10_000).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        servers.add(() -> server.stop(0));
        return server.getAddress().getPort();
    }

    @Test
    void postsTheBodyWithExactlyItsHeadersAndReturnsTheStatusAndRetryAfter() throws Exception {
        int port = http("/", 503, Map.of("Retry-After", "120"), null);
        var r = new PinnedHttpSender().send(URI.create("http://hooks.test:" + port + "/in?x=1"), loopback, HEADERS, "{\"a\":1}");
        assertEquals(503, r.statusCode());
        assertEquals("120", r.retryAfter());
        assertNull(r.error());
        assertEquals(List.of("POST /in?x=1 hooks.test:" + port + " {\"a\":1}"), seen,
                "sent to the checked address, the URL's host in the Host header");
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        int port = http("/", 302, Map.of("Location", "http://127.0.0.1:1/elsewhere"), null);
        var r = new PinnedHttpSender().send(URI.create("http://hooks.test:" + port + "/in"), loopback, HEADERS, "{}");
        assertEquals(302, r.statusCode());
        assertEquals(1, seen.size());
    }

    @Test
    void noAnswerInTimeIsATimeoutAndAClosedPortIsRefused() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        servers.add(hold::countDown);
        int port = http("/", 200, Map.of(), hold);
        var r = new PinnedHttpSender(Duration.ofMillis(300), (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault())
                .send(URI.create("http://hooks.test:" + port + "/"), loopback, HEADERS, "{}");
        assertNull(r.statusCode());
        assertEquals("timeout", r.error());
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        var refused = new PinnedHttpSender().send(URI.create("http://hooks.test:" + closed + "/"), loopback, HEADERS, "{}");
        assertEquals("connection refused", refused.error());
    }

    @Test
    void aReceiverDrippingItsAnswerIsCutOffAtTheDeadline() throws Exception {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        servers.add(server);
        Thread drip = new Thread(() -> {
            try (var socket = server.accept()) {
                var out = socket.getOutputStream();
                for (byte b : "HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII)) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(50);
                }
                for (int i = 0; i < 400; i++) { // a byte every 50 ms, never the end of the head
                    out.write('x');
                    out.flush();
                    Thread.sleep(50);
                }
            } catch (Exception ignored) {
                // the sender hung up
            }
        });
        drip.setDaemon(true);
        drip.start();
        var r = new PinnedHttpSender(Duration.ofMillis(500), (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault())
                .send(URI.create("http://hooks.test:" + server.getLocalPort() + "/"), loopback, HEADERS, "{}");
        assertNull(r.statusCode());
        assertEquals("timeout", r.error());
    }

    @Test
    void tlsChecksTheCertificateAgainstTheUrlsHostWhileConnectingToTheCheckedAddress(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("hooks.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "hooks", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=hooks.test",
                "-ext", "SAN=dns:hooks.test", "-validity", "2", "-keystore", store.toString(), "-storepass", "changeit",
                "-storetype", "PKCS12").redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertEquals(0, keytool.waitFor());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/", ex -> {
            seen.add(ex.getRequestHeaders().getFirst("Host"));
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        servers.add(() -> server.stop(0));
        int port = server.getAddress().getPort();
        PinnedHttpSender sender = new PinnedHttpSender(Duration.ofSeconds(15), clientTls.getSocketFactory());

        WebhookSender.Response ok = sender.send(URI.create("https://hooks.test:" + port + "/in"), loopback, HEADERS, "{}");
        assertEquals(204, ok.statusCode(), String.valueOf(ok.error()));
        WebhookSender.Response wrongName = sender.send(URI.create("https://other.test:" + port + "/in"), loopback, HEADERS, "{}");
        assertNull(wrongName.statusCode());
        assertEquals("TLS handshake failed", wrongName.error(), "a certificate for another name is refused");
        assertEquals(List.of("hooks.test:" + port), seen);
        assertTrue(Files.exists(store));
    }
}
