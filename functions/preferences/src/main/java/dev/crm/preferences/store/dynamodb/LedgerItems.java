package dev.crm.preferences.store.dynamodb;

import dev.crm.preferences.domain.Channel;
import dev.crm.preferences.domain.ConsentStatus;
import dev.crm.preferences.domain.LedgerEntry;
import dev.crm.preferences.domain.LegalBasis;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Hand-written mapping of consent-ledger entries and of their timeline entries. */
final class LedgerItems {
    static final String TIMELINE_KIND = "consent_change";

    private LedgerItems() {}

    /**
     * A ledger entry. {@code stateVersion} (the preferences version the write produced) and
     * {@code position} (its place within that write) record the append order, which a replay needs.
     */
    static Map<String, AttributeValue> ledger(TenantId t, LedgerEntry e, long stateVersion, int position) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, e.contactId()),
                Keys.ledgerEntry(e.at(), e.entryId())));
        item.put(Table.ENTITY, Attr.s("CONSENT_LEDGER"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("contactId", Attr.s(e.contactId()));
        item.put("entryId", Attr.s(e.entryId()));
        item.put("at", Attr.instant(e.at()));
        item.put("actor", Attr.s(e.actor()));
        item.put("channel", Attr.s(e.channel().wire()));
        put(item, "topic", e.topic());
        put(item, "oldStatus", e.oldStatus() == null ? null : e.oldStatus().wire());
        put(item, "newStatus", e.newStatus() == null ? null : e.newStatus().wire());
        put(item, "legalBasis", e.legalBasis() == null ? null : e.legalBasis().wire());
        item.put("source", Attr.s(e.source()));
        put(item, "wordingVersion", e.wordingVersion());
        put(item, "ip", e.ip());
        put(item, "userAgent", e.userAgent());
        item.put("stateVersion", Attr.n(stateVersion));
        item.put("position", Attr.n(position));
        return item;
    }

    /** The consent change on the contact's timeline, beside interactions and survey responses. */
    static Map<String, AttributeValue> timeline(TenantId t, LedgerEntry e, Instant recordedAt) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, e.contactId()),
                Keys.timeline(e.at(), TIMELINE_KIND, e.entryId())));
        item.put(Table.ENTITY, Attr.s("TIMELINE"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("kind", Attr.s(TIMELINE_KIND));
        item.put("entryId", Attr.s(e.entryId()));
        item.put("occurredAt", Attr.instant(e.at()));
        item.put("recordedAt", Attr.instant(recordedAt));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("channel", e.channel().wire());
        data.put("topic", e.topic());
        data.put("oldStatus", e.oldStatus() == null ? null : e.oldStatus().wire());
        data.put("newStatus", e.newStatus() == null ? null : e.newStatus().wire());
        data.put("source", e.source());
        data.put("legalBasis", e.legalBasis() == null ? null : e.legalBasis().wire());
        item.put("data", Attr.of(data));
        return item;
    }

    static LedgerEntry entry(Map<String, AttributeValue> item) {
        String legalBasis = Attr.str(item, "legalBasis");
        return new LedgerEntry(Attr.str(item, "entryId"), Attr.str(item, "contactId"), Attr.instant(item, "at"),
                Attr.str(item, "actor"), Channel.fromWire(Attr.str(item, "channel")), Attr.str(item, "topic"),
                status(Attr.str(item, "oldStatus")), status(Attr.str(item, "newStatus")),
                legalBasis == null ? null : LegalBasis.fromWire(legalBasis), Attr.str(item, "source"),
                Attr.str(item, "wordingVersion"), Attr.str(item, "ip"), Attr.str(item, "userAgent"));
    }

    private static ConsentStatus status(String wire) {
        return wire == null ? null : ConsentStatus.fromWire(wire);
    }

    private static void put(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, Attr.s(value));
        }
    }
}
