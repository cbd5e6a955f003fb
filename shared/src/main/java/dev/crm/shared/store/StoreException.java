package dev.crm.shared.store;

/** Outcomes of a conditional write that the domain branches on (not failures of the store). */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message, null, false, false);
    }

    /** The item changed since it was read (optimistic locking). */
    public static final class VersionConflict extends StoreException {
        private static final long serialVersionUID = 1L;

        public VersionConflict() {
            super("version conflict");
        }
    }

    /** A unique value is already taken; {@code existingId} names the holder when known. */
    public static final class UniqueViolation extends StoreException {
        private static final long serialVersionUID = 1L;
        private final String field;
        private final String existingId;

        public UniqueViolation(String field, String existingId) {
            super("unique violation on " + field);
            this.field = field;
            this.existingId = existingId;
        }

        public String field() {
            return field;
        }

        public String existingId() {
            return existingId;
        }
    }

    /**
     * Another write touched the same items at the same moment (a transaction conflict): nothing was
     * written, and the same write may simply be tried again with fresh state.
     */
    public static final class Contention extends StoreException {
        private static final long serialVersionUID = 1L;

        public Contention() {
            super("contention");
        }
    }

    /** The store refused for capacity (throttled after the client's own retries): retry later. */
    public static final class Busy extends StoreException {
        private static final long serialVersionUID = 1L;

        public Busy() {
            super("busy");
        }
    }

    public static final class NotFound extends StoreException {
        private static final long serialVersionUID = 1L;

        public NotFound() {
            super("not found");
        }
    }

    /** A documented cap (keys per tenant, tags per contact, …) would be exceeded. */
    public static final class LimitReached extends StoreException {
        private static final long serialVersionUID = 1L;

        public LimitReached(String what) {
            super(what);
        }
    }
}
