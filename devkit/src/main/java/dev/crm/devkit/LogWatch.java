package dev.crm.devkit;

import dev.crm.shared.log.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Watches every structured log line written during the whole test suite (registered for every
 * test by JUnit's extension autodetection) and fails the test during which a line carried an API
 * key, a signed token, an email address or a phone number.
 */
public final class LogWatch implements BeforeAllCallback, AfterEachCallback {
    static final Pattern SECRET = Pattern.compile(
            "crm_(live|op)_[A-Za-z0-9]{20,}"                           // API and operator keys
            + "|\\bk[0-9a-z]{8}\\.[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}" // signed tokens and cursors
            + "|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"         // email addresses
            + "|\\+[1-9][0-9]{6,14}\\b");                               // phone numbers (E.164)

    private static final List<String> leaks = new ArrayList<>();
    private static boolean installed;
    private static long lines;

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (LogWatch.class) {
            if (!installed) {
                Log.sink(LogWatch::write);
                installed = true;
            }
        }
    }

    private static void write(String line) {
        System.out.println(line);
        synchronized (LogWatch.class) {
            lines++;
            var m = SECRET.matcher(line);
            if (m.find()) {
                leaks.add("a log line carried '" + m.group() + "': " + line);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> found;
        synchronized (LogWatch.class) {
            found = new ArrayList<>(leaks);
            leaks.clear();
        }
        if (!found.isEmpty()) {
            throw new AssertionError(String.join("\n", found));
        }
    }

    /** How many log lines the suite wrote so far (for the reliability report). */
    public static synchronized long lines() {
        return lines;
    }
}
