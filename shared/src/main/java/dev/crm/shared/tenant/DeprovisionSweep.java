package dev.crm.shared.tenant;

import dev.crm.shared.store.Cursor;

/**
 * One page of a deprovisioning sweep: how many records it deleted, and where the next page starts
 * ({@code next} null once the sweep is complete).
 */
public record DeprovisionSweep(long deleted, Cursor next) {
    public boolean complete() {
        return next == null;
    }
}
