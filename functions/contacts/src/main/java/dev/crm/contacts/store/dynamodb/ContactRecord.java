package dev.crm.contacts.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * The contact profile item (docs/data-model.md, "Contacts": {@code A#PROFILE} in the contact's
 * partition, on GSI1 by last update and on GSI2 by lifecycle stage), mapped by a static schema.
 * Attribute for attribute what {@link ContactItems} writes, which the other functions read.
 */
final class ContactRecord {
    static final TableSchema<ContactRecord> SCHEMA = StaticTableSchema.builder(ContactRecord.class)
            .newItemSupplier(ContactRecord::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(r -> r.pk).setter((r, v) -> r.pk = v)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(r -> r.sk).setter((r, v) -> r.sk = v)
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(r -> r.entity).setter((r, v) -> r.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(r -> r.tenantId).setter((r, v) -> r.tenantId = v))
            .addAttribute(String.class, a -> a.name("contactId").getter(r -> r.contactId).setter((r, v) -> r.contactId = v))
            .addAttribute(String.class, a -> a.name("status").getter(r -> r.status).setter((r, v) -> r.status = v))
            .addAttribute(String.class, a -> a.name("firstName").getter(r -> r.firstName).setter((r, v) -> r.firstName = v))
            .addAttribute(String.class, a -> a.name("lastName").getter(r -> r.lastName).setter((r, v) -> r.lastName = v))
            .addAttribute(String.class, a -> a.name("email").getter(r -> r.email).setter((r, v) -> r.email = v))
            .addAttribute(String.class, a -> a.name("phone").getter(r -> r.phone).setter((r, v) -> r.phone = v))
            .addAttribute(String.class, a -> a.name("company").getter(r -> r.company).setter((r, v) -> r.company = v))
            .addAttribute(String.class, a -> a.name("locale").getter(r -> r.locale).setter((r, v) -> r.locale = v))
            .addAttribute(String.class, a -> a.name("timeZone").getter(r -> r.timeZone).setter((r, v) -> r.timeZone = v))
            .addAttribute(String.class, a -> a.name("lifecycleStage").getter(r -> r.lifecycleStage)
                    .setter((r, v) -> r.lifecycleStage = v))
            .addAttribute(String.class, a -> a.name(Table.GSI2PK).getter(r -> r.gsi2pk).setter((r, v) -> r.gsi2pk = v))
            .addAttribute(String.class, a -> a.name(Table.GSI2SK).getter(r -> r.gsi2sk).setter((r, v) -> r.gsi2sk = v))
            // a list of strings (L), as the table has always held tags
            .addAttribute(EnhancedType.listOf(String.class), a -> a.name("tags").getter(r -> r.tags).setter((r, v) -> r.tags = v))
            .addAttribute(EnhancedType.mapOf(String.class, Object.class), a -> a.name("attributes")
                    .getter(r -> r.attributes).setter((r, v) -> r.attributes = v).attributeConverter(Converters.DOCUMENT))
            .addAttribute(String.class, a -> a.name("externalId").getter(r -> r.externalId).setter((r, v) -> r.externalId = v))
            .addAttribute(String.class, a -> a.name("externalIdHash").getter(r -> r.externalIdHash)
                    .setter((r, v) -> r.externalIdHash = v))
            .addAttribute(Instant.class, a -> a.name("createdAt").getter(r -> r.createdAt).setter((r, v) -> r.createdAt = v)
                    .attributeConverter(Converters.INSTANT))
            .addAttribute(Instant.class, a -> a.name("updatedAt").getter(r -> r.updatedAt).setter((r, v) -> r.updatedAt = v)
                    .attributeConverter(Converters.INSTANT))
            .addAttribute(Long.class, a -> a.name("version").getter(r -> r.version).setter((r, v) -> r.version = v))
            .addAttribute(String.class, a -> a.name(Table.GSI1PK).getter(r -> r.gsi1pk).setter((r, v) -> r.gsi1pk = v))
            .addAttribute(String.class, a -> a.name(Table.GSI1SK).getter(r -> r.gsi1sk).setter((r, v) -> r.gsi1sk = v))
            .build();

    private String pk;
    private String sk;
    private String entity;
    private String tenantId;
    private String contactId;
    private String status;
    private String firstName;
    private String lastName;
    private String email;
    private String phone;
    private String company;
    private String locale;
    private String timeZone;
    private String lifecycleStage;
    private String gsi2pk;
    private String gsi2sk;
    private List<String> tags;
    private Map<String, Object> attributes;
    private String externalId;
    private String externalIdHash;
    private Instant createdAt;
    private Instant updatedAt;
    private Long version;
    private String gsi1pk;
    private String gsi1sk;

    static ContactRecord of(TenantId t, Contact c) {
        ContactData d = c.data();
        ContactRecord r = new ContactRecord();
        r.pk = Keys.contact(t, c.id());
        r.sk = Keys.CONTACT_PROFILE;
        r.entity = "CONTACT";
        r.tenantId = t.value();
        r.contactId = c.id();
        r.status = c.status().name().toLowerCase(Locale.ROOT);
        r.firstName = d.firstName();
        r.lastName = d.lastName();
        r.email = d.email();
        r.phone = d.phone();
        r.company = d.company();
        r.locale = d.locale();
        r.timeZone = d.timeZone();
        if (d.lifecycleStage() != null) {
            r.lifecycleStage = d.lifecycleStage().wire();
            r.gsi2pk = Keys.stageIndex(t, d.lifecycleStage().wire());
            r.gsi2sk = ContactItems.indexSort(c);
        }
        r.tags = List.copyOf(d.tags());
        r.attributes = d.attributes();
        if (d.externalId() != null) {
            r.externalId = d.externalId();
            r.externalIdHash = ContactItems.externalIdHash(d.externalId());
        }
        r.createdAt = c.createdAt();
        r.updatedAt = c.updatedAt();
        r.version = c.version();
        r.gsi1pk = Keys.contactsIndex(t);
        r.gsi1sk = ContactItems.indexSort(c);
        return r;
    }

    Contact toContact() {
        ContactData d = new ContactData(firstName, lastName, email, phone, company, locale, timeZone,
                lifecycleStage == null ? null : JsonObject.enumValue(LifecycleStage.class, lifecycleStage),
                tags == null ? List.of() : tags, attributes == null ? new java.util.LinkedHashMap<>() : attributes, externalId);
        return new Contact(contactId, d, createdAt, updatedAt, version == null ? 1 : version,
                Contact.Status.valueOf(status.toUpperCase(Locale.ROOT)));
    }

    /** A stored profile item, as read by a low-level query (the list indexes, the 360° view). */
    static Contact read(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        return SCHEMA.mapToItem(item).toContact();
    }
}
