package dev.crm.devkit.memory;

import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventRepository;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@link EventRepository} in memory; {@link #erase} stands for a contact's erasure. */
public final class InMemoryEventRepository implements EventRepository {
    private final Map<String, Event> events = new LinkedHashMap<>();
    private final Set<String> inactiveContacts = ConcurrentHashMap.newKeySet();

    private static String key(TenantId t, String id) {
        return t.value() + "|" + id;
    }

    private static String contactKey(TenantId t, String contactId) {
        return t.value() + "|" + contactId;
    }

    /** The contact is erased (or being erased): its stored events go, and new ones are withheld. */
    public synchronized void erase(TenantId tenant, String contactId) {
        inactiveContacts.add(contactKey(tenant, contactId));
        events.values().removeIf(e -> e.tenant().equals(tenant) && contactId.equals(e.personalDataOf()));
    }

    @Override
    public synchronized Outcome record(Event event) {
        if (event.personalDataOf() != null && inactiveContacts.contains(contactKey(event.tenant(), event.personalDataOf()))) {
            return Outcome.WITHHELD;
        }
        events.putIfAbsent(key(event.tenant(), event.id()), event);
        return Outcome.RECORDED;
    }

    @Override
    public synchronized Optional<String> envelope(TenantId tenant, String eventId, String personalDataOf) {
        Event e = events.get(key(tenant, eventId));
        return e == null ? Optional.empty() : Optional.of(e.envelopeJson());
    }

    /** Every stored event, in the order first recorded. */
    public synchronized List<Event> all() {
        return new ArrayList<>(events.values());
    }
}
