package dev.crm.preferences;

import static dev.crm.devkit.Responses.status;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.preferences.domain.LedgerEntry;
import dev.crm.preferences.entrypoints.PreferencesHandler;
import dev.crm.preferences.store.dynamodb.DynamoDbPreferencesRepository;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSettings;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.TestInfrastructure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** What the preferences integration tests share: contacts made in the store, calls, stored-item snapshots. */
public final class Fixtures {
    private final Infrastructure infra;
    private final PreferencesHandler handler;

    public Fixtures(Infrastructure infra, PreferencesHandler handler) {
        this.infra = infra;
        this.handler = handler;
    }

    public static String uniqueEmail(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    public APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    public static ApiEvents as(TenantId t, Scope scope, String method, String path) {
        return ApiEvents.request(method, path).as(t, scope);
    }

    /** A contact as the contacts function stores it (profile and email guard), in the given zone. */
    public String contact(TenantId t, String email, String timeZone) {
        var now = infra.clock().instant();
        Contact c = new Contact(Ids.random(Contact.ID_PREFIX, 20), new ContactData("Test", null, email, null, null, null,
                timeZone, LifecycleStage.SUBSCRIBER, List.of(), Map.of(), null), now, now, 1, Contact.Status.ACTIVE);
        infra.table().client().putItem(PutItemRequest.builder().tableName(infra.table().name())
                .item(ContactItems.contact(t, c)).build());
        if (email != null) {
            Map<String, AttributeValue> guard = new HashMap<>(Table.key(EmailAddress.guardKey(t, TestInfrastructure.tenantSecrets(infra).apply(t), email), Keys.ITEM));
            guard.put("contactId", Attr.s(c.id()));
            guard.put("tenantId", Attr.s(t.value()));
            infra.table().client().putItem(PutItemRequest.builder().tableName(infra.table().name()).item(guard).build());
        }
        return c.id();
    }

    public String contact(TenantId t, String timeZone) {
        return contact(t, uniqueEmail("c"), timeZone);
    }

    /** Marks a contact as being erased, as the contacts function does before it deletes anything. */
    public void markErasing(TenantId t, String contactId) {
        var item = new HashMap<>(infra.table().get(Keys.contact(t, contactId), Keys.CONTACT_PROFILE));
        item.put("status", Attr.s("erasing"));
        infra.table().client().putItem(PutItemRequest.builder().tableName(infra.table().name()).item(item).build());
    }

    public void topic(TenantId t, String key) {
        status(call(as(t, Scope.WRITE, "POST", "/v1/topics").json("{\"key\": \"" + key + "\", \"name\": \"" + key + "\"}")), 201);
    }

    public void settings(TenantId t, TenantSettings settings) {
        Tenant current = infra.tenants().find(t);
        infra.tenants().updateSettings(t, current.version(), settings, infra.clock().instant());
    }

    /** Every item of a partition, keyed by sort key, as text: equal snapshots mean nothing was written. */
    public Map<String, String> partition(String pk) {
        Map<String, String> out = new TreeMap<>();
        Map<String, AttributeValue> start = null;
        do {
            var b = QueryRequest.builder().tableName(infra.table().name()).keyConditionExpression("PK = :pk")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(pk))).consistentRead(true);
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            QueryResponse r = infra.table().client().query(b.build());
            for (var item : r.items()) {
                out.put(Attr.str(item, Table.SK), new TreeMap<>(item).toString());
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    public Map<String, String> contactPartition(TenantId t, String contactId) {
        return partition(Keys.contact(t, contactId));
    }

    /** The items of a contact's partition whose sort keys start with a prefix. */
    public List<Map<String, AttributeValue>> items(TenantId t, String contactId, String prefix) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        var r = infra.table().client().query(QueryRequest.builder().tableName(infra.table().name())
                .keyConditionExpression("PK = :pk AND begins_with(SK, :p)")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contact(t, contactId)), ":p", Attr.s(prefix)))
                .consistentRead(true).build());
        out.addAll(r.items());
        return out;
    }

    /** The ledger in append order, as the replay reads it. */
    public List<LedgerEntry> ledger(TenantId t, String contactId) {
        return new DynamoDbPreferencesRepository(infra.table(), TestInfrastructure.tenantSecrets(infra)).ledger(t, contactId);
    }
}
