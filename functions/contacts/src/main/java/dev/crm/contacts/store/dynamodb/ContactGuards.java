package dev.crm.contacts.store.dynamodb;

import dev.crm.shared.store.dynamodb.EnhancedTransaction;
import static dev.crm.shared.store.dynamodb.EnhancedTransaction.condition;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The uniqueness guards of a contact's email and external id: one item per value, put with
 * {@code attribute_not_exists} in the same transaction as the contact (uniqueness by transaction, not
 * by reading first), deleted when the value changes or the contact goes.
 */
final class ContactGuards {
    private static final Expression FREE = condition("attribute_not_exists(PK)");

    private final DynamoDbTable<GuardItem> guards;

    ContactGuards(Table table) {
        this.guards = table.of(GuardItem.SCHEMA);
    }

    /** @return the id of the contact holding this email address, or null */
    String emailHolder(TenantId t, String email) {
        return holderOf(Keys.emailGuard(t, EmailAddress.hash(email)));
    }

    /** @return the id of the contact holding this external id, or null */
    String externalIdHolder(TenantId t, String externalId) {
        return holderOf(Keys.externalIdGuard(t, ContactItems.externalIdHash(externalId)));
    }

    private String holderOf(String pk) {
        GuardItem g = guards.getItem(b -> b.key(DynamoDbContactRepository.key(pk, Keys.ITEM)).consistentRead(true));
        return g == null ? null : g.contactId();
    }

    /** Where this transaction's new guard puts are, to tell which value was taken when it is cancelled. */
    record Placed(int email, int externalId) {
        /** @return the uniqueness violation the cancellation means, or null when no guard failed */
        StoreException.UniqueViolation violation(Table.TransactionFailure f) {
            if (f.conditionFailed(email)) {
                return new StoreException.UniqueViolation("email", holder(f.oldItem(email)));
            }
            if (f.conditionFailed(externalId)) {
                return new StoreException.UniqueViolation("externalId", holder(f.oldItem(externalId)));
            }
            return null;
        }
    }

    /** Adds the guard changes from {@code previous} (null: a new contact) to {@code next} to the transaction. */
    Placed addChanges(EnhancedTransaction tx, TenantId t, Contact previous, Contact next) {
        int email = change(tx, t, next.id(), emailHash(previous), emailHash(next), true);
        int ext = change(tx, t, next.id(), externalIdHash(previous), externalIdHash(next), false);
        return new Placed(email, ext);
    }

    /** Adds the deletes of every guard the contact holds (anonymisation). */
    void addReleases(EnhancedTransaction tx, TenantId t, Contact c) {
        change(tx, t, c.id(), emailHash(c), null, true);
        change(tx, t, c.id(), externalIdHash(c), null, false);
    }

    private int change(EnhancedTransaction tx, TenantId t, String contactId, String old, String now, boolean email) {
        if (Objects.equals(old, now)) {
            return -1;
        }
        if (old != null) {
            // only while it still points at this contact
            tx.delete(guards, email ? Keys.emailGuard(t, old) : Keys.externalIdGuard(t, old), Keys.ITEM,
                    condition("contactId = :c", Map.of(), Map.of(":c", Attr.s(contactId))));
        }
        if (now == null) {
            return -1;
        }
        return tx.putReportingHolder(guards, GuardItem.of(email ? Keys.emailGuard(t, now) : Keys.externalIdGuard(t, now), t,
                contactId, email ? "EMAIL_GUARD" : "EXTERNAL_ID_GUARD"), FREE);
    }

    private static String emailHash(Contact c) {
        return c == null || c.data().email() == null ? null : EmailAddress.hash(c.data().email());
    }

    private static String externalIdHash(Contact c) {
        return c == null || c.data().externalId() == null ? null : ContactItems.externalIdHash(c.data().externalId());
    }

    private static String holder(Map<String, AttributeValue> guard) {
        return guard == null ? null : GuardItem.SCHEMA.mapToItem(guard).contactId();
    }
}
