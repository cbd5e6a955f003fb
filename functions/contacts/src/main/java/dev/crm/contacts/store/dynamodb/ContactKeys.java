package dev.crm.contacts.store.dynamodb;

import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.TenantId;

/**
 * The key formats only the contacts adapters use (docs/data-model.md, "Contact jobs"); the ones the
 * table shares with other functions are in {@link Keys}.
 */
final class ContactKeys {
    private ContactKeys() {}

    /** Sends (written by the preferences function) in the contact's partition. */
    static final String SENDS_PREFIX = "S#";
    static final String IMPORT_ROW_PREFIX = "ROW#";
    static final String REJECTIONS_PREFIX = "REJECTED#";

    /** A contact being erased leaves the list index for this partition, which nothing reads. */
    static String erasingIndex(TenantId t) {
        return Keys.tenantPrefix(t) + "ERASING";
    }

    static String importChunk(int index) {
        return String.format("CHUNK#%04d", index);
    }

    static String importRow(int row) {
        return String.format(IMPORT_ROW_PREFIX + "%06d", row);
    }

    static int rowOf(String importRowKey) {
        return Integer.parseInt(importRowKey.substring(IMPORT_ROW_PREFIX.length()));
    }

    static String rejections(int index) {
        return String.format(REJECTIONS_PREFIX + "%04d", index);
    }
}
