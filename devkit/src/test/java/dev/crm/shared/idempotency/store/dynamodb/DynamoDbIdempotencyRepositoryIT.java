package dev.crm.shared.idempotency.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.shared.idempotency.IdempotencyKey;
import dev.crm.shared.idempotency.IdempotencyRepository;
import dev.crm.shared.idempotency.IdempotencyRepositoryContract;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.LocalDynamoDb;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DynamoDbIdempotencyRepositoryIT extends IdempotencyRepositoryContract {
    private final Table table = new Table(LocalDynamoDb.shared().client(), LocalDynamoDb.TABLE);

    @Override
    protected IdempotencyRepository repository() {
        return new DynamoDbIdempotencyRepository(table);
    }

    @Test
    void theItemIsStoredAsTheDataModelDescribesIt() {
        TenantId t = TenantId.generate();
        IdempotencyKey key = IdempotencyKey.ofTenant(t, "srv_1", "abc");
        Instant now = Instant.parse("2026-11-24T10:00:00.250Z");
        repository().acquire(key, "fp", now, now.plusSeconds(60), now.plusSeconds(86_400));
        var item = table.get(Keys.idempotency(t, "srv_1#abc"), Keys.ITEM);
        assertEquals("IDEMPOTENCY", item.get("entity").s());
        assertEquals("IN_PROGRESS", item.get("state").s());
        assertEquals("fp", item.get("fingerprint").s());
        assertEquals(Long.toString(now.toEpochMilli() + 60_000), item.get("lockUntil").n());
        assertEquals(Long.toString(now.getEpochSecond() + 86_400), item.get("expiresAt").n());
        assertEquals(Keys.operatorIdempotency("abc"), DynamoDbIdempotencyRepository.partition(IdempotencyKey.ofOperator("abc")));
    }
}
