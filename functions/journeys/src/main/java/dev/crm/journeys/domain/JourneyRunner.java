package dev.crm.journeys.domain;

import dev.crm.shared.consent.ConsentRepository;
import dev.crm.shared.consent.Decision;
import dev.crm.shared.consent.FrequencyCap;
import dev.crm.shared.consent.MarketingLinks;
import dev.crm.shared.consent.SendDecisions;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.log.Log;
import dev.crm.shared.outbound.EmailMessage;
import dev.crm.shared.outbound.MessageSender;
import dev.crm.shared.segment.SegmentRule;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs enrolments' due steps. Every step is one conditional write of the enrolment (its revision), and
 * a send step's write also records the send (the same items {@code POST …/sends} writes, so caps count
 * journey and manual sends alike) and counts it: either all of it happened or none. The message goes
 * to the sender after that transaction and with no other I/O in between, so a crash (or a second
 * sweeper) never sends a step twice; what a crash can do is stop between the commit and the sender's
 * call, which loses that one message (docs/architecture.md, "Journeys").
 */
public final class JourneyRunner {
    public static final String EXIT_ON_EVENT = "exit_event";
    public static final String CONTACT_GONE = "contact_missing";
    /** Steps one enrolment runs in one go at most (waits end a run anyway). */
    static final int MAX_STEPS_PER_RUN = 20;

    private final JourneyRepository repository;
    private final ConsentRepository consent;
    private final Function<TenantId, Tenant> tenants;
    private final MessageSender sender;
    private final String publicBaseUrl;
    private final Clock clock;

    public JourneyRunner(JourneyRepository repository, ConsentRepository consent, Function<TenantId, Tenant> tenants,
            MessageSender sender, String publicBaseUrl, Clock clock) {
        this.repository = repository;
        this.consent = consent;
        this.tenants = tenants;
        this.sender = sender;
        this.publicBaseUrl = publicBaseUrl;
        this.clock = clock;
    }

    public record Run(int examined, int steps, int sent) {}

    /** One sweep: what the due index holds at or before now, at most {@code limit} enrolments. */
    public Run runDue(int limit) {
        Instant now = clock.instant();
        List<JourneyRepository.DueRef> due = repository.due(now, limit);
        Map<String, JourneyDefinition> definitions = new HashMap<>();
        int steps = 0;
        int sent = 0;
        for (JourneyRepository.DueRef ref : due) {
            int[] r = process(ref.tenant(), ref.contactId(), ref.journeyId(), ref.enrolmentId(), definitions);
            steps += r[0];
            sent += r[1];
        }
        return new Run(due.size(), steps, sent);
    }

    /** Runs one enrolment's due steps; @return {steps run, messages sent} */
    public int[] process(TenantId t, String contactId, String journeyId, String enrolmentId,
            Map<String, JourneyDefinition> definitions) {
        Optional<Enrolment> found = repository.enrolment(t, contactId, journeyId, enrolmentId);
        if (found.isEmpty()) {
            return new int[2];
        }
        Enrolment e = found.get();
        String key = t.value() + "/" + e.journeyId() + "/" + e.definitionVersion();
        JourneyDefinition d = definitions.computeIfAbsent(key,
                k -> repository.definition(t, e.journeyId(), e.definitionVersion()).orElse(null));
        if (d == null) {
            return new int[2];
        }
        Tenant tenant = tenants.apply(t);
        int steps = 0;
        int sent = 0;
        Enrolment current = e;
        while (current.isActive() && current.dueAt() != null && !current.dueAt().isAfter(clock.instant())
                && steps < MAX_STEPS_PER_RUN) {
            Instant now = clock.instant();
            Outcome o = step(tenant, d, current, now);
            if (o == null || !repository.advance(t, current, o.next, o.effect)) {
                break; // another run moved it on, or the contact is gone
            }
            steps++;
            if (o.message != null) {
                sent++;
                sendAfterCommit(o.message);
            }
            current = o.next;
        }
        return new int[] {steps, sent};
    }

    private void sendAfterCommit(EmailMessage message) {
        try {
            sender.send(message);
        } catch (RuntimeException ex) {
            // Recorded as sent (the cap counted it); the provider refused: logged, not retried, since a
            // retry could not tell a refusal from a send whose answer was lost.
            Log.warn("journey message not taken by the provider", Map.of("error", ex.getClass().getSimpleName()));
        }
    }

    private record Outcome(Enrolment next, JourneyRepository.Effect effect, EmailMessage message) {}

