package dev.crm.shared.consent.store.dynamodb;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ConsentRepository;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.consent.RecordedSend;
import dev.crm.shared.consent.Send;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactDirectory;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** {@link ConsentRepository} on the single table: contacts through {@link ContactDirectory}, the rest {@link ConsentTable}. */
public final class DynamoDbConsentRepository implements ConsentRepository {
    private final Table table;
    private final ContactDirectory contacts;
    private final ConsentTable consent;

    public DynamoDbConsentRepository(Table table, Function<TenantId, TenantSecrets> secrets) {
        this.table = table;
        this.contacts = new ContactDirectory(table, secrets);
        this.consent = new ConsentTable(table);
    }

    @Override
    public Contact findContact(TenantId t, String contactId) {
        Contact c = contacts.find(t, contactId);
        return c == null || c.status() != Contact.Status.ACTIVE ? null : c;
    }

    @Override
    public boolean isSuppressed(TenantId t, String addressPseudonym) {
        return table.get(Keys.suppression(t, addressPseudonym), Keys.ITEM) != null;
    }

    @Override
    public Preferences find(TenantId t, String contactId) {
        return consent.preferences(t, contactId);
    }

    @Override
    public List<Instant> sends(TenantId t, String contactId, Channel channel, Instant from) {
        return consent.sends(t, contactId, channel, from);
    }

    @Override
    public RecordedSend recordSend(TenantId t, String contactId, Send send, Instant now) {
        return consent.recordSend(t, contactId, send, now);
    }
}
