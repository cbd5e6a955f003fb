package dev.crm.local.suite;

import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Every domain item of the table, to prove a rejected request wrote nothing. Idempotency records
 * and rate counters are left out: the conventions allow a rejected request to touch them.
 */
public final class TableSnapshot {
    private TableSnapshot() {}

    /**
     * What the stream's consumers write on their own, after earlier accepted requests and while a
     * suite goes on: stored events and webhook deliveries (and an endpoint's {@code failingSince}, which
     * a failed delivery sets). Left out, so a snapshot compares what requests write: a decoder stores
     * events only from the domain items a snapshot holds, so a request that wrote none of those caused none.
     */
    static final java.util.Set<String> ASYNCHRONOUS = java.util.Set.of("EVENT", "WEBHOOK_DELIVERY");

    /**
     * Deletes every rate counter, so a suite that sends thousands of public requests is answered by
     * the check it means to test, never by the limiter (a 429 would prove nothing).
     */
    public static void clearRateCounters(DynamoDbClient client, String table) {
        Map<String, AttributeValue> start = null;
        do {
            var b = ScanRequest.builder().tableName(table).consistentRead(true).projectionExpression("PK, SK");
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            var r = client.scan(b.build());
            for (var item : r.items()) {
                if (item.get("PK").s().contains("#RATE#")) {
                    client.deleteItem(d -> d.tableName(table).key(item));
                }
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
    }

    /**
     * Every item of the table, idempotency records included (a rejected or failed request must leave
     * none behind: a non-2xx answer releases its key). Rate counters are left out: a rejected request
     * may be counted against its client's limit, so that a flood of invalid requests is limited too.
     */
    public static Map<String, String> take(DynamoDbClient client, String table) {
        Map<String, String> items = new TreeMap<>();
        Map<String, AttributeValue> start = null;
        do {
            var b = ScanRequest.builder().tableName(table).consistentRead(true);
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            var r = client.scan(b.build());
            for (var item : r.items()) {
                String pk = item.get("PK").s();
                if (pk.contains("#RATE") || pk.contains("RATE#")) {
                    continue;
                }
                AttributeValue entity = item.get("entity");
                if (entity != null && ASYNCHRONOUS.contains(entity.s())) {
                    continue;
                }
                Map<String, AttributeValue> kept = new TreeMap<>(item);
                kept.remove("failingSince");
                items.put(pk + " | " + item.get("SK").s(), kept.toString());
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    /**
     * The email of every contact profile the tenant has stored (partition {@code {tenantId}#C#{contactId}},
     * sort key {@code A#PROFILE}), read from the table itself: unlike the API's email lookup, which goes
     * through the unique-email guard and can never show two, this sees every profile written. Sorted;
     * a profile without an email is listed as null.
     */
    public static List<String> contactEmails(DynamoDbClient client, String table, TenantId tenant) {
        List<String> emails = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var b = ScanRequest.builder().tableName(table).consistentRead(true)
                    .filterExpression("begins_with(PK, :p) AND SK = :sk")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(Keys.contact(tenant, "")),
                            ":sk", AttributeValue.fromS(Keys.CONTACT_PROFILE)));
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            var r = client.scan(b.build());
            for (var item : r.items()) {
                emails.add(item.containsKey("email") ? item.get("email").s() : null);
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        emails.sort(Comparator.nullsFirst(Comparator.naturalOrder()));
        return emails;
    }
}