    private Outcome step(Tenant tenant, JourneyDefinition d, Enrolment e, Instant now) {
        TenantId t = tenant.id();
        String pos = e.position();
        Step step = StepPath.at(d.steps(), pos);
        if (step == null) {
            return new Outcome(e.completed(now), JourneyRepository.Effect.count("completed"), null);
        }
        // A step's waits count from when it was due, so a late sweep does not push the journey later.
        Instant base = e.dueAt().isBefore(now) ? e.dueAt() : now;
        String next = StepPath.next(d.steps(), pos);
        if (step instanceof Step.Wait w) {
            Instant until = base.plus(w.duration());
            return new Outcome(e.advance(next, until.isBefore(now) ? now : until,
                    new Enrolment.StepRecord(pos, "wait", now, "waiting"), false), JourneyRepository.Effect.none(), null);
        }
        if (step instanceof Step.WaitUntil w) {
            Contact c = consent.findContact(t, e.contactId());
            if (c == null) {
                return exit(e, CONTACT_GONE, now, pos, step.kind());
            }
            Instant until = w.next(base, c.zone(tenant.settings().zone()));
            return new Outcome(e.advance(next, until, new Enrolment.StepRecord(pos, "waitUntil", now, "waiting"), false),
                    JourneyRepository.Effect.none(), null);
        }
        if (step instanceof Step.Send s) {
            return send(tenant, e, s, pos, next, now);
        }
        if (step instanceof Step.Branch b) {
            Contact c = consent.findContact(t, e.contactId());
            if (c == null) {
                return exit(e, CONTACT_GONE, now, pos, step.kind());
            }
            boolean then = matches(b.rule(), t, c);
            return new Outcome(e.advance(StepPath.enter(d.steps(), pos, then), now,
                    new Enrolment.StepRecord(pos, "branch", now, then ? "then" : "else"), false),
                    JourneyRepository.Effect.none(), null);
        }
        if (step instanceof Step.Emit em) {
            return new Outcome(e.advance(next, now, new Enrolment.StepRecord(pos, "emit", now, "emitted:" + em.type()), false),
                    JourneyRepository.Effect.none().withEvent(emitted(t, e, pos, em, now)), null);
        }
        Step.CreateCase cc = (Step.CreateCase) step;
        return new Outcome(e.advance(next, now, new Enrolment.StepRecord(pos, "createCase", now, "requested"), false),
                JourneyRepository.Effect.none().withEvent(caseRequested(t, e, pos, cc, now)), null);
    }

    /**
     * The step's event id: derived from the enrolment and the step (and the instant of the run that
     * commits it), stored in the step's transaction, so the step announces it exactly when it commits.
     */
    static String stepEventId(Instant now, Enrolment e, String pos, String type) {
        return EventIds.derive(now, "journey-step", e.id(), pos, type);
    }

    /** The id a case request carries: one per (enrolment, step); the cases function derives the case's id from it. */
    public static String caseRequestId(Enrolment e, String pos) {
        return "jc:" + e.id() + ":" + pos;
    }

