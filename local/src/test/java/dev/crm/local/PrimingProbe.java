package dev.crm.local;

import java.lang.management.ManagementFactory;

/**
 * Runs in a child JVM on a function's deployable artifact, as Lambda would: builds the handler with
 * its no-argument constructor, then fires the SnapStart checkpoint hook the way the runtime does
 * before it takes a snapshot, and reports how many classes the priming loaded.
 */
public final class PrimingProbe {
    private PrimingProbe() {}

    public static void main(String[] args) throws Exception {
        var classes = ManagementFactory.getClassLoadingMXBean();
        Class.forName(args[0]).getConstructor().newInstance();
        int before = classes.getLoadedClassCount();
        // Lambda's runtime calls the registered resources' hooks; a JVM without CRaC cannot trigger its
        // global context, so the probe calls the hook of the resource the product registered.
        dev.crm.shared.config.Priming.resource().beforeCheckpoint(null);
        System.out.println("primed " + (classes.getLoadedClassCount() - before));
    }
}
