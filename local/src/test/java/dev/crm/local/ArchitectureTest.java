package dev.crm.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hexagon's rules (docs/architecture.md, "Dependency rules"), checked on the compiled main
 * code of every module: the domain is plain Java, entrypoints reach the store only through
 * services, one function never uses another's code, and no product code uses the development kit.
 * The last two checks read the sources, for what bytecode cannot show (string key formats, test code).
 */
class ArchitectureTest {
    /** The function modules' root packages: each may use shared, none another. */
    static final List<String> FUNCTIONS = List.of("authorizer", "tenants", "contacts", "preferences", "surveys", "churn",
            "webhooks", "cases", "journeys");
    static final String[] PRODUCT = {"dev.crm.shared..", "dev.crm.authorizer..", "dev.crm.tenants..",
            "dev.crm.contacts..", "dev.crm.preferences..", "dev.crm.surveys..", "dev.crm.churn..", "dev.crm.webhooks..",
            "dev.crm.cases..", "dev.crm.journeys.."};
    static final String[] ADAPTERS = {"..store.dynamodb..", "..store.memory..", "..store.secrets..",
            "dev.crm.webhooks.http..", "dev.crm.webhooks.outbound.."};

    static JavaClasses main;

    @BeforeAll
    static void importMainCode() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.crm");
        assertTrue(main.size() > 300, "the product's classes are on the class path: " + main.size());
    }

    @Test
    void theDomainIsPlainJava() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.crm..domain..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..")
                .orShould().dependOnClassesThat().resideInAnyPackage(ADAPTERS)
                .orShould().dependOnClassesThat().resideInAnyPackage("..entrypoints..")
                .because("the domain speaks its own language; adapters depend on it, never the reverse");
        rule.check(main);
    }

    @Test
    void portsSpeakTheDomain() {
        ArchRule rule = noClasses().that().areInterfaces().and().haveSimpleNameEndingWith("Repository")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..")
                .orShould().dependOnClassesThat().resideInAnyPackage(ADAPTERS)
                .because("no SDK type, item or key crosses a port");
        rule.check(main);
    }

    @Test
    void portsAreRepositories() {
        ArchRule rule = noClasses().that().areInterfaces().and().resideInAnyPackage(PRODUCT)
                .should().haveSimpleNameEndingWith("Store")
                .because("one naming rule for ports: …Repository");
        rule.check(main);
    }

    @Test
    void entrypointsReachTheStoreOnlyThroughServices() {
        ArchRule rule = noClasses().that().resideInAPackage("..entrypoints..")
                .should().dependOnClassesThat().resideInAnyPackage(ADAPTERS)
                .because("handlers parse, call one service and map its result; composition roots wire adapters");
        rule.check(main);
    }

    @Test
    void noFunctionUsesAnothersCode() {
        for (String f : FUNCTIONS) {
            String[] others = FUNCTIONS.stream().filter(o -> !o.equals(f)).map(o -> "dev.crm." + o + "..")
                    .toArray(String[]::new);
            noClasses().that().resideInAPackage("dev.crm." + f + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("a function shares only what lives in shared/")
                    .check(main);
        }
    }

    @Test
    void productCodeNeverUsesTheDevelopmentKit() {
        noClasses().that().resideInAnyPackage(PRODUCT)
                .should().dependOnClassesThat().resideInAnyPackage("dev.crm.devkit..", "dev.crm.devkit..",
                        "org.junit..", "com.tngtech..")
                .because("the development kit and test libraries never ship in a function")
                .check(main);
    }

    @Test
    void namesSayWhatThingsAre() {
        noClasses().that().resideInAnyPackage(PRODUCT)
                .should().haveSimpleNameEndingWith("Manager")
                .orShould().haveSimpleNameEndingWith("Helper")
                .orShould().haveSimpleNameEndingWith("Util")
                .orShould().haveSimpleNameEndingWith("Utils")
                .check(main);
    }

    @Test
    void oneLambdaContextInTheWholeRepository() {
        List<Path> implementations = sources(p -> true).stream()
                .filter(p -> contains(p, Pattern.compile("implements\\s+(com\\.amazonaws\\.services\\.lambda\\.runtime\\.)?Context\\b")))
                .toList();
        assertEquals(1, implementations.size(), "Lambda Context implementations: " + implementations);
        assertTrue(implementations.get(0).toString().contains("devkit"), implementations.toString());
        classes().that().implement(com.amazonaws.services.lambda.runtime.Context.class)
                .should().resideInAPackage("dev.crm.devkit..").check(main);
    }

    @Test
    void keyFormatsLiveInTheAdapters() {
        // `tenant.value() + "#…"` composes a partition key: only the stores' key classes may.
        Pattern composedKey = Pattern.compile("\\.value\\(\\)\\s*\\+\\s*\"#");
        List<Path> offenders = sources(p -> p.toString().contains("/src/main/") && !p.toString().contains("/store/dynamodb/")
                && !p.toString().contains("/devkit/") && !p.toString().contains("/bench/") && !p.toString().contains("/local/"))
                .stream().filter(p -> contains(p, composedKey)).toList();
        assertEquals(List.of(), offenders, "key formats outside the adapters' key classes");
    }

    @Test
    void neitherTheDomainNorAnEntrypointImportsTheAdaptersToolkit() {
        // Bytecode cannot show a constant it inlined (Keys.SUMMARY_SHARDS, a sort-key prefix): read the imports.
        Pattern adapterImport = Pattern.compile("import (static )?(dev\\.crm\\.[\\w.]*\\.store\\.(dynamodb|memory|secrets)|software\\.amazon)");
        List<Path> offenders = sources(p -> p.toString().contains("/src/main/")
                && (p.toString().contains("/domain/") || p.toString().contains("/entrypoints/")))
                .stream().filter(p -> contains(p, adapterImport)).toList();
        assertEquals(List.of(), offenders, "domain or entrypoint sources importing an adapter or the SDK");
    }

    // ---- source scans ----

    private static List<Path> sources(java.util.function.Predicate<Path> filter) {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertTrue(Files.exists(root.resolve("template.yaml")), "run from a module of the repository: " + root);
        List<Path> out = new ArrayList<>();
        for (String top : List.of("shared", "functions", "devkit", "local", "bench")) {
            Path dir = root.resolve(top);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/")
                        && !p.toString().contains("/target/") && !p.toString().contains("/node_modules/"))
                        .filter(filter).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static boolean contains(Path p, Pattern pattern) {
        try {
            return pattern.matcher(Files.readString(p)).find();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
