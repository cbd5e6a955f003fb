package dev.crm.contacts.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/** A uniqueness guard of an email address or external id: which contact holds the value. */
final class GuardItem {
    static final TableSchema<GuardItem> SCHEMA = StaticTableSchema.builder(GuardItem.class)
            .newItemSupplier(GuardItem::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(r -> r.pk).setter((r, v) -> r.pk = v)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(r -> r.sk).setter((r, v) -> r.sk = v)
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(r -> r.entity).setter((r, v) -> r.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(r -> r.tenantId).setter((r, v) -> r.tenantId = v))
            .addAttribute(String.class, a -> a.name("contactId").getter(r -> r.contactId).setter((r, v) -> r.contactId = v))
            .build();

    private String pk;
    private String sk;
    private String entity;
    private String tenantId;
    private String contactId;

    static GuardItem of(String pk, TenantId t, String contactId, String entity) {
        GuardItem g = new GuardItem();
        g.pk = pk;
        g.sk = Keys.ITEM;
        g.entity = entity;
        g.tenantId = t.value();
        g.contactId = contactId;
        return g;
    }

    String contactId() {
        return contactId;
    }
}
