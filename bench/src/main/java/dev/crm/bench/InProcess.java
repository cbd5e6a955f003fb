package dev.crm.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.bench.launch.EventDecoder;
import dev.crm.bench.launch.Launcher;
import dev.crm.shared.config.Infrastructure;
import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.LambdaContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The template's handlers in this JVM, each built with its {@code (Infrastructure)} constructor
 * (as the tests and the local runner build them), invoked with sample events decoded exactly as the
 * cold-start launcher decodes them. A handler class comes from the function's own shaded artifact,
 * through a class loader whose parent (this harness) provides shared, the SDK and the Lambda types:
 * so the harness needs no dependency on any function module, and a new function is picked up as
 * soon as its artifact is built.
 */
public final class InProcess {
    private final Project project;
    private final Infrastructure infra;
    private final Map<String, Object> handlers = new HashMap<>();
    private final Map<String, Method> methods = new HashMap<>();
    private final Map<String, ClassLoader> loaders = new HashMap<>();

    public InProcess(Project project, Infrastructure infra) {
        this.project = project;
        this.infra = infra;
    }

    public Infrastructure infra() {
        return infra;
    }

    /** True when the function's handler class can be loaded (its artifact is built). */
    public boolean available(String functionId) {
        try {
            handlerClass(functionId);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** From this JVM's classpath if there, else from the function's shaded artifact (parent-first). */
    public synchronized Class<?> handlerClass(String functionId) throws ClassNotFoundException {
        String name = project.function(functionId).handlerClass();
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            // not on the harness's classpath: the usual case
        }
        String module = project.module(functionId);
        Path jar = module == null ? null : project.artifact(module);
        if (jar == null) {
            throw new ClassNotFoundException(name + " (" + functionId + " has no built artifact)");
        }
        ClassLoader loader = loaders.get(module);
        if (loader == null) {
            try {
                loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, InProcess.class.getClassLoader());
            } catch (MalformedURLException e) {
                throw new ClassNotFoundException(name, e);
            }
            loaders.put(module, loader);
        }
        return Class.forName(name, true, loader);
    }

    public synchronized Object handler(String functionId) {
        return handlers.computeIfAbsent(functionId, id -> {
            SamTemplate.Function f = project.function(id);
            try {
                Class<?> type = handlerClass(id);
                methods.put(id, Launcher.handlerMethod(type, f.handlerMethod()));
                return type.getConstructor(Infrastructure.class).newInstance(infra);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build " + f.handlerClass() + " with an Infrastructure", e);
            }
        });
    }

    public Method method(String functionId) {
        handler(functionId);
        return methods.get(functionId);
    }

    /** The handler's input for this event text (built once, before any timing). */
    public Object event(String functionId, String text) {
        return EventDecoder.decode(text, method(functionId).getParameterTypes()[0]);
    }

    public Object invoke(String functionId, Object event, Context context) {
        try {
            return method(functionId).invoke(handler(functionId), event, context);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a prepared sample text and returns its status ("200", "ok", or "error:…"). */
    public String run(String functionId, String text) {
        try {
            return status(invoke(functionId, event(functionId, text), new LambdaContext()));
        } catch (RuntimeException e) {
            return "error:" + e.getClass().getName();
        }
    }

    public static String status(Object result) {
        if (result instanceof APIGatewayProxyResponseEvent r) {
            return String.valueOf(r.getStatusCode());
        }
        return "ok";
    }

    /** 2xx, or a non-HTTP result. */
    public static boolean succeeded(String status) {
        return status.equals("ok") || status.startsWith("2");
    }
}
