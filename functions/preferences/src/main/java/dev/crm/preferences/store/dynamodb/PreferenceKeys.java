package dev.crm.preferences.store.dynamodb;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.jobs.store.dynamodb.ImportLines;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;

/**
 * The key formats this function adds to those in {@link Keys} (which holds the ones other functions
 * read: the preferences item, ledger and timeline entries). docs/data-model.md describes each.
 */
final class PreferenceKeys {
    /** Marks a single-use token (a double opt-in confirmation) as used, until it expires anyway. */
    static String tokenUse(String nonce) {
        return "TU#" + nonce;
    }

    /** The tenant's topics: one item per topic key, and the counter at {@link Keys#ITEM}. */
    static String topics(TenantId t) {
        return t.value() + "#TOPICS";
    }

    /** A rate counter of one subject (a hashed address or client IP); the sort key is its window. */
    static String rateCounter(TenantId t, String limitName, String subjectHash) {
        return t.value() + "#RATE#" + limitName + "#" + subjectHash;
    }

    /** A consent import's staged lines (CNCHUNK#0000) and line outcomes (CNLINE#000001), under its job. */
    static final ImportLines.Layout IMPORT_LINES = new ImportLines.Layout("CONSENT", "CNCHUNK#", "CNLINE#");
}
