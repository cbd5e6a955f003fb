package dev.crm.webhooks.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.crm.devkit.LocalDynamoDb;
import dev.crm.shared.idempotency.IdempotencyRepository;
import dev.crm.shared.idempotency.store.dynamodb.DynamoDbIdempotencyRepository;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.webhooks.domain.EndpointRepository;
import dev.crm.webhooks.domain.WebhookEndpoint;
import dev.crm.webhooks.store.EndpointRepositoryContract;
import org.junit.jupiter.api.Test;

/** The adapter against DynamoDB Local. */
class DynamoDbEndpointRepositoryIT extends EndpointRepositoryContract {
    private final Table table = new Table(LocalDynamoDb.shared().client(), LocalDynamoDb.TABLE);
    private final DynamoDbEndpointRepository repository = new DynamoDbEndpointRepository(table);
    private final DynamoDbIdempotencyRepository idempotency = new DynamoDbIdempotencyRepository(table);

    @Override
    protected EndpointRepository repository() {
        return repository;
    }

    @Override
    protected IdempotencyRepository idempotency() {
        return idempotency;
    }

    @Test
    void theItemIsTheDocumentedOne() {
        TenantId t = TenantId.generate();
        WebhookEndpoint e = endpoint(t);
        repository.create(e);
        var item = table.get(t.value() + "#WEBHOOKS", e.id());
        assertEquals("WEBHOOK_ENDPOINT", Attr.str(item, Table.ENTITY));
        assertEquals(t.value(), Attr.str(item, "tenantId"));
        assertEquals(e.id(), Attr.str(item, "endpointId"));
        assertEquals(e.secrets().get(0).value(), item.get("secrets").l().get(0).m().get("value").s());
        assertFalse(item.containsKey("failingSince"));
        assertEquals(1, Attr.num(item, "version", 0));
    }
}
