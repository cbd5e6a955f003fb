package dev.crm.cases.domain;

import dev.crm.cases.domain.SupportCase.Status;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Which status a case may move to from each status (docs/api.md, "Cases"). Closed is final. */
public final class CaseWorkflow {
    private static final Map<Status, Set<Status>> NEXT = new EnumMap<>(Status.class);

    static {
        NEXT.put(Status.NEW, EnumSet.of(Status.OPEN, Status.PENDING, Status.ON_HOLD, Status.SOLVED));
        NEXT.put(Status.OPEN, EnumSet.of(Status.PENDING, Status.ON_HOLD, Status.SOLVED));
        NEXT.put(Status.PENDING, EnumSet.of(Status.OPEN, Status.SOLVED));
        NEXT.put(Status.ON_HOLD, EnumSet.of(Status.OPEN, Status.SOLVED));
        NEXT.put(Status.SOLVED, EnumSet.of(Status.OPEN, Status.CLOSED));
        NEXT.put(Status.CLOSED, EnumSet.noneOf(Status.class));
    }

    private CaseWorkflow() {}

    /** The statuses a case in {@code from} may move to (empty for closed). */
    public static Set<Status> allowed(Status from) {
        return EnumSet.copyOf((EnumSet<Status>) NEXT.get(from));
    }

    public static boolean allows(Status from, Status to) {
        return NEXT.get(from).contains(to);
    }

    /** A change the workflow does not allow. */
    public static final class InvalidTransition extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Status from;
        private final Status to;

        public InvalidTransition(Status from, Status to) {
            super("invalid transition", null, false, false);
            this.from = from;
            this.to = to;
        }

        public Status from() {
            return from;
        }

        public Status to() {
            return to;
        }
    }
}
