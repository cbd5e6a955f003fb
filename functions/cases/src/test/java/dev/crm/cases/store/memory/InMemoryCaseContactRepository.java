package dev.crm.cases.store.memory;

import dev.crm.cases.domain.CaseContactRepository;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Contacts by address in memory, as the shared directory keeps them: one per tenant and normalised
 * address, created on first use; an address marked as being erased finds nothing.
 */
public final class InMemoryCaseContactRepository implements CaseContactRepository {
    private final Map<String, String> byAddress = new ConcurrentHashMap<>();
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final Set<String> erasing = ConcurrentHashMap.newKeySet();

    private static String key(TenantId t, String email) {
        return t.value() + "|" + email.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public String findOrCreateByEmail(TenantId tenant, String email, String name, Instant now) {
        String k = key(tenant, email);
        if (erasing.contains(k)) {
            return null;
        }
        return byAddress.computeIfAbsent(k, x -> {
            String id = Ids.random("ct_", 20);
            if (name != null) {
                names.put(id, name);
            }
            return id;
        });
    }

    /** Test set-up: a contact holds the address and is being erased. */
    public void erasing(TenantId tenant, String email) {
        erasing.add(key(tenant, email));
    }

    public String nameOf(String contactId) {
        return names.get(contactId);
    }
}