    private static Map<String, Object> stepData(Enrolment e, String pos) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("journeyId", e.journeyId());
        data.put("enrolmentId", e.id());
        data.put("contactId", e.contactId());
        data.put("definitionVersion", e.definitionVersion());
        data.put("step", StepPath.pointer(pos));
        return data;
    }

    private static Event emitted(TenantId t, Enrolment e, String pos, Step.Emit em, Instant now) {
        Map<String, Object> data = stepData(e, pos);
        data.put("name", em.type());
        data.put("data", em.data());
        // ids and the tenant's own declared data, no contact fields: stored outside the contact's partition
        return new Event(stepEventId(now, e, pos, EventTypes.JOURNEY_CUSTOM), EventTypes.JOURNEY_CUSTOM,
                EventTypes.sourceOf(EventTypes.JOURNEY_CUSTOM), now, t, null, data);
    }

    private static Event caseRequested(TenantId t, Enrolment e, String pos, Step.CreateCase c, Instant now) {
        Map<String, Object> data = stepData(e, pos);
        data.put("requestId", caseRequestId(e, pos));
        data.put("subject", c.subject());
        if (c.description() != null) {
            data.put("description", c.description());
        }
        data.put("priority", c.priority() == null ? "normal" : c.priority());
        if (c.category() != null) {
            data.put("category", c.category());
        }
        if (c.channel() != null) {
            data.put("channel", c.channel());
        }
        return new Event(stepEventId(now, e, pos, EventTypes.JOURNEY_CASE_REQUESTED), EventTypes.JOURNEY_CASE_REQUESTED,
                EventTypes.sourceOf(EventTypes.JOURNEY_CASE_REQUESTED), now, t, null, data);
    }

    boolean matches(SegmentRule rule, TenantId t, Contact c) {
        return rule.matches(repository.facts(t, c, rule.needsFacts()));
    }

    private static Outcome exit(Enrolment e, String reason, Instant now, String pos, String kind) {
        return new Outcome(e.exited(reason, now, pos, kind), JourneyRepository.Effect.count("exited:" + reason), null);
    }

    private Outcome send(Tenant tenant, Enrolment e, Step.Send s, String pos, String next, Instant now) {
        TenantId t = tenant.id();
        SendDecisions.Judged judged;
        try {
            judged = SendDecisions.judge(consent, t, e.contactId(), s.channel(), s.topic(), s.messageClass(), now,
                    tenant.settings().zone(), FrequencyCap.tenantDefaults(tenant.settings()), tenant.secrets());
        } catch (StoreException.NotFound gone) {
            return exit(e, CONTACT_GONE, now, pos, "send");
        }
        Decision decision = judged.decision();
        Contact contact = judged.contact();
        if (decision.allowed() && contact.data().email() == null) {
            return exit(e, "no_address", now, pos, "send");
        }
        if (decision.allowed()) {
            String sendId = "j:" + e.id() + ":" + pos;
            var recorded = new dev.crm.shared.consent.Send(sendId, s.channel(), s.topic(), now);
            EmailMessage message = message(tenant, contact, s, sendId, now);
            return new Outcome(e.advance(next, now, new Enrolment.StepRecord(pos, "send", now, "sent"), true),
                    JourneyRepository.Effect.count("sent").withSend(recorded), message);
        }
        if (decision.nextAllowedAt() == null) {
            return exit(e, decision.reason(), now, pos, "send");
        }
        if (s.onBlockedWait()) {
            return new Outcome(e.advance(pos, decision.nextAllowedAt(), new Enrolment.StepRecord(pos, "send", now,
                    "blocked:" + decision.reason()), false), JourneyRepository.Effect.count("blocked:" + decision.reason()), null);
        }
        return new Outcome(e.advance(next, now, new Enrolment.StepRecord(pos, "send", now, "skipped:" + decision.reason()),
                false), JourneyRepository.Effect.count("blocked:" + decision.reason()), null);
    }

    private EmailMessage message(Tenant tenant, Contact contact, Step.Send s, String sendId, Instant now) {
        String base = publicBaseUrl == null ? "" : publicBaseUrl;
        String preferenceCentre = MarketingLinks.preferenceCentreUrl(base,
                MarketingLinks.preferencesToken(tenant, contact.id(), now));
        String unsubscribe = MarketingLinks.unsubscribeUrl(base, s.topic() == null
                ? MarketingLinks.unsubscribeAllToken(tenant, contact.id(), s.channel(), now)
                : MarketingLinks.unsubscribeTopicToken(tenant, contact.id(), s.channel(), s.topic(), now));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", contact.id());
        c.put("firstName", contact.data().firstName());
        c.put("lastName", contact.data().lastName());
        c.put("email", contact.data().email());
        c.put("company", contact.data().company());
        c.put("locale", contact.data().locale());
        c.put("attributes", contact.data().attributes());
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("preferenceCentreUrl", preferenceCentre);
        links.put("unsubscribeUrl", unsubscribe);
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("contact", c);
        scope.put("links", links);
        MessageTemplate.Rendered r = s.template().render(scope);
        Map<String, String> headers = new LinkedHashMap<>();
        boolean marketing = s.messageClass() == dev.crm.shared.consent.MessageClass.MARKETING;
        if (marketing) {
            headers.putAll(MarketingLinks.listUnsubscribeHeaders(unsubscribe));
        }
        // The send's id: a receiver (or a support question) ties a message to the journey step that sent it.
        headers.put("X-CRM-Send-Id", sendId);
        String text = marketing ? r.text() + "\n\n--\nManage your preferences: " + preferenceCentre + "\n" : r.text();
        String html = r.html() == null || !marketing ? r.html()
                : r.html() + "<p style=\"font-size:12px\"><a href=\"" + preferenceCentre + "\">Manage your preferences</a></p>";
        return new EmailMessage(tenant.id().value(), contact.data().email(), r.subject(), text, html, headers, "journey");
    }
}
