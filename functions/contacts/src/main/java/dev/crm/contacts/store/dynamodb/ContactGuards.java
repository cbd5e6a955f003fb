package dev.crm.contacts.store.dynamodb;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The uniqueness guards of a contact's email and external id: one item per value, put with
 * {@code attribute_not_exists} in the same transaction as the contact (uniqueness by transaction, not
 * by reading first), deleted when the value changes or the contact goes.
 */
final class ContactGuards {
    private final String table;

    ContactGuards(String table) {
        this.table = table;
    }

    /** Where this transaction's new guard puts are, to tell which value was taken when it is cancelled. */
    record Placed(int email, int externalId) {
        /** @return the uniqueness violation the cancellation means, or null when no guard failed */
        StoreException.UniqueViolation violation(Table.TransactionFailure f) {
            if (email >= 0 && f.conditionFailed(email)) {
                return new StoreException.UniqueViolation("email", holder(f.oldItem(email)));
            }
            if (externalId >= 0 && f.conditionFailed(externalId)) {
                return new StoreException.UniqueViolation("externalId", holder(f.oldItem(externalId)));
            }
            return null;
        }
    }

    /** Adds the guard changes from {@code previous} (null: a new contact) to {@code next} to the transaction. */
    Placed addChanges(List<TransactWriteItem> tx, TenantId t, Contact previous, Contact next) {
        int email = change(tx, t, next.id(), emailHash(previous), emailHash(next), true);
        int ext = change(tx, t, next.id(), externalIdHash(previous), externalIdHash(next), false);
        return new Placed(email, ext);
    }

    /** Adds the deletes of every guard the contact holds (erasure). */
    void addReleases(List<TransactWriteItem> tx, TenantId t, Contact c) {
        change(tx, t, c.id(), emailHash(c), null, true);
        change(tx, t, c.id(), externalIdHash(c), null, false);
    }

    private int change(List<TransactWriteItem> tx, TenantId t, String contactId, String old, String now, boolean email) {
        if (Objects.equals(old, now)) {
            return -1;
        }
        if (old != null) {
            tx.add(delete(email ? Keys.emailGuard(t, old) : Keys.externalIdGuard(t, old), contactId));
        }
        if (now == null) {
            return -1;
        }
        tx.add(put(email ? Keys.emailGuard(t, now) : Keys.externalIdGuard(t, now), t, contactId,
                email ? "EMAIL_GUARD" : "EXTERNAL_ID_GUARD"));
        return tx.size() - 1;
    }

    private static String emailHash(Contact c) {
        return c == null || c.data().email() == null ? null : EmailAddress.hash(c.data().email());
    }

    private static String externalIdHash(Contact c) {
        return c == null || c.data().externalId() == null ? null : ContactItems.externalIdHash(c.data().externalId());
    }

    private static String holder(Map<String, AttributeValue> guard) {
        return guard == null ? null : Attr.str(guard, "contactId");
    }

    private TransactWriteItem put(String pk, TenantId t, String contactId, String entity) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(pk, Keys.ITEM));
        item.put(Table.ENTITY, Attr.s(entity));
        item.put("tenantId", Attr.s(t.value()));
        item.put("contactId", Attr.s(contactId));
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(PK)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build();
    }

    private TransactWriteItem delete(String pk, String contactId) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(Table.key(pk, Keys.ITEM))
                .conditionExpression("contactId = :c")
                .expressionAttributeValues(Map.of(":c", Attr.s(contactId))).build()).build();
    }
}
