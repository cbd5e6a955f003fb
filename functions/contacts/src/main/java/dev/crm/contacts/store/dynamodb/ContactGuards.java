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
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.contacts.domain.ImportRowRepository;
import dev.crm.shared.store.dynamodb.BatchReads;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The uniqueness guards of a contact's email and external id: one item per value, put with
 * {@code attribute_not_exists} in the same transaction as the contact (uniqueness by transaction, not
 * by reading first), deleted when the value changes or the contact goes.
 *
 * <p>Email guards are keyed by the tenant's keyed pseudonym of the address ({@link EmailAddress#guardKey}).
 * A tenant whose guards are not all migrated yet ({@link EmailAddress#legacyGuardKey} not null) may
 * still hold an address under its unkeyed hash: for it, lookups read both keys, a new guard is put
 * under the keyed one only while the unkeyed one is free (or this contact's), and releases delete both.
 */
final class ContactGuards {
    private static final Expression FREE = condition("attribute_not_exists(PK)");

    private final Table table;
    // Table views set on first use, so building the store builds no schema (a race only builds the same view twice).
    private DynamoDbTable<GuardItem> guards;
    private final Function<TenantId, TenantSecrets> secrets;

    ContactGuards(Table table, Function<TenantId, TenantSecrets> secrets) {
        this.table = table;
        this.secrets = secrets;
    }

    private DynamoDbTable<GuardItem> guards() {
        if (guards == null) {
            guards = table.of(GuardItem.SCHEMA);
        }
        return guards;
    }

    /**
     * The holders of these addresses and external ids, as {@link #emailHolder} and
     * {@link #externalIdHolder} read them one by one, in batched reads (100 keys a request); a keyed
     * email guard wins over a legacy one, as there.
     */
    ImportRowRepository.Holders holders(TenantId t, Set<String> emails, Set<String> externalIds) {
        TenantSecrets s = emails.isEmpty() ? null : secrets.apply(t);
        Map<String, String> external = new HashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String email : emails) {
            keys.add(Table.key(EmailAddress.guardKey(t, s, email), Keys.ITEM));
            String old = EmailAddress.legacyGuardKey(t, s, email);
            if (old != null) {
                keys.add(Table.key(old, Keys.ITEM));
            }
        }
        for (String id : externalIds) {
            String pk = Keys.externalIdGuard(t, ContactItems.externalIdHash(id));
            external.put(pk, id);
            keys.add(Table.key(pk, Keys.ITEM));
        }
        // two addresses of one normalised form share their keys: a map per key, not per request
        Map<String, String> holderByKey = new HashMap<>();
        for (var item : BatchReads.items(table, new ArrayList<>(new java.util.LinkedHashSet<>(keys)),
                b -> b.consistentRead(true).projectionExpression("PK, contactId"))) {
            holderByKey.put(Attr.str(item, Table.PK), Attr.str(item, "contactId"));
        }
        Map<String, String> byEmail = new HashMap<>();
        Map<String, String> byExternalId = new HashMap<>();
        for (String email : emails) {
            String holder = holderByKey.get(EmailAddress.guardKey(t, s, email));
            String old = EmailAddress.legacyGuardKey(t, s, email);
            if (holder == null && old != null) {
                holder = holderByKey.get(old);
            }
            if (holder != null) {
                byEmail.put(email, holder);
            }
        }
        for (var e : external.entrySet()) {
            String holder = holderByKey.get(e.getKey());
            if (holder != null) {
                byExternalId.put(e.getValue(), holder);
            }
        }
        return new ImportRowRepository.Holders(byEmail, byExternalId);
    }

    /** @return the id of the contact holding this email address, or null */
    String emailHolder(TenantId t, String email) {
        TenantSecrets s = secrets.apply(t);
        String holder = holderOf(EmailAddress.guardKey(t, s, email));
        String legacy = EmailAddress.legacyGuardKey(t, s, email);
        return holder != null || legacy == null ? holder : holderOf(legacy);
    }

    /** @return the id of the contact holding this external id, or null */
    String externalIdHolder(TenantId t, String externalId) {
        return holderOf(Keys.externalIdGuard(t, ContactItems.externalIdHash(externalId)));
    }

    private String holderOf(String pk) {
        GuardItem g = guards().getItem(b -> b.key(DynamoDbContactRepository.key(pk, Keys.ITEM)).consistentRead(true));
        return g == null ? null : g.contactId();
    }

    /**
     * Where this transaction's new guard puts (and the check that a legacy email guard is free) are,
     * to tell which value was taken when it is cancelled; -1 for none.
     */
    record Placed(int email, int legacyEmail, int externalId) {
        /** @return the uniqueness violation the cancellation means, or null when no guard failed */
        StoreException.UniqueViolation violation(Table.TransactionFailure f) {
            for (int at : new int[] {email, legacyEmail}) {
                if (f.conditionFailed(at)) {
                    return new StoreException.UniqueViolation("email", holder(f.oldItem(at)));
                }
            }
            if (f.conditionFailed(externalId)) {
                return new StoreException.UniqueViolation("externalId", holder(f.oldItem(externalId)));
            }
            return null;
        }
    }

    /** Adds the guard changes from {@code previous} (null: a new contact) to {@code next} to the transaction. */
    Placed addChanges(EnhancedTransaction tx, TenantId t, Contact previous, Contact next) {
        String oldEmail = email(previous);
        String newEmail = email(next);
        int email = -1;
        int legacyEmail = -1;
        if (!Objects.equals(oldEmail, newEmail)) {
            // Only a moving address needs the tenant's guard key: a PATCH that keeps it reads no tenant.
            TenantSecrets s = secrets.apply(t);
            if (oldEmail != null) {
                releaseEmail(tx, t, s, next.id(), oldEmail);
            }
            if (newEmail != null) {
                email = tx.putReportingHolder(guards(), GuardItem.of(EmailAddress.guardKey(t, s, newEmail), t, next.id(),
                        "EMAIL_GUARD"), FREE);
                String legacy = EmailAddress.legacyGuardKey(t, s, newEmail);
                if (legacy != null) {
                    legacyEmail = tx.checkReportingHolder(guards(), legacy, Keys.ITEM, freeOrHeldBy(next.id()));
                }
            }
        }
        int ext = -1;
        String oldExt = externalIdKey(t, previous);
        String newExt = externalIdKey(t, next);
        if (!Objects.equals(oldExt, newExt)) {
            if (oldExt != null) {
                tx.delete(guards(), oldExt, Keys.ITEM, heldBy(next.id()));
            }
            if (newExt != null) {
                ext = tx.putReportingHolder(guards(), GuardItem.of(newExt, t, next.id(), "EXTERNAL_ID_GUARD"), FREE);
            }
        }
        return new Placed(email, legacyEmail, ext);
    }

    /** Adds the deletes of every guard the contact holds (anonymisation). */
    void addReleases(EnhancedTransaction tx, TenantId t, Contact c) {
        if (email(c) != null) {
            releaseEmail(tx, t, secrets.apply(t), c.id(), email(c));
        }
        String ext = externalIdKey(t, c);
        if (ext != null) {
            tx.delete(guards(), ext, Keys.ITEM, heldBy(c.id()));
        }
    }

    /**
     * Deletes the address's guard, only while it still points at this contact. A legacy tenant's
     * contact holds it under one of the two keys: each delete then also passes when its item is absent.
     */
    private void releaseEmail(EnhancedTransaction tx, TenantId t, TenantSecrets s, String contactId, String email) {
        String legacy = EmailAddress.legacyGuardKey(t, s, email);
        if (legacy == null) {
            tx.delete(guards(), EmailAddress.guardKey(t, s, email), Keys.ITEM, heldBy(contactId));
            return;
        }
        tx.delete(guards(), EmailAddress.guardKey(t, s, email), Keys.ITEM, freeOrHeldBy(contactId));
        tx.delete(guards(), legacy, Keys.ITEM, freeOrHeldBy(contactId));
    }

    /** The partition keys of every guard the contact's address may be under (erasure deletes each). */
    java.util.List<String> emailKeys(TenantId t, Contact c) {
        if (email(c) == null) {
            return java.util.List.of();
        }
        TenantSecrets s = secrets.apply(t);
        String legacy = EmailAddress.legacyGuardKey(t, s, email(c));
        String keyed = EmailAddress.guardKey(t, s, email(c));
        return legacy == null ? java.util.List.of(keyed) : java.util.List.of(keyed, legacy);
    }

    private static String email(Contact c) {
        return c == null || c.data().email() == null ? null : EmailAddress.normalize(c.data().email());
    }

    static String externalIdKey(TenantId t, Contact c) {
        return c == null || c.data().externalId() == null ? null
                : Keys.externalIdGuard(t, ContactItems.externalIdHash(c.data().externalId()));
    }

    private static Expression heldBy(String contactId) {
        return condition("contactId = :c", Map.of(), Map.of(":c", Attr.s(contactId)));
    }

    private static Expression freeOrHeldBy(String contactId) {
        return condition("attribute_not_exists(PK) OR contactId = :c", Map.of(), Map.of(":c", Attr.s(contactId)));
    }

    private static String holder(Map<String, AttributeValue> guard) {
        return guard == null ? null : GuardItem.SCHEMA.mapToItem(guard).contactId();
    }
}
