package dev.crm.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** A table kept in a data directory from before an index was added gets the index on the next start. */
class LocalDynamoDbIT {
    @Test
    void anIndexAddedToTheTemplateIsCreatedOnAnExistingTable() {
        var client = LocalDynamoDb.shared().client();
        String name = "Old_" + Ids.random("", 12);
        // a table as the template made it before the OpenJobs, DueDeliveries and TenantItems indexes
        client.createTable(t -> t.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(Table.PK), string(Table.SK), string(Table.GSI1PK), string(Table.GSI1SK),
                        string(Table.GSI2PK), string(Table.GSI2SK))
                .keySchema(key(Table.PK, KeyType.HASH), key(Table.SK, KeyType.RANGE))
                .globalSecondaryIndexes(index(Table.GSI1, Table.GSI1PK, Table.GSI1SK), index(Table.GSI2, Table.GSI2PK, Table.GSI2SK)));
        assertEquals(List.of(Table.GSI1, Table.GSI2), indexes(name));

        LocalDynamoDb.createTable(client, SamTemplate.load(), name);

        assertEquals(List.of("DueDeliveries", Table.GSI1, Table.GSI2, Table.OPEN_JOBS, "TenantItems"), indexes(name),
                "every index added since, one after the other");
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static GlobalSecondaryIndex index(String name, String pk, String sk) {
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(key(pk, KeyType.HASH), key(sk, KeyType.RANGE))
                .projection(p -> p.projectionType(ProjectionType.ALL)).build();
    }

    private static List<String> indexes(String table) {
        return LocalDynamoDb.shared().client().describeTable(d -> d.tableName(table)).table().globalSecondaryIndexes()
                .stream().map(GlobalSecondaryIndexDescription::indexName).sorted().toList();
    }
}
