package dev.crm.bench.cold;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child's {@code -Xlog:class+load=info:file=…:uptimenanos} log, split into the launcher's phases by
 * the marker classes it loads at each boundary ({@code dev.crm.bench.launch.Mark$…}), with every
 * class counted by where it comes from.
 */
public final class ClassLoadLog {
    /** Phase names, each ending at the marker of the same index. */
    public static final String[] PHASES = {"JVM boot", "handler class", "constructor", "event decode", "first invoke"};
    private static final String[] MARKS = {"Main", "Loaded", "Constructed", "Decoded", "Responded"};
    private static final String MARK_PREFIX = "dev.crm.bench.launch.Mark$";
    private static final Pattern LINE = Pattern.compile("^\\[(\\d+)ns\\]\\s+(\\S+)\\s+source:\\s*(.*)$");

    public static final String[] GROUPS = {"JDK (CDS)", "JDK", "AWS SDK", "product", "Jackson", "Lambda libs",
        "generated", "other"};

    /** Per phase: classes by group, non-CDS count, and the JVM uptime (ms) at the phase's end. */
    public record Phase(String name, Map<String, Integer> groups, int total, int notShared, double endMs,
            Map<String, Integer> packages) {
        /** This phase's classes by package, most first. */
        public List<Map.Entry<String, Integer>> topPackages(int n) {
            return top(packages, n);
        }
    }

    private final List<Phase> phases;
    private final Map<String, Integer> packages;

    private ClassLoadLog(List<Phase> phases, Map<String, Integer> packages) {
        this.phases = phases;
        this.packages = packages;
    }

    /** Classes loaded up to the first response, by package (SDK by module, services by service), most first. */
    public List<Map.Entry<String, Integer>> topPackages(int n) {
        return top(packages, n);
    }

    static List<Map.Entry<String, Integer>> top(Map<String, Integer> packages, int n) {
        return packages.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n).toList();
    }

    public List<Phase> phases() {
        return phases;
    }

    /** Everything up to the first response. */
    public Phase untilResponse() {
        Map<String, Integer> g = emptyGroups();
        int total = 0;
        int notShared = 0;
        for (Phase p : phases) {
            p.groups().forEach((k, v) -> g.merge(k, v, Integer::sum));
            total += p.total();
            notShared += p.notShared();
        }
        return new Phase("until first response", g, total, notShared,
                phases.isEmpty() ? Double.NaN : phases.get(phases.size() - 1).endMs(), packages);
    }

    public static ClassLoadLog parse(List<String> lines) {
        List<Phase> out = new ArrayList<>();
        Map<String, Integer> packages = new LinkedHashMap<>();
        int phase = 0;
        Map<String, Integer> groups = emptyGroups();
        Map<String, Integer> phasePackages = new LinkedHashMap<>();
        int total = 0;
        int notShared = 0;
        for (String line : lines) {
            if (phase >= MARKS.length) {
                break;
            }
            Matcher m = LINE.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            String name = m.group(2);
            String source = m.group(3);
            if (name.startsWith(MARK_PREFIX)) {
                String mark = name.substring(MARK_PREFIX.length());
                if (mark.equals(MARKS[phase])) {
                    out.add(new Phase(PHASES[phase], groups, total, notShared, Long.parseLong(m.group(1)) / 1e6,
                            phasePackages));
                    phase++;
                    groups = emptyGroups();
                    phasePackages = new LinkedHashMap<>();
                    total = 0;
                    notShared = 0;
                }
                continue;
            }
            boolean shared = source.startsWith("shared objects file");
            groups.merge(group(name, shared), 1, Integer::sum);
            packages.merge(packageOf(name), 1, Integer::sum);
            phasePackages.merge(packageOf(name), 1, Integer::sum);
            total++;
            if (!shared) {
                notShared++;
            }
        }
        return new ClassLoadLog(out, packages);
    }

    /** software.amazon.awssdk.services.dynamodb.model.X → "awssdk.services.dynamodb"; java.util.X → "java.util". */
    static String packageOf(String name) {
        if (name.contains("/0x") || name.contains("$$Lambda")) {
            return "(generated: lambda proxies, method-handle forms)";
        }
        String[] p = name.split("\\.");
        if (name.startsWith("software.amazon.awssdk.")) {
            if (p.length > 5 && (p[3].equals("services") || p[3].equals("thirdparty"))) {
                return "awssdk." + p[3] + "." + p[4];
            }
            return p.length > 4 ? "awssdk." + p[3] : "awssdk";
        }
        int depth = name.startsWith("dev.crm.") || name.startsWith("com.") || name.startsWith("org.") ? 3 : 2;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(depth, p.length - 1); i++) {
            sb.append(i == 0 ? "" : ".").append(p[i]);
        }
        return sb.toString();
    }

    static Map<String, Integer> emptyGroups() {
        Map<String, Integer> g = new LinkedHashMap<>();
        for (String k : GROUPS) {
            g.put(k, 0);
        }
        return g;
    }

    static String group(String name, boolean shared) {
        if (name.contains("/0x") || name.contains("$$Lambda")) {
            return "generated";
        }
        if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.")
                || name.startsWith("com.sun.")) {
            return shared ? "JDK (CDS)" : "JDK";
        }
        if (name.startsWith("software.amazon.awssdk.")) {
            return "AWS SDK";
        }
        if (name.startsWith("dev.crm.")) {
            // The launcher and the development kit's Lambda context it carries are the harness's, not the product's.
            boolean harness = name.startsWith("dev.crm.bench.") && !name.startsWith("dev.crm.bench.reference.")
                    || name.startsWith("dev.crm.devkit.");
            return harness ? "other" : "product";
        }
        if (name.startsWith("com.fasterxml.jackson.")) {
            return "Jackson";
        }
        if (name.startsWith("com.amazonaws.")) {
            return "Lambda libs";
        }
        return "other";
    }
}
