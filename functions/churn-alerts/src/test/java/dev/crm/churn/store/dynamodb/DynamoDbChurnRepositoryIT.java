package dev.crm.churn.store.dynamodb;

import dev.crm.churn.domain.ChurnRepository;
import dev.crm.churn.domain.ChurnRepositoryContract;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.devkit.TestHistories;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.crm.churn.domain.ChurnAlert;
import dev.crm.churn.domain.ChurnScore;
import dev.crm.churn.domain.RiskTier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The adapter against DynamoDB Local, with items written as the other functions write them. */
class DynamoDbChurnRepositoryIT extends ChurnRepositoryContract {
    private final Table table = new Table(LocalDynamoDb.shared().client(), LocalDynamoDb.TABLE);
    private final DynamoDbChurnRepository repository = new DynamoDbChurnRepository(table);

    @Override
    protected ChurnRepository repository() {
        return repository;
    }

    @Override
    protected void givenCustomers(TenantId t, List<TestHistories.Customer> customers) {
        TestHistories.write(table, t, customers, NOW);
    }

    @Override
    protected void givenErased(TenantId t, String contactId) {
        table.client().updateItem(b -> b.tableName(table.name()).key(Table.key(Keys.contact(t, contactId), Keys.CONTACT_PROFILE))
                .updateExpression("SET #st = :a").expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Map.of(":a", Attr.s("anonymized"))));
    }

    @Override
    protected void givenCaseLink(TenantId t, dev.crm.shared.contact.CaseLink link) {
        table.transact(dev.crm.shared.contact.CaseLinkItems.changed(table.name(), t, link)); // as the cases function writes it
    }

    @Override
    protected void givenPreferences(TenantId t, String contactId, Map<String, Object> view) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, contactId), Keys.PREFERENCES));
        item.put("view", Attr.of(view));
        item.put("version", Attr.n(1));
        item.put("contactId", Attr.s(contactId));
        table.client().putItem(b -> b.tableName(table.name()).item(item));
    }

    @Override
    protected void givenPurchase(TenantId t, String contactId, String interactionId, Instant at, BigDecimal amount,
            String currency) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", interactionId);
        data.put("type", "purchase");
        data.put("occurredAt", at.toString());
        data.put("value", Map.of("amount", amount.toPlainString(), "currency", currency));
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, contactId),
                Keys.timeline(at, "interaction", interactionId)));
        item.put(Table.ENTITY, Attr.s("TIMELINE"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("kind", Attr.s("interaction"));
        item.put("contactId", Attr.s(contactId));
        item.put("data", Attr.of(data));
        item.put(Table.GSI2PK, Attr.s(Keys.purchasesIndex(t, Keys.contactShard(contactId))));
        item.put(Table.GSI2SK, Attr.s(Keys.sortableInstant(at) + "#" + contactId + "#" + interactionId));
        table.client().putItem(b -> b.tableName(table.name()).item(item));
    }

    @Override
    protected Map<String, Object> storedScore(TenantId t, String contactId) {
        Map<String, AttributeValue> item = table.get(Keys.contact(t, contactId), Keys.CHURN_SCORE);
        return item == null ? null : Attr.map(item, "view");
    }

    /** The items keep the attribute names, types and keys of docs/data-model.md ("Churn"), which other readers rely on. */
    @Test
    void itemsKeepTheirStoredShape() {
        TenantId t = newTenant();
        String c = activeContact(t);
        ChurnAlert a = alert(c, "202611", new BigDecimal("120.25"), "run_a");
        repository.createAlert(t, a);
        Map<String, AttributeValue> item = table.get(Keys.contact(t, c), "AL#202611");
        assertEquals(Set.of("PK", "SK", "entity", "tenantId", "alertId", "contactId", "period", "status", "pAlive", "riskTier",
                "clv", "valueAtRisk", "currency", "reasons", "suggestedAction", "contact", "runId", "createdAt", "openCases", "GSI1PK", "GSI1SK"),
                item.keySet());
        assertEquals("CHURN_ALERT", item.get("entity").s());
        assertEquals(t.value(), item.get("tenantId").s());
        assertEquals("open", item.get("status").s());
        assertEquals("0.1234567", item.get("pAlive").n());
        assertEquals("321.5", item.get("clv").n());
        assertEquals("120.25", item.get("valueAtRisk").n());
        assertEquals(List.of("p_alive_below_threshold", "complaints"), item.get("reasons").l().stream().map(AttributeValue::s).toList());
        assertEquals("Ada", item.get("contact").m().get("firstName").s());
        assertEquals(Boolean.TRUE, item.get("contact").m().get("email").nul());
        assertEquals(Boolean.TRUE, item.get("suggestedAction").m().get("channel").nul());
        assertEquals("2026-11-24T12:00:00Z", item.get("createdAt").s());
        assertEquals(t.value() + "#ALERTS#open", item.get("GSI1PK").s());
        assertEquals("999999987974#" + a.id(), item.get("GSI1SK").s());

        repository.transition(t, repository.alert(t, c, "202611"), ChurnAlert.Status.OPEN, ChurnAlert.Status.RESOLVED, "key:k",
                NOW.plusMillis(1500), "lost");
        item = table.get(Keys.contact(t, c), "AL#202611");
        assertEquals("resolved", item.get("status").s());
        assertEquals("2026-11-24T12:00:01.500Z", item.get("resolvedAt").s());
        assertEquals("key:k", item.get("resolvedBy").s());
        assertEquals("lost", item.get("resolution").s());
        assertEquals(t.value() + "#ALERTS#resolved", item.get("GSI1PK").s());
        assertEquals("999999987974#" + a.id(), item.get("GSI1SK").s());
        assertFalse(item.containsKey("acknowledgedAt"));

        repository.writeScores(t, List.of(new ChurnScore(c, 0.25, 1.5, new BigDecimal("10.00"), new BigDecimal("5.00"),
                RiskTier.HIGH, true, NOW, "EUR", "run_a")));
        item = table.get(Keys.contact(t, c), Keys.CHURN_SCORE);
        assertEquals(Set.of("PK", "SK", "entity", "tenantId", "contactId", "view"), item.keySet());
        assertEquals("CHURN_SCORE", item.get("entity").s());
        Map<String, AttributeValue> view = item.get("view").m();
        assertEquals(0, new BigDecimal("0.25").compareTo(new BigDecimal(view.get("pAlive").n())));
        assertEquals("10.00", view.get("clv").m().get("amount").s());
        assertEquals("2026-11-24T12:00:00Z", view.get("scoredAt").s());
        assertEquals(Boolean.TRUE, view.get("riskSignal").bool());

        repository.recordLatestRun(t, "run_a");
        item = table.get(t.value() + "#CHURN", "LATEST_RUN");
        assertEquals(Set.of("PK", "SK", "entity", "tenantId", "runId"), item.keySet());
        assertEquals("CHURN_LATEST_RUN", item.get("entity").s());
        assertEquals("run_a", item.get("runId").s());
    }
}
