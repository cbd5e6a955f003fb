package dev.crm.preferences;

import static dev.crm.preferences.Fixtures.as;
import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.pointers;
import static dev.crm.devkit.Responses.problem;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.shared.consent.Channel;
import dev.crm.preferences.domain.ConsentLedgerReplay;
import dev.crm.preferences.domain.LedgerEntry;
import dev.crm.shared.consent.Preferences;
import dev.crm.preferences.entrypoints.PreferencesHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.contact.ContactDirectory;
import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.json.Json;
import dev.crm.shared.outbound.LocalOutbox;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSettings;
import dev.crm.shared.tokens.SignedTokens;
import dev.crm.shared.tokens.TokenPurpose;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.CapturedLogs;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The public routes (double opt-in, preference centre, one-click unsubscribe) through the real handler
 * against DynamoDB Local, with the local outbox standing in for SES and a clock the tests move.
 */
class PublicRoutesIT {
    static final ExecutorService POOL = Executors.newFixedThreadPool(10);
    static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Test";
    static final String FORM = "application/x-www-form-urlencoded";
    private static final Pattern TOKEN = Pattern.compile("token=([A-Za-z0-9._%-]+)");

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final PreferencesHandler handler = new PreferencesHandler(infra);
    private final Fixtures fx = new Fixtures(infra, handler);
    private final TestInfrastructure.TestTenant tenantA = TestInfrastructure.tenant(infra);
    private final TenantId tenant = tenantA.id();

    @AfterAll
    static void shutdown() {
        POOL.shutdown();
    }

    APIGatewayProxyResponseEvent call(ApiEvents e) {
        return fx.call(e);
    }

    static ApiEvents publicCall(String method, String path) {
        return ApiEvents.request(method, path).header("User-Agent", BROWSER);
    }

    APIGatewayProxyResponseEvent subscribe(String slug, String json) {
        return call(publicCall("POST", "/v1/public/t/{tenantSlug}/subscribe").path("tenantSlug", slug).json(json));
    }

    static String subscription(String email, String... topics) {
        StringBuilder t = new StringBuilder();
        for (String topic : topics) {
            t.append(t.length() == 0 ? "" : ", ").append('"').append(topic).append('"');
        }
        return "{\"email\": \"" + email + "\", \"topics\": [" + t + "], \"channel\": \"email\"}";
    }

    static String tokenOf(String url) {
        Matcher m = TOKEN.matcher(url);
        assertTrue(m.find(), url);
        return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    }

    Preferences state(TenantId t, String contactId) {
        var items = fx.items(t, contactId, Keys.PREFERENCES);
        return items.isEmpty() ? Preferences.empty() : Preferences.fromStored(Attr.map(items.get(0), "view"));
    }

    void assertStateIsTheLedgerReplayed(TenantId t, String contactId) {
        assertEquals(state(t, contactId).channels(), ConsentLedgerReplay.replay(fx.ledger(t, contactId)));
    }

    Map<String, Object> decide(String contactId, String topic) {
        var r = call(as(tenant, Scope.READ, "POST", "/v1/contacts/{id}/contact-decisions").path("id", contactId)
                .json("{\"channel\": \"email\", \"topic\": \"" + topic + "\", \"messageClass\": \"marketing\"}"));
        status(r, 200);
        return body(r);
    }

    APIGatewayProxyResponseEvent put(String contactId, long ifMatch, String json) {
        return call(as(tenant, Scope.WRITE, "PUT", "/v1/contacts/{id}/preferences").path("id", contactId)
                .header("If-Match", "\"" + ifMatch + "\"").json(json));
    }

    Map<String, Object> links(String contactId) {
        var r = call(as(tenant, Scope.WRITE, "GET", "/v1/contacts/{id}/links").path("id", contactId));
        status(r, 200);
        return body(r);
    }

    APIGatewayProxyResponseEvent oneClick(String token) {
        return call(publicCall("POST", "/v1/public/unsubscribe").query("token", token)
                .body(FORM, "List-Unsubscribe=One-Click"));
    }

    /** A contact opted in to email and the given topics through the API. */
    String optedIn(String... topics) {
        for (String topic : topics) {
            if (!infra.table().client().getItem(b -> b.tableName(infra.table().name())
                    .key(Table.key(tenant.value() + "#TOPICS", topic))).hasItem()) {
                fx.topic(tenant, topic);
            }
        }
        String c = fx.contact(tenant, "Europe/London");
        StringBuilder t = new StringBuilder();
        for (String topic : topics) {
            t.append(t.length() == 0 ? "" : ", ").append('"').append(topic).append("\": \"opted_in\"");
        }
        status(put(c, 0, "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {" + t + "}}},"
                + " \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}"), 200);
        return c;
    }

