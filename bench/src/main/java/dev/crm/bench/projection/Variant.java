package dev.crm.bench.projection;

import dev.crm.devkit.SamTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * One projection of the overloaded GSI1 and GSI2 (template.yaml); every other index as the template
 * has it. The table is built from the template's keys as devkit's LocalDynamoDb builds it, without
 * the stream (no reader here).
 */
public enum Variant {
    ALL, KEYS_ONLY, INCLUDE;

    public static final List<String> OVERLOADED = List.of("GSI1", "GSI2");

    /**
     * What INCLUDE projects: what the batch readers take from the index entries (churn R1 / analytics A1
     * read purchase summaries through {@code ContactItems.summary} plus {@code contactId},
     * {@code complaints}, {@code latestNps}; R2 / A2 read purchase timeline entries' {@code contactId} and
     * {@code data}), and the attributes the list queries filter on in the index (contacts: {@code status},
     * {@code tags}; cases: {@code assignee}, {@code category}, {@code priority}, {@code contactId},
     * {@code breaches}), without which a filtered list would have to fetch before filtering.
     */
    public static final List<String> INCLUDED = List.of("contactId", "currency", "firstPurchaseDay", "firstDaySpend",
            "lastPurchaseDay", "repeatPurchaseDays", "repeatSpend", "totalSpend", "purchases", "purchaseVersion",
            "complaints", "latestNps", "data", "status", "tags", "assignee", "category", "priority", "breaches");

    public String table() {
        return "Proj" + name().replace("_", "");
    }

    Projection projection() {
        return switch (this) {
            case ALL -> Projection.builder().projectionType(ProjectionType.ALL).build();
            case KEYS_ONLY -> Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build();
            case INCLUDE -> Projection.builder().projectionType(ProjectionType.INCLUDE).nonKeyAttributes(INCLUDED).build();
        };
    }

    /** Whether an entry of this index carries the attribute (keys aside). */
    public boolean projects(String attribute) {
        return this == ALL || this == INCLUDE && INCLUDED.contains(attribute);
    }

    public void create(DynamoDbClient client, SamTemplate template) {
        Map<String, Object> p = template.tableProperties();
        var b = CreateTableRequest.builder().tableName(table()).billingMode(BillingMode.PAY_PER_REQUEST);
        List<AttributeDefinition> attrs = new ArrayList<>();
        for (Object o : SamTemplate.list(p.get("AttributeDefinitions"))) {
            Map<String, Object> a = SamTemplate.map(o);
            attrs.add(AttributeDefinition.builder().attributeName((String) a.get("AttributeName"))
                    .attributeType(ScalarAttributeType.fromValue((String) a.get("AttributeType"))).build());
        }
        b.attributeDefinitions(attrs).keySchema(keySchema(p.get("KeySchema")));
        List<GlobalSecondaryIndex> gsis = new ArrayList<>();
        for (Object o : SamTemplate.list(p.get("GlobalSecondaryIndexes"))) {
            Map<String, Object> g = SamTemplate.map(o);
            String name = (String) g.get("IndexName");
            Projection projection;
            if (OVERLOADED.contains(name)) {
                projection = projection();
            } else {
                Map<String, Object> proj = SamTemplate.map(g.get("Projection"));
                var pb = Projection.builder().projectionType(ProjectionType.fromValue((String) proj.get("ProjectionType")));
                if (proj.get("NonKeyAttributes") != null) {
                    pb.nonKeyAttributes(SamTemplate.list(proj.get("NonKeyAttributes")).stream().map(String::valueOf).toList());
                }
                projection = pb.build();
            }
            gsis.add(GlobalSecondaryIndex.builder().indexName(name).keySchema(keySchema(g.get("KeySchema")))
                    .projection(projection).build());
        }
        b.globalSecondaryIndexes(gsis);
        client.createTable(b.build());
    }

    private static List<KeySchemaElement> keySchema(Object o) {
        List<KeySchemaElement> out = new ArrayList<>();
        for (Object e : SamTemplate.list(o)) {
            Map<String, Object> k = SamTemplate.map(e);
            out.add(KeySchemaElement.builder().attributeName((String) k.get("AttributeName"))
                    .keyType(KeyType.fromValue((String) k.get("KeyType"))).build());
        }
        return out;
    }
}
