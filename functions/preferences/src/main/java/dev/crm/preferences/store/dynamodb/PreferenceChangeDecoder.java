package dev.crm.preferences.store.dynamodb;

import dev.crm.shared.consent.Preferences;
import dev.crm.preferences.domain.LedgerEntry;
import dev.crm.shared.events.ChangeDecoder;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the preferences function's items mean as events (docs/events.md, "Preferences"): each new
 * consent ledger entry is one {@code consent.changed}. The ledger is append-only, so only an INSERT
 * counts, and not an entry a consent import wrote; the pseudonymous copy an erasure makes of an erased contact's ledger (same entity, outside
 * the contact's partition, without {@code contactId}) announces nothing.
 */
public final class PreferenceChangeDecoder implements ChangeDecoder {
    @Override
    public List<Event> events(TableChange change) {
        if (!change.isInsert() || !LedgerItem.ENTITY.equals(change.newS(Table.ENTITY))) {
            return List.of();
        }
        if (change.newS(DynamoDbConsentImportRepository.IMPORT_JOB) != null) {
            return List.of(); // a consent import's history is the past, not news
        }
        String tenant = change.newS("tenantId");
        String contactId = change.newS("contactId");
        if (tenant == null || contactId == null
                || !Keys.contact(new TenantId(tenant), contactId).equals(change.newS(Table.PK))) {
            return List.of();
        }
        LedgerEntry entry = LedgerItem.SCHEMA.mapToItem(change.newImage()).entry();
        Map<String, Object> data = entry.toJson();
        // what the consent history shows, but not where a public form was sent from: events leave the product
        data.remove("ip");
        data.remove("userAgent");
        String type = EventTypes.CONSENT_CHANGED;
        Instant at = entry.at() != null ? entry.at() : change.approximateAt();
        return List.of(new Event(EventIds.derive(at, change.changeId(), type), type, EventTypes.sourceOf(type), at,
                new TenantId(tenant), contactId, data));
    }
}
