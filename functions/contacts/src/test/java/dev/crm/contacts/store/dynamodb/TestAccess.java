package dev.crm.contacts.store.dynamodb;

import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;

/** Reads stored items the way the adapter maps them, for assertions. */
public final class TestAccess {
    private TestAccess() {}

    public static PurchaseSummary summary(Table table, TenantId t, String contactId) {
        return ContactItems.summary(table.get(Keys.contact(t, contactId), Keys.PURCHASE_SUMMARY), "EUR");
    }
}
