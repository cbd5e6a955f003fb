package dev.crm.journeys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Definitions as a client writes them: validation pointing at the step, steps' order, templates, dates. */
class JourneyDefinitionTest {
    static final String SEND = "{\"send\": {\"channel\": \"email\", \"topic\": \"offers\", \"template\": "
            + "{\"subject\": \"Hi {{contact.firstName}}\", \"text\": \"Hello {{contact.firstName}}\","
            + " \"html\": \"<p>Hello {{contact.firstName}}</p>\", \"defaults\": {\"contact.firstName\": \"there\"}}}}";

    private static Violations violations(String json, Set<String> topics) {
        Violations v = new Violations();
        JourneyDefinition.parse(JsonObject.of(Json.parse(json), v), topics);
        return v;
    }

    private static List<Object> pointers(Violations v) {
        return v.items().stream().map(m -> m.get("pointer")).toList();
    }

    @Test
    void theAcceptanceJourneyParses() {
        Violations v = new Violations();
        JourneyDefinition d = JourneyDefinition.parse(JsonObject.of(Json.parse("{\"trigger\": {\"event\": "
                + "\"interaction.recorded\", \"where\": {\"type\": \"purchase\"}}, \"entry\": {\"mode\": \"once\"},"
                + " \"steps\": [{\"wait\": \"P2D\"}, " + SEND + "]}"), v), Set.of("offers"));
        assertTrue(v.isEmpty(), v.items().toString());
        assertEquals(new Step.Wait(Duration.ofDays(2)), d.steps().get(0));
        assertTrue(((Trigger.EventTrigger) d.trigger()).matches("interaction.recorded", Map.of("type", "purchase")));
        assertFalse(((Trigger.EventTrigger) d.trigger()).matches("interaction.recorded", Map.of("type", "visit")));
    }

    @Test
    void aTopicTheTenantLacksIsRefusedAtTheStep() {
        String json = "{\"trigger\": {\"event\": \"contact.created\"}, \"entry\": {\"mode\": \"once\"}, \"steps\": "
                + "[{\"wait\": \"PT1M\"}, {\"wait\": \"PT1M\"}, " + SEND + "]}";
        assertEquals(List.of("/steps/2/send/topic"), pointers(violations(json, Set.of("news"))));
    }

    @Test
    void problemsPointAtWhatIsWrong() {
        String json = "{\"trigger\": {\"event\": \"no.such\"}, \"entry\": {\"mode\": \"every\", \"minInterval\": \"P0D\"},"
                + " \"steps\": [{\"wait\": \"PT30S\"}, {\"wait\": 1, \"send\": {}}, {\"branch\": {\"if\": {\"field\":"
                + " \"lifecycleStage\", \"op\": \"eq\", \"value\": \"lead\"}, \"then\": [{\"wait\": \"P400D\"}]}}],"
                + " \"exitOn\": [{\"event\": \"interaction.recorded\", \"where\": {\"type\": {\"x\": 1}}}]}";
        List<Object> p = pointers(violations(json, Set.of()));
        assertTrue(p.contains("/trigger/event"), p.toString());
        assertTrue(p.contains("/entry/minInterval"), p.toString());
        assertTrue(p.contains("/steps/0/wait"), p.toString());
        assertTrue(p.contains("/steps/1"), p.toString());
        assertTrue(p.contains("/steps/2/branch/then/0/wait"), p.toString());
        assertTrue(p.contains("/exitOn/0/where/type"), p.toString());
        assertEquals(List.of("/exitOn"), pointers(violations("{\"trigger\": {\"event\": \"contact.created\"}, \"entry\":"
                + " {\"mode\": \"once\"}, \"steps\": [{\"wait\": \"P1D\"}], \"exitOn\": null}", Set.of())));
    }

    @Test
    void aTemplateThatNamesAPartialIsRefused() {
        String json = "{\"trigger\": {\"event\": \"contact.created\"}, \"entry\": {\"mode\": \"once\"}, \"steps\": "
                + "[{\"send\": {\"channel\": \"email\", \"topic\": \"offers\", \"template\": {\"subject\": \"x\","
                + " \"text\": \"{{> /etc/passwd}}\"}}}]}";
        assertEquals(List.of("/steps/0/send/template/text"), pointers(violations(json, Set.of("offers"))));
    }

    @Test
    void htmlValuesAreEscapedTheTextIsNotAndDefaultsFillGaps() {
        MessageTemplate t = new MessageTemplate("Hi {{contact.firstName}}", "Hello {{contact.firstName}} {{links.x}}",
                "<p>Hello {{contact.firstName}}</p>", Map.of("contact.firstName", "there"));
        var r = t.render(Map.of("contact", Map.of("firstName", "<b>Ann</b>"), "links", Map.of("x", "https://a/?t=1&u=2")));
        assertEquals("Hi <b>Ann</b>", r.subject());
        assertEquals("Hello <b>Ann</b> https://a/?t=1&u=2", r.text());
        assertEquals("<p>Hello &lt;b&gt;Ann&lt;/b&gt;</p>", r.html());
        assertEquals("Hi there", t.render(Map.of("contact", Map.of())).subject());
    }

    @Test
    void stepPathsWalkIntoBranchesAndOut() {
        List<Step> steps = List.of(new Step.Wait(Duration.ofMinutes(1)),
                new Step.Branch(null, List.of(new Step.Wait(Duration.ofMinutes(2)), new Step.Wait(Duration.ofMinutes(3))),
                        List.of()),
                new Step.Wait(Duration.ofMinutes(4)));
        assertEquals("1", StepPath.next(steps, "0"));
        assertEquals("1.then.0", StepPath.enter(steps, "1", true));
        assertEquals("2", StepPath.enter(steps, "1", false));
        assertEquals("1.then.1", StepPath.next(steps, "1.then.0"));
        assertEquals("2", StepPath.next(steps, "1.then.1"));
        assertEquals(StepPath.END, StepPath.next(steps, "2"));
        assertNull(StepPath.at(steps, StepPath.END));
        assertEquals("/steps/1/branch/then/0", StepPath.pointer("1.then.0"));
    }

