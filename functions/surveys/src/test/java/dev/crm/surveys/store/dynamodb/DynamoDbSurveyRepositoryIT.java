package dev.crm.surveys.store.dynamodb;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.SurveyRepository;
import dev.crm.surveys.store.SurveyRepositoryContract;
import dev.crm.devkit.TestInfrastructure;
import java.util.HashMap;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** The port contract against the adapter on DynamoDB Local; contacts and segments written as the contacts function does. */
class DynamoDbSurveyRepositoryIT extends SurveyRepositoryContract {
    private static final dev.crm.shared.config.Infrastructure INFRA = TestInfrastructure.create();
    private static final Table TABLE = INFRA.table();

    @Override
    protected SurveyRepository newRepository() {
        return new DynamoDbSurveyRepository(TABLE, TestInfrastructure.tenantSecrets(INFRA));
    }

    @Override
    protected void givenContact(TenantId tenant, Contact contact) {
        TABLE.client().putItem(PutItemRequest.builder().tableName(TABLE.name()).item(ContactItems.contact(tenant, contact)).build());
    }

    @Override
    protected void givenSegment(TenantId tenant, String segmentId, String ruleJson) {
        var item = new HashMap<>(Table.key(Keys.segments(tenant), segmentId));
        item.put("rule", Attr.s(ruleJson));
        TABLE.client().putItem(PutItemRequest.builder().tableName(TABLE.name()).item(item).build());
    }
}
