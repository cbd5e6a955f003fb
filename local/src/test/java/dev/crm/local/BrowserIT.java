package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.crm.shared.json.Json;
import dev.crm.devkit.SamTemplate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The self-service pages (web/) in a real browser: Playwright (playwright-core from npm, pinned in
 * web/tests/package-lock.json) drives Debian's Chromium against the local runner, started here
 * in-process and seeded over HTTP ({@link BrowserFixture}). The scenarios are in
 * web/tests/browser.test.mjs; screenshots land in web/test-results/.
 *
 * <p>What is missing is installed first: the npm packages ({@code npm ci}) when node_modules is absent
 * or holds another version, and Chromium ({@code apt-get install -y chromium}) when /usr/bin/chromium
 * is absent. Playwright never downloads a browser of its own.
 */
class BrowserIT {
    static final Path ROOT = SamTemplate.locate().toAbsolutePath().getParent();
    static final Path WEB_TESTS = ROOT.resolve("web/tests");
    static final Path RESULTS = ROOT.resolve("web/test-results");
    static final Path DOCS_SCREENSHOTS = ROOT.resolve("docs/screenshots");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** The whole suite takes well under a minute; this only stops a hung browser from hanging the build. */
    static final long SUITE_TIMEOUT_MINUTES = 5;

    @Test
    void theSelfServicePagesWorkInARealBrowser() throws Exception {
        ensureChromium();
        ensureNode();
        ensureNodePackages();
        Files.createDirectories(RESULTS);
        int exit;
        try (LocalRunner runner = LocalRunner.start(0, true, null,
                Map.of("CRM_OPERATOR_KEY", "crm_op_browsertestoperatorkey0123456789ab"))) {
            Map<String, Object> fixture = new BrowserFixture(runner.url(), runner.operatorKey()).seed();
            fixture.put("resultsDir", RESULTS.toString());
            exit = runNode("browser.test.mjs", Json.write(fixture));
        }
        assertEquals(0, exit, "the browser suite failed: see its output above and the screenshots in " + RESULTS);
        publishScreenshots();
    }

    static int runNode(String script, String fixture) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("node", "--test-reporter=spec", script)
                .directory(WEB_TESTS.toFile()).redirectErrorStream(true);
        pb.environment().put("CRM_BROWSER_FIXTURE", fixture);
        pb.environment().put("CHROMIUM_PATH", CHROMIUM.toString());
        pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        pb.environment().put("NO_COLOR", "1");
        Process node = pb.start();
        Thread pump = new Thread(() -> stream(node), "browser-tests-output");
        pump.setDaemon(true);
        pump.start();
        if (!node.waitFor(SUITE_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
            fail("the browser suite did not finish within " + SUITE_TIMEOUT_MINUTES + " minutes");
        }
        pump.join(5_000);
        return node.exitValue();
    }

    private static void stream(Process process) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null;) {
                System.out.println("[browser] " + line);
            }
        } catch (IOException e) {
            System.out.println("[browser] output ended: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The README shows the preference centre and survey from here (the dashboard comes from the demo,
     * DemoBusinessIT): copied to docs/screenshots when missing, or on request
     * ({@code -Dcrm.screenshots.update=true}), so an ordinary test run leaves the committed pictures alone.
     */
    private static void publishScreenshots() throws IOException {
        for (String name : BrowserFixture.screenshotsForDocs()) {
            publishScreenshot(name, name);
        }
    }

    static void publishScreenshot(String result, String name) throws IOException {
        boolean update = Boolean.getBoolean("crm.screenshots.update");
        Files.createDirectories(DOCS_SCREENSHOTS);
        Path from = RESULTS.resolve(result);
        Path to = DOCS_SCREENSHOTS.resolve(name);
        if (Files.exists(from) && (update || !Files.exists(to))) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // ---- what the suite needs on the machine ----

    static void ensureChromium() throws IOException, InterruptedException {
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        System.out.println("[browser] " + CHROMIUM + " is missing: installing Debian's chromium");
        Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
        if (run(ROOT, env, "apt-get", "install", "-y", "--no-install-recommends", "chromium") != 0) {
            run(ROOT, env, "apt-get", "update");
            run(ROOT, env, "apt-get", "install", "-y", "--no-install-recommends", "chromium");
        }
        if (!Files.isExecutable(CHROMIUM)) {
            fail("The browser tests need Chromium at " + CHROMIUM + " and `apt-get install -y chromium` could not install it"
                    + " (it needs root and Debian's package repositories). Install the chromium package and run again.");
        }
    }

    static void ensureNode() throws IOException, InterruptedException {
        if (run(ROOT, Map.of(), "node", "--version") == 0) {
            return;
        }
        System.out.println("[browser] node is missing: installing Debian's nodejs and npm");
        Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
        run(ROOT, env, "apt-get", "install", "-y", "--no-install-recommends", "nodejs", "npm");
        if (run(ROOT, Map.of(), "node", "--version") != 0) {
            fail("The browser tests need Node.js 20 or later and npm, and `apt-get install -y nodejs npm` could not"
                    + " install them. Install Node.js and run again.");
        }
    }

    /** npm ci when node_modules is absent or holds another playwright-core than package.json pins. */
    static void ensureNodePackages() throws IOException, InterruptedException {
        String pinned = version(WEB_TESTS.resolve("package.json"), "\"playwright-core\"\\s*:\\s*\"([^\"]+)\"");
        Path installed = WEB_TESTS.resolve("node_modules/playwright-core/package.json");
        if (Files.exists(installed) && pinned.equals(version(installed, "\"version\"\\s*:\\s*\"([^\"]+)\""))) {
            return;
        }
        System.out.println("[browser] installing the test's npm packages (npm ci in web/tests)");
        int exit = run(WEB_TESTS, Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"), "npm", "ci", "--no-audit", "--no-fund");
        if (exit != 0) {
            fail("`npm ci` in " + WEB_TESTS + " failed (exit " + exit + "); the browser tests need playwright-core " + pinned);
        }
    }

    private static String version(Path file, String regex) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(Files.readString(file));
        return m.find() ? m.group(1) : "";
    }

    /** Runs a command with its output shown; a command that cannot start counts as failed (-1). */
    private static int run(Path dir, Map<String, String> env, String... command) throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            stream(p);
            return p.waitFor();
        } catch (IOException e) {
            return -1;
        }
    }
}
