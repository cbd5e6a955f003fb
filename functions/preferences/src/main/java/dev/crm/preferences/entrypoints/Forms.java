package dev.crm.preferences.entrypoints;

import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.json.Violations;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTML form bodies: {@code application/x-www-form-urlencoded} (browsers, and what most mail providers send
 * for RFC 8058 one-click unsubscribes) and {@code multipart/form-data} (which RFC 8058 recommends). Only
 * small text fields are expected; the router has already limited the body's size and media type.
 */
final class Forms {
    static final String URLENCODED = "application/x-www-form-urlencoded";
    static final String MULTIPART = "multipart/form-data";

    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
    private static final Pattern FIELD_NAME = Pattern.compile("(?i)form-data\\s*;(?:.*;)?\\s*name=\"([^\"]*)\"");

    private Forms() {}

    /**
     * The form's fields; an empty body is an empty form. A field outside {@code allowed}, a repeated field
     * or a body that is not a form of the declared kind is a 400.
     */
    static Map<String, String> read(ApiRequest request, Set<String> allowed) {
        String body = request.body();
        if (body == null || body.isEmpty()) {
            return Map.of();
        }
        String media = request.mediaType();
        Map<String, String> fields = MULTIPART.equals(media) ? multipart(request.header("Content-Type"), body) : urlencoded(body);
        Violations v = new Violations();
        for (String name : fields.keySet()) {
            if (!allowed.contains(name)) {
                v.pointer("/" + Violations.escape(name), "unknown field");
            }
        }
        ApiProblem.throwIfAny(v);
        return fields;
    }

    static Map<String, String> urlencoded(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            put(out, name, value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.validation("", "the form body is not valid application/x-www-form-urlencoded");
        }
    }

    static Map<String, String> multipart(String contentType, String body) {
        Matcher b = BOUNDARY.matcher(contentType == null ? "" : contentType);
        if (!b.find()) {
            throw ApiProblem.validation(new Violations().header("Content-Type", "multipart/form-data needs a boundary"));
        }
        String delimiter = "--" + (b.group(2) != null ? b.group(2) : b.group(3));
        Map<String, String> out = new LinkedHashMap<>();
        String[] parts = body.split(Pattern.quote(delimiter), -1);
        // parts[0] is the preamble; the last part starts with "--" (the close delimiter)
        if (parts.length < 2 || !parts[parts.length - 1].startsWith("--")) {
            throw ApiProblem.validation("", "the form body is not valid multipart/form-data");
        }
        for (int i = 1; i < parts.length - 1; i++) {
            String part = parts[i];
            int headersEnd = part.indexOf("\r\n\r\n");
            int skip = 4;
            if (headersEnd < 0) {
                headersEnd = part.indexOf("\n\n");
                skip = 2;
            }
            if (headersEnd < 0) {
                throw ApiProblem.validation("", "the form body is not valid multipart/form-data");
            }
            String name = null;
            for (String header : part.substring(0, headersEnd).split("\r?\n")) {
                if (header.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                    Matcher n = FIELD_NAME.matcher(header);
                    if (n.find()) {
                        name = n.group(1);
                    }
                }
            }
            if (name == null) {
                throw ApiProblem.validation("", "a multipart/form-data part has no field name");
            }
            String value = part.substring(headersEnd + skip);
            // the line break before the next delimiter belongs to the delimiter
            if (value.endsWith("\r\n")) {
                value = value.substring(0, value.length() - 2);
            } else if (value.endsWith("\n")) {
                value = value.substring(0, value.length() - 1);
            }
            put(out, name, value);
        }
        return out;
    }

    private static void put(Map<String, String> out, String name, String value) {
        if (out.put(name, value) != null) {
            throw ApiProblem.validation("/" + Violations.escape(name), "must be given at most once");
        }
    }
}
