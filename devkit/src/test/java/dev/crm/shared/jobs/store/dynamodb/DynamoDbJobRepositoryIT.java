package dev.crm.shared.jobs.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.JobRepositoryContract;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.LocalDynamoDb;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DynamoDbJobRepositoryIT extends JobRepositoryContract {
    private final Table table = new Table(LocalDynamoDb.shared().client(), LocalDynamoDb.TABLE);

    @Override
    protected JobRepository repository(Clock clock) {
        return new DynamoDbJobRepository(table, clock);
    }

    @Test
    void theItemIsStoredAsTheDataModelDescribesIt() {
        TenantId t = TenantId.generate();
        String id = Ids.random("job_", 20);
        var jobs = repository(clock);
        jobs.create(NewJob.forTenant(JobRef.of(t, id), "import", Map.of("rows", 2L), 2));
        var item = table.get(Keys.job(t, id), Keys.ITEM);
        assertEquals("JOB", item.get("entity").s());
        assertEquals(id, item.get("jobId").s());
        assertEquals("import", item.get("jobKind").s());
        assertEquals(t.value(), item.get("tenantId").s());
        assertEquals("queued", item.get("status").s());
        assertEquals("0", item.get("done").n());
        assertEquals("2", item.get("total").n());
        assertEquals("0", item.get("handovers").n());
        assertEquals("2", item.get("input").m().get("rows").n());
        assertEquals("2026-11-24T10:00:00Z", item.get("createdAt").s());
        assertFalse(item.containsKey("result") || item.containsKey("checkpoint") || item.containsKey("leaseOwner"));
        assertEquals(item, DynamoDbJobRepository.createItem(table.name(),
                NewJob.forTenant(JobRef.of(t, id), "import", Map.of("rows", 2L), 2), clock.instant()).put().item());
        jobs.claim(JobRef.of(t, id), "w1", 1000);
        item = table.get(Keys.job(t, id), Keys.ITEM);
        assertEquals("running", item.get("status").s());
        assertEquals(Long.toString(clock.millis() + 1000), item.get("leaseUntil").n());
    }
}
