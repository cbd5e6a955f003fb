package dev.crm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MakefilesTest {
    @Test
    void mapsEachBuildTargetToItsModule() {
        String makefile = """
                MVN ?= mvn -B -q

                define package
                \t$(MVN) -pl functions/$(1) -am package
                endef

                build-AuthorizerFunction:
                \t$(call package,authorizer)

                build-TenantJobsFunction:
                \t# the worker shares the API's artifact
                \t$(call package, tenants)

                build-ChurnAlertsFunction: something
                \t$(call package,churn-alerts)

                check-artifacts:
                \t@echo build-NotAFunction:
                """;
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("AuthorizerFunction", "authorizer");
        expected.put("TenantJobsFunction", "tenants");
        expected.put("ChurnAlertsFunction", "churn-alerts");
        assertEquals(expected, Makefiles.functionModules(makefile));
    }
}
