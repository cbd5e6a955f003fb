package dev.crm.journeys.domain;

import dev.crm.shared.consent.ConsentRepository;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Date triggers ({@code {"date": "attributes.birthday", "offsetDays": -3, "at": "10:00"}}): each contact of
 * an active date journey has one item due at its next occurrence; the sweep enrols when it is due and,
 * in the same transaction, moves the item to the following year. Activation (or a changed date trigger)
 * starts a scan of the tenant's contacts that writes the items; a contact's {@code contact.created} /
 * {@code contact.updated} creates, moves or removes its own. The occurrence's local date is the
 * enrolment's trigger id ({@code date:2027-03-09}), so an occurrence enrols a contact once however
 * often it is swept (docs/architecture.md, "Journeys").
 */
public final class DateEntries {
    /** Contacts one page of a scan reads (the list index's items are whole contacts, ~1 KB each). */
    static final int CONTACTS_PER_PAGE = 250;
    /** Contacts one sweep scans at most over every scan under way, so steps and occurrences stay on time. */
    static final int CONTACTS_PER_RUN = 5_000;
    private static final int ATTEMPTS = 3;

    private final JourneyRepository journeys;
    private final JourneyDates dates;
    private final ConsentRepository consent;
    private final JourneyRunner runner;
    private final Function<TenantId, Tenant> tenants;
    private final Clock clock;

    public DateEntries(JourneyRepository journeys, JourneyDates dates, ConsentRepository consent, JourneyRunner runner,
            Function<TenantId, Tenant> tenants, Clock clock) {
        this.journeys = journeys;
        this.dates = dates;
        this.consent = consent;
        this.runner = runner;
        this.tenants = tenants;
        this.clock = clock;
    }

    /**
     * @param occurrences due items handled, {@code enrolled} of which enrolled; {@code scanned} contacts read by
     *                    scans; {@code steps} and {@code sent}: what the new enrolments' first steps ran and sent
     */
    public record Run(int occurrences, int enrolled, int scanned, int steps, int sent) {}

    /** A due occurrence's outcome: enrolled or not, and what the new enrolment's first steps did. */
    record Entered(boolean enrolled, int steps, int sent) {
        static final Entered NONE = new Entered(false, 0, 0);
    }

    /** One sweep of the date work due: occurrences first (they are on the clock), then scans with what is left. */
    public Run runDue(int limit) {
        Instant now = clock.instant();
        Map<TenantId, Map<String, Journey>> active = new HashMap<>();
        int occurrences = 0;
        int enrolled = 0;
        int scanned = 0;
        int steps = 0;
        int sent = 0;
        List<JourneyDates.DueWork> due = dates.due(now, limit);
        for (JourneyDates.DueWork w : due) {
            if (!w.isScan()) {
                occurrences++;
                Entered r = occurrence(w.tenant(), w.contactId(), w.journeyId(), activeJourney(active, w), now);
                enrolled += r.enrolled() ? 1 : 0;
                steps += r.steps();
                sent += r.sent();
            }
        }
        for (JourneyDates.DueWork w : due) {
            if (w.isScan() && scanned < CONTACTS_PER_RUN) {
                scanned += scan(w.tenant(), w.journeyId(), activeJourney(active, w), CONTACTS_PER_RUN - scanned, now);
            }
        }
        return new Run(occurrences, enrolled, scanned, steps, sent);
    }

    private Journey activeJourney(Map<TenantId, Map<String, Journey>> cache, JourneyDates.DueWork w) {
        return cache.computeIfAbsent(w.tenant(), t -> {
            Map<String, Journey> m = new LinkedHashMap<>();
            journeys.activeJourneys(t).forEach(j -> m.put(j.id(), j));
            return m;
        }).get(w.journeyId());
    }

    private static Trigger.DateTrigger dateTrigger(Journey j) {
        return j != null && j.definition().trigger() instanceof Trigger.DateTrigger dt ? dt : null;
    }

