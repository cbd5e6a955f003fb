package dev.crm.bench.cold;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** What a shaded artifact weighs, and what it is made of (compressed bytes per library). */
public final class Artifacts {
    private Artifacts() {}

    public record Summary(Path jar, long bytes, int entries, int classes, Map<String, Long> parts) {
        /** The largest parts, biggest first. */
        public List<Map.Entry<String, Long>> top(int n) {
            return parts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                    .limit(n).toList();
        }
    }

    public static Summary summarize(Path jar) {
        Map<String, Long> parts = new LinkedHashMap<>();
        int entries = 0;
        int classes = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var it = zip.entries(); it.hasMoreElements();) {
                ZipEntry e = it.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                entries++;
                if (e.getName().endsWith(".class")) {
                    classes++;
                }
                // local header + name + compressed data: close to what the entry adds to the file
                parts.merge(part(e.getName()), Math.max(0, e.getCompressedSize()) + 30 + e.getName().length(), Long::sum);
            }
            return new Summary(jar, Files.size(jar), entries, classes, parts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The library an entry belongs to, by its path. */
    static String part(String name) {
        String[] p = name.split("/");
        if (name.startsWith("software/amazon/awssdk/services/") && p.length > 4) {
            return "awssdk " + p[4];
        }
        if (name.startsWith("software/amazon/awssdk/thirdparty/")) {
            return "awssdk third-party (shaded jackson-core)";
        }
        if (name.startsWith("software/amazon/awssdk/enhanced/")) {
            return "awssdk dynamodb-enhanced";
        }
        if (name.startsWith("software/amazon/awssdk/")) {
            return "awssdk core (sdk-core, auth, http, regions, …)";
        }
        if (name.startsWith("com/amazonaws/services/lambda/runtime/events/")) {
            return "aws-lambda-java-events";
        }
        if (name.startsWith("com/amazonaws/services/lambda/runtime/")) {
            return "aws-lambda-java-core";
        }
        if (name.startsWith("com/fasterxml/jackson/") && p.length > 3) {
            return "jackson-" + p[3];
        }
        if (name.startsWith("dev/crm/") && p.length > 3) {
            return "dev.crm." + p[2];
        }
        if (name.startsWith("META-INF/")) {
            return "META-INF";
        }
        if (p.length > 2) {
            return p[0] + "." + p[1];
        }
        return "(root)";
    }
}
