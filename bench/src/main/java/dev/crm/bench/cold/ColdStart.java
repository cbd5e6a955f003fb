package dev.crm.bench.cold;

import dev.crm.bench.Fixtures;
import dev.crm.bench.InProcess;
import dev.crm.bench.Preparations;
import dev.crm.bench.Project;
import dev.crm.bench.Quiet;
import dev.crm.bench.TemplateEnv;
import dev.crm.bench.launch.Launcher;
import dev.crm.devkit.SamTemplate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Cold start, measured as a client of Lambda would see it: for each run a fresh JVM on the function's
 * shaded artifact plus the launcher, with the template's JAVA_TOOL_OPTIONS and a Lambda-like
 * environment; the parent times process spawn to the launcher's first-response line.
 */
public final class ColdStart {
    public enum Kind { FUNCTION, STRAIGHTFORWARD, EMPTY }

    public static final String REGION = "us-east-1";

    /** One thing to start: a function with one of its samples, or a reference handler. */
    public record Config(String id, Kind kind, String functionId, Project.Sample sample, Path artifact,
            String handlerClass, String method, Map<String, String> env, int timeoutSeconds, int memoryMb,
            boolean primary) {
        public Config withPrimary(boolean p) {
            return new Config(id, kind, functionId, sample, artifact, handlerClass, method, env, timeoutSeconds, memoryMb, p);
        }

        /** An API or authorizer sample: its work does not grow with what the table holds. */
        public boolean isRequest() {
            return sample.isApi() || "authorizer".equals(sample.route());
        }
    }

    /**
     * Picks each function's representative sample from the measured runs: among the samples that
     * succeeded in every run, the GET route with the shortest path (the plainest read), else the
     * first that succeeded, else {@link Project#primary}. The references stay as they are.
     */
    public static Map<Config, List<Run>> choosePrimaries(Map<Config, List<Run>> results) {
        Map<String, Config> chosen = new LinkedHashMap<>();
        Map<String, List<Project.Sample>> byFunction = new LinkedHashMap<>();
        for (var e : results.entrySet()) {
            Config c = e.getKey();
            if (c.kind() != Kind.FUNCTION) {
                continue;
            }
            byFunction.computeIfAbsent(c.functionId(), k -> new ArrayList<>()).add(c.sample());
            boolean ok = !e.getValue().isEmpty() && e.getValue().stream().allMatch(r -> succeeded(r.status()));
            if (!ok) {
                continue;
            }
            Config best = chosen.get(c.functionId());
            if (best == null || rank(c) < rank(best)) {
                chosen.put(c.functionId(), c);
            }
        }
        Map<Config, List<Run>> out = new LinkedHashMap<>();
        for (var e : results.entrySet()) {
            Config c = e.getKey();
            boolean primary;
            if (c.kind() != Kind.FUNCTION) {
                primary = c.primary();
            } else if (chosen.containsKey(c.functionId())) {
                primary = chosen.get(c.functionId()) == c;
            } else {
                primary = Project.primary(byFunction.get(c.functionId())) == c.sample();
            }
            out.put(c.withPrimary(primary), e.getValue());
        }
        return out;
    }

    /** Lower is plainer: GET routes first, then by path length. */
    private static int rank(Config c) {
        boolean get = c.sample().isApi() && "GET".equals(c.sample().json().get("httpMethod"));
        int length = c.sample().isApi() ? String.valueOf(c.sample().json().get("resource")).length() : 500;
        return (get ? 0 : 1000) + length;
    }

    static boolean succeeded(String status) {
        return status.equals("ok") || status.startsWith("2");
    }

    /**
     * One child: total spawn-to-response time and the launcher's own phase timings (ms).
     *
     * @param hook what the product's priming hook did ("none" when not asked, "ok", "missing", "error:…")
     */
    public record Run(double totalMs, Map<String, Double> phases, String status, String status2, String hook) {
        /** Process spawn, JVM boot and the launcher's own start: the total less the measured phases. */
        public double jvmMs() {
            return totalMs - phases.getOrDefault("load", 0.0) - phases.getOrDefault("construct", 0.0)
                    - phases.getOrDefault("decode", 0.0) - phases.getOrDefault("invoke", 0.0)
                    - phases.getOrDefault("prime", 0.0);
        }
    }