    @Test
    void aBirthdayComesYearlyAcrossTheYearBoundaryAndOn29FebruaryOr28() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        Trigger.DateTrigger t = new Trigger.DateTrigger("attributes.birthday", -3, java.time.LocalTime.of(10, 0));
        // born 2 January: three days before is 30 December of the year before, 10:00 in Berlin (09:00Z)
        assertEquals(Instant.parse("2026-12-30T09:00:00Z"), t.nextAfter("1990-01-02", berlin, Instant.parse("2026-12-07T00:00:00Z")));
        assertEquals(Instant.parse("2027-12-30T09:00:00Z"), t.nextAfter("1990-01-02", berlin, Instant.parse("2026-12-30T09:00:00Z")));
        Trigger.DateTrigger onTheDay = new Trigger.DateTrigger("attributes.birthday", 0, java.time.LocalTime.of(10, 0));
        assertEquals(Instant.parse("2027-02-28T09:00:00Z"), onTheDay.nextAfter("2000-02-29", berlin, Instant.parse("2027-01-01T00:00:00Z")));
        assertEquals(Instant.parse("2028-02-29T09:00:00Z"), onTheDay.nextAfter("2000-02-29", berlin, Instant.parse("2027-03-01T00:00:00Z")));
        assertNull(onTheDay.nextAfter("not a date", berlin, Instant.parse("2027-03-01T00:00:00Z")));
        assertEquals(Instant.parse("2027-03-01T09:00:00Z"),
                new Trigger.DateTrigger("attributes.birthday", 1, java.time.LocalTime.of(10, 0))
                        .occurrence(LocalDate.parse("2000-02-29"), 2027, berlin));
    }

    @Test
    void entryRules() {
        Instant t0 = Instant.parse("2026-12-07T10:00:00Z");
        assertTrue(Entry.ONCE.allows(null, t0));
        assertFalse(Entry.ONCE.allows(t0, t0.plus(Duration.ofDays(900))));
        Entry every = new Entry(true, Duration.ofDays(30));
        assertFalse(every.allows(t0, t0.plus(Duration.ofDays(29))));
        assertTrue(every.allows(t0, t0.plus(Duration.ofDays(30))));
    }

    @Test
    void waitUntilALocalTimeOrWeekdayInTheContactsZone() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        Step.WaitUntil ten = new Step.WaitUntil(java.time.LocalTime.of(10, 0), null);
        assertEquals(Instant.parse("2026-12-07T09:00:00Z"), ten.next(Instant.parse("2026-12-07T08:00:00Z"), berlin));
        assertEquals(Instant.parse("2026-12-08T09:00:00Z"), ten.next(Instant.parse("2026-12-07T09:00:00Z"), berlin));
        Step.WaitUntil monday = new Step.WaitUntil(java.time.LocalTime.of(10, 0), java.time.DayOfWeek.MONDAY);
        // 2026-12-07 is a Monday: past 10:00 it is the next Monday
        assertEquals(Instant.parse("2026-12-14T09:00:00Z"), monday.next(Instant.parse("2026-12-07T12:00:00Z"), berlin));
        assertNotNull(monday.next(Instant.parse("2027-03-26T12:00:00Z"), berlin));
    }

    @Test
    void createCaseAndEmitStepsAreCheckedAtTheStep() {
        String ok = "{\"trigger\": {\"event\": \"survey.response_submitted\", \"where\": {\"npsCategory\": \"detractor\"}},"
                + " \"entry\": {\"mode\": \"once\"}, \"steps\": [{\"createCase\": {\"subject\": \"Call back a detractor\","
                + " \"priority\": \"high\", \"category\": \"service_recovery\"}}, {\"emit\": {\"type\": \"recovery.started\","
                + " \"data\": {\"campaign\": \"nps\", \"round\": 2}}}]}";
        Violations good = new Violations();
        JourneyDefinition d = JourneyDefinition.parse(JsonObject.of(Json.parse(ok), good), Set.of());
        assertTrue(good.isEmpty(), good.items().toString());
        assertEquals(new Step.CreateCase("Call back a detractor", null, "high", "service_recovery", null), d.steps().get(0));
        assertEquals(new Step.Emit("recovery.started", Map.of("campaign", "nps", "round", 2L)).type(),
                ((Step.Emit) d.steps().get(1)).type());

        String bad = "{\"trigger\": {\"event\": \"contact.created\"}, \"entry\": {\"mode\": \"once\"}, \"steps\": ["
                + "{\"createCase\": {\"priority\": \"asap\", \"channel\": \"fax\", \"queue\": \"q1\"}},"
                + " {\"emit\": {\"type\": \"journey.enrolled\", \"data\": {\"nested\": {\"a\": 1}, \"9x\": 1}}},"
                + " {\"emit\": {\"type\": \"ok.name\", \"data\": {\"big\": \"" + "x".repeat(501) + "\"}}}]}";
        assertEquals(Set.of("/steps/0/createCase/queue", "/steps/0/createCase/subject", "/steps/0/createCase/priority",
                "/steps/0/createCase/channel", "/steps/1/emit/type", "/steps/1/emit/data/nested", "/steps/1/emit/data/9x",
                "/steps/2/emit/data/big"), Set.copyOf(pointers(violations(bad, Set.of()))));
    }
}
