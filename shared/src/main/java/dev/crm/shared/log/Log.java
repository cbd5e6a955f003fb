package dev.crm.shared.log;

import dev.crm.shared.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Structured logs: one JSON object per line on stdout, which Lambda ships to CloudWatch. Callers
 * pass chosen fields, never request bodies; as a second line of defence the message and every string
 * value (inside lists and maps too) are scrubbed of anything shaped like an API key, a signed token,
 * an email address or a phone number.
 */
public final class Log {
    private static final Pattern API_KEY = Pattern.compile("crm_[a-z]+_[A-Za-z0-9]{8,}");
    /** A webhook signing secret (whsec_ + base64). */
    private static final Pattern SIGNING_SECRET = Pattern.compile("whsec_[A-Za-z0-9+/=]{8,}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}");
    private static final Pattern EMAIL = Pattern.compile("[^\\s@\"'<>]+@[^\\s@\"'<>]+");
    private static final Pattern PHONE = Pattern.compile("\\+\\d[\\d ().-]{6,}\\d|\\b\\d{9,}\\b");

    private static volatile Consumer<String> sink = System.out::println;

    private Log() {}

    /** Tests capture the whole suite's logs to prove nothing secret is written. */
    public static void sink(Consumer<String> newSink) {
        sink = newSink;
    }

    public static Consumer<String> sink() {
        return sink;
    }

    public static void info(String message, Map<String, ?> fields) {
        write("INFO", message, fields);
    }

    public static void warn(String message, Map<String, ?> fields) {
        write("WARN", message, fields);
    }

    public static void error(String message, Map<String, ?> fields) {
        write("ERROR", message, fields);
    }

    /** The class and our own frame where an unexpected exception arose: enough to find it, no trace. */
    public static Map<String, Object> describe(Throwable t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("errorClass", t.getClass().getName());
        for (StackTraceElement f : t.getStackTrace()) {
            if (f.getClassName().startsWith("dev.crm.")) {
                m.put("errorAt", f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber());
                break;
            }
        }
        if (t instanceof software.amazon.awssdk.awscore.exception.AwsServiceException a
                && a.awsErrorDetails() != null) {
            m.put("awsErrorCode", a.awsErrorDetails().errorCode());
            m.put("awsStatus", a.statusCode());
        }
        return m;
    }

    private static void write(String level, String message, Map<String, ?> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("level", level);
        line.put("message", scrub(message));
        if (fields != null) {
            for (var e : fields.entrySet()) {
                line.put(e.getKey(), scrubbed(e.getValue()));
            }
        }
        sink.accept(Json.write(line));
    }

    /** Strings scrubbed, inside lists and maps too; other values as they are. */
    private static Object scrubbed(Object v) {
        if (v instanceof String s) {
            return scrub(s);
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, scrubbed(x)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(scrubbed(x)));
            return out;
        }
        return v;
    }

    public static String scrub(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        String out = API_KEY.matcher(s).replaceAll("crm_***");
        out = SIGNING_SECRET.matcher(out).replaceAll("whsec_***");
        out = TOKEN.matcher(out).replaceAll("***");
        out = EMAIL.matcher(out).replaceAll("***@***");
        out = PHONE.matcher(out).replaceAll("***");
        return out;
    }
}