    private final Project project;
    private final InProcess handlers;
    private final Path launcherJar;
    private final Path work;
    private final String endpoint;
    private final String table;
    private final Consumer<String> progress;
    private final Set<String> problems = new LinkedHashSet<>();
    private long quietWaitMillis = 20_000;

    public ColdStart(Project project, InProcess handlers, Path launcherJar, Path work, String endpoint, String table,
            Consumer<String> progress) {
        this.project = project;
        this.handlers = handlers;
        this.launcherJar = launcherJar;
        this.work = work;
        this.endpoint = endpoint;
        this.table = table;
        this.progress = progress;
    }

    /** How long each run may wait for an idle machine (0: never wait). */
    public void quietWait(long millis) {
        this.quietWaitMillis = millis;
    }

    /** Preparation steps that failed (the samples were measured anyway; see their status). */
    public Set<String> problems() {
        return problems;
    }

    /**
     * Every (function, sample) pair whose function has a built artifact, then the two references.
     * Functions with samples but no Makefile target or no built jar are reported in {@code skipped}.
     */
    public List<Config> configs(Path straightforwardJar, Path emptyJar, List<String> skipped) {
        List<Config> out = new ArrayList<>();
        Project.Sample referenceSample = null;
        for (var e : project.samplesByFunction().entrySet()) {
            SamTemplate.Function f = project.function(e.getKey());
            String module = project.module(f.logicalId());
            Path jar = module == null ? null : project.artifact(module);
            if (module == null) {
                skipped.add(f.logicalId() + ": no build-" + f.logicalId() + " target in the Makefile");
                continue;
            }
            if (jar == null) {
                skipped.add(f.logicalId() + ": functions/" + module + " has no shaded artifact; build it first");
                continue;
            }
            Project.Sample primary = Project.primary(e.getValue());
            for (Project.Sample s : e.getValue()) {
                out.add(new Config(f.logicalId() + " " + s.name(), Kind.FUNCTION, f.logicalId(), s, jar,
                        f.handlerClass(), f.handlerMethod(), functionEnv(f), project.timeoutSeconds(f),
                        project.memoryMb(f), s == primary));
                if (s.isApi() && "GET /v1/tenant".equals(s.route())) {
                    referenceSample = s;
                }
            }
        }
        if (referenceSample == null) {
            // any authenticated GET route's sample carries an authorizer context with a tenant id
            referenceSample = project.samples().stream().filter(s -> s.isApi() && s.functionId() != null
                    && "GET".equals(s.json().get("httpMethod"))).findFirst().orElse(null);
        }
        if (referenceSample != null) {
            out.add(reference("straightforward", Kind.STRAIGHTFORWARD, referenceSample, straightforwardJar,
                    "dev.crm.bench.reference.StraightforwardHandler"));
            out.add(reference("empty", Kind.EMPTY, referenceSample, emptyJar, "dev.crm.bench.reference.EmptyHandler"));
        } else {
            skipped.add("references: no GET API sample in events/ to run them with");
        }
        return out;
    }

    private Config reference(String name, Kind kind, Project.Sample sample, Path jar, String handler) {
        Map<String, String> env = lambdaEnv(name + "-reference", 1024);
        SamTemplate template = project.template();
        TemplateEnv resolver = new TemplateEnv(template, table, REGION);
        Map<String, Object> globals = SamTemplate.map(SamTemplate.map(template.globalsFunction().get("Environment"))
                .get("Variables"));
        globals.forEach((k, v) -> env.put(k, resolver.resolve(v)));
        env.putAll(overrides());
        int memory = template.globalsFunction().get("MemorySize") instanceof Number n ? n.intValue() : 1024;
        return new Config("reference: " + name, kind, null, sample, jar, handler, "handleRequest", env, 30, memory, true);
    }

