package dev.crm.journeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.Responses;
import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.shared.consent.FrequencyCap;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.consent.QuietHours;
import dev.crm.shared.consent.Send;
import dev.crm.shared.consent.store.dynamodb.ConsentTable;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.outbound.EmailMessage;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The acceptance journey "purchase → wait P2D → send an offers email" and its guarantees, through the
 * real handlers (API, stream entry, sweep) against DynamoDB Local, with a clock the test moves. Messages
 * are counted in the sender's outbox, not from the function's own counters.
 */
class JourneysIT {
    static final String SEND_OFFER = "{\"send\": {\"channel\": \"email\", \"topic\": \"offers\", \"onBlocked\": \"%s\","
            + " \"template\": {\"subject\": \"An offer for {{contact.firstName}}\", \"text\": \"Hello {{contact.firstName}},"
            + " see {{links.preferenceCentreUrl}}\", \"html\": \"<p>Hello {{contact.firstName}}</p>\","
            + " \"defaults\": {\"contact.firstName\": \"there\"}}}}";

    static String purchaseJourney(String entry, String steps, String exitOn) {
        return "{\"name\": \"Thank-you offer\", \"trigger\": {\"event\": \"interaction.recorded\", \"where\": {\"type\":"
                + " \"purchase\"}}, \"entry\": " + entry + ", \"steps\": " + steps
                + (exitOn == null ? "" : ", \"exitOn\": " + exitOn) + "}";
    }

    static String acceptance() {
        return purchaseJourney("{\"mode\": \"once\"}", "[{\"wait\": \"P2D\"}, " + SEND_OFFER.formatted("wait") + "]", null);
    }

    @Test
    void theSamePurchaseDeliveredTenTimesAtOnceEnrolsOnceAndTheOfferGoesOutTwoDaysLater() throws Exception {
        JourneyFixture f = new JourneyFixture("2026-12-07T10:00:00Z");
        String journey = f.journey(acceptance());
        String contact = f.contact("<b>Ann</b>", "Europe/Berlin");
        Event purchase = f.purchase(contact);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Object>> done = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            done.add(pool.submit((Callable<Object>) () -> {
                start.await();
                f.deliver(purchase);
                return null;
            }));
        }
        start.countDown();
        for (Future<Object> d : done) {
            d.get();
        }
        pool.shutdown();
        assertEquals(1, f.enrolments(journey, contact).size());
        assertEquals(1L, ((Number) f.stats(journey).get("entered")).longValue());

