package dev.crm.journeys.domain;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.MustacheResolver;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A send step's inline template: subject, text and (optionally) HTML with Mustache placeholders
 * ({@code {{contact.firstName}}}, {@code {{links.preferenceCentreUrl}}}). Values are HTML-escaped in the
 * HTML part only; the subject and text are plain text. {@code defaults} fill fields the contact lacks
 * ({@code {"contact.firstName": "there"}}); Mustache's inverted sections work as well. Partials are
 * refused: a template names nothing outside itself.
 */
public record MessageTemplate(String subject, String text, String html, Map<String, String> defaults) {
    public static final int MAX_SUBJECT = 300;
    public static final int MAX_BODY = 50_000;

    /** Nothing is ever loaded by name: a partial ({{> x}}) fails to compile. */
    private static final MustacheResolver NO_PARTIALS = name -> null;

    private static final class Factory extends DefaultMustacheFactory {
        private final boolean escapeHtml;

        Factory(boolean escapeHtml) {
            super(NO_PARTIALS);
            this.escapeHtml = escapeHtml;
        }

        @Override
        public void encode(String value, Writer writer) {
            if (escapeHtml) {
                super.encode(value, writer);
                return;
            }
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new MustacheException(e);
            }
        }
    }

    public record Rendered(String subject, String text, String html) {}

    /** @return null when every part compiles, else the problem (the part's name and Mustache's message) */
    public String problem() {
        for (var part : new String[][] {{"subject", subject}, {"text", text}, {"html", html}}) {
            if (part[1] == null) {
                continue;
            }
            try {
                compile(part[1], false);
            } catch (MustacheException | IllegalArgumentException e) {
                return part[0] + ": " + firstLine(e.getMessage());
            }
        }
        return null;
    }

    public Rendered render(Map<String, Object> scope) {
        Map<String, Object> s = withDefaults(scope);
        return new Rendered(run(subject, false, s).replaceAll("[\\r\\n]+", " ").strip(), run(text, false, s),
                html == null ? null : run(html, true, s));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> withDefaults(Map<String, Object> scope) {
        Map<String, Object> s = deepCopy(scope);
        if (defaults != null) {
            for (var d : defaults.entrySet()) {
                String[] path = d.getKey().split("\\.");
                Map<String, Object> m = s;
                for (int i = 0; i < path.length - 1; i++) {
                    Object next = m.get(path[i]);
                    if (!(next instanceof Map)) {
                        next = new LinkedHashMap<String, Object>();
                        m.put(path[i], next);
                    }
                    m = (Map<String, Object>) next;
                }
                Object v = m.get(path[path.length - 1]);
                if (v == null || (v instanceof String str && str.isBlank())) {
                    m.put(path[path.length - 1], d.getValue());
                }
            }
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Map ? deepCopy((Map<String, Object>) v) : v));
        return out;
    }

    private static Mustache compile(String template, boolean escapeHtml) {
        return new Factory(escapeHtml).compile(new StringReader(template), "template");
    }

    private static String run(String template, boolean escapeHtml, Map<String, Object> scope) {
        StringWriter w = new StringWriter();
        compile(template, escapeHtml).execute(w, scope);
        return w.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "does not compile";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", subject);
        m.put("text", text);
        if (html != null) {
            m.put("html", html);
        }
        if (defaults != null && !defaults.isEmpty()) {
            m.put("defaults", defaults);
        }
        return m;
    }
}
