package dev.crm.churn.domain;

import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;

/** Staff working the alerts: listing them by status, acknowledging and resolving them. */
public final class ChurnAlerts {
    private final ChurnRepository store;
    private final Clock clock;

    public ChurnAlerts(ChurnRepository store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** No alert of the tenant has this id. */
    public static final class UnknownAlert extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UnknownAlert() {
            super("unknown alert", null, false, false);
        }
    }

    /** The alert is in a status the change does not start from; the message says which, for the client. */
    public static final class StatusConflict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StatusConflict(String clientMessage) {
            super(clientMessage, null, false, false);
        }
    }

    /** The tenant's alerts in one status, largest value at risk first. */
    public Slice<ChurnAlert> list(TenantId t, ChurnAlert.Status status, int limit, Cursor from) {
        return store.alerts(t, status, limit, from);
    }

    /**
     * Acknowledges an open alert; acknowledging an acknowledged one again changes nothing.
     *
     * @throws UnknownAlert   when the tenant has no such alert
     * @throws StatusConflict when it is resolved
     */
    public ChurnAlert acknowledge(TenantId t, String alertId, String by) {
        ChurnAlert a = existing(t, alertId);
        ChurnAlert done = store.transition(t, a, ChurnAlert.Status.OPEN, ChurnAlert.Status.ACKNOWLEDGED, by, clock.instant(), null);
        if (done == null) {
            if (a.status() == ChurnAlert.Status.ACKNOWLEDGED) {
                return a;
            }
            throw new StatusConflict("the alert is " + a.status().wire() + "; only open alerts can be acknowledged");
        }
        return done;
    }

    /**
     * Resolves an open or acknowledged alert ({@code resolution} null: {@code not_actionable});
     * resolving a resolved one again changes nothing.
     *
     * @throws UnknownAlert   when the tenant has no such alert
     * @throws StatusConflict when it changed between the read and the write
     */
    public ChurnAlert resolve(TenantId t, String alertId, String by, String resolution) {
        ChurnAlert a = existing(t, alertId);
        if (a.status() == ChurnAlert.Status.RESOLVED) {
            return a;
        }
        ChurnAlert done = store.transition(t, a, a.status(), ChurnAlert.Status.RESOLVED, by, clock.instant(),
                resolution == null ? "not_actionable" : resolution);
        if (done == null) {
            throw new StatusConflict("the alert changed meanwhile; read it again");
        }
        return done;
    }

    private ChurnAlert existing(TenantId t, String alertId) {
        String[] parts = ChurnAlert.parse(alertId);
        ChurnAlert a = parts == null ? null : store.alert(t, parts[0], parts[1]);
        if (a == null) {
            throw new UnknownAlert();
        }
        return a;
    }
}