    /** Lambda's own variables, the function's template variables resolved, then the local overrides. */
    Map<String, String> functionEnv(SamTemplate.Function f) {
        Map<String, String> env = lambdaEnv(f.logicalId(), project.memoryMb(f));
        TemplateEnv resolver = new TemplateEnv(project.template(), table, REGION);
        f.environment().forEach((k, v) -> env.put(k, resolver.resolve(v)));
        env.putAll(overrides());
        return env;
    }

    private static Map<String, String> lambdaEnv(String functionName, int memoryMb) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "bench");
        env.put("AWS_REGION", REGION);
        env.put("AWS_DEFAULT_REGION", REGION);
        return env;
    }

    /**
     * What the harness decides whatever the template says: the local table and endpoint, dummy keys,
     * the operator key (as the local runner does), and no authorizer-cache wait in the deprovision
     * worker (it would sleep up to 60 s after the job is created, which is no start-up cost).
     */
    private Map<String, String> overrides() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("TABLE_NAME", table);
        o.put("AWS_ENDPOINT_URL", endpoint);
        o.put("AWS_ACCESS_KEY_ID", "local");
        o.put("AWS_SECRET_ACCESS_KEY", "local");
        o.put("CRM_OPERATOR_KEY", Fixtures.OPERATOR_KEY);
        o.put("AUTHORIZER_CACHE_SECONDS", "0");
        return o;
    }

    /** A fresh fixture, the sample's prerequisites, then one child with the given extra JVM options. */
    public Run runOnce(Config c, List<String> jvmOptions) {
        return runOnce(c, jvmOptions, false);
    }

    /**
     * @param prime have the launcher run the product's own SnapStart priming hook
     *              ({@code Priming.resource().beforeCheckpoint(null)}) after construction, before the sample
     */
    public Run runOnce(Config c, List<String> jvmOptions, boolean prime) {
        Fixtures.Fixture fixture = Fixtures.create(handlers.infra());
        if (c.kind() == Kind.FUNCTION) {
            for (String problem : Preparations.run(project, handlers, c.sample(), fixture)) {
                problems.add(c.id() + ": preparation: " + problem);
            }
        }
        Path event = work.resolve("event-" + fixture.token() + ".json");
        try {
            Files.writeString(event, Fixtures.apply(Preparations.text(c.sample()), fixture));
            Quiet.await(quietWaitMillis);
            return spawn(c, event, jvmOptions, prime);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(event);
            } catch (IOException e) {
                // temp file
            }
        }
    }

    private Run spawn(Config c, Path event, List<String> jvmOptions, boolean prime) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(c.artifact() + java.io.File.pathSeparator + launcherJar);
        cmd.add(Launcher.class.getName());
        cmd.add(c.handlerClass());
        cmd.add(c.method());
        cmd.add(event.toString());
        cmd.add(Integer.toString(c.timeoutSeconds()));
        cmd.add(Integer.toString(c.memoryMb()));
        cmd.add(c.functionId() == null ? c.id() : c.functionId());
        if (prime) {
            cmd.add(Launcher.PRIME);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        pb.environment().clear();
        pb.environment().putAll(c.env());
        Path stderr = work.resolve("stderr-" + System.nanoTime() + ".txt");
        pb.redirectError(stderr.toFile());
        Deque<String> tail = new ArrayDeque<>();
        long start = System.nanoTime();
        Process p = pb.start();
        Thread watchdog = new Thread(() -> {
            try {
                if (!p.waitFor(Math.max(60, c.timeoutSeconds() + 30), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }, "bench-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        double total = Double.NaN;
        String status = null;
        Map<String, Double> phases = new LinkedHashMap<>();
        String status2 = null;
        String hook = "none";
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (status == null && line.startsWith(Launcher.FIRST)) {
                    total = (System.nanoTime() - start) / 1e6;
                    status = line.substring(Launcher.FIRST.length()).trim();
                } else if (line.startsWith(Launcher.PHASES)) {
                    for (String kv : line.substring(Launcher.PHASES.length()).trim().split(" ")) {
                        String[] parts = kv.split("=", 2);
                        if (parts[0].equals("status2")) {
                            status2 = parts[1];
                        } else if (parts[0].equals("hook")) {
                            hook = parts[1];
                        } else if (parts.length == 2) {
                            phases.put(parts[0], Long.parseLong(parts[1]) / 1e6);
                        }
                    }
                } else {
                    tail.addLast(line);
                    if (tail.size() > 20) {
                        tail.removeFirst();
                    }
                }
            }
        }
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (p.isAlive()) {
            p.destroyForcibly();
        }
        String err = Files.exists(stderr) ? Files.readString(stderr) : "";
        Files.deleteIfExists(stderr);
        if (status == null || status2 == null) {
            throw new IllegalStateException(c.id() + ": the child gave no response (exit " + exitValue(p) + ")\nstdout tail:\n"
                    + String.join("\n", tail) + "\nstderr:\n" + lastLines(err, 30));
        }
        return new Run(total, phases, status, status2, hook);
    }

    private static String exitValue(Process p) {
        try {
            return Integer.toString(p.exitValue());
        } catch (IllegalThreadStateException e) {
            return "running";
        }
    }

    private static String lastLines(String text, int n) {
        String[] lines = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - n), lines.length));
    }

    /** One run with the class-load log on; the log split into phases. */
    public ClassLoadLog classLoads(Config c) {
        Path log = work.resolve("classload-" + System.nanoTime() + ".log");
        try {
            runOnce(c, List.of("-Xlog:class+load=info:file=" + log + ":uptimenanos"));
            // -Dbench.classload.keep=DIR keeps each log, to see which classes a phase loads (not only how many)
            String keep = System.getProperty("bench.classload.keep");
            if (keep != null) {
                Path dir = Files.createDirectories(Path.of(keep));
                Files.copy(log, dir.resolve(c.id().replaceAll("[^A-Za-z0-9@.-]+", "_") + ".log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return ClassLoadLog.parse(Files.readAllLines(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                // temp file
            }
        }
    }

    /** AppCDS: one run that writes a dynamic archive at exit, then runs that map it. */
    public record AppCdsResult(long archiveBytes, List<Run> runs) {}

    public AppCdsResult appCds(Config c, int runs) {
        Path archive = work.resolve("appcds-" + System.nanoTime() + ".jsa");
        try {
            runOnce(c, List.of("-XX:ArchiveClassesAtExit=" + archive));
            if (!Files.exists(archive)) {
                throw new IllegalStateException(c.id() + ": no archive was written");
            }
            long size = Files.size(archive);
            List<Run> out = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                out.add(runOnce(c, List.of("-XX:SharedArchiveFile=" + archive)));
            }
            return new AppCdsResult(size, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(archive);
            } catch (IOException e) {
                // temp file
            }
        }
    }

    /** Runs with the product's priming hook before the sample (see {@link #runOnce(Config, List, boolean)}). */
    public List<Run> primed(Config c, int runs) {
        List<Run> out = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            out.add(runOnce(c, List.of(), true));
        }
        return out;
    }

    /** Warm-up round (discarded: it fills the OS page cache), then {@code runs} rounds over every config. */
    public Map<Config, List<Run>> measure(List<Config> configs, int runs) {
        Map<Config, List<Run>> out = new LinkedHashMap<>();
        for (Config c : configs) {
            out.put(c, new ArrayList<>());
        }
        for (int round = 0; round <= runs; round++) {
            progress.accept(round == 0 ? "cold start: warm-up round" : "cold start: round " + round + "/" + runs);
            for (Config c : configs) {
                Run r = runOnce(c, List.of());
                if (round > 0) {
                    out.get(c).add(r);
                }
            }
        }
        return out;
    }
}
