package dev.crm.journeys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.devkit.MutableClock;
import dev.crm.journeys.store.memory.InMemoryConsentRepository;
import dev.crm.journeys.store.memory.InMemoryJourneyRepository;
import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.consent.QuietHours;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.events.Event;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.outbound.EmailMessage;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The engine on fakes: entry, waits, the decision at send time, branches, exits. */
class JourneyRunnerTest {
    private final MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");
    private final TenantId t = new TenantId("t_runner00000000000000");
    private final Tenant tenant = new Tenant(t, "Runner", "runner", Tenant.Status.ACTIVE, TenantSettings.defaults(),
            TenantSecrets.generate(), clock.instant(), clock.instant(), 1);
    private final InMemoryConsentRepository consent = new InMemoryConsentRepository();
    private final InMemoryJourneyRepository repository = new InMemoryJourneyRepository(consent);
    private final List<EmailMessage> outbox = new ArrayList<>();
    private final JourneyRunner runner = new JourneyRunner(repository, consent, id -> tenant, m -> {
        outbox.add(m);
        return "m" + outbox.size();
    }, "https://crm.example", clock);
    private final JourneyEntry entry = new JourneyEntry(repository, consent, runner, clock);
    private final Journeys journeys = new Journeys(repository, clock);

    private String journey(String steps) {
        Violations v = new Violations();
        JourneyDefinition d = JourneyDefinition.parse(JsonObject.of(Json.parse("{\"trigger\": {\"event\":"
                + " \"interaction.recorded\", \"where\": {\"type\": \"purchase\"}}, \"entry\": {\"mode\": \"once\"},"
                + " \"steps\": " + steps + "}"), v), Set.of("offers"));
        assertEquals(List.of(), v.items());
        Journey j = journeys.create(t, "jrn_" + outbox.size() + System.nanoTime(), "J", d);
        journeys.move(t, j, Journey.Status.ACTIVE);
        return j.id();
    }

    private String contact(Preferences p) {
        String id = "c_" + consent.contacts.size();
        consent.contacts.put(id, new Contact(id, new ContactData("Ann", null, id + "@example.com", null, null, null,
                "Europe/Berlin", null, List.of(), Map.of(), null), clock.instant(), clock.instant(), 1, Contact.Status.ACTIVE));
        consent.preferences.put(id, p);
        return id;
    }

    private static Preferences optedIn() {
        return Preferences.empty().withChannelStatus(Channel.EMAIL, ConsentStatus.OPTED_IN)
                .withTopicStatus(Channel.EMAIL, "offers", ConsentStatus.OPTED_IN);
    }

    private Event purchase(String contactId, String id) {
        return new Event(id, "interaction.recorded", "crm.contacts", clock.instant(), t, contactId,
                Map.of("type", "purchase", "contactId", contactId));
    }

    static final String SEND = "{\"send\": {\"channel\": \"email\", \"topic\": \"offers\", \"template\": "
            + "{\"subject\": \"Hi {{contact.firstName}}\", \"text\": \"x\"}}}";

    @Test
    void aWaitThenASendAtTheDecisionsPace() {
        String j = journey("[{\"wait\": \"P2D\"}, " + SEND + "]");
        String c = contact(new Preferences(Map.of(), Map.of(), QuietHours.of("21:00", "08:00"), null, 0)
                .withChannelStatus(Channel.EMAIL, ConsentStatus.OPTED_IN).withTopicStatus(Channel.EMAIL, "offers", ConsentStatus.OPTED_IN));
        clock.set(Instant.parse("2026-12-07T21:30:00Z")); // 22:30 in Berlin
        assertEquals(1, entry.onEvent(purchase(c, "evt_1"), c).enrolled());
        assertEquals(0, entry.onEvent(purchase(c, "evt_1"), c).enrolled(), "a replay enrols nobody");
        clock.advance(Duration.ofDays(2));
        runner.runDue(100);
        assertEquals(0, outbox.size(), "quiet hours");
        clock.set(Instant.parse("2026-12-10T07:00:00Z")); // 08:00 in Berlin
        runner.runDue(100);
        assertEquals(1, outbox.size());
        assertEquals("Hi Ann", outbox.get(0).subject());
        assertEquals("completed", repository.enrolments(t, j, c).get(0).status().wire());
        assertEquals(1L, repository.counts(t, j).get("blocked:quiet_hours"));
    }

    @Test
    void anOptedOutContactExitsWithTheReasonAndABranchChoosesItsList() {
        String j = journey("[{\"branch\": {\"if\": {\"field\": \"firstName\", \"op\": \"eq\", \"value\": \"Bob\"},"
                + " \"then\": [{\"wait\": \"P1D\"}], \"else\": [" + SEND + "]}}]");
        String c = contact(optedIn().withTopicStatus(Channel.EMAIL, "offers", ConsentStatus.OPTED_OUT));
        entry.onEvent(purchase(c, "evt_2"), c);
        Enrolment e = repository.enrolments(t, j, c).get(0);
        assertEquals("exited", e.status().wire());
        assertEquals("opted_out_topic", e.reason());
        assertEquals(List.of("entered", "else", "exited:opted_out_topic"), e.history().stream().map(Enrolment.StepRecord::outcome).toList());
        assertEquals(0, outbox.size());
    }

    @Test
    void twoRunsOfTheSameDueStepSendOnce() {
        String j = journey("[{\"wait\": \"PT1M\"}, " + SEND + "]");
        String c = contact(optedIn());
        entry.onEvent(purchase(c, "evt_3"), c);
        clock.advance(Duration.ofMinutes(1));
        Enrolment stale = repository.enrolments(t, j, c).get(0);
        runner.runDue(100);
        // a second sweep that read the enrolment before the first one moved it
        runner.process(t, c, j, stale.id(), new java.util.HashMap<>());
        assertEquals(1, outbox.size());
        assertEquals(1L, repository.counts(t, j).get("sent"));
    }

    @Test
    void theEventStepsStoreTheirEventsWithTheStepAndARerunOfAMovedStepStoresNone() {
        String j = journey("[{\"wait\": \"PT1M\"}, {\"emit\": {\"type\": \"offer.accepted\", \"data\": {\"k\": \"v\"}}},"
                + " {\"createCase\": {\"subject\": \"Call back\", \"category\": \"retention\"}}]");
        String c = contact(optedIn());
        entry.onEvent(purchase(c, "evt_4"), c);
        clock.advance(Duration.ofMinutes(1));
        Enrolment stale = repository.enrolments(t, j, c).get(0);
        runner.runDue(100);
        runner.process(t, c, j, stale.id(), new java.util.HashMap<>()); // a second sweep that read it before the move
        assertEquals(List.of("journey.custom", "journey.case_requested"), repository.events.stream().map(Event::type).toList());
        Event custom = repository.events.get(0);
        assertEquals("offer.accepted", custom.data().get("name"));
        assertEquals(Map.of("k", "v"), custom.data().get("data"));
        assertEquals("/steps/1", custom.data().get("step"));
        assertEquals(null, custom.personalDataOf(), "ids and the journey's own text: outside the contact's partition");
        Map<String, Object> request = repository.events.get(1).data();
        assertEquals("jc:" + stale.id() + ":2", request.get("requestId"));
        assertEquals("normal", request.get("priority"));
        assertEquals("retention", request.get("category"));
        assertEquals(List.of("entered", "waiting", "emitted:offer.accepted", "requested", "completed"),
                repository.enrolments(t, j, c).get(0).history().stream().map(Enrolment.StepRecord::outcome).toList());
    }
}
