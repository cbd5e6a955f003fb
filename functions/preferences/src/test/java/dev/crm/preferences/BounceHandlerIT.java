package dev.crm.preferences;

import static dev.crm.preferences.Fixtures.as;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.crm.shared.consent.Channel;
import dev.crm.preferences.domain.ConsentLedgerReplay;
import dev.crm.preferences.domain.LedgerEntry;
import dev.crm.shared.consent.Preferences;
import dev.crm.preferences.entrypoints.BounceHandler;
import dev.crm.preferences.entrypoints.PreferencesHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.CapturedLogs;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.SampleEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.TestInfrastructure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SES bounce and complaint notifications through the real BounceHandler against DynamoDB Local. */
class BounceHandlerIT {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final PreferencesHandler api = new PreferencesHandler(infra);
    private final BounceHandler bounces = new BounceHandler(infra);
    private final Fixtures fx = new Fixtures(infra, api);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();

    /** An SNS delivery of one SES event, as Lambda passes it (the JSON, as a map). */
    static Map<String, Object> sns(String sesMessage) {
        return Map.of("Records", List.of(Map.of("EventSource", "aws:sns", "EventVersion", "1.0",
                "Sns", Map.of("Type", "Notification", "MessageId", "n-1", "Timestamp", "2026-11-24T10:00:00.000Z",
                        "Message", sesMessage))));
    }

    /** An SES event as a configuration set publishes it (eventType), or as identity feedback (notificationType). */
    static String ses(String typeField, String type, String detail, String recipients, TenantId tenant) {
        String tags = tenant == null ? "{}" : "{\"ses:configuration-set\": [\"crm\"], \"tenantId\": [\"" + tenant + "\"]}";
        String key = type.equals("Bounce") ? "bounce" : "complaint";
        String list = type.equals("Bounce") ? "bouncedRecipients" : "complainedRecipients";
        return "{\"" + typeField + "\": \"" + type + "\", \"" + key + "\": {" + detail + "\"" + list + "\": " + recipients
                + "}, \"mail\": {\"messageId\": \"m-1\", \"tags\": " + tags + "}}";
    }

    static String to(String email) {
        return "[{\"emailAddress\": \"" + email + "\"}]";
    }

    String optedIn(String email) {
        fx.topic(tenant, "newsletter");
        String c = fx.contact(tenant, email, "Europe/London");
        status(fx.call(as(tenant, Scope.WRITE, "PUT", "/v1/contacts/{id}/preferences").path("id", c)
                .header("If-Match", "\"0\"").json("{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\":"
                        + " {\"newsletter\": \"opted_in\"}}, \"sms\": {\"status\": \"opted_in\"}}, \"legalBasis\": \"consent\","
                        + " \"source\": \"crm-ui\"}")), 200);
        return c;
    }

    Preferences state(String contactId) {
        return Preferences.fromStored(Attr.map(fx.items(tenant, contactId, Keys.PREFERENCES).get(0), "view"));
    }

    @Test
    void aPermanentBounceOptsTheEmailChannelOutAsTheSystem() {
        String email = Fixtures.uniqueEmail("bounced");
        String c = optedIn(email);
        bounces.handleRequest(sns(ses("eventType", "Bounce", "\"bounceType\": \"Permanent\", ", to(email.toUpperCase()),
                tenant)), new LambdaContext());
        Preferences p = state(c);
        assertEquals("opted_out", p.channelStatus(Channel.EMAIL).wire());
        assertEquals("opted_in", p.topicStatus(Channel.EMAIL, "newsletter").wire(), "topics keep their statuses");
        assertEquals("opted_in", p.channelStatus(Channel.SMS).wire(), "other channels are untouched");
        List<LedgerEntry> ledger = fx.ledger(tenant, c);
        LedgerEntry last = ledger.get(ledger.size() - 1);
        assertEquals("bounce", last.source());
        assertEquals("system", last.actor());
        assertNull(last.legalBasis());
        assertEquals(p.channels(), ConsentLedgerReplay.replay(ledger));
        assertEquals("bounce", Attr.map(fx.items(tenant, c, Keys.TIMELINE_PREFIX).stream()
                .filter(t -> Attr.str(t, "SK").contains(last.entryId())).findFirst().orElseThrow(), "data").get("source"));

        // SNS delivers at least once: a redelivery records nothing more
        int entries = ledger.size();
        bounces.handleRequest(sns(ses("eventType", "Bounce", "\"bounceType\": \"Permanent\", ", to(email), tenant)),
                new LambdaContext());
        assertEquals(entries, fx.ledger(tenant, c).size());
    }

    @Test
    void aComplaintInEitherSesFormatOptsOutWithSourceComplaint() {
        String email = Fixtures.uniqueEmail("complained");
        String c = optedIn(email);
        bounces.handleRequest(sns(ses("notificationType", "Complaint", "\"complaintFeedbackType\": \"abuse\", ", to(email),
                tenant)), new LambdaContext());
        assertEquals("opted_out", state(c).channelStatus(Channel.EMAIL).wire());
        List<LedgerEntry> ledger = fx.ledger(tenant, c);
        assertEquals("complaint", ledger.get(ledger.size() - 1).source());
    }

    @Test
    void whatIsNotAPermanentFailureOfAKnownAddressOfAKnownTenantChangesNothing() {
        String email = Fixtures.uniqueEmail("kept");
        String c = optedIn(email);
        Map<String, String> before = fx.contactPartition(tenant, c);
        List<String> lines;
        try (var logs = CapturedLogs.start()) {
            for (String message : List.of(
                    ses("eventType", "Bounce", "\"bounceType\": \"Transient\", ", to(email), tenant),
                    ses("eventType", "Complaint", "\"complaintFeedbackType\": \"not-spam\", ", to(email), tenant),
                    ses("eventType", "Bounce", "\"bounceType\": \"Permanent\", ", to(email), null),
                    ses("eventType", "Bounce", "\"bounceType\": \"Permanent\", ", to(email), TestInfrastructure.tenant(infra).id()),
                    ses("eventType", "Bounce", "\"bounceType\": \"Permanent\", ", to(Fixtures.uniqueEmail("stranger")), tenant),
                    ses("eventType", "Bounce", "\"bounceType\": \"Permanent\", ", "[{\"emailAddress\": \"not an address\"}]", tenant),
                    "{\"eventType\": \"Delivery\", \"mail\": {}}",
                    "not json at all",
                    "[1, 2]")) {
                bounces.handleRequest(sns(message), new LambdaContext());
            }
            bounces.handleRequest(Map.of(), new LambdaContext());
            lines = logs.lines();
        }
        assertEquals(before, fx.contactPartition(tenant, c));
        assertEquals(10, lines.size());
        for (String line : lines) {
            assertEquals(false, line.contains("@"), "no address in the logs: " + line);
        }
    }

    @Test
    void theSampleEventIsABounceTheHandlerActsOn() {
        String c = optedIn("jane.doe@example.com");
        Map<String, Object> json = SampleEvents.read(SampleEvents.directory().resolve("preferences/ses-bounce.json"),
                Map.of(SampleEvents.EXAMPLE_TENANT, tenant.value()));
        Map<?, ?> sns = (Map<?, ?>) ((Map<?, ?>) ((List<?>) json.get("Records")).get(0)).get("Sns");
        bounces.handleRequest(sns((String) sns.get("Message")), new LambdaContext());
        assertEquals("opted_out", state(c).channelStatus(Channel.EMAIL).wire());
        assertEquals("Bounce", ((Map<?, ?>) Json.parse((String) sns.get("Message"))).get("eventType"));
    }
}
