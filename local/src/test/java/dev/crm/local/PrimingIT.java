package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.local.suite.TableSnapshot;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.devkit.SamTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SnapStart priming, per function of template.yaml, on its shaded artifact in a JVM of its own with
 * the environment Lambda gives it: the checkpoint hooks run, load the classes the first request needs
 * (the SDK's request path, and for API functions the router and a handler), and write nothing.
 */
class PrimingIT {
    static final Path ROOT = SamTemplate.locate().toAbsolutePath().getParent();
    /** The SDK's request path is about 930 classes (API functions add ~100); an unprimed hook loads none. */
    static final int MIN_CLASSES = 800;

    /** Function logical id to its Maven module, from the Makefile's build targets. */
    static Map<String, String> modules() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("build-(\\w+):\\s*\\n\\t\\$\\(call package,([\\w-]+)\\)")
                .matcher(Files.readString(ROOT.resolve("Makefile")));
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    static Path artifact(String module) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(ROOT.resolve("functions/" + module + "/target"), "*-lambda.jar")) {
            for (Path p : jars) {
                return p;
            }
        }
        throw new IllegalStateException("no artifact for " + module + ": build the functions first (mvn package)");
    }

    @Test
    void everyFunctionPrimesItsFirstRequestAndWritesNothing() throws Exception {
        LocalDynamoDb db = LocalDynamoDb.shared();
        var client = db.client();
        Map<String, String> modules = modules();
        List<String> failures = new ArrayList<>();
        int functions = 0;
        for (SamTemplate.Function f : SamTemplate.load().functions()) {
            Map<String, String> before = TableSnapshot.take(client, LocalDynamoDb.TABLE);
            String classpath = artifact(modules.get(f.logicalId())) + java.io.File.pathSeparator
                    + ROOT.resolve("local/target/test-classes");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath, PrimingProbe.class.getName(), f.handlerClass()).redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.clear();
            env.put("TABLE_NAME", LocalDynamoDb.TABLE);
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ENDPOINT_URL", db.endpoint());
            env.put("AWS_ACCESS_KEY_ID", "local");
            env.put("AWS_SECRET_ACCESS_KEY", "local");
            env.put("PUBLIC_BASE_URL", "http://127.0.0.1:3000");
            env.put("CRM_OPERATOR_KEY", dev.crm.devkit.TestInfrastructure.OPERATOR_KEY);
            Process child = pb.start();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            Matcher primed = Pattern.compile("primed (\\d+)").matcher(out);
            boolean found = primed.find();
            System.out.println("priming " + f.logicalId() + ": " + (found ? primed.group(1) + " classes" : out.strip()));
            if (child.exitValue() != 0 || !found || Integer.parseInt(primed.group(1)) < MIN_CLASSES) {
                failures.add(f.logicalId() + ": exit " + child.exitValue() + ", " + out.strip());
            }
            if (!before.equals(TableSnapshot.take(client, LocalDynamoDb.TABLE))) {
                failures.add(f.logicalId() + ": priming wrote to the table");
            }
            functions++;
        }
        assertTrue(functions >= 10, "functions: " + functions);
        assertEquals(List.of(), failures);
    }
}
