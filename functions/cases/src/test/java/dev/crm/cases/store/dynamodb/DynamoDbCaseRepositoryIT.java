package dev.crm.cases.store.dynamodb;

import dev.crm.cases.domain.CaseRepository;
import dev.crm.cases.store.CaseRepositoryContract;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.util.HashMap;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** The adapter against DynamoDB Local. */
class DynamoDbCaseRepositoryIT extends CaseRepositoryContract {
    private final Table table = new Table(LocalDynamoDb.shared().client(), LocalDynamoDb.TABLE);
    private final DynamoDbCaseRepository repository = new DynamoDbCaseRepository(table);

    @Override
    protected CaseRepository repository() {
        return repository;
    }

    @Override
    protected void activeContact(TenantId t, String contactId) {
        var item = new HashMap<>(Table.key(Keys.contact(t, contactId), Keys.CONTACT_PROFILE));
        item.put("status", Attr.s("active"));
        table.client().putItem(PutItemRequest.builder().tableName(table.name()).item(item).build());
    }

    @Override
    protected void agent(TenantId t, String agentId, boolean active) {
        java.time.Instant at = java.time.Instant.parse("2026-12-07T09:00:00Z");
        table.client().putItem(PutItemRequest.builder().tableName(table.name()).item(DynamoDbAgentRepository.item(
                new dev.crm.cases.domain.Agent(t, agentId, "Ana", "agent@example.com", java.util.List.of(), active, at, at, 1)))
                .build());
    }
}
