package dev.crm.bench.warm;

import dev.crm.bench.Fixtures;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The warm scenarios, one row each. To add one: its sample must be in events/ (the handler is loaded
 * from its function's built artifact), the sample's preparation (a contact, a survey, …) a line in
 * {@link dev.crm.bench.Preparations}, and a row goes here with the raw-SDK equivalent of the DynamoDB
 * calls the handler makes on that path, item for item and condition for condition (docs/data-model.md
 * names them; the product's repositories are the reference), e.g.
 *
 * <pre>{@code
 * new Scenario("POST /v1/contacts", "POST /v1/contacts", null, 0, Scenarios::uniqueContact, Scenarios::createContact),
 * }</pre>
 *
 * and, for the capacity table, a line in {@link CapacityReference}. The harness checks the match: the
 * capacity pass lists the calls a warm handler makes beside the raw side's (docs/performance.md).
 *
 * <p>The raw side builds its items by hand with the attributes the product writes (values of the same
 * size), hashes keys with a plain {@link MessageDigest}, and skips what only the product needs
 * (request parsing, validation, JSON, AES-GCM sealing of idempotent responses: a byte array of the sealed
 * response's size is stored instead).
 */
public final class Scenarios {
    private Scenarios() {}

    /** Placeholders of the samples, replaced by the ids the preparation steps created. */
    static final String CONTACT = "c_example0000000000000";
    static final String SURVEY = "srv_example0000000000000";

    /**
     * Bytes the product stores as a sealed idempotent response (12-byte nonce, JSON of status, headers and
     * body, 16-byte tag), measured on the samples: create-contact's 201 with the contact, and a survey
     * submission's 201 receipt (586 and 222 bytes in a check on the samples).
     */
    static final int SEALED_CONTACT_BYTES = 590;
    static final int SEALED_RECEIPT_BYTES = 225;

    public static final List<Scenario> ALL = List.of(
            new Scenario("GET /v1/tenant", "GET /v1/tenant", 0, Scenarios::getTenant),
            // each tenant takes at most 50 active keys: leave room for the fixture's own two
            new Scenario("POST /v1/tenant/keys", "POST /v1/tenant/keys", TenantRepository.MAX_ACTIVE_KEYS - 5,
                    Scenarios::createKey),
            new Scenario("authorizer", "authorizer", 0, Scenarios::authorize),
            new Scenario("POST /v1/contacts", "POST /v1/contacts", "contacts/create-contact.json", 0,
                    Scenarios::uniqueContact, Scenarios::createContact),
            new Scenario("GET /v1/contacts/{id}", "GET /v1/contacts/{id}", "contacts/get-contact.json", 0, null,
                    Scenarios::getContact),
            new Scenario("POST /v1/contacts/{id}/contact-decisions", "POST /v1/contacts/{id}/contact-decisions",
                    "preferences/decide-contact.json", 0, null, Scenarios::decide),
            // one survey per 500 submissions keeps each far below the survey-wide limit (6,000 a minute)
            new Scenario("POST /v1/public/surveys/{id}/responses", "POST /v1/public/surveys/{id}/responses",
                    "surveys/submit-survey-response.json", 500, Scenarios::uniqueSubmission,
                    Scenarios::submitSurveyResponse));

    static Map<String, AttributeValue> key(String pk, String sk) {
        Map<String, AttributeValue> k = new HashMap<>(4);
        k.put("PK", AttributeValue.fromS(pk));
        k.put("SK", AttributeValue.fromS(sk));
        return k;
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    // ------------------------------------------------------------------ tenants and keys

    /** T3: one consistent GetItem of the tenant item. */
    static void getTenant(DynamoDbClient db, String table, Fixtures.Fixture f, int i) {
        db.getItem(GetItemRequest.builder().tableName(table).key(key(Keys.tenant(f.tenant()), Keys.ITEM))
                .consistentRead(true).build());
    }

    /** T2: consistent GetItem of the key lookup, then of the key record it names. */
    static void authorize(DynamoDbClient db, String table, Fixtures.Fixture f, int i) {
        var lookup = db.getItem(GetItemRequest.builder().tableName(table)
                .key(key(Keys.apiKeyMapping(f.adminKeyHash()), Keys.ITEM)).consistentRead(true).build()).item();
        db.getItem(GetItemRequest.builder().tableName(table)
                .key(key(lookup.get("tenantId").s() + "#KEY", lookup.get("keyId").s())).consistentRead(true).build());
    }

    /** T5: one transaction: count the key on the tenant (capped), put the key, put its lookup. */
    static void createKey(DynamoDbClient db, String table, Fixtures.Fixture f, int i) {
        String tenant = f.tenant().value();
        String keyId = "key_raw" + f.token() + "n" + i;
        String hash = "rawhash" + f.token() + "n" + i;
        String now = java.time.Instant.now().toString();
        Map<String, AttributeValue> item = key(Keys.apiKeys(f.tenant()), keyId);
        item.put("entity", AttributeValue.fromS("API_KEY"));
        item.put("tenantId", AttributeValue.fromS(tenant));
        item.put("keyId", AttributeValue.fromS(keyId));
        item.put("name", AttributeValue.fromS("dashboard"));
        item.put("scope", AttributeValue.fromS("read"));
        item.put("prefix", AttributeValue.fromS("crm_live_ABCD"));
        item.put("keyHash", AttributeValue.fromS(hash));
        item.put("createdAt", AttributeValue.fromS(now));
        Map<String, AttributeValue> lookup = key(Keys.apiKeyMapping(hash), Keys.ITEM);
        lookup.put("entity", AttributeValue.fromS("API_KEY_MAPPING"));
        lookup.put("tenantId", AttributeValue.fromS(tenant));
        lookup.put("keyId", AttributeValue.fromS(keyId));
        db.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().update(Update.builder().tableName(table)
                        .key(key(Keys.tenant(f.tenant()), Keys.ITEM))
                        .updateExpression("ADD activeKeys :one")
                        .conditionExpression("activeKeys < :max AND #st = :active")
                        .expressionAttributeNames(Map.of("#st", "status"))
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                                ":max", AttributeValue.fromN(Integer.toString(TenantRepository.MAX_ACTIVE_KEYS)),
                                ":active", AttributeValue.fromS("active")))
                        .build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(PK)").build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(lookup)
                        .conditionExpression("attribute_not_exists(PK)").build()).build())
                .build());
    }

    // ------------------------------------------------------------------ contacts

    /** A new email, external id and Idempotency-Key for the i-th create (the guards are unique per tenant). */
    static String uniqueContact(String text, int i) {
        return Fixtures.suffixIdempotencyKeys(text.replace("jane.doe@example.com", "jane.doe+" + i + "@example.com")
                .replace("shop-1042", "shop-1042-" + i), "-" + i);
    }

    /**
     * C1 + I1, as {@code IdempotentRequests} and {@code DynamoDbContactRepository.create} do it: a
     * conditional PutItem locks the Idempotency-Key; one transaction puts the contact
     * ({@code attribute_not_exists(PK)}) with both index keys, its email guard and its external-id
     * guard (each {@code attribute_not_exists(PK)}, {@code ALL_OLD} on failure); an UpdateItem stores the
     * response. The sample's fields: Jane Doe, phone, locale, zone, stage customer, one tag, one attribute.
     */
    static void createContact(DynamoDbClient db, String table, Fixtures.Fixture f, int i) {
        String t = f.tenant().value();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String idempotency = Keys.idempotency(f.tenant(), sha256Hex("idem|POST /v1/contacts|raw-" + f.token() + "-" + i));
        lock(db, table, idempotency, now);

        String id = id("c_", f, i);
        String email = "jane.doe+" + i + "@example.com";
        String externalId = "shop-1042-" + i;
        String emailHash = sha256Hex("email|" + email);
        String externalIdHash = sha256Hex("ext|" + externalId);
        String at = now.toString();
        String indexSort = at + "#" + id;
        Map<String, AttributeValue> contact = key(Keys.contact(f.tenant(), id), Keys.CONTACT_PROFILE);
        contact.put("entity", s("CONTACT"));
        contact.put("tenantId", s(t));
        contact.put("contactId", s(id));
        contact.put("status", s("active"));
        contact.put("firstName", s("Jane"));
        contact.put("lastName", s("Doe"));
        contact.put("email", s(email));
        contact.put("phone", s("+447700900123"));
        contact.put("locale", s("en-GB"));
        contact.put("timeZone", s("Europe/London"));
        contact.put("lifecycleStage", s("customer"));
        contact.put("GSI2PK", s(Keys.stageIndex(f.tenant(), "customer")));
        contact.put("GSI2SK", s(indexSort));
        contact.put("tags", AttributeValue.fromL(List.of(s("vip"))));
        contact.put("attributes", AttributeValue.fromM(Map.of("shoeSize", n(38))));
        contact.put("externalId", s(externalId));
        contact.put("externalIdHash", s(externalIdHash));
        contact.put("createdAt", s(at));
        contact.put("updatedAt", s(at));
        contact.put("version", n(1));
        contact.put("GSI1PK", s(Keys.contactsIndex(f.tenant())));
        contact.put("GSI1SK", s(indexSort));
        db.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(contact)
                        .conditionExpression("attribute_not_exists(PK)").build()).build(),
                guard(table, Keys.emailGuard(f.tenant(), emailHash), t, id, "EMAIL_GUARD"),
                guard(table, Keys.externalIdGuard(f.tenant(), externalIdHash), t, id, "EXTERNAL_ID_GUARD"))
                .build());

        seal(db, table, idempotency, SEALED_CONTACT_BYTES);
    }

    private static TransactWriteItem guard(String table, String pk, String tenant, String contactId, String entity) {
        Map<String, AttributeValue> item = key(pk, Keys.ITEM);
        item.put("entity", s(entity));
        item.put("tenantId", s(tenant));
        item.put("contactId", s(contactId));
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(PK)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build();
    }

    /** C2: one consistent GetItem of the contact. */
    static void getContact(DynamoDbClient db, String table, Fixtures.Fixture f, int i) {
        db.getItem(GetItemRequest.builder().tableName(table)
                .key(key(Keys.contact(f.tenant(), f.extra().get(CONTACT)), Keys.CONTACT_PROFILE))
                .consistentRead(true).build());
    }

    // ------------------------------------------------------------------ preferences

    /** The sample's decision: marketing email on topic newsletter at this instant. */
    static final Instant DECISION_AT = Instant.parse("2026-11-23T22:30:00Z");
    /** The prepared preferences' email cap: 3 in P7D (preferences/put-preferences.json). */
    static final Duration CAP_PERIOD = Duration.ofDays(7);

    /**
     * P5, as {@code PreferencesHandler.decide} and {@code PreferencesService.decide} do it for the prepared
     * contact (opted in to email and newsletter, a cap of 3 a week, quiet hours): consistent GetItems of
     * the contact, of the address's suppression entry (an HMAC of the address; none exists) and of the
     * preferences, then the consistent Query of the channel's sends in the cap's window (projection
     * {@code sentAt}). The tenant comes from the handler's 30-second cache.
     */
    static void decide(DynamoDbClient db, String table, Fixtures.Fixture f, int i) {
        String pk = Keys.contact(f.tenant(), f.extra().get(CONTACT));
        db.getItem(GetItemRequest.builder().tableName(table).key(key(pk, Keys.CONTACT_PROFILE)).consistentRead(true).build());
        db.getItem(GetItemRequest.builder().tableName(table)
                .key(key(Keys.suppression(f.tenant(), sha256Hex("raw-suppression|" + f.token())), Keys.ITEM))
                .consistentRead(true).build());
        db.getItem(GetItemRequest.builder().tableName(table).key(key(pk, Keys.PREFERENCES)).consistentRead(true).build());
        db.query(QueryRequest.builder().tableName(table)
                .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", s(pk),
                        ":from", s("S#email#" + Keys.sortableInstant(DECISION_AT.minus(CAP_PERIOD))),
                        ":to", s("S#email#~")))
                .projectionExpression("sentAt")
                .consistentRead(true)
                .build());
    }

    // ------------------------------------------------------------------ surveys

    /** A new Idempotency-Key and client address for the i-th submission (the per-client limit is 30 a minute). */
    static String uniqueSubmission(String text, int i) {
        String ip = "10." + ((i >> 16) & 255) + "." + ((i >> 8) & 255) + "." + (i & 255);
        return Fixtures.suffixIdempotencyKeys(text.replace("198.51.100.23", ip), "-" + i);
    }

    /**
     * S4 + S5 + I1 + S6 for an anonymous response, as {@code SurveysHandler.submit},
     * {@code SubmissionLimits}, {@code DynamoDbRateCounters} and {@code DynamoDbSurveyRepository.record} do
     * it: a consistent GetItem of the survey (its lookup and the tenant are cached per process); two
     * UpdateItems {@code ADD requests} with {@code UPDATED_NEW} (this client's counter for the minute,
     * then the survey-wide one); the idempotency PutItem; one transaction putting the response (answers,
     * and the free text under {@code personal}), putting its id guard ({@code attribute_not_exists(PK)})
     * and adding to the shard's day counters ({@code responses}, {@code score:9},
     * {@code answer:reason:service}, {@code writes}); the UpdateItem storing the receipt.
     */
    static void submitSurveyResponse(DynamoDbClient db, String table, Fixtures.Fixture f, int i) {
        TenantId tenant = f.tenant();
        String t = tenant.value();
        String survey = f.extra().get(SURVEY);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        db.getItem(GetItemRequest.builder().tableName(table).key(key(t + "#SURVEY#" + survey, Keys.ITEM))
                .consistentRead(true).build());

        long window = Math.floorDiv(now.getEpochSecond(), 60);
        long expires = (window + 2) * 60;
        rate(db, table, t, survey, sha256Hex("survey-client|raw-" + f.token() + "-" + i).substring(0, 32), window, expires);
        rate(db, table, t, survey, "all", window, expires);

        String idempotency = Keys.idempotency(tenant, survey + "#"
                + sha256Hex("idem|POST /v1/public/surveys/{id}/responses|raw-" + f.token() + "-" + i));
        lock(db, table, idempotency, now);

        String responseId = id("rsp_", f, i);
        int shard = Math.floorMod(responseId.hashCode(), 10);
        String pk = t + "#SRVR#" + survey + "#" + shard;
        String sk = "T#" + Keys.sortableInstant(now) + "#" + responseId;
        String day = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
        Map<String, AttributeValue> response = key(pk, sk);
        response.put("entity", s("SURVEY_RESPONSE"));
        response.put("tenantId", s(t));
        response.put("surveyId", s(survey));
        response.put("responseId", s(responseId));
        response.put("submittedAt", s(now.toString()));
        response.put("day", s(day));
        response.put("shard", n(shard));
        response.put("answers", AttributeValue.fromM(Map.of("score", n(9), "reason", s("service"))));
        response.put("personal", AttributeValue.fromM(Map.of("texts",
                AttributeValue.fromM(Map.of("why", s("Quick and friendly support."))))));
        Map<String, AttributeValue> guard = key(pk, "ID#" + responseId);
        guard.put("entity", s("SURVEY_RESPONSE_ID"));
        guard.put("tenantId", s(t));
        guard.put("responseSk", s(sk));
        Map<String, String> names = new HashMap<>();
        names.put("#w", "writes");
        names.put("#c0", "c.answer:reason:service");
        names.put("#c1", "c.responses");
        names.put("#c2", "c.score:9");
        names.put("#day", "day");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":one", n(1));
        values.put(":v1", n(1));
        values.put(":entity", s("SURVEY_COUNTERS"));
        values.put(":tid", s(t));
        values.put(":sid", s(survey));
        values.put(":day", s(day));
        db.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(response).build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(guard)
                        .conditionExpression("attribute_not_exists(PK)").build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(table)
                        .key(key(t + "#SRVC#" + survey + "#" + shard, day))
                        .updateExpression("ADD #w :one, #c0 :v1, #c1 :v1, #c2 :v1"
                                + " SET entity = :entity, tenantId = :tid, surveyId = :sid, #day = :day")
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .build()).build())
                .build());

        seal(db, table, idempotency, SEALED_RECEIPT_BYTES);
    }

    /** S5: one fixed-window counter, incremented atomically; the new count comes back. */
    private static void rate(DynamoDbClient db, String table, String t, String survey, String client, long window,
            long expires) {
        db.updateItem(UpdateItemRequest.builder().tableName(table)
                .key(key(t + "#RATE#" + survey + "#" + client + "#" + window, Keys.ITEM))
                .updateExpression("ADD requests :one SET #ttl = :ttl, entity = :entity, tenantId = :tid")
                .expressionAttributeNames(Map.of("#ttl", "expiresAt"))
                .expressionAttributeValues(Map.of(":one", n(1), ":ttl", n(expires), ":entity", s("RATE_COUNTER"),
                        ":tid", s(t)))
                .returnValues(ReturnValue.UPDATED_NEW)
                .build());
    }

    // ------------------------------------------------------------------ idempotency (I1)

    /** The first request with a key: a conditional PutItem of the IN_PROGRESS record (an expired one counts as absent). */
    private static void lock(DynamoDbClient db, String table, String pk, Instant now) {
        long millis = now.toEpochMilli();
        Map<String, AttributeValue> item = key(pk, Keys.ITEM);
        item.put("entity", s("IDEMPOTENCY"));
        item.put("state", s("IN_PROGRESS"));
        item.put("fingerprint", s(sha256Hex(pk)));
        item.put("lockUntil", n(millis + 60_000));
        item.put("expiresAt", n((millis + 86_400_000) / 1000));
        db.putItem(PutItemRequest.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(PK) OR #ttl < :nowSec")
                .expressionAttributeNames(Map.of("#ttl", "expiresAt"))
                .expressionAttributeValues(Map.of(":nowSec", n(millis / 1000)))
                .build());
    }

    /** The response stored for replays, as an opaque blob of the sealed response's size. */
    private static void seal(DynamoDbClient db, String table, String pk, int bytes) {
        byte[] blob = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(blob);
        db.updateItem(UpdateItemRequest.builder().tableName(table)
                .key(key(pk, Keys.ITEM))
                .updateExpression("SET #st = :done, #resp = :r REMOVE lockUntil")
                .expressionAttributeNames(Map.of("#st", "state", "#resp", "response"))
                .expressionAttributeValues(Map.of(":done", s("COMPLETED"), ":r", AttributeValue.fromB(SdkBytes.fromByteArray(blob))))
                .build());
    }

    // ------------------------------------------------------------------ helpers

    /** An id of the product's shape (prefix and 20 characters), unique per fixture and call. */
    static String id(String prefix, Fixtures.Fixture f, int i) {
        String body = ("r" + Integer.toString(i, 36) + "x" + f.token() + "00000000000000000000").substring(0, 20);
        return prefix + body;
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
