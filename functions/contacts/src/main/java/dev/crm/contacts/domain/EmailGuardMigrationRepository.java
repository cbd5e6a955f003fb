package dev.crm.contacts.domain;

import dev.crm.shared.store.Cursor;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;

/** What the email guard migration needs of the store: the tenant's contacts a page at a time. */
public interface EmailGuardMigrationRepository {

    /** Which contacts a page is of: the listed ones, or those being erased (which still hold guards). */
    enum Source { LISTED, ERASING }

    /**
     * @param examined contacts looked at
     * @param moved    guards moved from the unkeyed to the keyed key
     * @param conflicts addresses whose keyed guard another contact holds (left as they are)
     * @param next     where the next page starts, or null after the last
     */
    record Page(int examined, int moved, int conflicts, Cursor next) {}

    /**
     * Moves the unkeyed email guard of each contact of one page to its keyed key: in one transaction
     * per contact, while the contact is unchanged, the unkeyed guard is deleted if this contact holds
     * it and the keyed one put if free or already this contact's. A contact without an unkeyed guard
     * (keyed already, released by its erasure) is left alone, so a page may be run again. The
     * unkeyed hash of the address kept on older profiles ({@code emailHash}) is removed as well.
     */
    Page moveEmailGuards(TenantId t, TenantSecrets secrets, Source source, Cursor from, int limit);
}
