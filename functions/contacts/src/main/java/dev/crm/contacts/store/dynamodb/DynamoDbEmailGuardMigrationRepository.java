package dev.crm.contacts.store.dynamodb;

import dev.crm.contacts.domain.EmailGuardMigrationRepository;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.store.Backoff;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Cursors;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The email guard migration's store work: contacts from the list index (oldest change first, so a
 * contact changed meanwhile moves ahead of the cursor and is met again) or the erasing contacts'
 * partition of that index, and one transaction per contact that moves its guard and removes the
 * unkeyed {@code emailHash} that profiles written before keyed guards carry (nothing reads it).
 */
public final class DynamoDbEmailGuardMigrationRepository implements EmailGuardMigrationRepository {
    /** Tries per contact when it changes under the move (each change re-reads it). */
    private static final int ATTEMPTS = 5;

    private final Table table;

    public DynamoDbEmailGuardMigrationRepository(Table table) {
        this.table = table;
    }

    @Override
    public Page moveEmailGuards(TenantId t, TenantSecrets secrets, Source source, Cursor from, int limit) {
        var b = QueryRequest.builder().tableName(table.name()).indexName(Table.GSI1).limit(limit).scanIndexForward(true)
                .keyConditionExpression("GSI1PK = :pk").expressionAttributeValues(Map.of(":pk",
                        Attr.s(source == Source.LISTED ? Keys.contactsIndex(t) : ContactKeys.erasingIndex(t))));
        if (from != null) {
            b.exclusiveStartKey(Cursors.startKey(from));
        }
        QueryResponse page = table.client().query(b.build());
        int moved = 0;
        int conflicts = 0;
        for (Map<String, AttributeValue> profile : page.items()) {
            switch (move(t, secrets, profile)) {
                case MOVED -> moved++;
                case CONFLICT -> conflicts++;
                default -> { }
            }
        }
        return new Page(page.items().size(), moved, conflicts, Cursors.of(page.lastEvaluatedKey()));
    }

    private enum Outcome { MOVED, NOTHING_TO_MOVE, CONFLICT }

    /** @param profile the contact as the (eventually consistent) index showed it */
    private Outcome move(TenantId t, TenantSecrets secrets, Map<String, AttributeValue> profile) {
        String contactId = Attr.str(profile, "contactId");
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String email = profile == null ? null : Attr.str(profile, "email");
            if (email == null) {
                return Outcome.NOTHING_TO_MOVE; // gone, or anonymised: its guard went with its address
            }
            AttributeValue c = Attr.s(contactId);
            Map<String, AttributeValue> keyed = new HashMap<>(Table.key(EmailAddress.guardKey(t, secrets, email), Keys.ITEM));
            keyed.put(Table.ENTITY, Attr.s("EMAIL_GUARD"));
            keyed.put("tenantId", Attr.s(t.value()));
            keyed.put("contactId", c);
            Map<String, AttributeValue> profileKey = Table.key(Keys.contact(t, contactId), Keys.CONTACT_PROFILE);
            AttributeValue version = profile.get("version");
            try {
                table.transact(List.of(
                        // the address read is still the contact's; its unkeyed hash goes too
                        TransactWriteItem.builder().update(Update.builder().tableName(table.name()).key(profileKey)
                                .updateExpression("REMOVE emailHash").conditionExpression("version = :v")
                                .expressionAttributeValues(Map.of(":v", version)).build()).build(),
                        // only a guard this contact holds moves: none left means moved already or released
                        TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
                                .key(Table.key(Keys.emailGuard(t, EmailAddress.legacyHash(email)), Keys.ITEM))
                                .conditionExpression("contactId = :c").expressionAttributeValues(Map.of(":c", c)).build())
                                .build(),
                        TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(keyed)
                                .conditionExpression("attribute_not_exists(PK) OR contactId = :c")
                                .expressionAttributeValues(Map.of(":c", c)).build()).build()));
                return Outcome.MOVED;
            } catch (Table.TransactionFailure f) {
                if (f.conditionFailed(0)) {
                    profile = table.get(Keys.contact(t, contactId), Keys.CONTACT_PROFILE); // changed: read it again
                } else if (f.conditionFailed(1)) {
                    if (!profile.containsKey("emailHash") || stripEmailHash(profileKey, version)) {
                        return Outcome.NOTHING_TO_MOVE;
                    }
                    profile = table.get(Keys.contact(t, contactId), Keys.CONTACT_PROFILE);
                } else if (f.conditionFailed(2)) {
                    return Outcome.CONFLICT;
                } else if (f.isConflict()) {
                    Backoff.JITTER.pause(attempt); // a writer of the same items at the same moment
                } else {
                    throw f.storeOutcome();
                }
            }
        }
        throw new IllegalStateException("the contact kept changing while its email guard moved"); // the job retries
    }

    /**
     * Removes the unkeyed hash a profile written before keyed guards carries, from a contact with no
     * guard to move (moved by an earlier run of the page).
     *
     * @return false when the profile changed since it was read
     */
    private boolean stripEmailHash(Map<String, AttributeValue> profileKey, AttributeValue version) {
        try {
            table.client().updateItem(b -> b.tableName(table.name()).key(profileKey).updateExpression("REMOVE emailHash")
                    .conditionExpression("version = :v").expressionAttributeValues(Map.of(":v", version)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
