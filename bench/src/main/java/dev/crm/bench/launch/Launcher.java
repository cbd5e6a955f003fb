package dev.crm.bench.launch;

import com.amazonaws.services.lambda.runtime.Context;
import dev.crm.devkit.LambdaContext;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * The main class of a cold-start child JVM: on the classpath after the function's shaded artifact,
 * it does what Lambda's Java runtime does for one cold invocation. It loads the handler class,
 * builds it with its public no-argument constructor (the Lambda path, which reads the environment),
 * turns the sample event into the handler's input type, calls {@code handleRequest} and prints
 * {@value #FIRST} with the result's status as soon as it returns; the parent times spawn to that
 * line. Then it invokes once more (a warm second call, the floor a fully primed SnapStart restore
 * could reach) and prints the phase timings.
 *
 * <p>Arguments: handler class, handler method, event file, timeout seconds, memory MB, function name,
 * and optionally {@value #PRIME}: the launcher then runs the product's own SnapStart priming right
 * after construction, as Lambda's runtime does before it takes the snapshot: the
 * {@code org.crac.Resource} that {@code dev.crm.shared.config.Priming.resource()} returns gets
 * {@code beforeCheckpoint(null)}, called by reflection (the launcher has no compile dependency on the
 * product), and only then is the sample invoked and timed.
 */
public final class Launcher {
    public static final String FIRST = "@@BENCH first ";
    public static final String PHASES = "@@BENCH phases ";
    /** The optional seventh argument: prime through the product's hook before the sample. */
    public static final String PRIME = "prime";
    /** The product's priming resource (shared, shaded into every function artifact). */
    static final String PRIMING_CLASS = "dev.crm.shared.config.Priming";

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Mark.reached("Main");
        String handlerClass = args[0];
        String methodName = args[1];
        String eventText;
        try (InputStream in = new FileInputStream(args[2])) {
            eventText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        long timeoutMillis = Long.parseLong(args[3]) * 1000;
        int memory = Integer.parseInt(args[4]);
        String functionName = args[5];

        long t1 = System.nanoTime();
        Class<?> type = Class.forName(handlerClass);
        long t2 = System.nanoTime();
        Mark.reached("Loaded");
        long c2 = threadCpuNanos();
        Object handler = type.getConstructor().newInstance();
        long c3 = threadCpuNanos();
        long t3 = System.nanoTime();
        Mark.reached("Constructed");
        Method method = handlerMethod(type, methodName);
        long prime = 0;
        String hook = "none";
        if (args.length > 6 && PRIME.equals(args[6])) {
            long p0 = System.nanoTime();
            hook = primeThroughProductHook();
            prime = System.nanoTime() - p0;
        }
        long t3b = System.nanoTime() - prime;
        Object event = EventDecoder.decode(eventText, method.getParameterTypes()[0]);
        long t4 = System.nanoTime();
        Mark.reached("Decoded");
        long c4 = threadCpuNanos();
        String status = invoke(handler, method, event, LambdaContext.launcher("bench-1", functionName, memory, timeoutMillis));
        long c5 = threadCpuNanos();
        long processCpu = processCpuNanos();
        long t5 = System.nanoTime();
        System.out.println(FIRST + status);
        System.out.flush();
        Mark.reached("Responded");

        long t6 = System.nanoTime();
        Object again = EventDecoder.decode(eventText, method.getParameterTypes()[0]);
        String status2 = invoke(handler, method, again, LambdaContext.launcher("bench-2", functionName, memory, timeoutMillis));
        long t7 = System.nanoTime();
        System.out.println(PHASES + "launcher=" + (t1 - t0) + " load=" + (t2 - t1) + " construct=" + (t3 - t2)
                + " decode=" + (t4 - t3b) + " invoke=" + (t5 - t4) + " invoke2=" + (t7 - t6) + " prime=" + prime
                + " cpuConstruct=" + (c3 - c2) + " cpuInvoke=" + (c5 - c4) + " cpuProcess=" + processCpu
                + " hook=" + hook + " status2=" + status2);
        System.out.flush();
        System.exit(0);
    }

    /**
     * CPU time of the calling thread (ns), from Linux's /proc/thread-self/schedstat: deterministic where
     * wall time is not on a loaded machine, and read with classes the launcher has loaded already (the
     * management beans would load ~900 classes into the phases they measure). -1 where unavailable.
     */
    static long threadCpuNanos() {
        return firstField("/proc/thread-self/schedstat", 1, 1);
    }

    /** The whole process's CPU time so far (ns; user + system, the kernel's 10 ms ticks), -1 where unavailable. */
    static long processCpuNanos() {
        // /proc/self/stat: fields after the command's closing parenthesis; utime and stime are 14 and 15
        long utime = firstField("/proc/self/stat", 14, 10_000_000L);
        long stime = firstField("/proc/self/stat", 15, 10_000_000L);
        return utime < 0 || stime < 0 ? -1 : utime + stime;
    }

    private static long firstField(String file, int field, long unit) {
        try (InputStream in = new FileInputStream(file)) {
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            int from = text.lastIndexOf(')');
            String[] parts = (from < 0 ? text : text.substring(from + 2)).split(" ");
            // in /proc/self/stat the first field after ')' is field 3
            int index = from < 0 ? field - 1 : field - 3;
            return Long.parseLong(parts[index]) * unit;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * What Lambda's runtime does before a SnapStart snapshot: the registered {@code org.crac} resources'
     * {@code beforeCheckpoint}. A JVM without CRaC cannot trigger org.crac's global context, so (as the
     * product's own PrimingProbe does) the hook of the resource the product registers is called directly,
     * here by reflection: {@code Priming.resource().beforeCheckpoint(null)}.
     *
     * @return "ok", "missing" when the artifact has no priming class (built before it existed), or
     *         "error:" and the exception (priming itself swallows its actions' failures)
     */
    static String primeThroughProductHook() {
        Class<?> priming;
        try {
            priming = Class.forName(PRIMING_CLASS);
        } catch (ClassNotFoundException e) {
            return "missing";
        }
        try {
            Object resource = priming.getMethod("resource").invoke(null);
            Class<?> context = Class.forName("org.crac.Context", false, priming.getClassLoader());
            resource.getClass().getMethod("beforeCheckpoint", context).invoke(resource, (Object) null);
            return "ok";
        } catch (InvocationTargetException e) {
            return "error:" + e.getCause().getClass().getName();
        } catch (ReflectiveOperationException e) {
            return "error:" + e.getClass().getName();
        }
    }

    /** The non-bridge method Lambda would call: (event, Context) or (InputStream, OutputStream, Context). */
    public static Method handlerMethod(Class<?> type, String name) {
        Method found = null;
        for (Method m : type.getMethods()) {
            if (!m.getName().equals(name) || m.isBridge() || m.isSynthetic()) {
                continue;
            }
            Class<?>[] p = m.getParameterTypes();
            boolean event = p.length == 2 && p[1] == Context.class;
            boolean stream = p.length == 3 && p[0] == InputStream.class && p[1] == OutputStream.class;
            if ((event || stream) && (found == null || found.getParameterTypes()[0] == Object.class)) {
                found = m;
            }
        }
        if (found == null) {
            throw new IllegalArgumentException(type.getName() + " has no handler method " + name);
        }
        return found;
    }

    private static String invoke(Object handler, Method method, Object event, Context context) throws IOException {
        try {
            if (method.getParameterCount() == 3) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                method.invoke(handler, event, out, context);
                return "ok";
            }
            return status(method.invoke(handler, event, context));
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            return "error:" + c.getClass().getName() + ":" + c.getMessage();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The HTTP status of a proxy response, "ok" for anything else. */
    private static String status(Object result) {
        if (result == null) {
            return "ok";
        }
        try {
            Method m = result.getClass().getMethod("getStatusCode");
            return String.valueOf(m.invoke(result));
        } catch (ReflectiveOperationException e) {
            return "ok";
        }
    }
}
