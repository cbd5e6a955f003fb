package dev.crm.shared.events.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.crm.devkit.LocalDynamoDb;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.EventRepository;
import dev.crm.shared.events.EventRepositoryContract;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

class DynamoDbEventRepositoryIT extends EventRepositoryContract {
    private final Table table = new Table(LocalDynamoDb.shared().client(), LocalDynamoDb.TABLE);

    @Override
    protected EventRepository repository() {
        return new DynamoDbEventRepository(table, Clock.fixed(at, ZoneOffset.UTC));
    }

    @Override
    protected String activeContact(TenantId tenant) {
        String id = Ids.random("c_", 20);
        Map<String, AttributeValue> profile = new HashMap<>(Table.key(Keys.contact(tenant, id), Keys.CONTACT_PROFILE));
        profile.put("status", Attr.s("active"));
        table.client().putItem(b -> b.tableName(table.name()).item(profile));
        return id;
    }

    /** As ContactErasure does: the profile marked erasing, then every item of the partition deleted. */
    @Override
    protected void erase(TenantId tenant, String contactId) {
        String pk = Keys.contact(tenant, contactId);
        table.client().updateItem(b -> b.tableName(table.name()).key(Table.key(pk, Keys.CONTACT_PROFILE))
                .updateExpression("SET #s = :e").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":e", Attr.s("erasing"))));
        for (var item : table.client().query(QueryRequest.builder().tableName(table.name())
                .keyConditionExpression("PK = :pk").expressionAttributeValues(Map.of(":pk", Attr.s(pk))).build()).items()) {
            if (!Keys.CONTACT_PROFILE.equals(item.get(Table.SK).s())) {
                table.client().deleteItem(b -> b.tableName(table.name()).key(Table.key(pk, item.get(Table.SK).s())));
            }
        }
    }

    @Test
    void theItemIsStoredAsTheDataModelDescribesIt() {
        TenantId t = TenantId.generate();
        String c = activeContact(t);
        Event personal = new Event(EventIds.derive(at, "x"), EventTypes.CONTACT_CREATED, "crm.contacts", at, t, c,
                Map.of("id", c));
        repository().record(personal);
        var item = table.get(Keys.contact(t, c), "EV#" + personal.id());
        assertEquals("EVENT", item.get(Table.ENTITY).s());
        assertEquals(EventTypes.CONTACT_CREATED, item.get("eventType").s());
        assertEquals(c, item.get("contactId").s());
        assertEquals(Long.toString(at.plus(DynamoDbEventRepository.RETENTION).getEpochSecond()), item.get(Table.TTL).n());

        Event plain = new Event(EventIds.derive(at, "y"), EventTypes.IMPORT_COMPLETED, "crm.contacts", at, t, null,
                Map.of("id", "imp_1"));
        repository().record(plain);
        var other = table.get(t.value() + "#EV#" + plain.id(), Keys.ITEM);
        assertEquals(plain.id(), other.get("eventId").s());
        assertNull(other.get("contactId"));
    }
}
