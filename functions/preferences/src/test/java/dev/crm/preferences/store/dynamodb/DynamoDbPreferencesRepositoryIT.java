package dev.crm.preferences.store.dynamodb;

import dev.crm.preferences.domain.PreferencesRepository;
import dev.crm.preferences.domain.PreferencesRepositoryContract;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.testing.MutableClock;
import dev.crm.testing.TestInfrastructure;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The DynamoDB adapter held to the port's contract, against DynamoDB Local. */
class DynamoDbPreferencesRepositoryIT extends PreferencesRepositoryContract {
    private final Infrastructure infra = TestInfrastructure.create(MutableClock.at("2026-11-24T10:00:00Z"));
    private final Table table = infra.table();
    private final DynamoDbPreferencesRepository repository = new DynamoDbPreferencesRepository(table);

    @Override
    protected PreferencesRepository repository() {
        return repository;
    }

    @Override
    protected String givenContact(TenantId t, String email) {
        Contact c = new Contact(Ids.random(Contact.ID_PREFIX, 20), new ContactData("Test", null, email, null, null, null,
                null, LifecycleStage.SUBSCRIBER, List.of(), Map.of(), null), NOW, NOW, 1, Contact.Status.ACTIVE);
        table.client().putItem(b -> b.tableName(table.name()).item(ContactItems.contact(t, c)));
        Map<String, AttributeValue> guard = new HashMap<>(Table.key(Keys.emailGuard(t, EmailAddress.hash(email)), Keys.ITEM));
        guard.put("contactId", Attr.s(c.id()));
        guard.put("tenantId", Attr.s(t.value()));
        table.client().putItem(b -> b.tableName(table.name()).item(guard));
        return c.id();
    }

    @Override
    protected void givenErasing(TenantId t, String contactId) {
        var item = new HashMap<>(table.get(Keys.contact(t, contactId), Keys.CONTACT_PROFILE));
        item.put("status", Attr.s("erasing"));
        table.client().putItem(b -> b.tableName(table.name()).item(item));
    }

    @Override
    protected void givenSuppressed(TenantId t, String addressPseudonym) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.suppression(t, addressPseudonym), Keys.ITEM));
        item.put("channels", Attr.s("all"));
        item.put("reason", Attr.s("erasure"));
        table.client().putItem(b -> b.tableName(table.name()).item(item));
    }
}
