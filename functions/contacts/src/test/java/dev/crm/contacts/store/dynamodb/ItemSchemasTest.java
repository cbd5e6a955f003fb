package dev.crm.contacts.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The static schemas write what the hand-written mapping wrote, attribute for attribute: the other
 * functions (and items stored before) read contacts with {@link ContactItems}.
 */
class ItemSchemasTest {
    private final TenantId tenant = new TenantId(Ids.random("t_", 20));

    private static Contact contact(ContactData d, Contact.Status status) {
        return new Contact(Ids.random(Contact.ID_PREFIX, 20), d, Instant.parse("2026-11-24T10:00:00.123Z"),
                Instant.parse("2026-11-25T08:30:00Z"), 7, status);
    }

    @Test
    void aFullContactIsTheSameItemAsTheHandWrittenMappingWrites() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("tier", "gold");
        attributes.put("seats", 12L);
        attributes.put("ratio", new BigDecimal("0.25"));
        attributes.put("nested", Map.of("on", true));
        attributes.put("none", null);
        Contact c = contact(new ContactData("Ada", "Lovelace", "Ada@Example.com", "+4930123", "Engines", "en", "Europe/Berlin",
                LifecycleStage.CUSTOMER, List.of("vip", "beta"), attributes, "ext-1"), Contact.Status.ACTIVE);
        assertEquals(ContactItems.contact(tenant, c), ContactRecord.SCHEMA.itemToMap(ContactRecord.of(tenant, c), true));
        assertEquals(c, ContactRecord.read(ContactItems.contact(tenant, c)));
        assertEquals(ContactItems.contact(ContactItems.contact(tenant, c)), ContactRecord.read(ContactItems.contact(tenant, c)));
    }

    @Test
    void aBareContactLeavesOutWhatItDoesNotHave() {
        Contact c = contact(new ContactData(null, null, null, null, null, null, null, null, List.of(), Map.of(), null),
                Contact.Status.ANONYMIZED);
        assertEquals(ContactItems.contact(tenant, c), ContactRecord.SCHEMA.itemToMap(ContactRecord.of(tenant, c), true));
        assertEquals(c, ContactRecord.read(ContactItems.contact(tenant, c)));
    }

    @Test
    void whatSurvivesAnErasureIsStoredAsBefore() {
        Instant at = Instant.parse("2026-11-24T10:00:00.5Z");
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> suppression = new java.util.HashMap<>(
                dev.crm.shared.store.dynamodb.Table.key(dev.crm.shared.store.dynamodb.Keys.suppression(tenant, "p1"),
                        dev.crm.shared.store.dynamodb.Keys.ITEM));
        suppression.put("entity", dev.crm.shared.store.dynamodb.Attr.s("SUPPRESSION"));
        suppression.put("tenantId", dev.crm.shared.store.dynamodb.Attr.s(tenant.value()));
        suppression.put("channels", dev.crm.shared.store.dynamodb.Attr.s("all"));
        suppression.put("reason", dev.crm.shared.store.dynamodb.Attr.s("erasure"));
        suppression.put("suppressedAt", dev.crm.shared.store.dynamodb.Attr.instant(at));
        assertEquals(suppression, ErasureItems.Suppression.SCHEMA.itemToMap(ErasureItems.Suppression.of(tenant, "p1", "erasure", at), true));
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> record = new java.util.HashMap<>(
                dev.crm.shared.store.dynamodb.Table.key(dev.crm.shared.store.dynamodb.Keys.erasureRecord(tenant), "era_1"));
        record.put("entity", dev.crm.shared.store.dynamodb.Attr.s("ERASURE_RECORD"));
        record.put("tenantId", dev.crm.shared.store.dynamodb.Attr.s(tenant.value()));
        record.put("pseudonym", dev.crm.shared.store.dynamodb.Attr.s("p1"));
        record.put("kind", dev.crm.shared.store.dynamodb.Attr.s("erasure"));
        record.put("at", dev.crm.shared.store.dynamodb.Attr.instant(at));
        assertEquals(record, ErasureItems.Record.SCHEMA.itemToMap(ErasureItems.Record.of(tenant, "era_1", "p1", "erasure", at), true));
    }
}
