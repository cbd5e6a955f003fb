package dev.crm.webhooks.http;

import dev.crm.webhooks.domain.WebhookSender;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends webhooks with Apache HttpClient 5: one client per process. Its DNS resolver answers with the
 * addresses the URL policy checked for this very request (no second lookup, so no window for a name to
 * be rebound to a private address between the check and the connection). No redirects (a 3xx is a
 * failure), no cookies, no auth cache, no automatic retries, no compression header, no proxy from system
 * properties; 15 s to connect and 15 s for the response; at most a few KB of the response are read.
 */
public final class HttpWebhookSender implements WebhookSender {
    public static final Timeout TIMEOUT = Timeout.ofSeconds(15);
    private static final int MAX_RESPONSE_BYTES = 4096;
    /** The checked addresses of the request this thread is sending (the classic client resolves on the caller's thread). */
    private static final ThreadLocal<List<InetAddress>> CHECKED = new ThreadLocal<>();

    private final CloseableHttpClient client;

    public HttpWebhookSender() {
        this(TIMEOUT);
    }

    /** @param timeout to connect, and again for the response (tests shorten it) */
    public HttpWebhookSender(Timeout timeout) {
        DnsResolver resolver = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                List<InetAddress> checked = CHECKED.get();
                if (checked == null || checked.isEmpty()) {
                    throw new UnknownHostException("no checked address for " + host); // fail closed
                }
                return checked.toArray(new InetAddress[0]);
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(resolver)
                        .setMaxConnTotal(64)
                        .setMaxConnPerRoute(4)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout)
                                .setSocketTimeout(timeout).setTimeToLive(Timeout.ofMinutes(1)).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setRedirectsEnabled(false)
                        .setResponseTimeout(timeout).setConnectionRequestTimeout(timeout).build())
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableAutomaticRetries()
                .disableContentCompression()
                .disableDefaultUserAgent()
                .evictIdleConnections(Timeout.ofSeconds(30))
                .build();
    }

    @Override
    public Response send(URI uri, List<InetAddress> addresses, Map<String, String> headers, String body) {
        HttpPost post = new HttpPost(uri);
        headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase("content-type")) {
                post.setHeader(k, v);
            }
        });
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8)));
        long start = System.nanoTime();
        CHECKED.set(addresses);
        try {
            return client.execute(post, response -> {
                try (InputStream in = response.getEntity() == null ? InputStream.nullInputStream()
                        : response.getEntity().getContent()) {
                    in.readNBytes(MAX_RESPONSE_BYTES); // the body says nothing we keep
                }
                Header retryAfter = response.getFirstHeader("Retry-After");
                return new Response(response.getCode(), null, retryAfter == null ? null : retryAfter.getValue(),
                        millisSince(start));
            });
        } catch (SocketTimeoutException e) {
            return new Response(null, "timeout", null, millisSince(start));
        } catch (HttpHostConnectException e) {
            return new Response(null, "connection refused", null, millisSince(start));
        } catch (UnknownHostException e) {
            return new Response(null, "the host does not resolve", null, millisSince(start));
        } catch (javax.net.ssl.SSLException e) {
            return new Response(null, "TLS handshake failed", null, millisSince(start));
        } catch (IOException e) {
            return new Response(null, "connection failed: " + e.getClass().getSimpleName(), null, millisSince(start));
        } finally {
            CHECKED.remove();
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
