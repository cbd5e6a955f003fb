package dev.crm.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads which Maven module builds each function from the Makefile's {@code build-<LogicalId>} targets. */
public final class Makefiles {
    private static final Pattern TARGET = Pattern.compile(
            "(?m)^build-([A-Za-z0-9]+):[^\\n]*\\n(?:[ \\t]*(?:#[^\\n]*)?\\n)*[ \\t]+\\$\\(call\\s+package,\\s*([A-Za-z0-9._-]+)\\s*\\)");

    private Makefiles() {}

    /** Logical id to module folder under functions/, in Makefile order. */
    public static Map<String, String> functionModules(String makefile) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = TARGET.matcher(makefile);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }
}
