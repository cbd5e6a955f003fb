package dev.crm.shared.http;

/** An API handler exposes its routes, so a test can hold them against template.yaml. */
public interface RoutedHandler {
    ApiRouter router();
}
