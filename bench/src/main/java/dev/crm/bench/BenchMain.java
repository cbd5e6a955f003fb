package dev.crm.bench;

import dev.crm.bench.cold.Artifacts;
import dev.crm.bench.cold.ClassLoadLog;
import dev.crm.bench.cold.ColdStart;
import dev.crm.bench.report.Markdown;
import dev.crm.bench.report.Markdown.Table;
import dev.crm.bench.report.Stats;
import dev.crm.bench.warm.CapacityReference;
import dev.crm.bench.warm.WarmMain;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Settings;
import dev.crm.shared.json.Json;
import dev.crm.shared.log.Log;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.devkit.SamTemplate;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The benchmark harness (docs/performance.md): cold start per function, warm handler cost beside the
 * raw SDK, DynamoDB capacity per route, artifact sizes. Run from the repository root after a build:
 *
 * <pre>
 * mvn -B -q -DskipTests package &amp;&amp; java -jar bench/target/crm-bench.jar
 * </pre>
 *
 * Options: {@code --runs N} (cold-start runs per config, default 5), {@code --out FILE} (default
 * bench/target/performance-report.md), {@code --only TEXT} (cold-start configs whose id contains
 * TEXT; several TEXTs comma-separated), {@code --baseline DIR[,DIR…]} (each function also on each
 * DIR's copy of its artifact, in the same rounds), {@code --skip-cold}, {@code --skip-warm}, {@code --no-appcds}, {@code --no-classload},
 * {@code --no-priming}, {@code --warm-jit template|default|both} (default both), {@code --warmup N},
 * {@code --rounds N}, {@code --block N} (warm iterations), {@code --capacity-repeats N},
 * {@code --quiet-wait SECONDS} (how long each measurement waits for an idle machine, default 20),
 * {@code --skip-churn}, {@code --churn-customers N} (default 100,000), {@code --model-customers N}
 * (default 10,000,000), {@code --model-jit template|default|both} (default both), {@code --skip-import},
 * {@code --import-rows N} (default 20,000), {@code --import-contacts N} (default 2,000),
 * {@code --import-stream off|on|both} (default both), {@code --skip-journeys}, {@code --journey-enrolments N}
 * (default 10,000: the journeys crash run, {@code dev.crm.bench.journeys.JourneyCrashMain}),
 * {@code --projection-only} (only the GSI projection pass, {@code dev.crm.bench.projection.ProjectionPass}: ALL vs
 * KEYS_ONLY vs INCLUDE on GSI1/GSI2, default out bench/target/projection-report.md; its quiet wait per round
 * defaults to 5 s), {@code --projection-warmup N} (default 200), {@code --projection-rounds N} (default 10),
 * {@code --projection-block N} (default 40 pages per variant and round).
 */
public final class BenchMain {
    private final Map<String, String> options;
    private final Set<String> flags;
    private final List<String> args;
    private final List<String> notes = new ArrayList<>();

    private BenchMain(String[] args) {
        this.args = List.of(args);
        this.options = new LinkedHashMap<>();
        this.flags = new TreeSet<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String name = a.substring(2);
            if (Set.of("skip-cold", "skip-warm", "skip-churn", "skip-import", "skip-journeys", "no-appcds", "no-classload",
                    "no-priming", "projection-only").contains(name)) {
                flags.add(name);
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(a + " needs a value");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        new BenchMain(args).run();
        System.exit(0);
    }

    private static void progress(String s) {
        System.err.println("[bench] " + s);
    }

    /** --quiet-wait SECONDS: how long a measurement waits for an idle machine (default 20, 0 = never). */
    private long quietWaitMillis() {
        return intOption("quiet-wait", 20) * 1000L;
    }

    private int intOption(String name, int fallback) {
        return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
    }

    private void run() throws Exception {
        if (flags.contains("projection-only")) {
            projectionOnly();
            return;
        }
        Project project = Project.locate();
        Path target = benchTarget(project);
        Path out = Path.of(options.getOrDefault("out", target.resolve("performance-report.md").toString()));
        int runs = intOption("runs", 5);
        Path work = Files.createTempDirectory("crm-bench");
        project.freezeArtifacts(work.resolve("artifacts"));
        target = freeze(target, work.resolve("bench"));
        Log.sink(line -> { });
        dev.crm.shared.metrics.Metrics.sink(line -> { }); // the in-process handlers' EMF documents
        progress("DynamoDB Local: starting an in-memory server on loopback");
        LocalDynamoDb db = LocalDynamoDb.start(null);
        StringBuilder report = new StringBuilder();
        try {
            db.createTable(project.template(), LocalDynamoDb.TABLE);
            Infrastructure infra = new Infrastructure(parentSettings(db.endpoint()), Clock.systemUTC(), db.client());
            InProcess handlers = new InProcess(project, infra);

            report.append(header(project, runs, db));
            String cold = "";
            if (!flags.contains("skip-cold")) {
                cold = coldStart(project, handlers, target, work, db.endpoint(), runs);
            }
            String warm = "";
            String capacity = "";
            if (!flags.contains("skip-warm")) {
                String[] w = warmAndCapacity(project, target, work, db.endpoint());
                warm = w[0];
                capacity = w[1];
            }
            report.append(cold).append(warm).append(capacity);
            report.append(artifacts(project, target));
            if (!flags.contains("skip-churn")) {
                report.append(churn(project, work, db.endpoint()));
            }
            if (!flags.contains("skip-import")) {
                report.append(interactionImport(project, work, db.endpoint()));
            }
            if (!flags.contains("skip-journeys")) {
                report.append(journeyCrash(project, work, db.endpoint()));
            }
            report.append("Load average at the end: ").append(loadAverage()).append(".\n");
            if (Quiet.busyStarts() > 0) {
                notes.add(Quiet.busyStarts() + " cold-start run(s) started on a busy machine (CPUs more than "
                        + Math.round(Quiet.BUSY * 100) + " % busy) after waiting " + quietWaitMillis() / 1000 + " s");
            }
            notes.add("waited " + Quiet.waitedMillis() / 1000 + " s in all for an idle machine before cold-start runs");
            if (!notes.isEmpty()) {
                report.append("\n## Notes from this run\n\n");
                for (String n : notes) {
                    report.append("- ").append(n).append('\n');
                }
            }
        } finally {
            db.close();
            deleteTree(work);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report.toString());
        progress("report written to " + out);
    }

    /** --projection-only: the GSI projection pass alone, in this JVM, against an in-memory DynamoDB Local. */
    private void projectionOnly() throws IOException {
        Project project = Project.locate();
        Path out = Path.of(options.getOrDefault("out",
                benchTarget(project).resolve("projection-report.md").toString()));
        Log.sink(line -> { });
        String loadBefore = loadAverage();
        progress("DynamoDB Local: starting an in-memory server on loopback");
        StringBuilder report = new StringBuilder("# GSI projection report\n\n");
        try (LocalDynamoDb db = LocalDynamoDb.start(null)) {
            var pass = new dev.crm.bench.projection.ProjectionPass(project.template(), db.client(),
                    new dev.crm.bench.projection.ProjectionPass.Options(intOption("projection-warmup", 200),
                            intOption("projection-rounds", 10), intOption("projection-block", 40),
                            intOption("quiet-wait", 5) * 1000L), BenchMain::progress);
            String body = pass.run();
            report.append("Generated by `bench/` on ")
                    .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                    .append(".\n\n| | |\n| --- | --- |\n");
            report.append("| command | `java -jar bench/target/crm-bench.jar ").append(String.join(" ", args)).append("` |\n");
            report.append("| machine | ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                    .append(" cores, ").append(memory()).append(" |\n");
            report.append("| JDK | ").append(System.getProperty("java.vm.name")).append(' ')
                    .append(System.getProperty("java.runtime.version")).append(" |\n");
            report.append("| DynamoDB | DynamoDB Local, in-memory, HTTP server on ").append(db.endpoint())
                    .append(" in the harness JVM |\n");
            report.append("| load average | ").append(loadBefore).append(" at the start, ").append(loadAverage())
                    .append(" at the end |\n");
            report.append("| quiet waits | ").append(Quiet.busyStarts()).append(" round(s) started on a busy machine; waited ")
                    .append(Quiet.waitedMillis() / 1000).append(" s in all |\n\n");
            report.append(body);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report.toString());
        progress("report written to " + out);
    }

    private static Settings parentSettings(String endpoint) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TABLE_NAME", LocalDynamoDb.TABLE);
        env.put("AWS_REGION", ColdStart.REGION);
        env.put("AWS_ENDPOINT_URL", endpoint);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("CRM_OPERATOR_KEY", Fixtures.OPERATOR_KEY);
        env.put("AUTHORIZER_CACHE_SECONDS", "0");
        return new Settings(env);
    }

    /** Copies of the launcher and reference jars, for the same reason the artifacts are frozen. */
    private static Path freeze(Path target, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String jar : List.of("crm-bench-launcher.jar", "crm-bench-straightforward.jar", "crm-bench-empty.jar")) {
            if (Files.exists(target.resolve(jar))) {
                Files.copy(target.resolve(jar), dir.resolve(jar));
            }
        }
        return dir;
    }

    /** bench/target: where crm-bench.jar (or target/classes) is, else under the project root. */
    private static Path benchTarget(Project project) {
        try {
            Path here = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = here.getParent();
            if (dir != null && Files.exists(dir.resolve("crm-bench-launcher.jar"))) {
                return dir;
            }
        } catch (Exception e) {
            // fall back below
        }
        return project.root().resolve("bench").resolve("target");
    }

    // ------------------------------------------------------------------ header

    private String header(Project project, int runs, LocalDynamoDb db) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Performance report\n\n");
        sb.append("Generated by `bench/` on ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(".\n\n");
        sb.append("| | |\n| --- | --- |\n");
        sb.append("| command | `java -jar bench/target/crm-bench.jar")
                .append(args.isEmpty() ? "" : " " + String.join(" ", args)).append("` (after `mvn -B -q -DskipTests package`) |\n");
        sb.append("| machine | ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ").append(memory()).append(", ").append(System.getProperty("os.name")).append(' ')
                .append(System.getProperty("os.arch")).append(" |\n");
        sb.append("| JDK | ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (Lambda runs java21 on arm64) |\n");
        sb.append("| JAVA_TOOL_OPTIONS (template Globals) | `").append(project.globalJavaToolOptions()).append("` |\n");
        sb.append("| DynamoDB | DynamoDB Local, in-memory, HTTP server on ").append(db.endpoint())
                .append(" in the harness JVM |\n");
        sb.append("| cold-start runs | ").append(runs).append(" per config after one discarded warm-up round |\n");
        sb.append("| load average at start | ").append(loadAverage()).append(" (other work on the machine skews every figure) |\n\n");
        return sb.toString();
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2] + " (1 / 5 / 15 min)";
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return Math.round(kb / 1048576.0) + " GB RAM";
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return "? GB RAM";
    }

    // ------------------------------------------------------------------ cold start

    /**
     * --baseline DIR[,DIR…]: each function config gets a twin per DIR on the artifact of the same file
     * name there (a copy of an earlier build), measured in the same interleaved rounds, so a before/after
     * comparison sees the same machine load. A twin shows as "&lt;function&gt;@&lt;DIR's name&gt;".
     */
    private static List<ColdStart.Config> withBaseline(List<ColdStart.Config> configs, List<Path> dirs) {
        List<ColdStart.Config> out = new ArrayList<>();
        for (ColdStart.Config c : configs) {
            out.add(c);
            if (c.kind() != ColdStart.Kind.FUNCTION) {
                continue;
            }
            for (Path dir : dirs) {
                Path jar = dir.resolve(c.artifact().getFileName());
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalArgumentException("--baseline: no " + jar);
                }
                String tag = "@" + dir.getFileName();
                out.add(new ColdStart.Config(c.id() + " " + tag, c.kind(), c.functionId() + tag, c.sample(), jar,
                        c.handlerClass(), c.method(), c.env(), c.timeoutSeconds(), c.memoryMb(), c.primary()));
            }
        }
        return out;
    }

    private String coldStart(Project project, InProcess handlers, Path target, Path work, String endpoint, int runs) {
        ColdStart cs = new ColdStart(project, handlers, target.resolve("crm-bench-launcher.jar"), work, endpoint,
                LocalDynamoDb.TABLE, BenchMain::progress);
        cs.quietWait(quietWaitMillis());
        List<String> skipped = new ArrayList<>();
        List<ColdStart.Config> configs = cs.configs(target.resolve("crm-bench-straightforward.jar"),
                target.resolve("crm-bench-empty.jar"), skipped);
        skipped.forEach(s -> notes.add("cold start skipped: " + s));
        String only = options.get("only");
        if (only != null) {
            // Comma-separated alternatives, so one invocation can time one sample per function.
            List<String> any = List.of(only.split(","));
            configs = configs.stream().filter(c -> c.kind() != ColdStart.Kind.FUNCTION
                    || any.stream().anyMatch(o -> c.id().contains(o.trim()))).toList();
        }
        String baseline = options.get("baseline");
        if (baseline != null) {
            configs = withBaseline(configs, Stream.of(baseline.split(",")).map(d -> Path.of(d.trim()).toAbsolutePath()).toList());
        }
        Map<ColdStart.Config, List<ColdStart.Run>> results = ColdStart.choosePrimaries(cs.measure(configs, runs));
        configs = List.copyOf(results.keySet());
        notes.addAll(cs.problems());
        ColdStart.Config straightforward = configs.stream().filter(c -> c.kind() == ColdStart.Kind.STRAIGHTFORWARD)
                .findFirst().orElse(null);
        ColdStart.Config empty = configs.stream().filter(c -> c.kind() == ColdStart.Kind.EMPTY).findFirst().orElse(null);
        double sfMedian = straightforward == null ? Double.NaN : totals(results.get(straightforward)).median();
        double emptyMedian = empty == null ? Double.NaN : totals(results.get(empty)).median();

        StringBuilder sb = new StringBuilder();
        sb.append("## 1. Cold start\n\n");
        sb.append("Fresh JVM per run on the function's shaded artifact plus the launcher; time from process spawn ")
                .append("to the first response (ms). Each function is shown with its plainest read (of the samples that ")
                .append("succeeded, the GET with the shortest path; else the first that succeeded). Stream and schedule ")
                .append("samples do work that grows with what the table holds (the harness keeps adding tenants), so ")
                .append("their figures are indicative only. Target: ≤ 0.5 × the straightforward handler.\n\n");
        Table t = new Table("function", "sample", "status", "median", "min", "max", "× straightforward", "× empty",
                "target ≤ 0.5");
        for (var e : results.entrySet()) {
            ColdStart.Config c = e.getKey();
            if (!c.primary()) {
                continue;
            }
            Stats s = totals(e.getValue());
            String name = c.kind() == ColdStart.Kind.FUNCTION ? c.functionId() : "**" + c.id() + "**";
            double ratio = s.median() / sfMedian;
            t.row(name, c.sample().name(), statuses(e.getValue()), Markdown.ms(s.median()), Markdown.ms(s.min()),
                    Markdown.ms(s.max()), Markdown.ratio(ratio), Markdown.ratio(s.median() / emptyMedian),
                    c.kind() == ColdStart.Kind.FUNCTION ? (ratio <= 0.5 ? "met" : "not met") : "");
        }
        sb.append(t).append('\n');

        sb.append("### Every sample\n\n");
        Table all = new Table("function", "sample", "status", "median", "min", "max", "× straightforward",
                "first invoke", "2nd invoke");
        for (var e : results.entrySet()) {
            ColdStart.Config c = e.getKey();
            if (c.kind() != ColdStart.Kind.FUNCTION) {
                continue;
            }
            Stats s = totals(e.getValue());
            all.row(c.functionId(), c.sample().name(), statuses(e.getValue()), Markdown.ms(s.median()),
                    Markdown.ms(s.min()), Markdown.ms(s.max()), Markdown.ratio(s.median() / sfMedian),
                    Markdown.ms(phase(e.getValue(), "invoke")), Markdown.ms(phase(e.getValue(), "invoke2")));
        }
        sb.append(all).append('\n');

        sb.append("### Where the time goes (medians, ms)\n\n");
        sb.append("*JVM + launcher* is the total less the phases the launcher timed itself: process spawn, JVM boot, ")
                .append("the launcher's main class and reading the event file. *Handler class* is loading and static ")
                .append("initialization, *constructor* the no-argument constructor (with SnapStart both run before the ")
                .append("snapshot), *first invoke* the first handleRequest (after a SnapStart restore this still runs ")
                .append("cold unless primed before the snapshot), *2nd invoke* the next call in the same JVM (the floor ")
                .append("priming could reach).\n\n");
        Table phases = new Table("config", "total", "JVM + launcher", "handler class", "constructor", "event decode",
                "first invoke", "2nd invoke");
        for (var e : results.entrySet()) {
            ColdStart.Config c = e.getKey();
            if (!c.primary()) {
                continue;
            }
            List<ColdStart.Run> rs = e.getValue();
            phases.row(label(c), Markdown.ms(totals(rs).median()),
                    Markdown.ms(Stats.of(rs.stream().map(ColdStart.Run::jvmMs).toList()).median()),
                    Markdown.ms(phase(rs, "load")), Markdown.ms(phase(rs, "construct")), Markdown.ms(phase(rs, "decode")),
                    Markdown.ms(phase(rs, "invoke")), Markdown.ms(phase(rs, "invoke2")));
        }
        sb.append(phases).append('\n');

        sb.append("### CPU time (medians, ms)\n\n");
        sb.append("The launcher's main thread's CPU time in the constructor and the first invoke (Linux schedstat, ")
                .append("nanosecond precision), and the whole process's CPU time up to the first response (JVM boot, ")
                .append("GC and JIT threads included; 10 ms ticks). Unlike the times above they hardly move with the ")
                .append("machine's load: compare these when other work shares the cores.\n\n");
        Table cpu = new Table("config", "constructor", "first invoke", "constructor + first invoke", "process to response");
        for (var e : results.entrySet()) {
            ColdStart.Config c = e.getKey();
            if (!c.primary()) {
                continue;
            }
            List<ColdStart.Run> rs = e.getValue();
            cpu.row(label(c), Markdown.ms(phase(rs, "cpuConstruct")), Markdown.ms(phase(rs, "cpuInvoke")),
                    Markdown.ms(Stats.of(rs.stream().map(r -> r.phases().getOrDefault("cpuConstruct", Double.NaN)
                            + r.phases().getOrDefault("cpuInvoke", Double.NaN)).toList()).median()),
                    Markdown.ms(phase(rs, "cpuProcess")));
        }
        sb.append(cpu).append('\n');

        if (!flags.contains("no-classload")) {
            sb.append(classLoads(cs, configs));
        }
        if (!flags.contains("no-priming")) {
            sb.append(priming(cs, configs, results, runs));
        }
        if (!flags.contains("no-appcds")) {
            sb.append(appCds(cs, configs, results, runs));
        }
        return sb.toString();
    }

    private static String label(ColdStart.Config c) {
        return c.kind() == ColdStart.Kind.FUNCTION ? c.functionId() + " (" + c.sample().name() + ")" : c.id();
    }

    private static Stats totals(List<ColdStart.Run> runs) {
        return Stats.of(runs.stream().map(ColdStart.Run::totalMs).toList());
    }

    private static double phase(List<ColdStart.Run> runs, String name) {
        return Stats.of(runs.stream().map(r -> r.phases().getOrDefault(name, Double.NaN)).toList()).median();
    }

    private static String statuses(List<ColdStart.Run> runs) {
        Set<String> s = new TreeSet<>();
        for (ColdStart.Run r : runs) {
            s.add(r.status().length() > 40 ? r.status().substring(0, 40) + "…" : r.status());
        }
        return String.join(", ", s);
    }

    private String classLoads(ColdStart cs, List<ColdStart.Config> configs) {
        progress("cold start: class-load logs");
        Table perPhase = new Table("config", "JVM boot", "handler class", "constructor", "event decode", "first invoke",
                "total", "not from CDS", "uptime at response (ms, logging on)");
        Table origin = new Table(prepend("config", ClassLoadLog.GROUPS));
        Map<String, ClassLoadLog> logs = new LinkedHashMap<>();
        for (ColdStart.Config c : configs) {
            if (!c.primary()) {
                continue;
            }
            ClassLoadLog log = cs.classLoads(c);
            logs.put(label(c), log);
            List<Object> row = new ArrayList<>();
            row.add(label(c));
            for (String name : ClassLoadLog.PHASES) {
                row.add(log.phases().stream().filter(p -> p.name().equals(name)).map(p -> (Object) p.total())
                        .findFirst().orElse("–"));
            }
            ClassLoadLog.Phase all = log.untilResponse();
            row.add(all.total());
            row.add(all.notShared());
            row.add(Markdown.ms(all.endMs()));
            perPhase.row(row.toArray());
            List<Object> o = new ArrayList<>();
            o.add(label(c));
            for (String g : ClassLoadLog.GROUPS) {
                o.add(all.groups().get(g));
            }
            origin.row(o.toArray());
        }
        StringBuilder packages = new StringBuilder();
        var product = configs.stream().filter(c -> c.primary() && c.kind() == ColdStart.Kind.FUNCTION && c.sample().isApi())
                .findFirst().orElse(null);
        if (product != null && logs.containsKey(label(product))) {
            ClassLoadLog log = logs.get(label(product));
            Table top = new Table("constructor: package", "classes", "first invoke: package", "classes");
            var ctor = log.phases().size() > 2 ? log.phases().get(2).topPackages(15) : List.<Map.Entry<String, Integer>>of();
            var inv = log.phases().size() > 4 ? log.phases().get(4).topPackages(15) : List.<Map.Entry<String, Integer>>of();
            for (int i = 0; i < Math.max(ctor.size(), inv.size()); i++) {
                top.row(i < ctor.size() ? ctor.get(i).getKey() : "", i < ctor.size() ? ctor.get(i).getValue() : "",
                        i < inv.size() ? inv.get(i).getKey() : "", i < inv.size() ? inv.get(i).getValue() : "");
            }
            packages.append("Top packages of the two big phases, ").append(label(product)).append(":\n\n").append(top)
                    .append('\n');
        }
        for (var e : logs.entrySet()) {
            if (!e.getKey().contains("straightforward")) {
                continue;
            }
            Table top = new Table("package", "classes");
            for (var p : e.getValue().topPackages(12)) {
                top.row(p.getKey(), p.getValue());
            }
            packages.append("Top packages up to the first response, ").append(e.getKey()).append(":\n\n").append(top).append('\n');
        }
        return "### Classes loaded per phase (one run with `-Xlog:class+load`)\n\n" + perPhase
                + "\nBy origin, up to the first response (*JDK (CDS)*: mapped from the JDK's default CDS archive, "
                + "cheap; every other class is read from a jar or jrt, parsed and, for application classes, verified; "
                + "*generated*: lambda proxies and method-handle classes spun at run time):\n\n" + origin + "\n"
                + packages;
    }

    private static String[] prepend(String first, String[] rest) {
        String[] out = new String[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    private String priming(ColdStart cs, List<ColdStart.Config> configs, Map<ColdStart.Config, List<ColdStart.Run>> results,
            int runs) {
        Table t = new Table("config", "hook", "first invoke, unprimed", "priming hook (beforeCheckpoint)",
                "first invoke after the hook", "change", "2nd invoke (unprimed runs)", "total with the hook");
        for (ColdStart.Config c : configs) {
            if (!c.primary() || c.kind() != ColdStart.Kind.FUNCTION) {
                continue;
            }
            progress("cold start: priming through the product's hook, " + label(c));
            try {
                List<ColdStart.Run> r = cs.primed(c, runs);
                double before = phase(results.get(c), "invoke");
                double after = phase(r, "invoke");
                Set<String> hooks = new TreeSet<>();
                r.forEach(run -> hooks.add(run.hook()));
                t.row(label(c) + " (" + statuses(r) + ")", String.join(", ", hooks), Markdown.ms(before),
                        Markdown.ms(phase(r, "prime")), Markdown.ms(after),
                        Markdown.num(100 * (after - before) / before, 0) + " %",
                        Markdown.ms(phase(results.get(c), "invoke2")), Markdown.ms(totals(r).median()));
            } catch (RuntimeException e) {
                notes.add("priming experiment failed for " + label(c) + ": " + e.getMessage());
            }
        }
        return "### Experiment: priming through the product's own hook\n\nWhat a SnapStart restore leaves to the first "
                + "request. Each run builds the handler with its no-argument constructor (which registers the "
                + "function's priming actions), then the launcher calls the product's hook as Lambda's runtime does "
                + "before the snapshot — `dev.crm.shared.config.Priming.resource().beforeCheckpoint(null)`, by "
                + "reflection — and only then times the sample: *first invoke after the hook* is the first request "
                + "after a restore, less the restore itself, which cannot be measured here (no CRaC/SnapStart on this "
                + "JVM). *First invoke, unprimed* is the same phase in the cold-start runs above (no hook). *Hook* "
                + "`ok` means the hook ran (it swallows its actions' own failures). Every function, its plainest "
                + "sample; stream and schedule workers prime their DynamoDB client only. Medians of " + runs
                + ", ms.\n\n" + t + "\n";
    }

    private String appCds(ColdStart cs, List<ColdStart.Config> configs, Map<ColdStart.Config, List<ColdStart.Run>> results,
            int runs) {
        Table t = new Table("config", "median without", "median with AppCDS", "gain", "first invoke with AppCDS",
                "archive MB");
        for (ColdStart.Config c : configs) {
            if (!c.primary() || c.kind() == ColdStart.Kind.EMPTY || (c.kind() == ColdStart.Kind.FUNCTION && !c.isRequest())) {
                continue;
            }
            progress("cold start: AppCDS experiment, " + label(c));
            try {
                ColdStart.AppCdsResult r = cs.appCds(c, runs);
                double without = totals(results.get(c)).median();
                double with = totals(r.runs()).median();
                t.row(label(c), Markdown.ms(without), Markdown.ms(with),
                        Markdown.num(100 * (without - with) / without, 0) + " %", Markdown.ms(phase(r.runs(), "invoke")),
                        Markdown.mb(r.archiveBytes()));
            } catch (RuntimeException e) {
                notes.add("AppCDS experiment failed for " + label(c) + ": " + e.getMessage());
            }
        }
        return "### Experiment: AppCDS\n\nThe same runs with a dynamic AppCDS archive of the classes one run loaded "
                + "(`-XX:ArchiveClassesAtExit` once, then `-XX:SharedArchiveFile`), medians of " + runs + "; API and "
                + "authorizer functions and the straightforward reference.\n\n" + t + "\n";
    }

    // ------------------------------------------------------------------ warm + capacity

    @SuppressWarnings("unchecked")
    private String[] warmAndCapacity(Project project, Path target, Path work, String endpoint) throws Exception {
        String jit = options.getOrDefault("warm-jit", "both");
        List<String[]> modes = new ArrayList<>();
        if (!jit.equals("default")) {
            modes.add(new String[] {"template flags (`" + project.globalJavaToolOptions() + "`)", project.globalJavaToolOptions()});
        }
        if (!jit.equals("template")) {
            modes.add(new String[] {"default JIT (C1 + C2)", ""});
        }
        StringBuilder warm = new StringBuilder("## 2. Warm handler cost\n\n");
        warm.append("In one JVM, the real handler (built with an Infrastructure whose client is the product's own, ")
                .append("`DynamoDbClients.create`) invoked in-process with prebuilt events, beside the raw SDK making the ")
                .append("same DynamoDB calls (same HTTP client settings), single thread, against DynamoDB Local on ")
                .append("loopback. ").append(intOption("warmup", 500)).append(" warm-up calls each, then ")
                .append(intOption("rounds", 3)).append(" rounds alternating a block of ").append(intOption("block", 500))
                .append(" handler calls with a block of raw calls. Latency in ms. Target: handler throughput ≥ 0.8 × raw.\n\n");
        String capacity = "";
        for (String[] mode : modes) {
            progress("warm: child JVM with " + mode[0]);
            Path out = work.resolve("warm-" + System.nanoTime() + ".json");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), WarmMain.class.getName(),
                    "--root", project.root().toString(), "--endpoint", endpoint, "--out", out.toString(),
                    "--warmup", String.valueOf(intOption("warmup", 500)), "--rounds", String.valueOf(intOption("rounds", 3)),
                    "--block", String.valueOf(intOption("block", 500)),
                    "--capacity-repeats", String.valueOf(intOption("capacity-repeats", 3)),
                    "--quiet-wait", String.valueOf(quietWaitMillis()), "--artifacts", work.resolve("artifacts").toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.root().toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT);
            if (mode[1].isEmpty()) {
                pb.environment().remove("JAVA_TOOL_OPTIONS");
            } else {
                pb.environment().put("JAVA_TOOL_OPTIONS", mode[1]);
            }
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("the warm benchmark did not finish in 30 minutes");
            }
            if (p.exitValue() != 0 || !Files.exists(out)) {
                throw new IllegalStateException("the warm benchmark failed (exit " + p.exitValue() + ")");
            }
            Map<String, Object> result = (Map<String, Object>) Json.parse(Files.readString(out));
            warm.append("### ").append(mode[0]).append("\n\n").append(warmTable(result)).append('\n');
            if (d(result.get("busyStarts")) > 0) {
                notes.add("warm (" + mode[0] + "): " + ((Number) result.get("busyStarts")).intValue()
                        + " block(s) started on a busy machine after waiting " + quietWaitMillis() / 1000 + " s");
            }
            if (capacity.isEmpty()) {
                capacity = capacityTables(project, result);
            }
        }
        return new String[] {warm.toString(), capacity};
    }

    private String warmTable(Map<String, Object> result) {
        Table t = new Table("scenario", "handler p50", "handler p99", "handler calls/s", "raw p50", "raw p99",
                "raw calls/s", "throughput ratio", "target ≥ 0.8");
        for (Object o : SamTemplate.list(result.get("scenarios"))) {
            Map<String, Object> row = SamTemplate.map(o);
            if (row.containsKey("skipped")) {
                notes.add("warm scenario " + row.get("scenario") + " skipped: " + row.get("skipped"));
                continue;
            }
            if (row.get("preparation") != null) {
                notes.add("warm scenario " + row.get("scenario") + ": preparation: " + row.get("preparation"));
            }
            Map<String, Object> h = SamTemplate.map(row.get("handler"));
            Map<String, Object> r = SamTemplate.map(row.get("raw"));
            double ratio = d(h.get("throughput")) / d(r.get("throughput"));
            long errors = ((Number) h.get("errors")).longValue();
            if (errors > 0) {
                notes.add("warm scenario " + row.get("scenario") + ": " + errors + " handler calls failed (last: "
                        + h.get("lastError") + ")");
            }
            t.row(row.get("scenario") + (errors > 0 ? " (errors!)" : ""), Markdown.ms(d(h.get("p50"))),
                    Markdown.ms(d(h.get("p99"))), Markdown.num(d(h.get("throughput")), 0), Markdown.ms(d(r.get("p50"))),
                    Markdown.ms(d(r.get("p99"))), Markdown.num(d(r.get("throughput")), 0), Markdown.ratio(ratio),
                    ratio >= 0.8 ? "met" : "not met");
        }
        return t.toString();
    }

    private static double d(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private String capacityTables(Project project, Map<String, Object> result) {
        Map<String, String> documented = CapacityReference.documented(project.root().resolve("docs/data-model.md"));
        StringBuilder sb = new StringBuilder("## 3. DynamoDB capacity per operation\n\n");
        sb.append("Each sample on a fresh fixture (a tenant with an admin and a read key) in a table of its own, ")
                .append("`ReturnConsumedCapacity` set on every request by an SDK ExecutionInterceptor on the handler's ")
                .append("client (INDEXES: the TOTAL figure plus its split between the table and the indexes), the ")
                .append("responses' ConsumedCapacity summed (median of the repeats). *Minimum*: ")
                .append("what the route's access pattern in docs/data-model.md needs (items ≤ 1 KB written, ≤ 4 KB ")
                .append("read; transactional writes 2 WCU per item). DynamoDB Local 3.x under-reports TransactWriteItems ")
                .append("(one figure for all the items of a table, awslabs/amazon-dynamodb-local-samples#31), so a ")
                .append("transaction's WCU are counted as DynamoDB bills them, from the items read before and after the ")
                .append("call: 2 per item per started KB of the larger image, plus 1 per KB for each global-secondary-index ")
                .append("entry written or deleted (index maintenance at the standard rate: an assumption). Single-item ")
                .append("operations are taken as DynamoDB Local reports them (it counts their index writes), except that ")
                .append("a Query or Scan that finds nothing, or a missing BatchGetItem key, is counted at DynamoDB's minimum ")
                .append("of 0.5 RCU (1 if consistent) where DynamoDB Local reports 0. Calls that fail (a condition, a ")
                .append("cancelled transaction) are listed but not counted. *DynamoDB Local reported* is its own total.\n\n");
        Table t = new Table("route", "sample", "status", "DynamoDB calls", "RCU", "WCU (of which indexes)",
                "DynamoDB Local reported", "pattern", "minimum RCU", "minimum WCU", "excess (table)");
        Table raw = new Table("scenario", "handler calls (warm)", "RCU", "WCU (of which indexes)", "raw-SDK calls", "RCU",
                "WCU (of which indexes)", "same calls");
        Map<String, List<String>> skipped = new LinkedHashMap<>();
        Set<String> patterns = new TreeSet<>();
        for (Object o : SamTemplate.list(result.get("capacity"))) {
            Map<String, Object> row = SamTemplate.map(o);
            if (row.containsKey("scenario")) {
                if (row.containsKey("skippedScenario")) {
                    notes.add("capacity: warm scenario " + row.get("scenario") + " skipped: " + row.get("skippedScenario"));
                    continue;
                }
                if (row.get("preparation") != null) {
                    notes.add("capacity: warm scenario " + row.get("scenario") + ": preparation: " + row.get("preparation"));
                }
                String handlerCalls = String.valueOf(row.get("handlerCalls"));
                String status = String.valueOf(row.get("handlerStatus"));
                raw.row(row.get("scenario"), handlerCalls + (InProcess.succeeded(status) ? "" : " (" + status + ")"),
                        Markdown.num(d(row.get("handlerRcu")), 1),
                        Markdown.num(d(row.get("handlerWcu")), 1) + " (" + Markdown.num(d(row.get("handlerIndexWcu")), 1) + ")",
                        row.get("calls"), Markdown.num(d(row.get("rcu")), 1),
                        Markdown.num(d(row.get("wcu")), 1) + " (" + Markdown.num(d(row.get("indexWcu")), 1) + ")",
                        handlerCalls.equals(row.get("calls")) ? "yes" : "**no**");
                continue;
            }
            if (row.containsKey("skipped")) {
                skipped.computeIfAbsent(String.valueOf(row.get("skipped")), k -> new ArrayList<>()).add(String.valueOf(row.get("sample")));
                continue;
            }
            String route = String.valueOf(row.get("route"));
            CapacityReference.Minimum min = CapacityReference.of(String.valueOf(row.get("sample")), route);
            double rcu = d(row.get("rcu"));
            double wcu = d(row.get("wcu"));
            String calls = String.valueOf(row.get("calls"));
            if (row.get("tableItems") != null) {
                calls += " (table: " + row.get("tableItems") + " items)";
            }
            if (d(row.get("unreported")) > 0) {
                notes.add("capacity: " + row.get("sample") + ": " + row.get("unreported")
                        + " call(s) reported no ConsumedCapacity (DynamoDB Local)");
            }
            double indexWcu = d(row.get("indexWcu"));
            String excess = "";
            if (min != null) {
                double extraR = rcu - min.rcu();
                double extraW = wcu - indexWcu - min.wcu();
                List<String> parts = new ArrayList<>();
                if (extraR > 0.001) {
                    parts.add("+" + Markdown.num(extraR, 1) + " RCU");
                }
                if (extraW > 0.001) {
                    parts.add("+" + Markdown.num(extraW, 1) + " WCU");
                }
                if (extraR < -0.001 || extraW < -0.001) {
                    parts.add("below the minimum: check the status");
                }
                excess = parts.isEmpty() ? "none" : String.join(", ", parts);
                for (String p : min.patterns().split("[^A-Z0-9]+")) {
                    if (documented.containsKey(p)) {
                        patterns.add(p);
                    }
                }
            }
            if (row.get("preparation") != null) {
                notes.add("capacity: " + row.get("sample") + ": preparation: " + row.get("preparation"));
            }
            t.row(route, row.get("sample"), row.get("status"), calls, Markdown.num(rcu, 1),
                    Markdown.num(wcu, 1) + (indexWcu > 0 ? " (" + Markdown.num(indexWcu, 1) + ")" : ""),
                    Markdown.num(d(row.get("reported")), 1), min == null ? "–" : min.patterns(), min == null ? "–" : Markdown.num(min.rcu(), 1),
                    min == null ? "–" : Markdown.num(min.wcu(), 1), min == null ? "no reference" : excess);
        }
        skipped.forEach((why, samples) -> notes.add("capacity: skipped (" + why + "): " + String.join(", ", samples)));
        sb.append(t).append('\n');
        sb.append("The warm scenarios' DynamoDB calls: the handler's third call in a row on one fixture (its in-process ")
                .append("caches warm, as throughout the warm benchmark) beside one raw-SDK call on a fixture prepared the ")
                .append("same way (counted as above; a raw side that made fewer or cheaper calls than the handler would ")
                .append("flatter the raw figures):\n\n").append(raw).append('\n');
        if (!patterns.isEmpty()) {
            sb.append("Access patterns referred to (docs/data-model.md):\n\n");
            List<String> sorted = new ArrayList<>(patterns);
            sorted.sort(Comparator.comparing((String p) -> p.charAt(0)).thenComparingInt(p -> Integer.parseInt(p.substring(1))));
            for (String p : sorted) {
                sb.append("- ").append(p).append(": ").append(documented.get(p)).append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ churn at scale

    /**
     * The churn job at scale (dev.crm.bench.churn.ChurnMain) in child JVMs: with the template's flags, the
     * DynamoDB part and the model step; with the default JIT, the model step again (--model-jit).
     */
    @SuppressWarnings("unchecked")
    private String churn(Project project, Path work, String endpoint) throws Exception {
        int customers = intOption("churn-customers", 100_000);
        int modelCustomers = intOption("model-customers", 10_000_000);
        String jit = options.getOrDefault("model-jit", "both");
        Path artifact = project.module("ChurnRunsFunction") == null ? null : project.artifact(project.module("ChurnRunsFunction"));
        if (artifact == null) {
            notes.add("churn at scale skipped: functions/churn-alerts has no shaded artifact; build it first");
            return "";
        }
        String template = project.globalJavaToolOptions();
        Map<String, Object> main = churnChild(project, work, endpoint, artifact, template, customers,
                jit.equals("default") ? 0 : modelCustomers);
        Map<String, Object> defaultJit = null;
        if (modelCustomers > 0 && !jit.equals("template")) {
            defaultJit = churnChild(project, work, endpoint, artifact, null, 0, modelCustomers);
        }
        StringBuilder sb = new StringBuilder("## 5. Churn job at scale\n\n");
        Map<String, Object> ddb = main.get("dynamodb") == null ? null : SamTemplate.map(main.get("dynamodb"));
        if (ddb != null) {
            Map<String, Object> scan = SamTemplate.map(ddb.get("rawScan"));
            Map<String, Object> query = SamTemplate.map(ddb.get("rawQuery"));
            Map<String, Object> writes = SamTemplate.map(ddb.get("rawWrites"));
            Map<String, Object> parallelWrites = ddb.get("rawWritesParallel") == null ? null
                    : SamTemplate.map(ddb.get("rawWritesParallel"));
            Map<String, Object> run = SamTemplate.map(ddb.get("run"));
            Map<String, Object> result = run.get("result") == null ? Map.of() : SamTemplate.map(run.get("result"));
            double fit = d(ddb.get("fitInvocationSeconds"));
            double score = d(ddb.get("scoreInvocationSeconds"));
            double post = d(ddb.get("postMs")) / 1000;
            double total = post + fit + score;
            double scanSeconds = d(scan.get("seconds"));
            sb.append(String.format(java.util.Locale.ROOT, "One tenant with %,d customers in DynamoDB Local (a contact profile "
                    + "and a purchase summary each, in the product's item format: `TestHistories`, GSI1 "
                    + "`{t}#SUMMARIES#{0..7}`; simulated from a BG/NBD process as the churn tests do), in a table of its own "
                    + "(%,d items, written in %.0f s by 4 threads, untimed). Then, in one JVM with the template's flags "
                    + "(`%s`) as the ChurnRunsFunction runs: a raw parallel Scan of the table (%d segments, one thread "
                    + "each, reading %,d items), the run's own read and its score writes made raw, and a real run: "
                    + "`POST /v1/churn-runs` "
                    + "through the ChurnAlertsFunction handler, then the ChurnRunsFunction worker on the job's stream "
                    + "event. The worker's first invocation is given time for one step (claim, the *fit* step: every "
                    + "summary read and both models fitted, checkpoint, hand-over, as a Lambda near its timeout "
                    + "does); the second runs every *score* step to the end (%s customers per step: read a page, score, "
                    + "write scores, raise alerts, checkpoint). Seconds.\n\n",
                    customers, ((Number) ddb.get("tableItems")).longValue(), d(ddb.get("setupSeconds")),
                    String.valueOf(main.get("javaToolOptions")), ((Number) scan.get("segments")).intValue(),
                    ((Number) scan.get("items")).longValue(), "1,000"));
            Table t = new Table("what", "s", "items", "items/s", "× raw Scan", "DynamoDB calls (product client)");
            t.row("raw parallel Scan, " + scan.get("segments") + " segments", Markdown.num(scanSeconds, 1),
                    String.format("%,d", ((Number) scan.get("items")).longValue()),
                    String.format("%,.0f", d(scan.get("items")) / scanSeconds), "1.00",
                    "Scan ×" + ((Number) scan.get("pages")).longValue());
            double q = d(query.get("seconds"));
            t.row("raw Query of the 8 summary shards (GSI1, pages of 1,000: the run's read R1)", Markdown.num(q, 1),
                    String.format("%,d", ((Number) query.get("items")).longValue()),
                    String.format("%,.0f", d(query.get("items")) / q), Markdown.ratio(q / scanSeconds),
                    "Query ×" + ((Number) query.get("pages")).longValue());
            double w = d(writes.get("seconds"));
            t.row("raw BatchWriteItem of as many score-sized items (25 a call, one thread: the run's score writes)",
                    Markdown.num(w, 1), String.format("%,d", ((Number) writes.get("items")).longValue()),
                    String.format("%,.0f", d(writes.get("items")) / w), Markdown.ratio(w / scanSeconds),
                    "BatchWriteItem ×" + ((Number) writes.get("pages")).longValue());
            double wp = parallelWrites == null ? w : d(parallelWrites.get("seconds"));
            if (parallelWrites != null) {
                t.row("the same on " + parallelWrites.get("threads") + " threads (a share each: as the run's score steps write)",
                        Markdown.num(wp, 1), String.format("%,d", ((Number) parallelWrites.get("items")).longValue()),
                        String.format("%,.0f", d(parallelWrites.get("items")) / wp), Markdown.ratio(wp / scanSeconds),
                        "BatchWriteItem ×" + ((Number) parallelWrites.get("pages")).longValue());
            }
            t.row("`POST /v1/churn-runs` (202)", Markdown.num(post, 2), "", "", Markdown.ratio(post / scanSeconds),
                    ddb.get("postCalls"));
            t.row("worker, 1st invocation: claim, fit step (read + fit), checkpoint, hand-over", Markdown.num(fit, 1),
                    String.format("%,d", customers), String.format("%,.0f", customers / fit), Markdown.ratio(fit / scanSeconds),
                    ddb.get("fitCalls"));
            t.row("worker, 2nd invocation: claim, every score step, finish", Markdown.num(score, 1),
                    String.format("%,d", customers), String.format("%,.0f", customers / score),
                    Markdown.ratio(score / scanSeconds), ddb.get("scoreCalls"));
            t.row("**the whole run** (POST + both invocations)", "**" + Markdown.num(total, 1) + "**",
                    String.format("%,d", customers), String.format("%,.0f", customers / total),
                    "**" + Markdown.ratio(total / scanSeconds) + "**", "");
            sb.append(t).append('\n');
            Map<String, Object> tiers = result.get("riskTiers") == null ? Map.of() : SamTemplate.map(result.get("riskTiers"));
            Map<String, Object> model = result.get("model") == null ? Map.of() : SamTemplate.map(result.get("model"));
            double floor = 2 * q + w;
            // the run writes a prediction beside each score (both batch-written), on the score steps' writers
            double ownFloor = 2 * q + 2 * Math.min(w, wp);
            sb.append(String.format(java.util.Locale.ROOT, "The run's outcome (`GET /v1/churn-runs/{id}`): `%s`, %,d scored, "
                    + "%,d alerts; risk tiers low %,d, medium %,d, high %,d; %s. Its raw floor — the summaries read "
                    + "twice (fit step, then score pages) and the scores written, as the raw rows above — is %.1f s: the "
                    + "run took %.2f × that. Counting every item it batch-writes (a score and a prediction per "
                    + "customer) at the faster of the raw writes, the floor is %.1f s: the run took %.2f × that.%n%n",
                    run.get("status"), (long) d(result.get("scored")), (long) d(result.get("alerts")),
                    (long) d(tiers.get("low")), (long) d(tiers.get("medium")), (long) d(tiers.get("high")),
                    Boolean.TRUE.equals(model.get("fallbackRule")) ? "the fallback rule (too few customers to fit)"
                            : String.format(java.util.Locale.ROOT, "BG/NBD r %.3f, α %.3f, a %.3f, b %.3f and Gamma-Gamma "
                                    + "p %.3f, q %.3f, v %.3f fitted on %,d customers (simulated with r 0.5, α 6, a 0.7, "
                                    + "b 2.5; p 6, q 4, v 15)", d(model.get("r")), d(model.get("alpha")), d(model.get("a")),
                                    d(model.get("b")), d(model.get("p")), d(model.get("q")), d(model.get("v")),
                                    (long) d(model.get("customers"))),
                    floor, total / floor, ownFloor, total / ownFloor));
        }
        Map<String, List<Object>> byJit = new LinkedHashMap<>();
        if (main.get("model") != null) {
            byJit.put("template flags", SamTemplate.list(main.get("model")));
        }
        if (defaultJit != null && defaultJit.get("model") != null) {
            byJit.put("default JIT", SamTemplate.list(defaultJit.get("model")));
        }
        if (!byJit.isEmpty()) {
            long heap = ((Number) (defaultJit != null ? defaultJit : main).get("maxHeapMb")).longValue();
            sb.append(String.format(java.util.Locale.ROOT, "The model step alone, in memory, on %,d simulated customers "
                    + "(`dev.crm.bench.churn.ModelScale`, formerly the churn module's `ModelScaleCheck`): what a run does "
                    + "between reading the summaries and writing the scores. In a JVM of its own (`-Xmx%s`, max heap "
                    + "%,d MB) %s. Seconds.%n%n", modelCustomers, CHURN_HEAP, heap,
                    byJit.size() == 2 ? "with the template's flags (as the ChurnRunsFunction runs), then in another with "
                            + "the default JIT" : "with " + byJit.keySet().iterator().next()));
            List<String> modes = new ArrayList<>(byJit.keySet());
            List<String> header = new ArrayList<>(List.of("step"));
            modes.forEach(m -> header.add(m + " (s)"));
            header.add("detail");
            Table m = new Table(header.toArray(new String[0]));
            List<Object> first = byJit.get(modes.get(0));
            for (int i = 0; i < first.size(); i++) {
                Map<String, Object> step = SamTemplate.map(first.get(i));
                List<Object> row = new ArrayList<>();
                row.add(step.get("name"));
                for (String mode : modes) {
                    List<Object> steps = byJit.get(mode);
                    row.add(i < steps.size() ? Markdown.num(d(SamTemplate.map(steps.get(i)).get("seconds")), 2) : "–");
                }
                row.add(step.get("detail"));
                m.row(row.toArray());
            }
            sb.append(m).append('\n');
        }
        for (Map<String, Object> r : java.util.Arrays.asList(main, defaultJit)) {
            if (r != null && d(r.get("busyStarts")) > 0) {
                notes.add("churn: " + ((Number) r.get("busyStarts")).intValue()
                        + " step(s) started on a busy machine after waiting " + quietWaitMillis() / 1000 + " s");
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ touch point import

    /**
     * POST /v1/interactions/imports at the file limit (dev.crm.bench.imports.ImportMain) in a child JVM with
     * the template's flags, with the table's stream off and on.
     */
    @SuppressWarnings("unchecked")
    private String interactionImport(Project project, Path work, String endpoint) throws Exception {
        Path artifact = project.module("ContactJobsFunction") == null ? null : project.artifact(project.module("ContactJobsFunction"));
        if (artifact == null) {
            notes.add("touch point import skipped: functions/contacts has no shaded artifact; build it first");
            return "";
        }
        int rows = intOption("import-rows", 20_000);
        int contacts = intOption("import-contacts", 2_000);
        progress("import: child JVM with " + project.globalJavaToolOptions());
        Path out = work.resolve("import-" + System.nanoTime() + ".json");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path") + File.pathSeparator + artifact,
                "dev.crm.bench.imports.ImportMain", "--root", project.root().toString(), "--endpoint", endpoint,
                "--out", out.toString(), "--rows", String.valueOf(rows), "--contacts", String.valueOf(contacts),
                "--stream", options.getOrDefault("import-stream", "both"), "--quiet-wait", String.valueOf(quietWaitMillis()),
                "--artifacts", work.resolve("artifacts").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.root().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("JAVA_TOOL_OPTIONS", project.globalJavaToolOptions());
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("the import benchmark did not finish in 30 minutes");
        }
        if (p.exitValue() != 0 || !Files.exists(out)) {
            throw new IllegalStateException("the import benchmark failed (exit " + p.exitValue() + ")");
        }
        Map<String, Object> r = (Map<String, Object>) Json.parse(Files.readString(out));
        StringBuilder sb = new StringBuilder("## 6. Touch point import\n\n");
        sb.append(String.format(java.util.Locale.ROOT, "`POST /v1/interactions/imports?createContacts=true` with %,d purchase "
                + "lines of %,d customers in date order (a batch of 1,000 lines spans about as many contacts), through the "
                + "ContactsFunction handler, then the ContactJobsFunction worker on the job's stream event until the job "
                + "succeeds, in a table of its own per run (`dev.crm.bench.imports.ImportMain`, a child JVM with the "
                + "template's flags). DynamoDB Local appends a stream record under one global lock per write, so the "
                + "stream-on figure is the emulator's; DynamoDB writes stream records off the request path. The last column is "
                + "the reference on the same server: three line-sized items per line written raw (BatchWriteItem, 8 threads, "
                + "no transaction, no read), what the emulator takes at all on the machine at the time.%n%n", rows, contacts));
        Table t = new Table("stream", "POST (ms)", "worker (s)", "lines/s", "imported", "rejected", "worker's DynamoDB calls",
                "raw BatchWriteItem, items/s (3 per line)");
        for (Object o : (List<Object>) r.get("runs")) {
            Map<String, Object> run = (Map<String, Object>) o;
            t.row(Boolean.TRUE.equals(run.get("stream")) ? "on" : "off", Markdown.num(((Number) run.get("postMs")).doubleValue(), 0),
                    Markdown.num(((Number) run.get("workerSeconds")).doubleValue(), 1),
                    Markdown.num(((Number) run.get("rowsPerSecond")).doubleValue(), 0), run.get("imported"), run.get("rejected"),
                    run.get("workerCalls"), Markdown.num(((Number) ((Map<String, Object>) run.get("rawWrites")).get("itemsPerSecond"))
                            .doubleValue(), 0));
        }
        sb.append(t).append('\n');
        return sb.toString();
    }

    /** The issue-17 crash run at 10,000 enrolments in a child JVM with the journeys artifact (JourneyCrashMain). */
    @SuppressWarnings("unchecked")
    private String journeyCrash(Project project, Path work, String endpoint) throws Exception {
        Path artifact = project.module("JourneySweepFunction") == null ? null : project.artifact(project.module("JourneySweepFunction"));
        if (artifact == null) {
            notes.add("journey crash run skipped: functions/journeys has no shaded artifact; build it first");
            return "";
        }
        int enrolments = intOption("journey-enrolments", 10_000);
        progress("journeys: child JVM with " + project.globalJavaToolOptions());
        Path out = work.resolve("journeys-" + System.nanoTime() + ".json");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path") + File.pathSeparator + artifact,
                "dev.crm.bench.journeys.JourneyCrashMain", "--root", project.root().toString(), "--endpoint", endpoint,
                "--out", out.toString(), "--enrolments", String.valueOf(enrolments)));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.root().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("JAVA_TOOL_OPTIONS", project.globalJavaToolOptions());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("the journey crash run did not finish in 60 minutes");
        }
        if (p.exitValue() != 0 || !Files.exists(out)) {
            throw new IllegalStateException("the journey crash run failed (exit " + p.exitValue() + ")");
        }
        Map<String, Object> r = (Map<String, Object>) Json.parse(Files.readString(out));
        StringBuilder sb = new StringBuilder("## 7. Journeys: a killed worker and sweeper, resumed\n\n");
        sb.append(String.format(java.util.Locale.ROOT, "%,d contacts enrol in purchase → wait 5 minutes → send through the "
                + "JourneyEnrolmentFunction handler (25 records a call), killed once mid-batch and its failed batches "
                + "redelivered, then the whole stream replayed; the JourneySweepFunction handler is killed mid-batch twice "
                + "(its writes fail from the Nth on) and run again until nothing is due (`dev.crm.bench.journeys.JourneyCrashMain`, "
                + "a child JVM with the template's flags, a table of its own). The outbox is counted per contact.%n%n", enrolments));
        Table t = new Table("expected", "found", "duplicates", "lost", "sent (stats)", "enrol (s)", "sweeps (s)", "sends/s");
        t.row(r.get("messagesExpected"), r.get("messagesFound"), r.get("duplicates"), r.get("lost"), r.get("statsSent"),
                Markdown.num(((Number) r.get("enrolSeconds")).doubleValue(), 1),
                Markdown.num(((Number) r.get("sweepSeconds")).doubleValue(), 1),
                Markdown.num(((Number) r.get("sendsPerSecond")).doubleValue(), 0));
        sb.append(t).append('\n');
        return sb.toString();
    }

    /** The heap of the churn children: the 10-million-customer model step holds about 1 GB. */
    static final String CHURN_HEAP = "4g";

    @SuppressWarnings("unchecked")
    private Map<String, Object> churnChild(Project project, Path work, String endpoint, Path artifact, String javaToolOptions,
            int customers, int modelCustomers) throws Exception {
        progress("churn: child JVM with " + (javaToolOptions == null ? "the default JIT" : javaToolOptions));
        Path out = work.resolve("churn-" + System.nanoTime() + ".json");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + CHURN_HEAP, "-cp", System.getProperty("java.class.path") + File.pathSeparator + artifact,
                "dev.crm.bench.churn.ChurnMain", "--root", project.root().toString(), "--endpoint", endpoint,
                "--out", out.toString(), "--customers", String.valueOf(customers),
                "--model-customers", String.valueOf(modelCustomers), "--quiet-wait", String.valueOf(quietWaitMillis()),
                "--artifacts", work.resolve("artifacts").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.root().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT);
        if (javaToolOptions == null) {
            pb.environment().remove("JAVA_TOOL_OPTIONS");
        } else {
            pb.environment().put("JAVA_TOOL_OPTIONS", javaToolOptions);
        }
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("the churn benchmark did not finish in 90 minutes");
        }
        if (p.exitValue() != 0 || !Files.exists(out)) {
            throw new IllegalStateException("the churn benchmark failed (exit " + p.exitValue() + ")");
        }
        return (Map<String, Object>) Json.parse(Files.readString(out));
    }

    // ------------------------------------------------------------------ artifacts

    private String artifacts(Project project, Path target) {
        StringBuilder sb = new StringBuilder("## 4. Artifact size\n\n");
        sb.append("The shaded jar each function deploys (the Makefile unpacks it into SAM's artifact folder; CI ")
                .append("keeps it under 10 MB), with its largest parts (compressed).\n\n");
        Table t = new Table("function", "module", "jar", "MB", "classes", "largest parts (MB)");
        Map<String, Artifacts.Summary> byModule = new LinkedHashMap<>();
        for (SamTemplate.Function f : project.functions()) {
            String module = project.module(f.logicalId());
            if (module == null) {
                t.row(f.logicalId(), "–", "no Makefile target", "", "", "");
                continue;
            }
            Path jar = project.artifact(module);
            if (jar == null) {
                t.row(f.logicalId(), module, "not built", "", "", "");
                continue;
            }
            Artifacts.Summary s = byModule.computeIfAbsent(module, m -> Artifacts.summarize(jar));
            t.row(f.logicalId(), module, jar.getFileName(), Markdown.mb(s.bytes()), s.classes(), parts(s));
        }
        for (String ref : List.of("straightforward", "empty")) {
            Path jar = target.resolve("crm-bench-" + ref + ".jar");
            if (Files.exists(jar)) {
                Artifacts.Summary s = Artifacts.summarize(jar);
                t.row("**reference: " + ref + "**", "bench", jar.getFileName(), Markdown.mb(s.bytes()), s.classes(),
                        parts(s));
            }
        }
        sb.append(t).append('\n');
        return sb.toString();
    }

    private static String parts(Artifacts.Summary s) {
        List<String> out = new ArrayList<>();
        for (var e : s.top(5)) {
            out.add(e.getKey() + " " + Markdown.mb(e.getValue()));
        }
        return String.join("; ", out);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // temp dir
        }
    }
}
