package dev.crm.cases;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.problem;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.cases.entrypoints.CasesHandler;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.CapturedLogs;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.contact.ContactDirectory;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.outbound.LocalOutbox;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tokens.SignedTokens;
import dev.crm.shared.tokens.TokenPurpose;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The self-service routes (contact form, status page, replies) through the real handler against DynamoDB Local. */
class PublicCasesIT {
    private static final Pattern TOKEN = Pattern.compile("[?&]token=([^\\s\"&<]+)");

    private final MutableClock clock = MutableClock.at("2026-12-07T09:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final CasesHandler handler = new CasesHandler(infra);
    private final TestInfrastructure.TestTenant a = TestInfrastructure.tenant(infra);
    private final TestInfrastructure.TestTenant b = TestInfrastructure.tenant(infra);
    private final ContactDirectory directory = new ContactDirectory(infra.table(), TestInfrastructure.tenantSecrets(infra));

    private APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    private static String uniqueEmail(String prefix) {
        return prefix + "." + Ids.random("", 10) + "@example.org";
    }

    private static String form(String email, String subject) {
        return "{\"email\": " + Json.write(email) + ", \"name\": \"Jane Doe\", \"category\": \"billing\", "
                + "\"subject\": " + Json.write(subject) + ", \"body\": \"I was charged twice for order 1042.\"}";
    }

    private ApiEvents submitting(String slug, String json, String ip) {
        return ApiEvents.request("POST", "/v1/public/t/{tenantSlug}/cases").path("tenantSlug", slug).sourceIp(ip).json(json);
    }

    private APIGatewayProxyResponseEvent submit(String slug, String json) {
        return call(submitting(slug, json, "203.0.113." + (1 + (int) (Math.random() * 200))));
    }

    private APIGatewayProxyResponseEvent view(String token) {
        return call(ApiEvents.request("GET", "/v1/public/cases").query("token", token).sourceIp("203.0.113.9"));
    }

    private APIGatewayProxyResponseEvent reply(String token, String text) {
        return call(ApiEvents.request("POST", "/v1/public/cases/messages").query("token", token).sourceIp("203.0.113.9")
                .json("{\"body\": " + Json.write(text) + "}"));
    }

    private static String tokenOf(String text) {
        Matcher m = TOKEN.matcher(text);
        assertTrue(m.find(), text);
        return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    }

    /** The token of the last link mailed to the address. */
    private static String linkTo(String email) {
        List<LocalOutbox.Sent> sent = LocalOutbox.INSTANCE.messagesTo(email);
        assertFalse(sent.isEmpty(), "a link was mailed");
        return tokenOf(sent.get(sent.size() - 1).message().textBody());
    }

    private List<Map<String, Object>> casesOf(TenantId t) {
        @SuppressWarnings("unchecked")
        var items = (List<Map<String, Object>>) body(call(ApiEvents.request("GET", "/v1/cases").as(t, Scope.READ))).get("items");
        return items;
    }

    private APIGatewayProxyResponseEvent agentMessage(TenantId t, String caseId, String visibility, String text) {
        return call(ApiEvents.request("POST", "/v1/cases/{id}/messages").as(t, Scope.WRITE).path("id", caseId)
                .json("{\"author\": \"agent\", \"visibility\": \"" + visibility + "\", \"body\": " + Json.write(text) + "}"));
    }

    private APIGatewayProxyResponseEvent setStatus(TenantId t, String caseId, String status) {
        var current = call(ApiEvents.request("GET", "/v1/cases/{id}").as(t, Scope.READ).path("id", caseId));
        return call(ApiEvents.request("PATCH", "/v1/cases/{id}").as(t, Scope.WRITE).path("id", caseId)
                .header("If-Match", header(current, "ETag")).json("{\"status\": \"" + status + "\"}"));
    }

    private static Map<String, Object> strip(Map<String, Object> problem) {
        var m = new java.util.HashMap<>(problem);
        m.remove("instance");
        return m;
    }

    @Test
    void aKnownAndAnUnknownAddressGetTheSameAnswerAndBothCasesLinkTheRightContact() {
        String known = uniqueEmail("known");
        String knownId = directory.findOrCreateByEmail(a.id(), known, clock.instant()).id();
        String unknown = uniqueEmail("unknown");
        try (var logs = CapturedLogs.start()) {
            var r1 = submit(a.slug(), form(known, "Charged twice"));
            var r2 = submit(a.slug(), form(unknown, "Charged twice"));
            status(r1, 202);
            assertEquals(r1.getStatusCode(), r2.getStatusCode());
            assertEquals(r1.getBody(), r2.getBody());
            assertEquals(r1.getHeaders(), r2.getHeaders());
            assertTrue(logs.lines().stream().noneMatch(l -> l.contains(known) || l.contains(unknown)
                    || l.toLowerCase(java.util.Locale.ROOT).contains("@example.org")), "no address in the logs");
        }
        String unknownId = directory.findIdByEmail(a.id(), unknown);
        assertNotNull(unknownId, "a contact was created for the new address");
        assertEquals("Jane Doe", directory.find(a.id(), unknownId).data().firstName());
        var cases = casesOf(a.id());
        assertEquals(2, cases.size());
        assertEquals(java.util.Set.of(knownId, unknownId),
                java.util.Set.of(cases.get(0).get("contactId"), cases.get(1).get("contactId")));
        for (var c : cases) {
            assertEquals("web", c.get("channel"));
            assertEquals("new", c.get("status"));
            assertEquals("normal", c.get("priority"));
            assertEquals("I was charged twice for order 1042.", c.get("description"));
        }
        // each sender got one link; the mail carries nothing the sender typed
        for (String email : List.of(known, unknown)) {
            var sent = LocalOutbox.INSTANCE.messagesTo(email);
            assertEquals(1, sent.size());
            var m = sent.get(0).message();
            assertEquals(a.id().value(), m.tenantId());
            assertEquals("case_link", m.purpose());
            assertTrue(m.textBody().contains("http://127.0.0.1:3000/case.html?token="), m.textBody());
            assertFalse(m.textBody().contains("Charged twice") || m.htmlBody().contains("Jane"), m.textBody());
        }
        // an existing contact is never renamed by a stranger's form
        assertNull(directory.find(a.id(), knownId).data().firstName());
    }

    @Test
    void theHoneypotGetsThePersonsAnswerAndNothingIsStoredOrSent() {
        String email = uniqueEmail("bot");
        String json = form(email, "Cheap pills").replace("{\"email\"", "{\"website\": \"http://spam.example\", \"email\"");
        var r = submit(a.slug(), json);
        var person = submit(a.slug(), form(uniqueEmail("person"), "Hello"));
        status(r, 202);
        assertEquals(person.getBody(), r.getBody());
        assertNull(directory.findIdByEmail(a.id(), email));
        assertEquals(List.of(), LocalOutbox.INSTANCE.messagesTo(email));
        assertEquals(1, casesOf(a.id()).size());
    }

    @Test
    void oneClientIsLimitedAndTheRefusalSaysWhenToRetry() {
        for (int i = 0; i < 10; i++) {
            status(call(submitting(a.slug(), form(uniqueEmail("p" + i), "Hello"), "198.51.100.20")), 202);
        }
        var refused = call(submitting(a.slug(), form(uniqueEmail("p11"), "Hello"), "198.51.100.20"));
        problem(refused, 429, "rate-limited");
        assertEquals("600", header(refused, "Retry-After"), "the 10-minute window started at 09:00");
        status(call(submitting(a.slug(), form(uniqueEmail("other"), "Hello"), "198.51.100.21")), 202);
        status(call(submitting(b.slug(), form(uniqueEmail("b"), "Hello"), "198.51.100.20")), 202);
        assertEquals(11, casesOf(a.id()).size());
        clock.advance(Duration.ofMinutes(10));
        status(call(submitting(a.slug(), form(uniqueEmail("later"), "Hello"), "198.51.100.20")), 202);
    }

    @Test
    void oneAddressGetsAtMostFiveMailsAnHour() {
        String email = uniqueEmail("target");
        for (int i = 0; i < 5; i++) {
            status(submit(a.slug(), form(email, "Hello " + i)), 202);
        }
        problem(submit(a.slug(), form(email.toUpperCase(java.util.Locale.ROOT), "Hello")), 429, "rate-limited");
        assertEquals(5, LocalOutbox.INSTANCE.messagesTo(email).size());
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyOpensOneCaseAndSendsOneMail() {
        String email = uniqueEmail("retry");
        var first = call(submitting(a.slug(), form(email, "Hello"), "192.0.2.1").header("Idempotency-Key", "k-1"));
        var again = call(submitting(a.slug(), form(email, "Hello"), "192.0.2.1").header("Idempotency-Key", "k-1"));
        status(first, 202);
        status(again, 202);
        assertEquals(first.getBody(), again.getBody());
        assertEquals(1, casesOf(a.id()).size());
        assertEquals(1, LocalOutbox.INSTANCE.messagesTo(email).size());
        problem(call(submitting(a.slug(), form(email, "Other"), "192.0.2.1").header("Idempotency-Key", "k-1")), 422,
                "idempotency-key-reused");
        // the same key in another tenant is another request
        status(call(submitting(b.slug(), form(email, "Hello"), "192.0.2.1").header("Idempotency-Key", "k-1")), 202);
        assertEquals(1, casesOf(b.id()).size());
    }

    @Test
    void anUnknownSlugInvalidFieldsAndAForeignCategoryAreRefused() {
        problem(submit("no-such-tenant", form(uniqueEmail("x"), "Hello")), 404, "not-found");
        problem(submit(a.slug(), form("not-an-address", "Hello")), 400, "validation-error");
        problem(submit(a.slug(), "{\"email\": \"x@example.org\", \"tenantId\": \"" + b.id().value() + "\"}"), 400,
                "validation-error");
        var t = infra.tenants().find(a.id());
        infra.tenants().updateSettings(a.id(), t.version(), t.settings().merge(JsonObject.of(Json.parse(
                "{\"caseCategories\": [{\"key\": \"returns\", \"name\": \"Returns\"}]}"), new Violations())), clock.instant());
        problem(submit(a.slug(), form(uniqueEmail("c"), "Hello")), 400, "validation-error");
        status(submit(a.slug(), form(uniqueEmail("c"), "Hello").replace("billing", "returns")), 202);
        assertEquals(1, casesOf(a.id()).size());
    }

    @Test
    void theLinkShowsStatusAndPublicMessagesOnlyAndAReplyReopensAPendingCase() {
        String email = uniqueEmail("follow");
        status(submit(a.slug(), form(email, "Charged twice")), 202);
        String token = linkTo(email);
        String caseId = (String) casesOf(a.id()).get(0).get("id");
        status(agentMessage(a.id(), caseId, "internal", "INTERNAL: customer is on the watch list"), 201);
        status(agentMessage(a.id(), caseId, "public", "We are looking into it. <b>Thanks</b>"), 201);
        status(setStatus(a.id(), caseId, "pending"), 200);

        var v = view(token);
        status(v, 200);
        Map<String, Object> shown = body(v);
        assertEquals("CS-000001", shown.get("number"));
        assertEquals("pending", shown.get("status"));
        assertEquals("Charged twice", shown.get("subject"));
        assertFalse(v.getBody().contains("INTERNAL") || v.getBody().contains("watch list"), v.getBody());
        assertFalse(v.getBody().contains(caseId) || v.getBody().contains("contactId"), "no ids on the page");
        @SuppressWarnings("unchecked")
        var messages = (List<Map<String, Object>>) shown.get("messages");
        assertEquals(1, messages.size());
        assertEquals("agent", messages.get(0).get("author"));
        assertEquals("We are looking into it. <b>Thanks</b>", messages.get(0).get("body"));

        clock.advance(Duration.ofMinutes(5));
        var r = reply(token, "Here is the receipt.");
        status(r, 201);
        assertEquals("open", body(r).get("status"));
        assertEquals("open", casesOf(a.id()).get(0).get("status"));
        @SuppressWarnings("unchecked")
        var after = (List<Map<String, Object>>) body(view(token)).get("messages");
        assertEquals(List.of("agent", "customer"), after.stream().map(m -> m.get("author")).toList());
        assertEquals("Here is the receipt.", after.get(1).get("body"));

        // a solved case reopens too; a closed one takes no reply
        status(setStatus(a.id(), caseId, "solved"), 200);
        status(reply(token, "Still broken"), 201);
        assertEquals("open", casesOf(a.id()).get(0).get("status"));
        status(setStatus(a.id(), caseId, "solved"), 200);
        status(setStatus(a.id(), caseId, "closed"), 200);
        problem(reply(token, "Hello?"), 409, "closed");
        assertEquals(false, body(view(token)).get("acceptsReplies"));
    }

    @Test
    void aReplyWithTheSameIdempotencyKeyIsAddedOnce() {
        String email = uniqueEmail("idem");
        status(submit(a.slug(), form(email, "Hello")), 202);
        String token = linkTo(email);
        for (int i = 0; i < 2; i++) {
            status(call(ApiEvents.request("POST", "/v1/public/cases/messages").query("token", token)
                    .header("Idempotency-Key", "r-1").sourceIp("192.0.2.3").json("{\"body\": \"once\"}")), 201);
        }
        assertEquals(1, ((List<?>) body(view(token)).get("messages")).size());
    }

    @Test
    void aTokenOfTenantANeverShowsTenantBsCaseAndIsRefusedExactlyAsAMissingId() {
        String emailB = uniqueEmail("b");
        status(submit(b.slug(), form(emailB, "B's secret case")), 202);
        String bCase = (String) casesOf(b.id()).get(0).get("id");
        String bContact = (String) casesOf(b.id()).get(0).get("contactId");
        var aTenant = infra.tenants().find(a.id());
        // A's key signing a link that names B's case (and B's contact): A's tenant holds no such case
        String crossed = SignedTokens.issue(a.id(), aTenant.secrets(), TokenPurpose.CASE_ACCESS, bCase,
                Map.of("ct", bContact), clock.instant(), Duration.ofDays(1));
        String missing = SignedTokens.issue(a.id(), aTenant.secrets(), TokenPurpose.CASE_ACCESS, "cs_" + "a".repeat(20),
                Map.of("ct", bContact), clock.instant(), Duration.ofDays(1));
        var foreign = view(crossed);
        var absent = view(missing);
        problem(foreign, 404, "not-found");
        assertEquals(strip(body(absent)), strip(body(foreign)));
        assertFalse(foreign.getBody().contains("secret"));
        var foreignReply = reply(crossed, "let me in");
        problem(foreignReply, 404, "not-found");
        assertEquals(strip(body(reply(missing, "let me in"))), strip(body(foreignReply)));
        // another contact's link to a case of the same tenant is not found either
        String emailA = uniqueEmail("a");
        status(submit(a.slug(), form(emailA, "A's case")), 202);
        String aCase = (String) casesOf(a.id()).get(0).get("id");
        String otherContact = directory.findOrCreateByEmail(a.id(), uniqueEmail("other"), clock.instant()).id();
        problem(view(SignedTokens.issue(a.id(), aTenant.secrets(), TokenPurpose.CASE_ACCESS, aCase,
                Map.of("ct", otherContact), clock.instant(), Duration.ofDays(1))), 404, "not-found");
        // B's own link still works, and nothing was added to B's case
        @SuppressWarnings("unchecked")
        var bMessages = (List<Object>) body(view(linkTo(emailB))).get("messages");
        assertEquals(0, bMessages.size());
    }

    @Test
    void aTamperedForgedExpiredOrWrongPurposeTokenIsRefusedAndReadsNothing() {
        String email = uniqueEmail("tamper");
        status(submit(a.slug(), form(email, "Hello")), 202);
        String token = linkTo(email);
        String[] parts = token.split("\\.");
        // the payload re-signed by nobody: its tenant switched to B
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(a.id().value(), b.id().value());
        String switched = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        String flipped = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? "B" : "A") + parts[2].substring(1);
        var aTenant = infra.tenants().find(a.id());
        String wrongPurpose = SignedTokens.issue(a.id(), aTenant.secrets(), TokenPurpose.PREFERENCES,
                (String) casesOf(a.id()).get(0).get("id"), null, clock.instant(), Duration.ofDays(1));
        for (String bad : List.of(switched, flipped, wrongPurpose, "garbage", token + "x")) {
            problem(view(bad), 400, "invalid-token");
            problem(reply(bad, "hi"), 400, "invalid-token");
        }
        problem(call(ApiEvents.request("GET", "/v1/public/cases")), 400, "validation-error");
        status(view(token), 200);
        clock.advance(Duration.ofDays(90));
        var expired = view(token);
        problem(expired, 400, "invalid-token");
        assertTrue(body(expired).get("detail").toString().contains("expired"));
        problem(reply(token, "late"), 400, "invalid-token");
        clock.advance(Duration.ofDays(-90));
        assertEquals(0, ((List<?>) body(view(token)).get("messages")).size(), "no refused reply was stored");
        assertNotEquals(token, switched);
    }

    @Test
    void repliesToOneCaseAreLimited() {
        String email = uniqueEmail("chatty");
        status(submit(a.slug(), form(email, "Hello")), 202);
        String token = linkTo(email);
        for (int i = 0; i < 20; i++) {
            status(call(ApiEvents.request("POST", "/v1/public/cases/messages").query("token", token)
                    .sourceIp("192.0.2." + (10 + i)).json("{\"body\": \"m" + i + "\"}")), 201);
        }
        problem(reply(token, "one more"), 429, "rate-limited");
    }

    @Test
    void browsersOnTheTenantsOwnSiteMayPostAndNoOtherOriginMay() {
        var t = infra.tenants().find(a.id());
        infra.tenants().updateSettings(a.id(), t.version(), t.settings().merge(JsonObject.of(Json.parse(
                "{\"allowedOrigins\": [\"https://shop.example\"]}"), new Violations())), clock.instant());
        java.util.function.BiFunction<String, ApiEvents, APIGatewayProxyResponseEvent> preflight = (origin, e) -> call(e
                .header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,idempotency-key"));
        var allowed = preflight.apply("https://shop.example",
                ApiEvents.request("OPTIONS", "/v1/public/t/{tenantSlug}/cases").path("tenantSlug", a.slug()));
        assertEquals("https://shop.example", header(allowed, "Access-Control-Allow-Origin"));
        var other = preflight.apply("https://evil.example",
                ApiEvents.request("OPTIONS", "/v1/public/t/{tenantSlug}/cases").path("tenantSlug", a.slug()));
        assertNull(header(other, "Access-Control-Allow-Origin"));
        // a reply preflight takes the origins of the tenant its link names: B allows no origin
        String email = uniqueEmail("cors");
        status(submit(b.slug(), form(email, "Hello")), 202);
        var foreign = preflight.apply("https://shop.example", ApiEvents.request("OPTIONS", "/v1/public/cases/messages")
                .query("token", linkTo(email)));
        assertNull(header(foreign, "Access-Control-Allow-Origin"));
        var posted = call(submitting(a.slug(), form(uniqueEmail("cors-a"), "Hello"), "192.0.2.50").header("Origin", "https://shop.example"));
        status(posted, 202);
        assertEquals("https://shop.example", header(posted, "Access-Control-Allow-Origin"));
    }
}
