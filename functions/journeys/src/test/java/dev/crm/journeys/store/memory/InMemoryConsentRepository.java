package dev.crm.journeys.store.memory;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ConsentRepository;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.consent.RecordedSend;
import dev.crm.shared.consent.Send;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The shared consent port in memory: contacts, their preferences and recorded sends (once per id). */
public final class InMemoryConsentRepository implements ConsentRepository {
    public final Map<String, Contact> contacts = new HashMap<>();
    public final Map<String, Preferences> preferences = new HashMap<>();
    private final Map<String, Send> sends = new HashMap<>();

    @Override
    public synchronized Contact findContact(TenantId t, String contactId) {
        return contacts.get(contactId);
    }

    @Override
    public boolean isSuppressed(TenantId t, String addressPseudonym) {
        return false;
    }

    @Override
    public synchronized Preferences find(TenantId t, String contactId) {
        return preferences.getOrDefault(contactId, Preferences.empty());
    }

    @Override
    public synchronized List<Instant> sends(TenantId t, String contactId, Channel channel, Instant from) {
        List<Instant> out = new ArrayList<>();
        sends.forEach((k, s) -> {
            if (k.startsWith(contactId + "|") && s.channel() == channel && !s.at().isBefore(from)) {
                out.add(s.at());
            }
        });
        out.sort(null);
        return out;
    }

    @Override
    public synchronized RecordedSend recordSend(TenantId t, String contactId, Send send, Instant now) {
        Send old = sends.putIfAbsent(contactId + "|" + send.id(), send);
        return old == null ? RecordedSend.created(send) : RecordedSend.replayed(old);
    }
}
