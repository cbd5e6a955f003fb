package dev.crm.shared.contact;

import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Hand-written mapping of contact items (docs/data-model.md, "Contacts"). */
public final class ContactItems {
    private ContactItems() {}

    public static String externalIdHash(String externalId) {
        return Hashes.sha256Hex("ext|" + externalId);
    }

    public static Map<String, AttributeValue> contact(TenantId t, Contact c) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, c.id()), Keys.CONTACT_PROFILE));
        ContactData d = c.data();
        item.put(Table.ENTITY, Attr.s("CONTACT"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("contactId", Attr.s(c.id()));
        item.put("status", Attr.s(c.status().name().toLowerCase(java.util.Locale.ROOT)));
        put(item, "firstName", d.firstName());
        put(item, "lastName", d.lastName());
        put(item, "email", d.email());
        put(item, "phone", d.phone());
        put(item, "company", d.company());
        put(item, "locale", d.locale());
        put(item, "timeZone", d.timeZone());
        if (d.lifecycleStage() != null) {
            item.put("lifecycleStage", Attr.s(d.lifecycleStage().wire()));
            item.put(Table.GSI2PK, Attr.s(Keys.stageIndex(t, d.lifecycleStage().wire())));
            item.put(Table.GSI2SK, Attr.s(indexSort(c)));
        }
        item.put("tags", Attr.ss(d.tags()));
        item.put("attributes", Attr.of(d.attributes()));
        if (d.externalId() != null) {
            item.put("externalId", Attr.s(d.externalId()));
            item.put("externalIdHash", Attr.s(externalIdHash(d.externalId())));
        }
        item.put("createdAt", Attr.instant(c.createdAt()));
        item.put("updatedAt", Attr.instant(c.updatedAt()));
        item.put("version", Attr.n(c.version()));
        item.put(Table.GSI1PK, Attr.s(Keys.contactsIndex(t)));
        item.put(Table.GSI1SK, Attr.s(indexSort(c)));
        return item;
    }

    /** Index sort key: last update, then id, so lists page stably. */
    public static String indexSort(Contact c) {
        return Keys.sortableInstant(c.updatedAt()) + "#" + c.id();
    }

    private static void put(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, Attr.s(value));
        }
    }

    public static Contact contact(Map<String, AttributeValue> item) {
        String stage = Attr.str(item, "lifecycleStage");
        ContactData d = new ContactData(Attr.str(item, "firstName"), Attr.str(item, "lastName"), Attr.str(item, "email"),
                Attr.str(item, "phone"), Attr.str(item, "company"), Attr.str(item, "locale"), Attr.str(item, "timeZone"),
                stage == null ? null : JsonObject.enumValue(LifecycleStage.class, stage), Attr.strings(item, "tags"),
                Attr.map(item, "attributes"), Attr.str(item, "externalId"));
        return new Contact(Attr.str(item, "contactId"), d, Attr.instant(item, "createdAt"), Attr.instant(item, "updatedAt"),
                Attr.num(item, "version", 1), Contact.Status.valueOf(Attr.str(item, "status").toUpperCase(java.util.Locale.ROOT)));
    }

    public static PurchaseSummary summary(Map<String, AttributeValue> item, String defaultCurrency) {
        if (item == null || Attr.numOrNull(item, "purchaseVersion") == null) {
            return PurchaseSummary.empty(item != null && Attr.str(item, "currency") != null ? Attr.str(item, "currency")
                    : defaultCurrency);
        }
        String first = Attr.str(item, "firstPurchaseDay");
        String last = Attr.str(item, "lastPurchaseDay");
        return new PurchaseSummary(Attr.str(item, "currency"), first == null ? null : LocalDate.parse(first),
                dec(item, "firstDaySpend"), last == null ? null : LocalDate.parse(last), Attr.num(item, "repeatPurchaseDays", 0),
                dec(item, "repeatSpend"), dec(item, "totalSpend"), Attr.num(item, "purchases", 0),
                Attr.num(item, "purchaseVersion", 0));
    }

    private static BigDecimal dec(Map<String, AttributeValue> item, String name) {
        BigDecimal d = Attr.decimal(item, name);
        return d == null ? BigDecimal.ZERO : d;
    }

    /** The summary's shard in the churn job's index: stable per contact. */
    public static int summaryShard(String contactId) {
        return Keys.contactShard(contactId);
    }
}
