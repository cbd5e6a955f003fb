package dev.crm.webhooks.http;

import dev.crm.webhooks.domain.WebhookSender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends a webhook as one HTTP/1.1 request on a connection to exactly the addresses the URL policy
 * checked: the socket connects to the checked address itself, and TLS is layered on it with the URL's
 * host name for SNI and for the certificate check ({@code HTTPS} endpoint identification). No name is
 * ever resolved here, so nothing can rebind it between the check and the connection.
 *
 * <p>Deliberately small (the JDK's sockets and TLS, no HTTP library): the function's artifact stays under
 * its 10 MB budget, and what a webhook needs is narrow. One request per connection ({@code Connection:
 * close}); no redirects (a 3xx is returned as it is: a failed attempt), no cookies, no credentials, no
 * proxy; 15 s to connect and 15 s for the whole answer; the status line and headers are read (at most
 * 16 KB) and at most 4 KB of the body, which is dropped.
 */
public final class PinnedHttpSender implements WebhookSender {
    public static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final int MAX_BODY_BYTES = 4096;

    private final Duration timeout;
    private final SSLSocketFactory tls;

    public PinnedHttpSender() {
        this(TIMEOUT, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** @param tls the TLS sockets (tests trust their own certificate authority) */
    public PinnedHttpSender(Duration timeout, SSLSocketFactory tls) {
        this.timeout = timeout;
        this.tls = tls;
    }

    @Override
    public Response send(URI uri, List<InetAddress> addresses, Map<String, String> headers, String body) {
        long start = System.nanoTime();
        boolean secure = "https".equalsIgnoreCase(uri.getScheme());
        String host = uri.getHost();
        if (host != null && host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
        Socket socket = null;
        boolean timedOut = false;
        for (InetAddress address : addresses) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
                socket = s;
                break;
            } catch (SocketTimeoutException e) {
                timedOut = true;
                close(s);
            } catch (IOException e) {
                close(s);
            }
        }
        if (socket == null) {
            return new Response(null, timedOut ? "timeout" : "connection refused", null, millisSince(start));
        }
        try (Socket s = secure ? tls(socket, host, port) : socket) {
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(request(uri, host, port, secure, headers, body.getBytes(StandardCharsets.UTF_8)));
            out.flush();
            // one deadline for the whole answer: a receiver dripping a byte at a time cannot hold a lane
            long deadline = System.nanoTime() + timeout.toNanos();
            return read(new Deadline(s, new java.io.BufferedInputStream(s.getInputStream()), deadline), start);
        } catch (SocketTimeoutException e) {
            return new Response(null, "timeout", null, millisSince(start));
        } catch (SSLException e) {
            return new Response(null, "TLS handshake failed", null, millisSince(start));
        } catch (IOException e) {
            return new Response(null, "connection failed", null, millisSince(start));
        }
    }

    private Socket tls(Socket plain, String host, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(plain, host, port, true);
        SSLParameters p = ssl.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must be for the URL's host
        if (!isLiteral(host)) {
            p.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(p);
        ssl.setSoTimeout((int) timeout.toMillis());
        ssl.startHandshake();
        return ssl;
    }

    private static boolean isLiteral(String host) {
        return host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    static byte[] request(URI uri, String host, int port, boolean secure, Map<String, String> headers, byte[] body) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        String hostHeader = (host.contains(":") ? "[" + host + "]" : host)
                + (port == (secure ? 443 : 80) ? "" : ":" + port);
        StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("host: ").append(hostHeader).append("\r\n");
        headers.forEach((k, v) -> {
            if (k.indexOf('\r') >= 0 || k.indexOf('\n') >= 0 || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a header with a line break");
            }
            head.append(k).append(": ").append(v).append("\r\n");
        });
        head.append("content-length: ").append(body.length).append("\r\n")
                .append("connection: close\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** The status and Retry-After of the first final (non-1xx) answer; the body is read (a little) and dropped. */
    static Response read(InputStream in, long start) throws IOException {
        int budget = MAX_HEAD_BYTES;
        for (int informational = 0; informational < 5; informational++) {
            String status = line(in, budget);
            if (status == null) {
                return new Response(null, "connection closed without an answer", null, millisSince(start));
            }
            budget -= status.length();
            String[] parts = status.split(" ", 3);
            int code;
            try {
                code = parts.length >= 2 && parts[0].startsWith("HTTP/") ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException e) {
                code = -1;
            }
            if (code < 100 || code > 599) {
                return new Response(null, "not an HTTP answer", null, millisSince(start));
            }
            String retryAfter = null;
            for (String h = line(in, budget); h != null && !h.isEmpty(); h = line(in, budget)) {
                budget -= h.length();
                int colon = h.indexOf(':');
                if (colon > 0 && h.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("retry-after")) {
                    retryAfter = h.substring(colon + 1).trim();
                }
            }
            if (code >= 200) {
                in.readNBytes(MAX_BODY_BYTES); // what the receiver says is not kept
                return new Response(code, null, retryAfter, millisSince(start));
            }
        }
        return new Response(null, "not an HTTP answer", null, millisSince(start));
    }

    /** One CRLF- (or LF-) terminated line, or null at the end of the stream. */
    private static String line(InputStream in, int budget) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c == -1) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
            }
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            if (b.size() >= budget) {
                throw new IOException("the answer's head is too large");
            }
            b.write(c);
        }
    }

    /** Reads until a deadline: each read waits at most what is left of it. */
    private static final class Deadline extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;

        Deadline(Socket socket, InputStream in, long deadline) {
            this.socket = socket;
            this.in = in;
            this.deadline = deadline;
        }

        private void arm() throws IOException {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("the answer took too long");
            }
            socket.setSoTimeout((int) Math.max(1, left));
        }

        @Override
        public int read() throws IOException {
            arm();
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            arm();
            return in.read(b, off, len);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
