package dev.crm.shared.config;

import dev.crm.shared.log.Log;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming. Before Lambda snapshots a function's initialised environment, the actions
 * registered here run once: a DynamoDB read of an item that does not exist, and each handler's own
 * request that finds nothing (a GET of an unknown id, an unknown API key). The classes the first real
 * request needs are then loaded and initialised inside the snapshot, and the client's signer,
 * marshallers and HTTP stack are warm after every restore.
 *
 * <p>Priming never writes and keeps nothing request-specific: whatever it touched is shared by every
 * environment restored from the snapshot. Only Lambda's no-argument handler constructors register
 * (tests and the local runner build handlers from an {@link Infrastructure} of their own). Off
 * SnapStart nothing ever calls the hook and registering costs nothing.
 */
public final class Priming implements Resource {
    private static final Priming INSTANCE = new Priming();
    /** org.crac holds resources weakly; this class holds the actions and itself strongly. */
    private static final List<Runnable> ACTIONS = new CopyOnWriteArrayList<>();
    private static volatile boolean registered;

    private Priming() {}

    /** Adds a priming action; its failures are ignored (priming is an optimisation, never a condition). */
    public static void register(Runnable action) {
        ACTIONS.add(action);
        if (!registered) {
            synchronized (Priming.class) {
                if (!registered) {
                    Core.getGlobalContext().register(INSTANCE);
                    registered = true;
                }
            }
        }
    }

    /**
     * The resource registered with org.crac. On a JVM without CRaC (this one, in tests) the global
     * context cannot be triggered, so tests call this resource's hooks as Lambda's runtime would.
     */
    public static Resource resource() {
        return INSTANCE;
    }

    /** Runs every action now, with logging silenced; what a checkpoint does, callable from tests. */
    public static int primeNow() {
        Consumer<String> previous = Log.sink();
        Log.sink(line -> { });
        int ran = 0;
        try {
            for (Runnable action : ACTIONS) {
                try {
                    action.run();
                    ran++;
                } catch (RuntimeException ignored) {
                    // a primed path that fails (DynamoDB unreachable at snapshot time) just stays cold
                }
            }
        } finally {
            Log.sink(previous);
        }
        return ran;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        primeNow();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: the client holds no credentials of its own under SnapStart (the container
        // provider fetches them per call) and the SDK retries a pooled connection that died with the snapshot.
    }
}
