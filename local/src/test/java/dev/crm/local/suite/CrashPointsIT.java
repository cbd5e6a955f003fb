package dev.crm.local.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.churn.entrypoints.ChurnAlertsHandler;
import dev.crm.churn.entrypoints.ChurnRunWorker;
import dev.crm.contacts.entrypoints.ContactJobsWorker;
import dev.crm.contacts.entrypoints.ContactsHandler;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.FaultInjector;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.SampleEvents;
import dev.crm.devkit.TestHistories;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.preferences.entrypoints.PreferencesHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.contact.AddressSuppression;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tokens.SignedTokens;
import dev.crm.shared.tokens.TokenPurpose;
import dev.crm.surveys.entrypoints.SurveysHandler;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Every multi-write flow crashed at each of its writes in turn: the n-th write to DynamoDB fails (and
 * every later one, as a process that died would), then the documented recovery runs (the client's
 * retry of the same request, after the idempotency lock runs out; the stream's redelivery of a job).
 * After the recovery the tenant's items must be exactly what one clean run leaves: the same number of
 * items of every kind (no orphan, no duplicate, nothing missing), read from the table itself.
 */
class CrashPointsIT {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final FaultInjector faults = new FaultInjector();
    private final Infrastructure faulty = TestInfrastructure.create(clock, Map.of("CRM_LOCAL", "true"), faults);
    private final Infrastructure plain = TestInfrastructure.create(clock, Map.of("CRM_LOCAL", "true"));
    private final DynamoDbClient db = LocalDynamoDb.shared().client();

    /** One run of a flow on fresh state: the step that may crash, its recovery, and what else must hold. */
    interface Flow {
        /** The request or job invocation, through handlers built on the faulty client. */
        Object attempt(boolean onFaultyClient);

        TenantId tenant();

        /** What must hold besides the item counts (read through the plain client), after a clean run or a recovery. */
        default void verify(String when) {}
    }

    /**
     * Runs {@code fresh} once cleanly for the reference counts, then once per write with that write
     * failing, each followed by the recovery.
     *
     * @return the number of crash points tried
     */
    private int atEveryWrite(Supplier<Flow> fresh, int minWrites, int maxPoints) {
        Flow reference = fresh.get();
        faults.crashAfter(Integer.MAX_VALUE, FaultInjector.WRITES);
        Object clean = reference.attempt(true);
        int writes = faults.calls();
        faults.off();
        assertSucceeded(clean, "the clean run");
        reference.verify("the clean run");
        Map<String, Integer> expected = kinds(reference.tenant());
        assertTrue(writes >= minWrites, "writes of the flow: " + writes);
        int step = Math.max(1, (writes + maxPoints - 1) / maxPoints);
        int tried = 0;
        for (int n = 1; n <= writes; n += n < 4 ? 1 : step) {
            Flow flow = fresh.get();
            faults.crashAfter(n - 1, FaultInjector.WRITES);
            Object failed = flow.attempt(true);
            faults.off();
            String when = "crashed at write " + n + " of " + writes;
            assertTrue(faults.injected() > 0, when + ": the fault was injected");
            assertFailedCleanly(failed, when);
            // the recovery: the client retries once the idempotency lock has run out, the stream redelivers
            clock.advance(IdempotentRequests.LOCK.plusSeconds(1));
            Object recovered = flow.attempt(false);
            assertSucceeded(recovered, when + ", then recovered");
            assertEquals(expected, kinds(flow.tenant()), when + ", then recovered: the items of one clean run");
            flow.verify(when + ", then recovered");
            tried++;
        }
        return tried;
    }

    private static void assertSucceeded(Object outcome, String when) {
        if (outcome instanceof RuntimeException e) {
            fail(when + ": " + e);
        }
        if (outcome instanceof APIGatewayProxyResponseEvent r) {
            assertTrue(r.getStatusCode() < 300, when + ": " + r.getStatusCode() + " " + r.getBody());
        }
    }

    /**
     * A crashed request answers a problem (5xx, no trace), or its success when the write that failed
     * came after the effect (the idempotency record's completion); a crashed job invocation fails so
     * the stream retries it.
     */
    private static void assertFailedCleanly(Object outcome, String when) {
        if (outcome instanceof APIGatewayProxyResponseEvent r) {
            if (r.getStatusCode() < 300) {
                return;
            }
            assertTrue(r.getStatusCode() >= 500, when + ": " + r.getStatusCode() + " " + r.getBody());
            // a problem, or for a page a person's browser shows (the confirmation form), an HTML page
            String type = r.getHeaders().get("Content-Type");
            assertTrue("application/problem+json".equals(type) || type.startsWith("text/html"), when + ": " + type);
            assertFalse(r.getBody().contains("Exception") || r.getBody().contains("at dev.crm"), when + ": " + r.getBody());
        } else {
            assertTrue(outcome instanceof RuntimeException, when + ": the invocation failed, so the stream retries it");
        }
    }

    /**
     * The tenant's items by kind (their {@code entity}, else the first part of the sort key), read from
     * the table: idempotency records and rate counters left out, since those a retry legitimately
     * adds to.
     */
    private Map<String, Integer> kinds(TenantId t) {
        Map<String, Integer> out = new TreeMap<>();
        Map<String, AttributeValue> start = null;
        do {
            var b = ScanRequest.builder().tableName(LocalDynamoDb.TABLE).consistentRead(true)
                    .filterExpression("begins_with(PK, :t)").expressionAttributeValues(Map.of(":t", AttributeValue.fromS(t.value() + "#")));
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            var r = db.scan(b.build());
            for (var item : r.items()) {
                String pk = item.get("PK").s();
                if (pk.contains("#IDEM#") || pk.contains("#RATE")) {
                    continue;
                }
                String sk = item.get("SK").s();
                String kind = item.containsKey("entity") ? item.get("entity").s()
                        : pk.substring(t.value().length() + 1).split("#")[0] + "|" + sk.split("#")[0];
                out.merge(kind, 1, Integer::sum);
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /** A request flow: the same request through a handler built on the faulty client, then on the plain one. */
    private Flow request(TenantId tenant, Function<Infrastructure, RequestHandler<APIGatewayProxyRequestEvent,
            APIGatewayProxyResponseEvent>> handler, APIGatewayProxyRequestEvent request, Consumer<String> verify) {
        return new Flow() {
            public Object attempt(boolean onFaultyClient) {
                var h = handler.apply(onFaultyClient ? faulty : plain);
                return call(() -> h.handleRequest(request, new LambdaContext()));
            }

            public TenantId tenant() {
                return tenant;
            }

            public void verify(String when) {
                verify.accept(when);
            }
        };
    }

    /** A job flow: the job's stream record delivered to its worker; the job must end succeeded. */
    private Flow job(TenantId tenant, String jobId, Function<Infrastructure, RequestHandler<DynamodbEvent, Void>> worker,
            Consumer<String> verify) {
        return new Flow() {
            public Object attempt(boolean onFaultyClient) {
                try {
                    worker.apply(onFaultyClient ? faulty : plain)
                            .handleRequest(SampleEvents.jobQueued(Keys.job(tenant, jobId)), new LambdaContext());
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            }

            public TenantId tenant() {
                return tenant;
            }

            public void verify(String when) {
                assertEquals(Job.Status.SUCCEEDED, plain.jobs().find(JobRef.of(tenant, jobId)).status(), when);
                verify.accept(when);
            }
        };
    }

    private static Object call(Supplier<APIGatewayProxyResponseEvent> request) {
        try {
            return request.get();
        } catch (RuntimeException e) {
            return e;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(APIGatewayProxyResponseEvent r) {
        return (Map<String, Object>) Json.parse(r.getBody());
    }

    private static APIGatewayProxyResponseEvent ok(APIGatewayProxyResponseEvent r) {
        assertTrue(r.getStatusCode() < 300, r.getStatusCode() + " " + r.getBody());
        return r;
    }

    // ---- the flows ----

    @Test
    void aPublicSubscriptionCountsCreatesAndConsentsExactlyOnce() {
        int points = atEveryWrite(() -> {
            var tenant = TestInfrastructure.tenant(plain);
            String email = "signup@example.com";
            APIGatewayProxyRequestEvent request = ApiEvents.request("POST", "/v1/public/t/{tenantSlug}/subscribe")
                    .path("tenantSlug", tenant.slug()).sourceIp("203.0.113.7")
                    .json("{\"email\": \"" + email + "\", \"channel\": \"email\", \"topics\": []}").build();
            return request(tenant.id(), PreferencesHandler::new, request, when -> {
                assertEquals(List.of(email), TableSnapshot.contactEmails(db, LocalDynamoDb.TABLE, tenant.id()), when);
            });
        }, 3, 20);
        assertTrue(points >= 3, "rate counter, contact, consent: " + points);
    }

    @Test
    void aConfirmationUsesItsTokenConsentsAndLiftsTheSuppressionExactlyOnce() {
        int points = atEveryWrite(() -> {
            var tenant = TestInfrastructure.tenant(plain);
            String email = "back@example.com";
            // an earlier erasure left the address suppressed; its owner signs up again and confirms
            var secrets = plain.tenants().find(tenant.id()).secrets();
            db.putItem(p -> p.tableName(LocalDynamoDb.TABLE).item(Map.of(
                    "PK", AttributeValue.fromS(Keys.suppression(tenant.id(), AddressSuppression.ofEmail(secrets, email))),
                    "SK", AttributeValue.fromS(Keys.ITEM), "entity", AttributeValue.fromS("SUPPRESSION"),
                    "channels", AttributeValue.fromL(List.of(AttributeValue.fromS("all"))), "reason", AttributeValue.fromS("erasure"))));
            var preferences = new PreferencesHandler(plain);
            ok(preferences.handleRequest(ApiEvents.request("POST", "/v1/public/t/{tenantSlug}/subscribe")
                    .path("tenantSlug", tenant.slug()).sourceIp("203.0.113.8")
                    .json("{\"email\": \"" + email + "\", \"channel\": \"email\", \"topics\": []}").build(), new LambdaContext()));
            String id = contactIdOf(tenant.id(), email);
            String token = SignedTokens.issue(tenant.id(), secrets, TokenPurpose.CONFIRM_SUBSCRIPTION, id, Map.of("ch", "email"),
                    clock.instant(), Duration.ofDays(7));
            APIGatewayProxyRequestEvent request = ApiEvents.request("POST", "/v1/public/confirm").sourceIp("203.0.113.8")
                    .body("application/x-www-form-urlencoded", "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)).build();
            return request(tenant.id(), PreferencesHandler::new, request, when -> {
                var read = ok(preferences.handleRequest(ApiEvents.request("GET", "/v1/contacts/{id}/preferences")
                        .path("id", id).as(tenant.id(), Scope.READ).build(), new LambdaContext()));
                assertTrue(read.getBody().contains("\"opted_in\""), when + ": " + read.getBody());
                assertFalse(db.getItem(g -> g.tableName(LocalDynamoDb.TABLE).consistentRead(true).key(Map.of(
                        "PK", AttributeValue.fromS(Keys.suppression(tenant.id(), AddressSuppression.ofEmail(secrets, email))),
                        "SK", AttributeValue.fromS(Keys.ITEM)))).hasItem(), when + ": the suppression is lifted");
            });
        }, 1, 10);
        // one write since the suppression's lift joined the consent transaction: all or nothing
        assertEquals(1, points);
    }

    private String contactIdOf(TenantId t, String email) {
        Map<String, AttributeValue> start = null;
        do {
            var b = ScanRequest.builder().tableName(LocalDynamoDb.TABLE).consistentRead(true)
                    .filterExpression("begins_with(PK, :p) AND SK = :sk AND email = :e")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(Keys.contact(t, "")),
                            ":sk", AttributeValue.fromS(Keys.CONTACT_PROFILE), ":e", AttributeValue.fromS(email)));
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            var r = db.scan(b.build());
            if (!r.items().isEmpty()) {
                return r.items().get(0).get("contactId").s();
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        throw new AssertionError("no contact with " + email);
    }

    @Test
    void aSurveySubmissionWithAKeyStoresOneResponseAndCountsItOnce() {
        int points = atEveryWrite(() -> {
            var tenant = TestInfrastructure.tenant(plain);
            var surveys = new SurveysHandler(plain);
            String surveyId = (String) body(ok(surveys.handleRequest(ApiEvents.request("POST", "/v1/surveys")
                    .as(tenant.id(), Scope.WRITE).json("{\"kind\": \"nps\", \"title\": \"T\", \"questions\": [{\"id\": \"score\", "
                            + "\"type\": \"score\", \"label\": \"Recommend us?\"}]}").build(), new LambdaContext()))).get("id");
            APIGatewayProxyRequestEvent request = ApiEvents.request("POST", "/v1/public/surveys/{id}/responses")
                    .path("id", surveyId).sourceIp("203.0.113.9").header("Idempotency-Key", "form-submit-1")
                    .json("{\"answers\": {\"score\": 9}}").build();
            return request(tenant.id(), SurveysHandler::new, request, when -> {
                var results = body(ok(surveys.handleRequest(ApiEvents.request("GET", "/v1/surveys/{id}/results")
                        .path("id", surveyId).query("from", "2026-11-24").query("to", "2026-11-26")
                        .as(tenant.id(), Scope.READ).build(), new LambdaContext())));
                assertEquals(1L, results.get("responses"), when);
            });
        }, 3, 10);
        assertTrue(points >= 3, "rate counter, response, idempotency record: " + points);
    }

    @Test
    void aContactCreatedWithAKeyIsCreatedOnce() {
        int points = atEveryWrite(() -> {
            var tenant = TestInfrastructure.tenant(plain);
            // no email: no unique guard to catch a second contact, only the Idempotency-Key
            APIGatewayProxyRequestEvent request = ApiEvents.request("POST", "/v1/contacts").as(tenant.id(), Scope.WRITE)
                    .header("Idempotency-Key", "crm-sync-42").json("{\"firstName\": \"Ada\", \"lastName\": \"Lovelace\"}").build();
            return request(tenant.id(), ContactsHandler::new, request, when -> {
                assertEquals(1, TableSnapshot.contactEmails(db, LocalDynamoDb.TABLE, tenant.id()).size(), when);
            });
        }, 2, 10);
        assertTrue(points >= 2, "contact, idempotency record: " + points);
    }

    @Test
    void anErasureCompletesExactlyWhereverItsWorkerDied() {
        int points = atEveryWrite(() -> {
            var tenant = TestInfrastructure.tenant(plain);
            var contacts = new ContactsHandler(plain);
            String id = (String) body(ok(contacts.handleRequest(ApiEvents.request("POST", "/v1/contacts").as(tenant.id(), Scope.WRITE)
                    .json("{\"firstName\": \"Ada\", \"email\": \"ada@example.com\", \"phone\": \"+4915112345678\"}").build(),
                    new LambdaContext()))).get("id");
            for (int i = 1; i <= 3; i++) {
                ok(contacts.handleRequest(ApiEvents.request("POST", "/v1/contacts/{id}/interactions").path("id", id)
                        .as(tenant.id(), Scope.WRITE).json("{\"id\": \"order-" + i + "\", \"type\": \"purchase\", \"channel\": \"web\", "
                                + "\"occurredAt\": \"2026-11-2" + i + "T09:00:00Z\", \"value\": {\"amount\": \"20.50\", \"currency\": \"EUR\"}}")
                        .build(), new LambdaContext()));
            }
            var erasure = ok(contacts.handleRequest(ApiEvents.request("DELETE", "/v1/contacts/{id}").path("id", id)
                    .as(tenant.id(), Scope.WRITE).build(), new LambdaContext()));
            String jobId = (String) body(erasure).get("id");
            return job(tenant.id(), jobId, ContactJobsWorker::new, when -> {
                assertEquals(List.of(), TableSnapshot.contactEmails(db, LocalDynamoDb.TABLE, tenant.id()), when);
            });
        }, 5, 25);
        assertTrue(points >= 5, "the erasure's steps: " + points);
    }

    @Test
    void aChurnRunScoresAndAlertsExactlyOnceWhereverItsWorkerDied() {
        int points = atEveryWrite(() -> {
            var tenant = TestInfrastructure.tenant(plain);
            TestHistories.write(plain.table(), tenant.id(), customers(100), clock.instant());
            var api = new ChurnAlertsHandler(plain);
            var started = ok(api.handleRequest(ApiEvents.request("POST", "/v1/churn-runs").as(tenant.id(), Scope.WRITE).json("{}")
                    .build(), new LambdaContext()));
            String runId = (String) body(started).get("id");
            return job(tenant.id(), runId, ChurnRunWorker::new, when -> { });
        }, 5, 12);
        assertTrue(points >= 5, "scores and alerts: " + points);
    }

    /** The same purchase histories every time (new contact ids), so every run fits the same model. */
    private static List<TestHistories.Customer> customers(int n) {
        SplittableRandom random = new SplittableRandom(17);
        LocalDate asOf = LocalDate.parse("2026-11-24");
        List<TestHistories.Customer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int x = random.nextInt(6);
            double t = 20 + random.nextInt(50);
            double tx = x == 0 ? 0 : 1 + random.nextDouble() * (t - 1);
            out.add(TestHistories.fromWeeks(asOf, "EUR", x, tx, t, 10 + random.nextInt(40), BigDecimal.valueOf(10 + random.nextInt(90)),
                    i % 30 == 0 ? 1 : 0, null));
        }
        return out;
    }
}