    /**
     * A due occurrence. Checked at due time, so a paused, archived or changed journey and a contact gone
     * or with another date never enrol on a stale item; the item is then removed (a re-activation's scan
     * writes it again) or moved to the contact's real next occurrence.
     *
     * @param j the journey if active, else null
     * @return whether it enrolled, and the first steps run and messages sent at once if it did
     */
    Entered occurrence(TenantId t, String contactId, String journeyId, Journey j, Instant now) {
        Optional<JourneyDates.DateItem> found = dates.find(t, contactId, journeyId);
        if (found.isEmpty() || found.get().dueAt().isAfter(now)) {
            return Entered.NONE; // moved meanwhile by another sweep or the contact's change
        }
        JourneyDates.DateItem d = found.get();
        Trigger.DateTrigger dt = dateTrigger(j);
        if (dt == null) {
            dates.remove(t, d); // paused, archived or no longer a date journey: a re-activation's scan writes it again
            return Entered.NONE;
        }
        Contact c = consent.findContact(t, contactId);
        if (c == null) {
            dates.remove(t, d);
            return Entered.NONE;
        }
        ZoneId tenantZone = tenants.apply(t).settings().zone();
        Instant valid = dt.nextFor(c, tenantZone, d.dueAt().minusMillis(1));
        if (valid == null) {
            dates.remove(t, d);
            return Entered.NONE;
        }
        if (!valid.equals(d.dueAt()) || !d.trigger().equals(dt.signature())) {
            // not an occurrence of the contact's date (or of the journey's trigger) as they are now
            dates.schedule(t, contactId, journeyId, dt.signature(), dt.nextFor(c, tenantZone, now), d);
            return Entered.NONE;
        }
        Instant following = dt.nextFor(c, tenantZone, d.dueAt());
        Entry entry = j.definition().entry();
        Instant nextDue = entry.every() ? following : null; // once: nothing more to schedule after an entry
        if (!JourneyEntry.inAudience(journeys, runner, t, j, c)) {
            dates.schedule(t, contactId, journeyId, d.trigger(), following, d);
            return Entered.NONE;
        }
        String occurrence = "date:" + d.dueAt().atZone(c.zone(tenantZone)).toLocalDate();
        Enrolment e = Enrolment.enter(journeyId, contactId, j.definitionVersion(), occurrence,
                StepPath.first(j.definition().steps()), now);
        switch (dates.enrol(t, e, entry, now, d, nextDue)) {
            case ENROLLED -> {
                int[] ran = runner.process(t, contactId, journeyId, e.id(), new HashMap<>(Map.of(t.value() + "/"
                        + journeyId + "/" + j.definitionVersion(), j.definition())));
                return new Entered(true, ran[0], ran[1]);
            }
            case CONTACT_MISSING -> dates.remove(t, d);
            // Enrolled already for this occurrence, or the entry rule refuses it: the item moves on (if
            // another sweep moved it first, this write fails on the revision and changes nothing).
            default -> {
                if (nextDue == null) {
                    dates.remove(t, d);
                } else {
                    dates.schedule(t, contactId, journeyId, d.trigger(), nextDue, d);
                }
            }
        }
        return Entered.NONE;
    }

    /** Up to {@code budget} contacts of a scan; @return the contacts read */
    int scan(TenantId t, String journeyId, Journey j, int budget, Instant now) {
        Optional<JourneyDates.Scan> found = dates.scan(t, journeyId);
        if (found.isEmpty()) {
            return 0;
        }
        JourneyDates.Scan s = found.get();
        Trigger.DateTrigger dt = dateTrigger(j);
        if (dt == null || !dt.signature().equals(s.trigger())) {
            dates.advanceScan(t, s, null); // paused, archived or no longer a date journey: a re-activation scans again
            return 0;
        }
        ZoneId tenantZone = tenants.apply(t).settings().zone();
        int read = 0;
        while (read < budget) {
            JourneyDates.ContactPage page = dates.contacts(t, s.cursor(), Math.min(CONTACTS_PER_PAGE, budget - read));
            for (Contact c : page.contacts()) {
                if (c.status() != Contact.Status.ACTIVE) {
                    continue;
                }
                Instant next = dt.nextFor(c, tenantZone, now);
                if (next != null) {
                    dates.scheduleUnlessCurrent(t, c.id(), journeyId, s.trigger(), next);
                }
            }
            read += page.contacts().size();
            if (!dates.advanceScan(t, s, page.next()) || page.next() == null) {
                return read; // finished, or another sweep runs this scan (its pages write the same items)
            }
            s = new JourneyDates.Scan(journeyId, s.trigger(), page.next(), s.revision() + 1);
        }
        return read;
    }

    /**
     * A contact was created or changed: its item for each active date journey follows its date (and
     * zone). An item that is still an occurrence of the contact's date is left alone, so a change of
     * name does not push an occurrence due this minute to next year.
     */
    public void contactChanged(TenantId t, String contactId, List<Journey> active) {
        List<Journey> dated = active.stream().filter(j -> dateTrigger(j) != null).toList();
        if (dated.isEmpty()) {
            return;
        }
        Contact c = consent.findContact(t, contactId);
        ZoneId tenantZone = tenants.apply(t).settings().zone();
        Instant now = clock.instant();
        for (Journey j : dated) {
            Trigger.DateTrigger dt = dateTrigger(j);
            String sig = dt.signature();
            Instant next = c == null ? null : dt.nextFor(c, tenantZone, now);
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Optional<JourneyDates.DateItem> found = dates.find(t, contactId, j.id());
                boolean done;
                if (found.isEmpty()) {
                    done = next == null || dates.schedule(t, contactId, j.id(), sig, next, null);
                } else {
                    JourneyDates.DateItem d = found.get();
                    if (c != null && sig.equals(d.trigger())
                            && d.dueAt().equals(dt.nextFor(c, tenantZone, d.dueAt().minusMillis(1)))) {
                        break;
                    }
                    done = next == null ? dates.remove(t, d) : dates.schedule(t, contactId, j.id(), sig, next, d);
                }
                if (done) {
                    break;
                }
            }
        }
    }
}
