package dev.crm.cases.domain;

import dev.crm.shared.tenant.TenantId;
import java.time.Instant;

/** The contact a public request comes from, found by its address (the contacts' keyed email guard). */
public interface CaseContactRepository {
    /**
     * The active contact with this address, created when there is none (with {@code name} as its first
     * name; an existing contact is never changed).
     *
     * @return the contact's id, or null when the address belongs to a contact being erased
     */
    String findOrCreateByEmail(TenantId tenant, String email, String name, Instant now);
}
