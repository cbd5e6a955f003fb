package dev.crm.bench.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LauncherTest {
    /** shared is on this classpath: the product's priming resource is found and its hook called (no actions here). */
    @Test
    void thePrimingHookIsFoundAndCalledByReflection() {
        assertEquals("ok", Launcher.primeThroughProductHook());
    }
}
