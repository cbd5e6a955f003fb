package dev.crm.bench.cold;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassLoadLogTest {
    @Test
    void splitsTheLogAtTheMarkerClassesAndCountsByOrigin() {
        List<String> lines = List.of(
                "[1000000ns] java.lang.Object source: shared objects file",
                "[2000000ns] java.lang.String source: shared objects file",
                "[3000000ns] dev.crm.bench.launch.Launcher source: file:/x/crm-bench-launcher.jar",
                "[4000000ns] dev.crm.bench.launch.Mark$Main source: file:/x/crm-bench-launcher.jar",
                "[5000000ns] dev.crm.tenants.entrypoints.TenantsHandler source: file:/x/crm-fn-tenants.jar",
                "[6000000ns] dev.crm.bench.launch.Mark$Loaded source: file:/x/crm-bench-launcher.jar",
                "[7000000ns] software.amazon.awssdk.core.SdkClient source: file:/x/crm-fn-tenants.jar",
                "[7100000ns] java.net.http.HttpClient source: jrt:/java.net.http",
                "[7200000ns] dev.crm.shared.config.Infrastructure$$Lambda$12/0x0000000800c01000 source: dev.crm.shared.config.Infrastructure",
                "[8000000ns] dev.crm.bench.launch.Mark$Constructed source: file:/x/crm-bench-launcher.jar",
                "[9000000ns] dev.crm.bench.launch.Mark$Decoded source: file:/x/crm-bench-launcher.jar",
                "[9500000ns] com.fasterxml.jackson.core.JsonFactory source: file:/x/crm-fn-tenants.jar",
                "[9600000ns] com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent source: file:/x/a.jar",
                "[10000000ns] dev.crm.bench.launch.Mark$Responded source: file:/x/crm-bench-launcher.jar",
                "[11000000ns] software.amazon.awssdk.Later source: file:/x/crm-fn-tenants.jar",
                "not a class line");
        ClassLoadLog log = ClassLoadLog.parse(lines);
        assertEquals(5, log.phases().size());
        ClassLoadLog.Phase boot = log.phases().get(0);
        assertEquals("JVM boot", boot.name());
        assertEquals(3, boot.total());
        assertEquals(1, boot.notShared());
        assertEquals(2, boot.groups().get("JDK (CDS)"));
        assertEquals(1, boot.groups().get("other"));
        assertEquals(4.0, boot.endMs());
        assertEquals(1, log.phases().get(1).groups().get("product"));
        ClassLoadLog.Phase construct = log.phases().get(2);
        assertEquals(3, construct.total());
        assertEquals(1, construct.groups().get("AWS SDK"));
        assertEquals(1, construct.groups().get("JDK"));
        assertEquals(1, construct.groups().get("generated"));
        assertEquals(0, log.phases().get(3).total());
        ClassLoadLog.Phase invoke = log.phases().get(4);
        assertEquals(2, invoke.total());
        assertEquals(1, invoke.groups().get("Jackson"));
        assertEquals(1, invoke.groups().get("Lambda libs"));
        ClassLoadLog.Phase all = log.untilResponse();
        assertEquals(9, all.total());
        assertEquals(7, all.notShared());
        assertEquals(10.0, all.endMs());
    }

    @Test
    void packagesGroupTheSdkByModuleAndService() {
        assertEquals("awssdk.services.dynamodb", ClassLoadLog.packageOf("software.amazon.awssdk.services.dynamodb.model.GetItemRequest"));
        assertEquals("awssdk.core", ClassLoadLog.packageOf("software.amazon.awssdk.core.SdkBytes"));
        assertEquals("java.util", ClassLoadLog.packageOf("java.util.concurrent.ConcurrentHashMap"));
        assertEquals("dev.crm.shared", ClassLoadLog.packageOf("dev.crm.shared.json.Json"));
        assertEquals("(generated: lambda proxies, method-handle forms)",
                ClassLoadLog.packageOf("java.lang.invoke.LambdaForm$MH/0x0000000800c01000"));
    }
}