    // ---- double opt-in ----

    @Test
    void doubleOptInEndToEndThroughTheOutbox() {
        fx.topic(tenant, "newsletter");
        fx.settings(tenant, new TenantSettings(List.of(), "UTC", "EUR", Map.of(), "2026-01"));
        String email = Fixtures.uniqueEmail("Jane.Doe");
        try (var logs = CapturedLogs.start()) {
            doubleOptIn(email, logs);
        }
    }

    private void doubleOptIn(String email, CapturedLogs logs) {
        var accepted = subscribe(tenantA.slug(), subscription(email, "newsletter"));
        status(accepted, 202);

        // the address was unknown: a contact now holds it, pending on the channel and the topic
        String c = new ContactDirectory(infra.table(), TestInfrastructure.tenantSecrets(infra)).findIdByEmail(tenant, email);
        assertNotNull(c);
        Preferences pending = state(tenant, c);
        assertEquals("pending", pending.channelStatus(Channel.EMAIL).wire());
        assertEquals("pending", pending.topicStatus(Channel.EMAIL, "newsletter").wire());
        List<LedgerEntry> requested = fx.ledger(tenant, c);
        assertEquals(2, requested.size());
        for (LedgerEntry e : requested) {
            assertEquals("subscribe_form", e.source());
            assertEquals("contact", e.actor());
            assertEquals("203.0.113.7", e.ip());
            assertEquals(BROWSER, e.userAgent());
            assertEquals("2026-01", e.wordingVersion());
        }

        // the confirmation went through the message sender with a link to the confirmation page
        List<LocalOutbox.Sent> sent = LocalOutbox.INSTANCE.messagesTo(email);
        assertEquals(1, sent.size());
        assertEquals(tenant.value(), sent.get(0).message().tenantId());
        assertEquals("double_opt_in", sent.get(0).message().purpose());
        String text = sent.get(0).message().textBody();
        assertTrue(text.contains("http://127.0.0.1:3000/v1/public/confirm?token="), text);
        String token = tokenOf(text);
        assertTrue(sent.get(0).message().htmlBody().contains("/v1/public/confirm?token="));

        // opening the link (as a mail scanner would) changes nothing
        Map<String, String> beforePage = fx.contactPartition(tenant, c);
        var page = call(publicCall("GET", "/v1/public/confirm").query("token", token));
        status(page, 200);
        assertEquals("text/html; charset=utf-8", header(page, "Content-Type"));
        assertTrue(page.getBody().contains("<form method=\"post\" action=\"confirm\">"));
        assertTrue(page.getBody().contains("name=\"token\""));
        assertEquals("no-referrer", header(page, "Referrer-Policy"));
        assertEquals(beforePage, fx.contactPartition(tenant, c));
        assertEquals("pending_double_opt_in", decide(c, "newsletter").get("reason"));

        // the page's button POSTs the form
        clock.advance(Duration.ofMinutes(3));
        var confirmed = call(publicCall("POST", "/v1/public/confirm").body(FORM, "token=" + token));
        status(confirmed, 200);
        assertTrue(confirmed.getBody().contains("confirmed"));
        Preferences after = state(tenant, c);
        assertEquals("opted_in", after.channelStatus(Channel.EMAIL).wire());
        assertEquals("opted_in", after.topicStatus(Channel.EMAIL, "newsletter").wire());
        List<LedgerEntry> ledger = fx.ledger(tenant, c);
        assertEquals(4, ledger.size());
        for (LedgerEntry e : ledger.subList(2, 4)) {
            assertEquals("double_opt_in", e.source());
            assertEquals("pending", e.oldStatus().wire());
            assertEquals("opted_in", e.newStatus().wire());
            assertEquals("203.0.113.7", e.ip());
            assertEquals(BROWSER, e.userAgent());
            assertEquals("2026-01", e.wordingVersion(), "the wording the contact saw when subscribing");
            assertEquals(Instant.parse("2026-11-23T10:03:00Z"), e.at());
        }
        assertStateIsTheLedgerReplayed(tenant, c);
        Map<String, Object> decision = decide(c, "newsletter");
        assertEquals(true, decision.get("allowed"), decision::toString);

        // the token is single-use: a second POST (or the page) is a 409 and changes nothing
        Map<String, String> afterConfirm = fx.contactPartition(tenant, c);
        problem(call(publicCall("POST", "/v1/public/confirm").query("token", token)), 409, "token-used");
        problem(call(publicCall("GET", "/v1/public/confirm").query("token", token)), 409, "token-used");
        assertEquals(afterConfirm, fx.contactPartition(tenant, c));

        // subscribing again when everything is confirmed sends nothing, and answers alike
        var again = subscribe(tenantA.slug(), subscription(email, "newsletter"));
        status(again, 202);
        assertEquals(body(accepted), body(again));
        assertEquals(1, LocalOutbox.INSTANCE.messagesTo(email).size());

        // one log line per request, and neither the address nor the token in any of them
        List<String> logLines = logs.lines();
        assertTrue(logLines.size() >= 8, logLines::toString);
        for (String line : logLines) {
            assertFalse(line.toLowerCase(Locale.ROOT).contains(email.toLowerCase(Locale.ROOT)), line);
            assertFalse(line.contains(token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'))), line);
        }
    }

    @Test
    void aConfirmationPostedWithTheTokenInTheQueryAnswersJson() {
        fx.topic(tenant, "offers");
        String email = Fixtures.uniqueEmail("json");
        status(subscribe(tenantA.slug(), subscription(email, "offers")), 202);
        String token = tokenOf(LocalOutbox.INSTANCE.messagesTo(email).get(0).message().textBody());
        var r = call(publicCall("POST", "/v1/public/confirm").query("token", token));
        status(r, 200);
        assertEquals(Map.of("status", "confirmed", "channel", "email", "topics", List.of("offers")), body(r));
        problem(call(publicCall("POST", "/v1/public/confirm").query("token", token).body(FORM, "token=other")), 400,
                "validation-error");
    }

    @Test
    void aTenantNotYetMigratedFindsItsSubscriberUnderTheOldUnkeyedGuard() {
        // a tenant provisioned before keyed guards: no marker in its secrets, its contact's guard under sha256
        infra.table().client().updateItem(b -> b.tableName(infra.table().name())
                .key(Table.key(Keys.tenant(tenant), Keys.ITEM)).updateExpression("REMOVE secrets.emailGuards"));
        var secrets = infra.tenants().find(tenant).secrets();
        assertFalse(secrets.keyedEmailGuards());
        fx.topic(tenant, "newsletter");
        String email = Fixtures.uniqueEmail("legacy");
        String c = fx.contact(tenant, email, "UTC");
        String keyedGuard = EmailAddress.guardKey(tenant, secrets, email);
        var guard = new java.util.HashMap<>(infra.table().get(keyedGuard, Keys.ITEM));
        infra.table().client().deleteItem(b -> b.tableName(infra.table().name()).key(Table.key(keyedGuard, Keys.ITEM)));
        guard.putAll(Table.key(Keys.emailGuard(tenant, Hashes.sha256Hex("email|" + email.toLowerCase(Locale.ROOT))), Keys.ITEM));
        infra.table().client().putItem(b -> b.tableName(infra.table().name()).item(guard));

        status(subscribe(tenantA.slug(), subscription("  " + email.toUpperCase(Locale.ROOT), "newsletter")), 202);
        assertEquals("pending", state(tenant, c).channelStatus(Channel.EMAIL).wire(), "the subscription went to that contact");
        assertEquals(c, new ContactDirectory(infra.table(), TestInfrastructure.tenantSecrets(infra)).findIdByEmail(tenant, email));
        assertNull(infra.table().get(keyedGuard, Keys.ITEM), "no second contact took the address under the new key");
    }

    @Test
    void subscribingAnswersAlikeForKnownAndUnknownAddressesAndRejectsBadInputWritingNothing() {
        fx.topic(tenant, "newsletter");
        String known = Fixtures.uniqueEmail("known");
        fx.contact(tenant, known, "Europe/London");
        var forKnown = subscribe(tenantA.slug(), subscription(known, "newsletter"));
        var forUnknown = subscribe(tenantA.slug(), subscription(Fixtures.uniqueEmail("unknown")));
        status(forKnown, 202);
        status(forUnknown, 202);
        assertEquals(forKnown.getBody(), forUnknown.getBody());

        String fresh = Fixtures.uniqueEmail("never");
        problem(subscribe("no-such-tenant-slug", subscription(fresh)), 404, "not-found");
        problem(subscribe("Bad_Slug", subscription(fresh)), 404, "not-found");
        var bad = subscribe(tenantA.slug(), "{\"email\": \"not an address\", \"topics\": [\"newsletter\", \"unknown\", 7],"
                + " \"channel\": \"sms\", \"tenantId\": \"" + tenant + "\"}");
        problem(bad, 400, "validation-error");
        assertEquals(Set.of("/tenantId", "/email", "/channel", "/topics/2"), new HashSet<>(pointers(bad)));
        assertEquals(List.of("/topics/0"), pointers(subscribe(tenantA.slug(), subscription(fresh, "unknown"))));
        problem(subscribe(tenantA.slug(), "{\"email\": "), 400, "malformed-json");
        problem(subscribe(tenantA.slug(), "{\"email\": \"" + fresh + "\", \"topics\": [\"a\", \"b\", \"c\", \"d\", \"e\","
                + " \"f\", \"g\", \"h\", \"i\", \"j\", \"k\"]}"), 400, "validation-error");
        problem(call(publicCall("POST", "/v1/public/t/{tenantSlug}/subscribe").path("tenantSlug", tenantA.slug())
                .body("text/plain", "email=" + fresh)), 415, "unsupported-media-type");
        assertNull(new ContactDirectory(infra.table(), TestInfrastructure.tenantSecrets(infra)).findIdByEmail(tenant, fresh), "no contact was created");
        assertEquals(List.of(), LocalOutbox.INSTANCE.messagesTo(fresh));
    }

    @Test
    void rateLimitsPerAddressAndPerClientTriggerAndRecoverWithTheClock() {
        String email = Fixtures.uniqueEmail("limited");
        for (int i = 0; i < 3; i++) {
            status(subscribe(tenantA.slug(), subscription(email)), 202);
        }
        var limited = subscribe(tenantA.slug(), subscription(email.toUpperCase(Locale.ROOT)));
        problem(limited, 429, "rate-limited");
        assertEquals("3600", header(limited, "Retry-After"), "until the hour's window ends");
        clock.advance(Duration.ofMinutes(59));
        problem(subscribe(tenantA.slug(), subscription(email)), 429, "rate-limited");
        clock.advance(Duration.ofMinutes(1));
        status(subscribe(tenantA.slug(), subscription(email)), 202);

        // one client, many addresses: 20 in ten minutes
        TenantId other = TestInfrastructure.tenant(infra).id();
        String slug = infra.tenants().find(other).slug();
        for (int i = 0; i < 20; i++) {
            status(subscribe(slug, subscription(Fixtures.uniqueEmail("ip" + i))), 202);
        }
        var fromClient = subscribe(slug, subscription(Fixtures.uniqueEmail("ip20")));
        problem(fromClient, 429, "rate-limited");
        assertEquals("600", header(fromClient, "Retry-After"));
        // another client is not limited by the first one, nor is the first one in another tenant
        status(call(publicCall("POST", "/v1/public/t/{tenantSlug}/subscribe").path("tenantSlug", slug).sourceIp("198.51.100.9")
                .json(subscription(Fixtures.uniqueEmail("elsewhere")))), 202);
        clock.advance(Duration.ofMinutes(10));
        status(subscribe(slug, subscription(Fixtures.uniqueEmail("later"))), 202);
        // counters are kept by keyed pseudonyms: no address or IP in any key, nor an unkeyed hash of one
        var secrets = infra.tenants().find(other).secrets();
        assertFalse(fx.partition(other.value() + "#RATE#client#" + secrets.pseudonym("subscribe-client", "203.0.113.7")).isEmpty());
        assertTrue(fx.partition(other.value() + "#RATE#client#" + Hashes.sha256Hex("ip|203.0.113.7")).isEmpty());
        String limitedKey = tenant.value() + "#RATE#address#";
        assertFalse(fx.partition(limitedKey + infra.tenants().find(tenant).secrets().pseudonym("subscribe-address",
                EmailAddress.normalize(email))).isEmpty());
        assertTrue(fx.partition(limitedKey + EmailAddress.legacyHash(email)).isEmpty());
        // another tenant's pseudonym of the same client is unrelated (its own key)
        assertNotEquals(secrets.pseudonym("subscribe-client", "203.0.113.7"),
                infra.tenants().find(tenant).secrets().pseudonym("subscribe-client", "203.0.113.7"));
    }

    // ---- one-click unsubscribe ----

    @Test
    void oneClickUnsubscribeFromATopicLeavesTheOtherTopicsOptedIn() {
        String c = optedIn("newsletter", "offers");
        Map<String, Object> links = links(c);
        String newsletterToken = tokenOf((String) ((Map<?, ?>) links.get("unsubscribeUrls")).get("newsletter"));
        clock.advance(Duration.ofDays(30));
        var r = oneClick(newsletterToken);
        status(r, 200);
        assertEquals(Map.of("status", "opted_out", "channel", "email", "topic", "newsletter"), withoutNulls(body(r)));
        Preferences p = state(tenant, c);
        assertEquals("opted_out", p.topicStatus(Channel.EMAIL, "newsletter").wire());
        assertEquals("opted_in", p.topicStatus(Channel.EMAIL, "offers").wire());
        assertEquals("opted_in", p.channelStatus(Channel.EMAIL).wire());
        List<LedgerEntry> ledger = fx.ledger(tenant, c);
        LedgerEntry last = ledger.get(ledger.size() - 1);
        assertEquals("one_click_unsubscribe", last.source());
        assertEquals("contact", last.actor());
        assertEquals(BROWSER, last.userAgent());
        assertEquals("opted_out_topic", decide(c, "newsletter").get("reason"));
        assertEquals(true, decide(c, "offers").get("allowed"));

        // a repeated click changes nothing more and still answers 200
        int entries = ledger.size();
        status(oneClick(newsletterToken), 200);
        assertEquals(entries, fx.ledger(tenant, c).size());

        // the channel's link, as multipart/form-data (RFC 8058's recommended encoding), opts out the channel only
        String all = tokenOf((String) links.get("unsubscribeAllUrl"));
        String boundary = "----crm" + System.nanoTime();
        var multipart = call(publicCall("POST", "/v1/public/unsubscribe").query("token", all)
                .body("multipart/form-data; boundary=" + boundary, "--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--" + boundary + "--\r\n"));
        status(multipart, 200);
        Preferences afterAll = state(tenant, c);
        assertEquals("opted_out", afterAll.channelStatus(Channel.EMAIL).wire());
        assertEquals("opted_in", afterAll.topicStatus(Channel.EMAIL, "offers").wire());
        assertStateIsTheLedgerReplayed(tenant, c);

        Map<String, String> before = fx.contactPartition(tenant, c);
        problem(call(publicCall("POST", "/v1/public/unsubscribe").query("token", all).body(FORM, "List-Unsubscribe=Yes")),
                400, "validation-error");
        problem(call(publicCall("POST", "/v1/public/unsubscribe").query("token", all).body(FORM, "List-Unsubscribe=One-Click&x=1")),
                400, "validation-error");
        problem(call(publicCall("POST", "/v1/public/unsubscribe").query("token", all).json("{}")), 415,
                "unsupported-media-type");
        problem(call(publicCall("POST", "/v1/public/unsubscribe").body(FORM, "List-Unsubscribe=One-Click")), 400,
                "validation-error");
        assertEquals(before, fx.contactPartition(tenant, c));
    }

    static Map<String, Object> withoutNulls(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Test
    void concurrentOneClickUnsubscribesLoseNothing() throws Exception {
        String[] topics = new String[10];
        for (int i = 0; i < topics.length; i++) {
            topics[i] = "topic-" + i;
        }
        String c = optedIn(topics);
        Map<?, ?> urls = (Map<?, ?>) links(c).get("unsubscribeUrls");
        assertEquals(10, urls.size());
        int before = fx.ledger(tenant, c).size();
        List<Future<APIGatewayProxyResponseEvent>> results = new ArrayList<>();
        for (Object url : urls.values()) {
            String token = tokenOf((String) url);
            results.add(POOL.submit(() -> oneClick(token)));
        }
        for (var f : results) {
            status(f.get(), 200);
        }
        Preferences p = state(tenant, c);
        for (String topic : topics) {
            assertEquals("opted_out", p.topicStatus(Channel.EMAIL, topic).wire(), topic);
        }
        assertEquals(before + 10, fx.ledger(tenant, c).size(), "exactly one entry per change");
        assertEquals(before + 10, fx.items(tenant, c, Keys.TIMELINE_PREFIX).size());
        assertStateIsTheLedgerReplayed(tenant, c);
    }

    // ---- tokens that must not work ----

    @Test
    void forgedExpiredTamperedWrongPurposeAndReusedTokensChangeNothing() {
        fx.topic(tenant, "newsletter");
        String email = Fixtures.uniqueEmail("tokens");
        status(subscribe(tenantA.slug(), subscription(email, "newsletter")), 202);
        String c = new ContactDirectory(infra.table(), TestInfrastructure.tenantSecrets(infra)).findIdByEmail(tenant, email);
        String confirm = tokenOf(LocalOutbox.INSTANCE.messagesTo(email).get(0).message().textBody());
        Map<String, Object> links = links(c);
        String unsubscribeAll = tokenOf((String) links.get("unsubscribeAllUrl"));
        String preferences = tokenOf((String) links.get("preferenceCentreUrl"));
        Map<String, String> before = fx.contactPartition(tenant, c);

        String victim = optedIn("newsletter");
        Map<String, String> victimBefore = fx.contactPartition(tenant, victim);
        TenantId b = TestInfrastructure.tenant(infra).id();
        List<String> invalid = List.of(
                "forged",
                "k_abc.eyJ0IjoidF8ifQ." + "A".repeat(43),
                // tampered: the payload names another contact, the signature is the original's
                retarget(unsubscribeAll, victim),
                // signed with another tenant's key while naming this tenant
                SignedTokens.issue(tenant, infra.tenants().find(b).secrets(), TokenPurpose.UNSUBSCRIBE_ALL, victim,
                        Map.of("ch", "email"), clock.instant(), Duration.ofDays(1)),
                // this tenant's key, but naming the other tenant
                SignedTokens.issue(b, infra.tenants().find(tenant).secrets(), TokenPurpose.UNSUBSCRIBE_ALL, victim,
                        Map.of("ch", "email"), clock.instant(), Duration.ofDays(1)),
                // wrong purposes
                preferences, confirm);
        for (String token : invalid) {
            problem(oneClick(token), 400, "invalid-token");
        }
        problem(call(publicCall("POST", "/v1/public/confirm").query("token", unsubscribeAll)), 400, "invalid-token");
        problem(call(publicCall("GET", "/v1/public/confirm").query("token", preferences)), 400, "invalid-token");
        problem(call(publicCall("GET", "/v1/public/preferences").query("token", unsubscribeAll)), 400, "invalid-token");
        problem(call(publicCall("PUT", "/v1/public/preferences").query("token", confirm).header("If-Match", "\"1\"")
                .json("{\"channels\": {}}")), 400, "invalid-token");
        problem(call(publicCall("GET", "/v1/public/preferences")), 400, "validation-error");

        // expired: a confirmation after its 7 days
        clock.advance(Duration.ofDays(7));
        problem(call(publicCall("POST", "/v1/public/confirm").query("token", confirm)), 400, "invalid-token");
        problem(call(publicCall("GET", "/v1/public/confirm").query("token", confirm)), 400, "invalid-token");
        assertEquals(before, fx.contactPartition(tenant, c));
        assertEquals(victimBefore, fx.contactPartition(tenant, victim));
        assertEquals(2, fx.ledger(tenant, c).size(), "only the subscription's own entries");

        // reused: a confirmation token works once
        String email2 = Fixtures.uniqueEmail("reuse");
        status(subscribe(tenantA.slug(), subscription(email2)), 202);
        String c2 = new ContactDirectory(infra.table(), TestInfrastructure.tenantSecrets(infra)).findIdByEmail(tenant, email2);
        String confirm2 = tokenOf(LocalOutbox.INSTANCE.messagesTo(email2).get(0).message().textBody());
        status(call(publicCall("POST", "/v1/public/confirm").query("token", confirm2)), 200);
        Map<String, String> confirmed = fx.contactPartition(tenant, c2);
        problem(call(publicCall("POST", "/v1/public/confirm").query("token", confirm2)), 409, "token-used");
        assertEquals(confirmed, fx.contactPartition(tenant, c2));

        // and an unsubscribe link expires after a year
        String victimAll = tokenOf((String) links(victim).get("unsubscribeAllUrl"));
        clock.advance(Duration.ofDays(366));
        problem(oneClick(victimAll), 400, "invalid-token");
        assertEquals(victimBefore, fx.contactPartition(tenant, victim));
    }

    /** The token with its payload's subject replaced, keeping the original signature. */
    static String retarget(String token, String subject) {
        String[] parts = token.split("\\.");
        String payload = new String(Hashes.fromBase64Url(parts[1]), StandardCharsets.UTF_8);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(payload);
        m.put("s", subject);
        return parts[0] + "." + Hashes.base64Url(Json.write(m).getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    // ---- preference centre ----

    @Test
    void thePreferenceCentreReadsAndChangesTheStateAsTheContact() {
        fx.topic(tenant, "offers");
        String c = optedIn("newsletter");
        String token = tokenOf((String) links(c).get("preferenceCentreUrl"));
        var got = call(publicCall("GET", "/v1/public/preferences").query("token", token));
        status(got, 200);
        assertEquals("\"1\"", header(got, "ETag"));
        Map<String, Object> data = body(got);
        assertEquals(1L, ((Map<?, ?>) data.get("preferences")).get("version"));
        assertEquals("Europe/London", data.get("timeZone"), "the contact's own zone, in which quiet hours are judged");
        assertEquals(List.of("newsletter", "offers"), ((List<?>) data.get("topics")).stream()
                .map(t -> ((Map<?, ?>) t).get("key")).toList());

        String change = "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"newsletter\": \"opted_out\","
                + " \"offers\": \"opted_in\"}}}, \"quietHours\": {\"start\": \"22:00\", \"end\": \"07:00\"}}";
        problem(call(publicCall("PUT", "/v1/public/preferences").query("token", token).json(change)), 428,
                "precondition-required");
        problem(call(publicCall("PUT", "/v1/public/preferences").query("token", token).header("If-Match", "\"0\"")
                .json(change)), 412, "precondition-failed");
        Map<String, String> before = fx.contactPartition(tenant, c);
        var pending = call(publicCall("PUT", "/v1/public/preferences").query("token", token).header("If-Match", "\"1\"")
                .json("{\"channels\": {\"email\": {\"status\": \"pending\"}}}"));
        assertEquals(List.of("/channels/email/status"), pointers(pending));
        var notTheirs = call(publicCall("PUT", "/v1/public/preferences").query("token", token).header("If-Match", "\"1\"")
                .json("{\"channels\": {}, \"legalBasis\": \"contract\", \"source\": \"crm-ui\"}"));
        assertEquals(List.of("/legalBasis", "/source"), pointers(notTheirs));
        problem(call(publicCall("PUT", "/v1/public/preferences").query("token", token).header("If-Match", "\"1\"")
                .json("{\"channels\": {}, \"topics\": []}")), 400, "validation-error");
        assertEquals(before, fx.contactPartition(tenant, c));

        var put = call(publicCall("PUT", "/v1/public/preferences").query("token", token).header("If-Match", "\"1\"")
                .json(change));
        status(put, 200);
        assertEquals("\"2\"", header(put, "ETag"));
        List<LedgerEntry> ledger = fx.ledger(tenant, c);
        List<LedgerEntry> fromCentre = ledger.subList(ledger.size() - 2, ledger.size());
        for (LedgerEntry e : fromCentre) {
            assertEquals("preference_centre", e.source());
            assertEquals("contact", e.actor());
            assertEquals("consent", e.legalBasis().wire());
            assertEquals("203.0.113.7", e.ip());
            assertEquals(BROWSER, e.userAgent());
        }
        assertEquals(Map.of("start", "22:00", "end", "07:00"), ((Map<?, ?>) body(put)).get("quietHours"));
        assertStateIsTheLedgerReplayed(tenant, c);
    }

    // ---- tenants and browsers ----

    @Test
    void publicRoutesAllowTheTenantsOriginsOnceTheTenantIsKnown() {
        fx.settings(tenant, new TenantSettings(List.of("https://shop.example.com"), "UTC", "EUR", Map.of(), null));
        String c = optedIn("newsletter");
        var allowed = call(publicCall("POST", "/v1/public/t/{tenantSlug}/subscribe").path("tenantSlug", tenantA.slug())
                .header("Origin", "https://shop.example.com").json(subscription(Fixtures.uniqueEmail("cors"))));
        status(allowed, 202);
        assertEquals("https://shop.example.com", header(allowed, "Access-Control-Allow-Origin"));
        var other = call(publicCall("POST", "/v1/public/t/{tenantSlug}/subscribe").path("tenantSlug", tenantA.slug())
                .header("Origin", "https://evil.example.net").json(subscription(Fixtures.uniqueEmail("cors"))));
        assertNull(header(other, "Access-Control-Allow-Origin"));
        // an error for a token of this tenant carries the tenant's origins too, so the page can read it
        String token = tokenOf((String) links(c).get("preferenceCentreUrl"));
        var stale = call(publicCall("PUT", "/v1/public/preferences").query("token", token).header("If-Match", "\"7\"")
                .header("Origin", "https://shop.example.com").json("{\"channels\": {}}"));
        problem(stale, 412, "precondition-failed");
        assertEquals("https://shop.example.com", header(stale, "Access-Control-Allow-Origin"));
        // a tenant that is unknown has no origins
        var unknown = call(publicCall("POST", "/v1/public/t/{tenantSlug}/subscribe").path("tenantSlug", "nobody-here")
                .header("Origin", "https://shop.example.com").json(subscription(Fixtures.uniqueEmail("cors"))));
        assertNull(header(unknown, "Access-Control-Allow-Origin"));

        // preflights (a JSON sign-up, the preference centre's PUT with If-Match) from the tenant's site
        var signUp = call(publicCall("OPTIONS", "/v1/public/t/{tenantSlug}/subscribe").path("tenantSlug", tenantA.slug())
                .header("Origin", "https://shop.example.com").header("Access-Control-Request-Method", "POST"));
        status(signUp, 204);
        assertEquals("https://shop.example.com", header(signUp, "Access-Control-Allow-Origin"));
        assertEquals("POST", header(signUp, "Access-Control-Allow-Methods"));
        var centre = call(publicCall("OPTIONS", "/v1/public/preferences").query("token", token)
                .header("Origin", "https://shop.example.com").header("Access-Control-Request-Method", "PUT"));
        status(centre, 204);
        assertEquals("https://shop.example.com", header(centre, "Access-Control-Allow-Origin"));
        assertEquals("GET, PUT", header(centre, "Access-Control-Allow-Methods"));
        assertTrue(header(centre, "Access-Control-Allow-Headers").contains("If-Match"));
        for (var refused : List.of(
                call(publicCall("OPTIONS", "/v1/public/preferences").query("token", token).header("Origin", "https://evil.example.net")),
                call(publicCall("OPTIONS", "/v1/public/preferences").query("token", "forged").header("Origin", "https://shop.example.com")),
                call(publicCall("OPTIONS", "/v1/public/t/{tenantSlug}/subscribe").path("tenantSlug", "nobody-here")
                        .header("Origin", "https://shop.example.com")))) {
            status(refused, 204);
            assertNull(header(refused, "Access-Control-Allow-Origin"));
        }
    }

    @Test
    void aTokenOfTenantAActsOnTenantAOnly() {
        String a = optedIn("newsletter");
        TenantId b = TestInfrastructure.tenant(infra).id();
        String bContact = fx.contact(b, "Europe/London");
        String aToken = tokenOf((String) links(a).get("unsubscribeAllUrl"));
        Map<String, String> bBefore = fx.contactPartition(b, bContact);
        // A's token retargeted at B's contact fails its signature; A's token as it is changes A's contact
        problem(oneClick(retarget(aToken, bContact)), 400, "invalid-token");
        status(oneClick(aToken), 200);
        assertEquals(bBefore, fx.contactPartition(b, bContact));
        assertEquals("opted_out", state(tenant, a).channelStatus(Channel.EMAIL).wire());
        // B's slug does not reach A's contacts: the same address subscribed at B is B's own new contact
        String email = Fixtures.uniqueEmail("both");
        fx.contact(tenant, email, "Europe/London");
        status(subscribe(infra.tenants().find(b).slug(), subscription(email)), 202);
        String atB = new ContactDirectory(infra.table(), TestInfrastructure.tenantSecrets(infra)).findIdByEmail(b, email);
        String atA = new ContactDirectory(infra.table(), TestInfrastructure.tenantSecrets(infra)).findIdByEmail(tenant, email);
        assertNotNull(atB);
        assertFalse(atB.equals(atA));
        assertEquals(Preferences.empty(), state(tenant, atA));
    }

    @Test
    void aContactBeingErasedIsNeitherSubscribedNorChangedByItsLinks() {
        String c = optedIn("newsletter");
        String token = tokenOf((String) links(c).get("unsubscribeAllUrl"));
        fx.markErasing(tenant, c);
        Map<String, String> before = fx.contactPartition(tenant, c);
        problem(oneClick(token), 404, "not-found");
        String email = Fixtures.uniqueEmail("erasing");
        String d = fx.contact(tenant, email, "Europe/London");
        fx.markErasing(tenant, d);
        status(subscribe(tenantA.slug(), subscription(email)), 202);
        assertEquals(List.of(), LocalOutbox.INSTANCE.messagesTo(email));
        assertEquals(before, fx.contactPartition(tenant, c));
        assertEquals(Set.of(Keys.CONTACT_PROFILE), fx.contactPartition(tenant, d).keySet());
    }
}
