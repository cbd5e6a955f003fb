package dev.crm.churn.store.dynamodb;

import dev.crm.churn.domain.analytics.AnalyticsRepository;
import dev.crm.churn.domain.analytics.AnalyticsRepositoryContract;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.devkit.TestHistories;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The adapter against DynamoDB Local, over items written as the contacts, surveys and cases functions and the run write them. */
class DynamoDbAnalyticsRepositoryIT extends AnalyticsRepositoryContract {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private final Table table = new Table(LocalDynamoDb.shared().client(), LocalDynamoDb.TABLE);
    private final DynamoDbAnalyticsRepository repository = new DynamoDbAnalyticsRepository(table);

    @Override
    protected AnalyticsRepository repository() {
        return repository;
    }

    private void put(Map<String, AttributeValue> item) {
        table.client().putItem(b -> b.tableName(table.name()).item(item));
    }

    private static String id(String prefix) {
        return prefix + String.format("%020d", SEQUENCE.incrementAndGet());
    }

    @Override
    protected void givenCustomer(TenantId t, String contactId, PurchaseSummary summary, Map<String, Object> view, boolean active) {
        TestHistories.write(table, t, List.of(new TestHistories.Customer(contactId, summary, 0, null)), Instant.EPOCH);
        if (!active) {
            table.client().updateItem(b -> b.tableName(table.name()).key(Table.key(Keys.contact(t, contactId), Keys.CONTACT_PROFILE))
                    .updateExpression("SET #st = :a").expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Map.of(":a", Attr.s("erasing"))));
        }
        if (view != null) {
            Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, contactId), Keys.CHURN_SCORE));
            item.put(Table.ENTITY, Attr.s("CHURN_SCORE"));
            item.put("contactId", Attr.s(contactId));
            item.put("view", Attr.of(view));
            put(item);
        }
    }

    @Override
    protected void givenPurchase(TenantId t, String contactId, Instant at, BigDecimal amount, String currency) {
        String interaction = id("int_");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", interaction);
        data.put("type", "purchase");
        data.put("occurredAt", at.toString());
        data.put("value", Map.of("amount", amount.toPlainString(), "currency", currency));
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, contactId), Keys.timeline(at, "interaction", interaction)));
        item.put(Table.ENTITY, Attr.s("TIMELINE"));
        item.put("kind", Attr.s("interaction"));
        item.put("contactId", Attr.s(contactId));
        item.put("data", Attr.of(data));
        item.put(Table.GSI2PK, Attr.s(Keys.purchasesIndex(t, Keys.contactShard(contactId))));
        item.put(Table.GSI2SK, Attr.s(Keys.sortableInstant(at) + "#" + contactId + "#" + interaction));
        put(item);
    }

    @Override
    protected void givenSurveyDay(TenantId t, String kind, LocalDate day, Map<Integer, Integer> scores) {
        String surveyId = id("srv_");
        Map<String, AttributeValue> survey = new HashMap<>(Table.key(t.value() + "#SURVEY#" + surveyId, "#"));
        survey.put("surveyId", Attr.s(surveyId));
        survey.put("definition", Attr.of(Map.of("kind", kind, "title", "T")));
        survey.put(Table.GSI1PK, Attr.s(t.value() + "#SURVEYS"));
        survey.put(Table.GSI1SK, Attr.s("2027-01-01T00:00:00.000Z#" + surveyId));
        put(survey);
        // one counter item per score, spread over the shards as responses are
        int shard = 0;
        for (var e : scores.entrySet()) {
            Map<String, AttributeValue> c = new HashMap<>(Table.key(t.value() + "#SRVC#" + surveyId + "#" + (shard++ % 10), day.toString()));
            c.put("c.responses", Attr.n(e.getValue()));
            c.put("c.score:" + e.getKey(), Attr.n(e.getValue()));
            put(c);
        }
    }

    @Override
    protected void givenCase(TenantId t, Instant createdAt, String status, Set<String> breaches) {
        String caseId = id("cs_");
        Map<String, AttributeValue> arrival = new HashMap<>(Table.key(t.value() + "#CASEARRIVALS",
                Keys.sortableInstant(createdAt) + "#" + caseId));
        arrival.put("caseId", Attr.s(caseId));
        put(arrival);
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.casePartition(t, caseId), "CASE"));
        item.put("status", Attr.s(status));
        if (!breaches.isEmpty()) {
            item.put("breaches", Attr.ss(breaches));
        }
        put(item);
    }
}
