package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import dev.crm.shared.config.Infrastructure;
import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.SampleEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.TestInfrastructure;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The samples in events/ stay valid: every route and schedule of the template has one, and each
 * goes through its real handler against DynamoDB Local without a server error.
 */
class SampleEventsIT {
    private final SamTemplate template = SamTemplate.load();
    private final Infrastructure infra = TestInfrastructure.create();

    @Test
    void everyRouteAndScheduleHasASample() {
        Set<String> needed = new TreeSet<>();
        for (SamTemplate.ApiRoute r : template.apiRoutes()) {
            needed.add(r.method() + " " + r.path());
        }
        for (SamTemplate.Function f : template.functions()) {
            f.events().forEach((name, ev) -> {
                if ("Schedule".equals(ev.get("Type")) || "ScheduleV2".equals(ev.get("Type"))) {
                    needed.add("schedule " + name);
                }
            });
        }
        Set<String> present = new TreeSet<>();
        for (Path p : SampleEvents.all()) {
            Map<String, Object> json = SampleEvents.read(p, Map.of());
            if (SampleEvents.isApiEvent(json)) {
                present.add(json.get("httpMethod") + " " + json.get("resource"));
            } else if (SampleEvents.isScheduleEvent(json)) {
                String rule = String.valueOf(SamTemplate.list(json.get("resources")).get(0));
                present.add("schedule " + rule.substring(rule.lastIndexOf('/') + 1));
            }
        }
        needed.removeAll(present);
        assertEquals(Set.of(), needed, "routes or schedules without a sample in events/");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everySampleRunsThroughItsHandler() throws Exception {
        var tenant = TestInfrastructure.tenant(infra);
        Map<String, RequestHandler<Object, Object>> handlers = new LinkedHashMap<>();
        Map<String, String> routeToFunction = new LinkedHashMap<>();
        for (SamTemplate.ApiRoute r : template.apiRoutes()) {
            routeToFunction.put(r.method() + " " + r.path(), r.functionId());
        }
        for (SamTemplate.Function f : template.functions()) {
            handlers.put(f.logicalId(), (RequestHandler<Object, Object>) Class.forName(f.handlerClass())
                    .getConstructor(Infrastructure.class).newInstance(infra));
        }
        Map<String, String> replace = new LinkedHashMap<>(Map.of(SampleEvents.EXAMPLE_TENANT, tenant.id().value(),
                "crm_live_EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEX", tenant.adminKey(),
                "acme-example", tenant.slug() + "-2", "slug-example", tenant.slug()));
        var secrets = infra.tenants().find(tenant.id()).secrets();
        int ran = 0;
        for (Path p : inRunOrder(SampleEvents.all())) {
            if (replace.containsKey("c_example0000000000000") && !replace.containsKey("tok_example_confirm")) {
                replace.putAll(dev.crm.devkit.SampleTokens.mint(tenant.id(), secrets, replace.get("c_example0000000000000"),
                        java.time.Instant.now()));
            }
            replace.putAll(dev.crm.devkit.SampleTokens.mintCase(tenant.id(), secrets, replace, java.time.Instant.now()));
            Map<String, Object> json = SampleEvents.read(p, replace);
            if (SampleEvents.isApiEvent(json)) {
                String fn = routeToFunction.get(json.get("httpMethod") + " " + json.get("resource"));
                var response = (APIGatewayProxyResponseEvent) handlers.get(fn)
                        .handleRequest(SampleEvents.apiEvent(json), new LambdaContext());
                // A sample naming something no earlier sample created (an alert needs a real
                // at-risk customer) may only be a clean 404; everything else must succeed.
                boolean unresolved = String.valueOf(json.get("pathParameters")).contains("_example");
                assertTrue(response.getStatusCode() >= 200 && response.getStatusCode() < 300
                        || unresolved && response.getStatusCode() == 404,
                        p + " answered " + response.getStatusCode() + ": " + response.getBody());
                learnPlaceholder(p, response, replace);
                ran++;
            } else if (SampleEvents.isAuthorizerEvent(json)) {
                var policy = (IamPolicyResponse) handlers.get("AuthorizerFunction")
                        .handleRequest(SampleEvents.authorizerEvent(json), new LambdaContext());
                assertEquals(tenant.id().value(), policy.getContext().get("tenantId"), p.toString());
                ran++;
            } else if (SampleEvents.isScheduleEvent(json)) {
                String rule = String.valueOf(SamTemplate.list(json.get("resources")).get(0));
                String name = rule.substring(rule.lastIndexOf('/') + 1);
                handlers.get(functionWithSchedule(name)).handleRequest(json, new LambdaContext());
                ran++;
            } else if (SampleEvents.isSnsEvent(json)) {
                handlers.get(functionWithEventType("SNS")).handleRequest(json, new LambdaContext());
                ran++;
            } else if (SampleEvents.isStreamEvent(json)) {
                String fn = functionWithStreamFor(json);
                handlers.get(fn).handleRequest(SampleEvents.streamEvent(json), new LambdaContext());
                ran++;
            }
        }
        assertEquals(SampleEvents.all().size(), ran, "every sample is of a known kind");
    }

    /** The walk's order (creating samples first, those naming another sample's resource after the others). */
    private static List<Path> inRunOrder(List<Path> all) {
        return dev.crm.local.suite.SampleWalk.inRunOrder(all);
    }

    /**
     * An id a sample's response carries (a created resource, a started job) replaces the placeholder
     * of the same kind (c_example…, seg_example…, imp_example…) in the samples that follow.
     */
    private static void learnPlaceholder(Path p, APIGatewayProxyResponseEvent response, Map<String, String> replace) {
        if (response.getBody() == null || response.getBody().isEmpty() || !response.getBody().startsWith("{")) {
            return;
        }
        Map<String, Object> body = dev.crm.devkit.Responses.body(response);
        Object id = body.containsKey("keyId") ? body.get("keyId") : body.get("id");
        if (id instanceof String s && s.contains("_")) {
            String prefix = s.substring(0, s.indexOf('_') + 1);
            replace.putIfAbsent(prefix + "example" + "0".repeat(s.length() - prefix.length() - "example".length()), s);
        }
    }

    private String functionWithEventType(String type) {
        for (SamTemplate.Function f : template.functions()) {
            if (f.events().values().stream().anyMatch(e -> type.equals(e.get("Type")))) {
                return f.logicalId();
            }
        }
        throw new AssertionError("no function has an event of type " + type);
    }

    private String functionWithSchedule(String name) {
        for (SamTemplate.Function f : template.functions()) {
            if (f.events().containsKey(name)) {
                return f.logicalId();
            }
        }
        throw new AssertionError("no function has the schedule " + name);
    }

    /** The function whose template filter selects this stream sample's job kind. */
    private String functionWithStreamFor(Map<String, Object> json) {
        String text = dev.crm.shared.json.Json.write(json);
        for (SamTemplate.Function f : template.functions()) {
            for (var ev : f.events().values()) {
                if ("DynamoDB".equals(ev.get("Type"))) {
                    String pattern = String.valueOf(SamTemplate.list(SamTemplate.map(SamTemplate.map(ev.get("Properties"))
                            .get("FilterCriteria")).get("Filters")).get(0));
                    var kinds = java.util.regex.Pattern.compile("\"jobKind\":\\{\"S\":\\[([a-z_\",]+)\\]").matcher(pattern);
                    if (kinds.find()) {
                        // every kind the filter lists, not only the first
                        for (String kind : kinds.group(1).replace("\"", "").split(",")) {
                            if (text.contains("\"jobKind\":{\"S\":\"" + kind + "\"}")) {
                                return f.logicalId();
                            }
                        }
                    }
                }
            }
        }
        throw new AssertionError("no stream function for " + text);
    }
}
