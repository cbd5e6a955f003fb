package dev.crm.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The self-service pages (web/) from the same origin as the API, as they would be from a static
 * host in front of API Gateway. Only files under web/ are served; the test folders are not.
 */
final class WebPages {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "css", "text/css; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon", "json", "application/json");

    private final Path root;

    WebPages(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    ApiGateway.HttpResult serve(String rawPath) {
        String path = rawPath.equals("/") ? "/index.html" : rawPath;
        Path file = root.resolve(path.substring(1)).normalize();
        String relative = root.relativize(file).toString();
        if (!file.startsWith(root) || relative.startsWith("tests") || relative.startsWith("node_modules")
                || !Files.isRegularFile(file)) {
            return notFound();
        }
        String name = file.getFileName().toString();
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null) {
            return notFound();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", type);
            headers.put("Cache-Control", "no-cache");
            headers.put("X-Content-Type-Options", "nosniff");
            headers.put("Referrer-Policy", "no-referrer");
            if (type.startsWith("text/html")) {
                // Pages load only their own scripts and styles and talk only to their own origin.
                headers.put("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                        + "script-src 'self'; connect-src 'self'; frame-ancestors *; base-uri 'none'; form-action 'self'");
            }
            if (type.startsWith("image/png") || type.startsWith("image/x-icon")) {
                return new ApiGateway.HttpResult(200, headers, "base64:" + Base64.getEncoder().encodeToString(bytes));
            }
            return new ApiGateway.HttpResult(200, headers, new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return notFound();
        }
    }

    private static ApiGateway.HttpResult notFound() {
        return new ApiGateway.HttpResult(404, Map.of("Content-Type", "text/plain; charset=utf-8"), "not found");
    }
}
