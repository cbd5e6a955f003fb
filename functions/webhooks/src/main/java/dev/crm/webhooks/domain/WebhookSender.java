package dev.crm.webhooks.domain;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Sends one webhook request (the HTTP client behind a port, so tests and the domain need no network). */
public interface WebhookSender {
    /**
     * What came back: a status code, or the error that prevented one (timeout, connection refused).
     *
     * @param retryAfter the response's Retry-After header as sent, or null
     */
    record Response(Integer statusCode, String error, String retryAfter, long durationMs) {}

    /**
     * POSTs {@code body} with exactly {@code headers} to {@code uri}, connecting only to {@code addresses}
     * (the ones the URL policy checked: no second name lookup). Redirects are not followed.
     */
    Response send(URI uri, List<InetAddress> addresses, Map<String, String> headers, String body);
}
