package dev.crm.journeys.domain;

import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Defining journeys: create, change (a running journey's steps change for new enrolments only), status moves, figures. */
public final class Journeys {
    private final JourneyRepository repository;
    private final Clock clock;

    public Journeys(JourneyRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public Set<String> topics(TenantId t) {
        return repository.topicKeys(t);
    }

    /** @throws StoreException.UniqueViolation the id is taken */
    public Journey create(TenantId t, String id, String name, JourneyDefinition definition) {
        Instant now = clock.instant();
        Journey j = new Journey(id, name, Journey.Status.DRAFT, 1, 1, definition, now, now);
        repository.create(t, j);
        return j;
    }

    /** One page of the tenant's journeys, newest first; {@code status} null for every status. */
    public dev.crm.shared.store.Slice<Journey> list(TenantId t, Journey.Status status, int limit,
            dev.crm.shared.store.Cursor from) {
        return repository.list(t, status, limit, from);
    }

    public Optional<Journey> find(TenantId t, String id) {
        return repository.find(t, id);
    }

    /**
     * @param name       null to keep
     * @param definition null to keep; else a new definition version (running enrolments keep theirs)
     * @throws StoreException.VersionConflict the journey changed since {@code expectedVersion}
     */
    public Journey change(TenantId t, Journey current, long expectedVersion, String name, JourneyDefinition definition) {
        if (current.status() == Journey.Status.ARCHIVED) {
            throw new IllegalStateException("an archived journey does not change");
        }
        Instant now = clock.instant();
        Journey next = new Journey(current.id(), name == null ? current.name() : name, current.status(),
                current.version() + 1, current.definitionVersion() + (definition == null ? 0 : 1),
                definition == null ? current.definition() : definition, current.createdAt(), now);
        boolean scanDates = next.status() == Journey.Status.ACTIVE && definition != null
                && definition.trigger() instanceof Trigger.DateTrigger && !definition.trigger().equals(current.definition().trigger());
        repository.update(t, next, expectedVersion, definition != null, scanDates);
        return next;
    }

    /** The status moves: draft → active ⇄ paused; anything but archived → archived. */
    public static boolean canMove(Journey.Status from, Journey.Status to) {
        return switch (to) {
            case ACTIVE -> from == Journey.Status.DRAFT || from == Journey.Status.PAUSED || from == Journey.Status.ACTIVE;
            case PAUSED -> from == Journey.Status.ACTIVE || from == Journey.Status.PAUSED;
            case ARCHIVED -> true;
            case DRAFT -> false;
        };
    }

    /**
     * @return the journey after the move (unchanged when already there)
     * @throws IllegalStateException the move is not allowed
     * @throws StoreException.VersionConflict a concurrent change
     */
    public Journey move(TenantId t, Journey current, Journey.Status to) {
        if (!canMove(current.status(), to)) {
            throw new IllegalStateException("a " + current.status().wire() + " journey cannot become " + to.wire());
        }
        if (current.status() == to) {
            return current;
        }
        Journey next = current.with(to, clock.instant());
        // Activation schedules a date journey's occurrences: a scan of the tenant's contacts, from now.
        repository.update(t, next, current.version(), false,
                to == Journey.Status.ACTIVE && next.definition().trigger() instanceof Trigger.DateTrigger);
        return next;
    }

    /** The journey's figures: entered, active, completed, exited and blocked by reason, sent, goal reached. */
    public Map<String, Object> stats(TenantId t, String journeyId) {
        Map<String, Long> c = repository.counts(t, journeyId);
        long entered = c.getOrDefault("entered", 0L);
        long completed = c.getOrDefault("completed", 0L);
        Map<String, Long> exited = new LinkedHashMap<>();
        Map<String, Long> blocked = new LinkedHashMap<>();
        long exitedTotal = 0;
        for (var e : c.entrySet()) {
            if (e.getKey().startsWith("exited:")) {
                exited.put(e.getKey().substring(7), e.getValue());
                exitedTotal += e.getValue();
            } else if (e.getKey().startsWith("blocked:")) {
                blocked.put(e.getKey().substring(8), e.getValue());
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entered", entered);
        m.put("active", Math.max(0, entered - completed - exitedTotal));
        m.put("completed", completed);
        m.put("exited", exited);
        m.put("sent", c.getOrDefault("sent", 0L));
        m.put("blocked", blocked);
        // The goal of a journey is what its exitOn names (a purchase ends a win-back): reaching it exits.
        m.put("goalReached", exited.getOrDefault(JourneyRunner.EXIT_ON_EVENT, 0L));
        return m;
    }

    public List<Enrolment> enrolments(TenantId t, String journeyId, String contactId) {
        return repository.enrolments(t, journeyId, contactId);
    }
}
