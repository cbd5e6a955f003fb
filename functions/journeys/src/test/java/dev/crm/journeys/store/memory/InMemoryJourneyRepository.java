package dev.crm.journeys.store.memory;

import dev.crm.journeys.domain.Enrolment;
import dev.crm.journeys.domain.Entry;
import dev.crm.journeys.domain.Journey;
import dev.crm.journeys.domain.JourneyDefinition;
import dev.crm.journeys.domain.JourneyRepository;
import dev.crm.shared.consent.ConsentRepository;
import dev.crm.shared.consent.RecordedSend;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.segment.ContactFacts;
import dev.crm.shared.segment.SegmentRule;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link JourneyRepository} in memory for the domain's unit tests: the same conditions as the DynamoDB
 * adapter (a new enrolment per id, the entry guard, the revision), each write all or nothing. A send
 * step's send goes to the consent fake's {@code recordSend}, as the adapter's transaction records it.
 */
public final class InMemoryJourneyRepository implements JourneyRepository {
    private final Map<String, Journey> journeys = new HashMap<>();
    private final Map<String, JourneyDefinition> definitions = new HashMap<>();
    private final Map<String, Enrolment> enrolments = new LinkedHashMap<>();
    private final Map<String, Instant> guards = new HashMap<>();
    private final Map<String, Map<String, Long>> counts = new HashMap<>();
    /** The events steps stored (emit, createCase), in commit order. */
    public final List<dev.crm.shared.events.Event> events = new ArrayList<>();
    private final ConsentRepository consent;
    public final Set<String> topics = new java.util.HashSet<>(Set.of("offers"));
    /** How many times a tenant's active journeys were read (the per-batch lookup's tests count them). */
    public final java.util.concurrent.atomic.AtomicInteger activeJourneyReads = new java.util.concurrent.atomic.AtomicInteger();

    public InMemoryJourneyRepository(ConsentRepository consent) {
        this.consent = consent;
    }

    private static String k(TenantId t, String... parts) {
        return t.value() + "|" + String.join("|", parts);
    }

    @Override
    public synchronized void create(TenantId t, Journey j) {
        if (journeys.putIfAbsent(k(t, j.id()), j) != null) {
            throw new StoreException.UniqueViolation("id", j.id());
        }
        definitions.put(k(t, j.id(), "" + j.definitionVersion()), j.definition());
    }

    @Override
    public synchronized Optional<Journey> find(TenantId t, String id) {
        return Optional.ofNullable(journeys.get(k(t, id)));
    }

    @Override
    public synchronized void update(TenantId t, Journey next, long expectedVersion, boolean newDefinition,
            boolean scanDates) {
        Journey cur = journeys.get(k(t, next.id()));
        if (cur == null || cur.version() != expectedVersion) {
            throw new StoreException.VersionConflict();
        }
        journeys.put(k(t, next.id()), next);
        if (newDefinition) {
            definitions.put(k(t, next.id(), "" + next.definitionVersion()), next.definition());
        }
    }

    @Override
    public synchronized Optional<JourneyDefinition> definition(TenantId t, String id, long v) {
        return Optional.ofNullable(definitions.get(k(t, id, "" + v)));
    }

    @Override
    public synchronized List<Journey> activeJourneys(TenantId t) {
        activeJourneyReads.incrementAndGet();
        return journeys.entrySet().stream().filter(e -> e.getKey().startsWith(t.value() + "|"))
                .map(Map.Entry::getValue).filter(j -> j.status() == Journey.Status.ACTIVE).toList();
    }

    @Override
    public Optional<SegmentRule> segment(TenantId t, String segmentId) {
        return Optional.empty();
    }

    @Override
    public ContactFacts facts(TenantId t, Contact c, boolean full) {
        return new ContactFacts(c, null, null, null);
    }

    @Override
    public Set<String> topicKeys(TenantId t) {
        return topics;
    }

