package dev.crm.shared.contact;

import dev.crm.shared.tenant.TenantSecrets;
import java.util.function.Function;
import dev.crm.shared.store.Backoff;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * What the other functions (preferences, surveys, churn) need of contacts: find one by id or by
 * address, create a minimal one for a new subscriber, and guard their own writes with "the contact
 * still exists". The contacts function owns everything else about the record.
 */
public final class ContactDirectory {
    private final Table table;
    private final Function<TenantId, TenantSecrets> secrets;

    /** @param secrets each tenant's secrets, which key its email guards */
    public ContactDirectory(Table table, Function<TenantId, TenantSecrets> secrets) {
        this.table = table;
        this.secrets = secrets;
    }

    /** @return the active contact, or null (absent, being erased) */
    public Contact find(TenantId t, String contactId) {
        if (!Ids.isValid(Contact.ID_PREFIX, contactId)) {
            return null;
        }
        Map<String, AttributeValue> item = table.get(Keys.contact(t, contactId), Keys.CONTACT_PROFILE);
        if (item == null) {
            return null;
        }
        Contact c = ContactItems.contact(item);
        return c.status() == Contact.Status.ERASING ? null : c;
    }

    /** @return the id of the contact with this address, or null */
    public String findIdByEmail(TenantId t, String email) {
        TenantSecrets s = secrets.apply(t);
        Map<String, AttributeValue> guard = table.get(EmailAddress.guardKey(t, s, email), Keys.ITEM);
        String legacy = EmailAddress.legacyGuardKey(t, s, email);
        if (guard == null && legacy != null) {
            guard = table.get(legacy, Keys.ITEM);
        }
        return guard == null ? null : Attr.str(guard, "contactId");
    }

    /**
     * The contact with this address, created (as a subscriber) when there is none; concurrent
     * callers with one address end up with the same contact.
     *
     * @return null when the address is held by a contact being erased (nothing is created)
     */
    public Contact findOrCreateByEmail(TenantId t, String email, Instant now) {
        return findOrCreateByEmail(t, email, null, now);
    }

    /**
     * As {@link #findOrCreateByEmail(TenantId, String, Instant)}; a contact it creates gets
     * {@code firstName} (may be null). An existing contact is never changed.
     */
    public Contact findOrCreateByEmail(TenantId t, String email, String firstName, Instant now) {
        for (int attempt = 0; attempt < 20; attempt++) {
            String id = findIdByEmail(t, email);
            Map<String, AttributeValue> held = id == null || !Ids.isValid(Contact.ID_PREFIX, id) ? null
                    : table.get(Keys.contact(t, id), Keys.CONTACT_PROFILE);
            if (held != null) {
                Contact c = ContactItems.contact(held);
                // Held by a contact being erased: its guard goes with the erasure; nothing is created now.
                return c.status() == Contact.Status.ERASING ? null : c;
            }
            Contact c = new Contact(Ids.random(Contact.ID_PREFIX, 20),
                    new ContactData(firstName, null, email.trim(), null, null, null, null, LifecycleStage.SUBSCRIBER, List.of(),
                            Map.of(), null),
                    now, now, 1, Contact.Status.ACTIVE);
            TenantSecrets s = secrets.apply(t);
            Map<String, AttributeValue> guard = new HashMap<>(Table.key(EmailAddress.guardKey(t, s, email), Keys.ITEM));
            guard.put(Table.ENTITY, Attr.s("EMAIL_GUARD"));
            guard.put("tenantId", Attr.s(t.value()));
            guard.put("contactId", Attr.s(c.id()));
            try {
                List<TransactWriteItem> items = new ArrayList<>(List.of(table.putIfAbsent(ContactItems.contact(t, c)),
                        table.putIfAbsent(guard)));
                String legacy = EmailAddress.legacyGuardKey(t, s, email);
                if (legacy != null) {
                    // a tenant not yet migrated may hold the address under its old key
                    items.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table.name())
                            .key(Table.key(legacy, Keys.ITEM)).conditionExpression("attribute_not_exists(PK)").build())
                            .build());
                }
                table.transact(items);
                return c;
            } catch (Table.TransactionFailure f) {
                // someone else created it (or a conflict): look again
                Backoff.JITTER.pause(attempt);
            }
        }
        throw new IllegalStateException("could not find or create the contact");
    }

    /** A transaction item that fails unless the contact exists and is active. */
    public TransactWriteItem requireActive(TenantId t, String contactId) {
        return TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table.name())
                .key(Table.key(Keys.contact(t, contactId), Keys.CONTACT_PROFILE))
                .conditionExpression("#st = :active")
                .expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Map.of(":active", Attr.s("active"))).build()).build();
    }
}
