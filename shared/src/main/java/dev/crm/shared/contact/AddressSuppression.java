package dev.crm.shared.contact;

import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.crypto.Hashes;

/**
 * The keyed hash under which an address outlives its contact's erasure. The suppression entry kept
 * under it stops marketing to the address (a new contact with the same address included) until its
 * owner confirms a double opt-in again; the hash keeps the address itself out of the table.
 */
public final class AddressSuppression {
    private AddressSuppression() {}

    /** The pseudonym of a contact: of its address when it has one, else of its id. */
    public static String pseudonym(TenantSecrets secrets, Contact c) {
        return c.data().email() != null ? ofEmail(secrets, c.data().email())
                : Hashes.hmacHex(secrets.pseudonymKey(), "contact|" + c.id());
    }

    public static String ofEmail(TenantSecrets secrets, String email) {
        return Hashes.hmacHex(secrets.pseudonymKey(), "email|" + EmailAddress.normalize(email));
    }
}