    @Override
    public synchronized EnrolOutcome enrol(TenantId t, Enrolment e, Entry entry, Instant now) {
        String key = k(t, e.contactId(), e.journeyId(), e.id());
        if (enrolments.containsKey(key)) {
            return EnrolOutcome.DUPLICATE;
        }
        String guard = k(t, e.contactId(), e.journeyId());
        if (!entry.allows(guards.get(guard), now)) {
            return EnrolOutcome.ENTRY_REFUSED;
        }
        if (consent.findContact(t, e.contactId()) == null) {
            return EnrolOutcome.CONTACT_MISSING;
        }
        enrolments.put(key, e);
        guards.put(guard, now);
        counts.computeIfAbsent(k(t, e.journeyId()), x -> new LinkedHashMap<>()).merge("entered", 1L, Long::sum);
        return EnrolOutcome.ENROLLED;
    }

    @Override
    public synchronized Optional<Enrolment> enrolment(TenantId t, String contactId, String journeyId, String id) {
        return Optional.ofNullable(enrolments.get(k(t, contactId, journeyId, id)));
    }

    @Override
    public synchronized List<Enrolment> enrolments(TenantId t, String journeyId, String contactId) {
        return enrolments.values().stream().filter(e -> e.journeyId().equals(journeyId) && e.contactId().equals(contactId)
                && enrolments.containsKey(k(t, contactId, journeyId, e.id()))).toList();
    }

    @Override
    public synchronized List<Enrolment> activeEnrolments(TenantId t, String contactId) {
        return enrolments.entrySet().stream().filter(e -> e.getKey().startsWith(k(t, contactId) + "|"))
                .map(Map.Entry::getValue).filter(Enrolment::isActive).toList();
    }

    @Override
    public synchronized boolean advance(TenantId t, Enrolment current, Enrolment next, Effect effect) {
        String key = k(t, current.contactId(), current.journeyId(), current.id());
        Enrolment stored = enrolments.get(key);
        if (stored == null || stored.revision() != current.revision()) {
            return false;
        }
        if (effect.send() != null) {
            RecordedSend r = consent.recordSend(t, current.contactId(), effect.send(), effect.send().at());
            if (r.outcome() != RecordedSend.Outcome.CREATED) {
                return false;
            }
        }
        enrolments.put(key, next);
        events.addAll(effect.events());
        effect.counts().forEach((n, v) -> counts.computeIfAbsent(k(t, current.journeyId()), x -> new LinkedHashMap<>())
                .merge(n, v, Long::sum));
        return true;
    }

    @Override
    public synchronized List<DueRef> due(Instant now, int limit) {
        List<DueRef> out = new ArrayList<>();
        for (var e : enrolments.entrySet()) {
            Enrolment v = e.getValue();
            if (v.dueAt() != null && !v.dueAt().isAfter(now) && out.size() < limit) {
                out.add(new DueRef(new TenantId(e.getKey().substring(0, e.getKey().indexOf('|'))), v.contactId(),
                        v.journeyId(), v.id()));
            }
        }
        return out;
    }

    @Override
    public synchronized Map<String, Long> counts(TenantId t, String journeyId) {
        return new LinkedHashMap<>(counts.getOrDefault(k(t, journeyId), Map.of()));
    }

    /** Newest first, one page; the cursor is the index of the next journey (no paging in the domain's tests). */
    @Override
    public synchronized dev.crm.shared.store.Slice<Journey> list(TenantId t, Journey.Status status, int limit,
            dev.crm.shared.store.Cursor from) {
        List<Journey> mine = journeys.entrySet().stream().filter(e -> e.getKey().startsWith(t.value() + "|"))
                .map(Map.Entry::getValue).filter(j -> status == null || j.status() == status)
                .sorted(java.util.Comparator.comparing(Journey::createdAt).reversed()).toList();
        int start = from == null ? 0 : Integer.parseInt(from.value());
        int end = Math.min(mine.size(), start + limit);
        return new dev.crm.shared.store.Slice<>(mine.subList(start, end),
                end < mine.size() ? new dev.crm.shared.store.Cursor(String.valueOf(end)) : null);
    }
}
