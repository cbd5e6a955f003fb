package dev.crm.bench.launch;

/**
 * Empty classes the launcher loads by name at each phase boundary. In a run with
 * {@code -Xlog:class+load} their lines split the log into phases (and give each boundary's JVM
 * uptime), so the harness can count the classes each phase loads.
 */
final class Mark {
    private Mark() {}

    /** Names in phase order: each marks the end of the phase before it. */
    static final String[] PHASES = {"Main", "Loaded", "Constructed", "Decoded", "Responded"};

    static void reached(String phase) {
        try {
            Class.forName(Mark.class.getName() + "$" + phase);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class Main {}

    static final class Loaded {}

    static final class Constructed {}

    static final class Decoded {}

    static final class Responded {}
}
