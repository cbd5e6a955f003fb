package dev.crm.cases.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.crm.cases.domain.AgentRepository;
import dev.crm.cases.store.AgentRepositoryContract;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** The adapter against DynamoDB Local. */
class DynamoDbAgentRepositoryIT extends AgentRepositoryContract {
    private final Table table = new Table(LocalDynamoDb.shared().client(), LocalDynamoDb.TABLE);
    private final DynamoDbAgentRepository repository = new DynamoDbAgentRepository(table);

    @Override
    protected AgentRepository repository() {
        return repository;
    }

    /** The email is an attribute of the agent's item only: no key of the table holds it. */
    @Test
    void noKeyHoldsTheEmail() {
        TenantId t = TenantId.generate();
        repository.create(agent(t, "Keyless", "keyless.agent@example.com", true));
        // every page: the table is shared with the module's other tests, and a filtered scan page may be empty
        var items = table.client().scanPaginator(ScanRequest.builder().tableName(table.name()).filterExpression("begins_with(PK, :t)")
                .expressionAttributeValues(java.util.Map.of(":t", dev.crm.shared.store.dynamodb.Attr.s(t.value())))
                .consistentRead(true).build()).items().stream().toList();
        assertFalse(items.isEmpty());
        for (var item : items) {
            for (String k : java.util.List.of(Table.PK, Table.SK, Table.GSI1PK, Table.GSI1SK, Table.GSI2PK, Table.GSI2SK)) {
                String key = item.containsKey(k) ? item.get(k).s() : "";
                assertFalse(key.toLowerCase(java.util.Locale.ROOT).contains("keyless.agent"), k + " holds an email: " + key);
            }
        }
    }
}
