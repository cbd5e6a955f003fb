package dev.crm.preferences.entrypoints;

import dev.crm.shared.http.ApiResponse;
import java.util.List;

/**
 * The two HTML pages of the double opt-in: the confirmation page a link in the email opens (its button
 * POSTs; opening it confirms nothing, since mail scanners follow links), and the page that thanks the
 * contact after the POST. Deliberately minimal, with no script; the richer pages are the web app's.
 */
final class Pages {
    static final String HTML = "text/html; charset=utf-8";

    private Pages() {}

    static ApiResponse confirmation(String tenantName, List<String> topics, String token) {
        String what = topics.isEmpty() ? "" : "<p>Topics: " + escape(String.join(", ", topics)) + "</p>";
        return page(200, "Confirm your subscription",
                "<h1>Confirm your subscription</h1>"
                + "<p>Please confirm that you want to receive email from " + escape(tenantName) + ".</p>" + what
                // A relative action: the page works under any stage prefix the API is served with.
                + "<form method=\"post\" action=\"confirm\">"
                + "<input type=\"hidden\" name=\"token\" value=\"" + escape(token) + "\">"
                + "<button type=\"submit\">Confirm subscription</button></form>"
                + "<p>If you did not ask for this, close this page: nothing will be sent to you.</p>");
    }

    static ApiResponse confirmed(String tenantName) {
        return page(200, "Subscription confirmed", "<h1>Thank you</h1><p>Your subscription to "
                + escape(tenantName) + " is confirmed.</p>");
    }

    private static ApiResponse page(int status, String title, String body) {
        String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title) + "</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}"
                + "button{font-size:1rem;padding:.6rem 1.2rem}</style></head><body>" + body + "</body></html>";
        return ApiResponse.text(status, HTML, html)
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
                        + " frame-ancestors 'none'")
                // The token is in the URL: keep it out of Referer headers and caches.
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff");
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