        f.clock.advance(Duration.ofDays(2).minusMinutes(1));
        f.runSweep();
        assertEquals(List.of(), f.messagesTo(contact), "nothing before the wait ends");
        f.clock.advance(Duration.ofMinutes(1));
        f.runSweep();
        f.runSweep();
        List<EmailMessage> sent = f.messagesTo(contact);
        assertEquals(1, sent.size());
        EmailMessage m = sent.get(0);
        assertEquals("An offer for <b>Ann</b>", m.subject());
        assertTrue(m.htmlBody().startsWith("<p>Hello &lt;b&gt;Ann&lt;/b&gt;</p>"), m.htmlBody());
        assertTrue(m.textBody().contains("http://127.0.0.1:3000/preferences.html?token="), m.textBody());
        assertTrue(m.headers().get("List-Unsubscribe").startsWith("<http://127.0.0.1:3000/v1/public/unsubscribe?token="));
        assertEquals("List-Unsubscribe=One-Click", m.headers().get("List-Unsubscribe-Post"));
        Map<String, Object> e = f.enrolments(journey, contact).get(0);
        assertEquals("completed", e.get("status"));
        assertEquals(1L, ((Number) f.stats(journey).get("sent")).longValue());
        // the journey's send is recorded where POST …/sends records them: the cap sees it
        assertEquals(1, new ConsentTable(f.infra.table()).sends(f.tenant, contact, Channel.EMAIL, Instant.EPOCH).size());
    }

    @Test
    void anUnsubscribeDuringTheWaitMeansNoEmailAndAnExitWithTheDecisionsReason() {
        JourneyFixture f = new JourneyFixture("2026-12-07T10:00:00Z");
        String journey = f.journey(acceptance());
        String contact = f.contact("Ann", "Europe/Berlin");
        f.deliver(f.purchase(contact));
        f.clock.advance(Duration.ofDays(1));
        f.preferences(contact, Preferences.empty().withChannelStatus(Channel.EMAIL, ConsentStatus.OPTED_IN)
                .withTopicStatus(Channel.EMAIL, "offers", ConsentStatus.OPTED_OUT).withVersion(1));
        f.clock.advance(Duration.ofDays(1));
        f.runSweep();
        assertEquals(List.of(), f.messagesTo(contact));
        Map<String, Object> e = f.enrolments(journey, contact).get(0);
        assertEquals("exited", e.get("status"));
        assertEquals("opted_out_topic", e.get("reason"));
        assertEquals(Map.of("opted_out_topic", 1L), longs(f.stats(journey).get("exited")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> longs(Object m) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        ((Map<String, Object>) m).forEach((k, v) -> out.put(k, ((Number) v).longValue()));
        return out;
    }

    private static Instant sentAt(Map<String, Object> enrolment) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) enrolment.get("steps");
        return steps.stream().filter(s -> "sent".equals(s.get("outcome"))).map(s -> Instant.parse((String) s.get("at")))
                .findFirst().orElseThrow();
    }

    private static void quietHoursSendGoesOutAtTheWindowsEnd(String purchaseAt, String windowEnd) {
        JourneyFixture f = new JourneyFixture(purchaseAt);
        String journey = f.journey(acceptance());
        String contact = f.contact("Ann", "Europe/Berlin");
        f.preferences(contact, new Preferences(Map.of(), Map.of(), QuietHours.of("21:00", "08:00"), null, 0)
                .withChannelStatus(Channel.EMAIL, ConsentStatus.OPTED_IN)
                .withTopicStatus(Channel.EMAIL, "offers", ConsentStatus.OPTED_IN));
        f.deliver(f.purchase(contact));
        f.clock.advance(Duration.ofDays(2));
        f.runSweep(); // due at 22:00 local: quiet
        assertEquals(List.of(), f.messagesTo(contact));
        f.clock.set(Instant.parse(windowEnd).minusSeconds(60));
        f.runSweep();
        assertEquals(List.of(), f.messagesTo(contact));
        f.clock.set(Instant.parse(windowEnd));
        f.runSweep();
        assertEquals(1, f.messagesTo(contact).size());
        Map<String, Object> e = f.enrolments(journey, contact).get(0);
        assertEquals(Instant.parse(windowEnd), sentAt(e));
        assertEquals(Map.of("quiet_hours", 1L), longs(f.stats(journey).get("blocked")));
    }

    @Test
    void aSendDueAt22InQuietHoursGoesOutAtTheWindowsEndInTheContactsZone() {
        // 22:00 in Berlin (CET, UTC+1) on 9 December; the window ends at 08:00 local = 07:00Z on the 10th
        quietHoursSendGoesOutAtTheWindowsEnd("2026-12-07T21:00:00Z", "2026-12-10T07:00:00Z");
    }

    @Test
    void aSendDueAt22InQuietHoursAcrossTheSpringForwardNightGoesOutAt08Summertime() {
        // 22:00 CET on Saturday 27 March 2027; clocks go forward that night; 08:00 CEST = 06:00Z on the 28th
        quietHoursSendGoesOutAtTheWindowsEnd("2027-03-25T21:00:00Z", "2027-03-28T06:00:00Z");
    }

    @Test
    void twoJourneysAndAManualSendShareOneCap() {
        JourneyFixture f = new JourneyFixture("2026-12-07T10:00:00Z");
        String steps = "[" + SEND_OFFER.formatted("skip") + "]";
        String a = f.journey(purchaseJourney("{\"mode\": \"once\"}", steps, null));
        String b = f.journey(purchaseJourney("{\"mode\": \"once\"}", steps, null));
        String contact = f.contact("Ann", "UTC");
        f.preferences(contact, new Preferences(Map.of(), Map.of(Channel.EMAIL, new FrequencyCap(2, 7)), null, null, 0)
                .withChannelStatus(Channel.EMAIL, ConsentStatus.OPTED_IN)
                .withTopicStatus(Channel.EMAIL, "offers", ConsentStatus.OPTED_IN));
        // a manual send, recorded as POST /v1/contacts/{id}/sends records it
        new ConsentTable(f.infra.table()).recordSend(f.tenant, contact,
                new Send("manual-1", Channel.EMAIL, "news", f.clock.instant()), f.clock.instant());
        f.clock.advance(Duration.ofMinutes(1));
        f.deliver(f.purchase(contact));
        f.runSweep();
        assertEquals(1, f.messagesTo(contact).size(), "the cap of 2 holds the manual send and one journey's");
        long sent = ((Number) f.stats(a).get("sent")).longValue() + ((Number) f.stats(b).get("sent")).longValue();
        assertEquals(1, sent);
        Map<String, Long> blocked = longs(f.stats(a).get("blocked"));
        blocked.putAll(longs(f.stats(b).get("blocked")));
        assertEquals(Map.of("frequency_cap", 1L), blocked);
    }

    @Test
    void onceAndEveryThirtyDaysHold() {
        JourneyFixture f = new JourneyFixture("2026-12-07T10:00:00Z");
        String steps = "[{\"wait\": \"PT1M\"}]";
        String once = f.journey(purchaseJourney("{\"mode\": \"once\"}", steps, null));
        String every = f.journey(purchaseJourney("{\"mode\": \"every\", \"minInterval\": \"P30D\"}", steps, null));
        String contact = f.contact("Ann", "UTC");
        f.deliver(f.purchase(contact));
        f.clock.advance(Duration.ofDays(10));
        f.deliver(f.purchase(contact));
        f.clock.advance(Duration.ofDays(20));
        Event third = f.purchase(contact);
        f.deliver(third); // 30 days after the first entry
        f.clock.advance(Duration.ofDays(31));
        f.deliver(third); // a replay of that purchase a month later enrols nobody again
        assertEquals(1, f.enrolments(once, contact).size());
        assertEquals(2, f.enrolments(every, contact).size());
        assertEquals(2L, ((Number) f.stats(every).get("entered")).longValue());
        assertEquals(1L, ((Number) f.stats(once).get("entered")).longValue());
    }

    @Test
    void anExitOnPurchaseStopsTheSend() {
        JourneyFixture f = new JourneyFixture("2026-12-07T10:00:00Z");
        String journey = f.journey("{\"name\": \"Win-back\", \"trigger\": {\"event\": \"churn_alert.raised\"},"
                + " \"entry\": {\"mode\": \"once\"}, \"steps\": [{\"wait\": \"P2D\"}, " + SEND_OFFER.formatted("wait")
                + "], \"exitOn\": [{\"event\": \"interaction.recorded\", \"where\": {\"type\": \"purchase\"}}]}");
        String contact = f.contact("Ann", "UTC");
        f.deliver(f.event(EventTypes.CHURN_ALERT_RAISED, contact, Map.of("risk", "high")));
        f.clock.advance(Duration.ofDays(1));
        f.deliver(f.purchase(contact));
        f.clock.advance(Duration.ofDays(2));
        f.runSweep();
        assertEquals(List.of(), f.messagesTo(contact));
        Map<String, Object> e = f.enrolments(journey, contact).get(0);
        assertEquals("exited", e.get("status"));
        assertEquals("exit_event", e.get("reason"));
        assertEquals(1L, ((Number) f.stats(journey).get("goalReached")).longValue());
    }

    @Test
    void aRunningJourneysNewStepsApplyToNewEnrolmentsOnly() {
        JourneyFixture f = new JourneyFixture("2026-12-07T10:00:00Z");
        String journey = f.journey(acceptance());
        String first = f.contact("Ann", "UTC");
        f.deliver(f.purchase(first));
        var got = f.call(ApiEvents.request("GET", "/v1/journeys/{id}").path("id", journey).as(f.tenant, Scope.READ));
        String etag = Responses.header(got, "ETag");
        var patched = f.call(ApiEvents.request("PATCH", "/v1/journeys/{id}").path("id", journey).as(f.tenant, Scope.WRITE)
                .header("If-Match", etag).json("{\"steps\": [{\"wait\": \"P5D\"}, " + SEND_OFFER.formatted("wait") + "]}"));
        assertEquals(200, patched.getStatusCode(), patched.getBody());
        assertEquals(2L, ((Number) Responses.body(patched).get("definitionVersion")).longValue());
        String second = f.contact("Bob", "UTC");
        f.deliver(f.purchase(second));
        f.clock.advance(Duration.ofDays(2));
        f.runSweep();
        assertEquals(1, f.messagesTo(first).size(), "the first enrolment keeps its two days");
        assertEquals(0, f.messagesTo(second).size(), "the second waits five");
        assertEquals(1L, ((Number) f.enrolments(journey, first).get(0).get("definitionVersion")).longValue());
        assertEquals(2L, ((Number) f.enrolments(journey, second).get(0).get("definitionVersion")).longValue());
    }

    @Test
    void anotherTenantGetsTheSameNotFoundAsAMissingId() {
        JourneyFixture f = new JourneyFixture("2026-12-07T10:00:00Z");
        String journey = f.journey(acceptance());
        TenantId other = dev.crm.devkit.TestInfrastructure.tenant(f.infra).id();
        var theirs = f.call(ApiEvents.request("GET", "/v1/journeys/{id}").path("id", journey).as(other, Scope.READ));
        var missing = f.call(ApiEvents.request("GET", "/v1/journeys/{id}").path("id", "jrn_doesnotexist00000000")
                .as(other, Scope.READ));
        assertEquals(404, theirs.getStatusCode());
        assertEquals(missing.getStatusCode(), theirs.getStatusCode());
        assertEquals(Responses.body(missing).get("detail"), Responses.body(theirs).get("detail"));
        var stats = f.call(ApiEvents.request("GET", "/v1/journeys/{id}/stats").path("id", journey).as(other, Scope.READ));
        assertEquals(404, stats.getStatusCode());
        var mine = f.call(ApiEvents.request("GET", "/v1/journeys/{id}").path("id", journey).as(f.tenant, Scope.READ));
        assertEquals(200, mine.getStatusCode());
    }

    @Test
    void aTopicTheTenantDoesNotHaveIsA400AtTheStep() {
        JourneyFixture f = new JourneyFixture("2026-12-07T10:00:00Z");
        var r = f.call(ApiEvents.request("POST", "/v1/journeys").as(f.tenant, Scope.WRITE).json(purchaseJourney(
                "{\"mode\": \"once\"}", "[{\"wait\": \"P1D\"}, {\"wait\": \"P1D\"}, "
                        + SEND_OFFER.formatted("wait").replace("\"offers\"", "\"unknown\"") + "]", null)));
        assertEquals(400, r.getStatusCode(), r.getBody());
        assertEquals(List.of("/steps/2/send/topic"), Responses.pointers(r));
        assertFalse(r.getBody().contains("Exception"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theListPagesNewestFirstFiltersByStatusAndKeepsToTheTenant() {
        JourneyFixture f = new JourneyFixture("2026-12-07T10:00:00Z");
        String first = f.journey(acceptance());
        f.clock.advance(Duration.ofSeconds(1));
        var draft = f.call(ApiEvents.request("POST", "/v1/journeys").as(f.tenant, Scope.WRITE).json(acceptance()));
        assertEquals(201, draft.getStatusCode(), draft.getBody());
        String second = (String) Responses.body(draft).get("id");
        f.clock.advance(Duration.ofSeconds(1));
        String third = f.journey(acceptance());

        var page1 = f.call(ApiEvents.request("GET", "/v1/journeys").query("limit", "2").as(f.tenant, Scope.READ));
        assertEquals(200, page1.getStatusCode(), page1.getBody());
        List<Map<String, Object>> items = (List<Map<String, Object>>) Responses.body(page1).get("items");
        assertEquals(List.of(third, second), items.stream().map(m -> m.get("id")).toList());
        assertEquals("active", items.get(0).get("status"));
        String cursor = (String) Responses.body(page1).get("nextCursor");
        var page2 = f.call(ApiEvents.request("GET", "/v1/journeys").query("limit", "2").query("cursor", cursor)
                .as(f.tenant, Scope.READ));
        assertEquals(200, page2.getStatusCode(), page2.getBody());
        assertEquals(List.of(first), ((List<Map<String, Object>>) Responses.body(page2).get("items")).stream()
                .map(m -> m.get("id")).toList());
        assertEquals(null, Responses.body(page2).get("nextCursor"));

        var active = f.call(ApiEvents.request("GET", "/v1/journeys").query("status", "active").as(f.tenant, Scope.READ));
        assertEquals(List.of(third, first), ((List<Map<String, Object>>) Responses.body(active).get("items")).stream()
                .map(m -> m.get("id")).toList());
        var drafts = f.call(ApiEvents.request("GET", "/v1/journeys").query("status", "draft").as(f.tenant, Scope.READ));
        assertEquals(List.of(second), ((List<Map<String, Object>>) Responses.body(drafts).get("items")).stream()
                .map(m -> m.get("id")).toList());
        // a cursor of the unfiltered list is refused by the filtered one
        var crossed = f.call(ApiEvents.request("GET", "/v1/journeys").query("status", "active").query("cursor", cursor)
                .as(f.tenant, Scope.READ));
        assertEquals(400, crossed.getStatusCode(), crossed.getBody());
        var bad = f.call(ApiEvents.request("GET", "/v1/journeys").query("status", "running").as(f.tenant, Scope.READ));
        assertEquals(400, bad.getStatusCode(), bad.getBody());

        TenantId other = dev.crm.devkit.TestInfrastructure.tenant(f.infra).id();
        var theirs = f.call(ApiEvents.request("GET", "/v1/journeys").as(other, Scope.READ));
        assertEquals(200, theirs.getStatusCode(), theirs.getBody());
        assertEquals(List.of(), Responses.body(theirs).get("items"));
    }
}
