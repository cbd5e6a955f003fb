package dev.crm.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Settings;
import dev.crm.devkit.SamTemplate;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The template's functions, each an instance of its real handler class built with that function's
 * own environment (Globals plus its Variables, with the template's references resolved locally).
 */
final class Functions {
    private final Map<String, RequestHandler<Object, Object>> handlers = new LinkedHashMap<>();
    private final Map<String, SamTemplate.Function> definitions = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    Functions(SamTemplate template, Map<String, String> baseEnv, Map<String, Object> references, Clock clock,
            DynamoDbClient client) {
        for (SamTemplate.Function f : template.functions()) {
            Map<String, String> env = new LinkedHashMap<>(baseEnv);
            for (var e : f.environment().entrySet()) {
                String v = resolve(e.getValue(), references);
                if (v != null) {
                    env.put(e.getKey(), v);
                }
            }
            env.putAll(overrides(baseEnv));
            Infrastructure infra = new Infrastructure(new Settings(env), clock, client);
            try {
                Class<?> type = Class.forName(f.handlerClass());
                Object handler = type.getConstructor(Infrastructure.class).newInstance(infra);
                handlers.put(f.logicalId(), (RequestHandler<Object, Object>) handler);
                definitions.put(f.logicalId(), f);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("template.yaml names handler " + f.handlerClass() + " for "
                        + f.logicalId() + ", which cannot be built with an Infrastructure", e);
            }
        }
    }

    /** Variables the runner always decides itself, whatever the template says (endpoint, keys). */
    private static Map<String, String> overrides(Map<String, String> base) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String k : new String[] {"AWS_ENDPOINT_URL", "AWS_REGION", "TABLE_NAME", "CRM_OPERATOR_KEY",
            "PUBLIC_BASE_URL", "AUTHORIZER_CACHE_SECONDS", "CRM_LOCAL"}) {
            if (base.containsKey(k)) {
                o.put(k, base.get(k));
            }
        }
        return o;
    }

    /** Resolves Ref/Fn::GetAtt/plain values to strings the way the runner stands in for them. */
    static String resolve(Object value, Map<String, Object> references) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> m) {
            if (m.containsKey("Ref")) {
                Object v = references.get(String.valueOf(m.get("Ref")));
                return v == null ? "" : String.valueOf(v);
            }
            return "";
        }
        return String.valueOf(value);
    }

    RequestHandler<Object, Object> handler(String logicalId) {
        RequestHandler<Object, Object> h = handlers.get(logicalId);
        if (h == null) {
            throw new IllegalArgumentException("no function " + logicalId);
        }
        return h;
    }

    Map<String, SamTemplate.Function> definitions() {
        return definitions;
    }

    /** Functions a crash drill has taken down: every invocation fails until they are revived. */
    private final java.util.Set<String> down = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A function that is down: what a crashed container's invocations amount to. */
    static final class FunctionDown extends RuntimeException {
        FunctionDown(String logicalId) {
            super(logicalId + " is down (a crash drill)", null, false, false);
        }
    }

    void kill(java.util.Collection<String> logicalIds) {
        logicalIds.forEach(this::handler); // an unknown name is a mistake in the drill
        down.addAll(logicalIds);
    }

    void revive(java.util.Collection<String> logicalIds) {
        down.removeAll(logicalIds);
    }

    boolean isDown(String logicalId) {
        return down.contains(logicalId);
    }

    Object invoke(String logicalId, Object event, Context context) {
        if (down.contains(logicalId)) {
            throw new FunctionDown(logicalId);
        }
        return handler(logicalId).handleRequest(event, context);
    }
}
