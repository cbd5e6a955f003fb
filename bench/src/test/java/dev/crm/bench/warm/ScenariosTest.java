package dev.crm.bench.warm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.bench.Fixtures;
import dev.crm.bench.Project;
import dev.crm.shared.tenant.TenantId;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScenariosTest {
    static final Path ROOT = dev.crm.devkit.SamTemplate.locate().toAbsolutePath().getParent();

    @Test
    void everyScenarioNamesOneSampleOfAFunction() {
        List<Project.Sample> samples = new Project(ROOT).samples();
        for (Scenario sc : Scenarios.ALL) {
            long matching = samples.stream().filter(sc::matches).count();
            assertTrue(matching >= 1, sc.name() + ": no sample");
            if (sc.sample() != null) {
                assertEquals(1, matching, sc.name());
            }
        }
    }

    @Test
    void createsGetANewEmailExternalIdAndIdempotencyKeyPerCall() {
        String text = """
                {"headers":{"Idempotency-Key":"8c1d-create-jane-tok"},"multiValueHeaders":{"Idempotency-Key":["8c1d-create-jane-tok"]},
                 "body":"{\\"email\\": \\"jane.doe@example.com\\", \\"externalId\\": \\"shop-1042\\"}"}""";
        String a = Scenarios.uniqueContact(text, 7);
        assertTrue(a.contains("jane.doe+7@example.com"), a);
        assertTrue(a.contains("shop-1042-7"), a);
        assertTrue(a.contains("\"Idempotency-Key\":\"8c1d-create-jane-tok-7\""), a);
        assertTrue(a.contains("[\"8c1d-create-jane-tok-7\"]"), a);
        assertNotEquals(a, Scenarios.uniqueContact(text, 8));
    }

    @Test
    void submissionsComeFromADifferentAddressEachWithTheirOwnKey() {
        String text = """
                {"headers":{"Idempotency-Key":"form-1"},"requestContext":{"identity":{"sourceIp":"198.51.100.23"}}}""";
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < 70_000; i += 997) {
            String s = Scenarios.uniqueSubmission(text, i);
            assertTrue(s.contains("\"form-1-" + i + "\""), s);
            addresses.add(s.substring(s.indexOf("sourceIp")));
        }
        assertEquals(71, addresses.size());
    }

    @Test
    void rawIdsHaveTheProductsShapeAndDifferPerCall() {
        var f = new Fixtures.Fixture(new TenantId("t_bbbbbbbbbbbbbbbbbbbbbb"), "s", "k", "h", "key_r", "abcdefgh12",
                new LinkedHashMap<>());
        String a = Scenarios.id("c_", f, 1);
        assertEquals(22, a.length());
        assertNotEquals(a, Scenarios.id("c_", f, 2));
        assertEquals(64, Scenarios.sha256Hex("x").length());
    }
}
