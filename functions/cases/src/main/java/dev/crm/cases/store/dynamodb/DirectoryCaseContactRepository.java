package dev.crm.cases.store.dynamodb;

import dev.crm.cases.domain.CaseContactRepository;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactDirectory;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import java.time.Instant;
import java.util.function.Function;

/**
 * {@link CaseContactRepository} over the shared {@link ContactDirectory}: the address is looked up by its
 * keyed guard (HMAC under the tenant's pseudonym key), as the contacts function stores it, and a new
 * contact is created with its guard in one transaction.
 */
public final class DirectoryCaseContactRepository implements CaseContactRepository {
    private final ContactDirectory directory;

    public DirectoryCaseContactRepository(Table table, Function<TenantId, TenantSecrets> secrets) {
        this.directory = new ContactDirectory(table, secrets);
    }

    @Override
    public String findOrCreateByEmail(TenantId tenant, String email, String name, Instant now) {
        Contact c = directory.findOrCreateByEmail(tenant, email, name, now);
        return c == null || c.status() != Contact.Status.ACTIVE ? null : c.id();
    }
}
