package dev.crm.cases.store.dynamodb;

import dev.crm.cases.domain.CaseContactRepository;
import dev.crm.cases.domain.PublicRateCounterRepository;
import dev.crm.cases.store.CaseContactRepositoryContract;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.shared.contact.ContactDirectory;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The adapters against DynamoDB Local: contacts through the shared directory's keyed guards, and the counters. */
class DirectoryCaseContactRepositoryIT extends CaseContactRepositoryContract {
    private final Table table = new Table(LocalDynamoDb.shared().client(), LocalDynamoDb.TABLE);
    private final Map<TenantId, TenantSecrets> secrets = Map.of(tenant, TenantSecrets.generate(), other, TenantSecrets.generate());
    private final DirectoryCaseContactRepository contacts = new DirectoryCaseContactRepository(table, secrets::get);
    private final DynamoDbPublicRateCounterRepository counters = new DynamoDbPublicRateCounterRepository(table);

    @Override
    protected CaseContactRepository contacts() {
        return contacts;
    }

    @Override
    protected PublicRateCounterRepository counters() {
        return counters;
    }

    @Override
    protected void erasing(TenantId t, String email) {
        String id = new ContactDirectory(table, secrets::get).findIdByEmail(t, email);
        // as the contacts function marks a contact it is erasing
        table.client().updateItem(UpdateItemRequest.builder().tableName(table.name())
                .key(Table.key(Keys.contact(t, id), Keys.CONTACT_PROFILE)).updateExpression("SET #st = :e")
                .expressionAttributeNames(Map.of("#st", "status")).expressionAttributeValues(Map.of(":e", Attr.s("erasing")))
                .build());
    }
}
