package dev.crm.shared.jobs.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.JobRepositoryContract;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.devkit.SamTemplate;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DynamoDbJobRepositoryIT extends JobRepositoryContract {
    /**
     * A table of this test's own (as template.yaml defines it), so the open-jobs index holds this
     * test's jobs only and what {@code stalled} returns can be asserted exactly.
     */
    private final Table table = ownTable();

    private static Table ownTable() {
        String name = "Jobs_" + Ids.random("", 12);
        LocalDynamoDb.createTable(LocalDynamoDb.shared().client(), SamTemplate.load(), name);
        return new Table(LocalDynamoDb.shared().client(), name);
    }

    @Override
    protected JobRepository repository(Clock clock) {
        return new DynamoDbJobRepository(table, clock);
    }

    @Test
    void onlyOpenJobsCarryTheOpenJobsIndexKeys() {
        TenantId t = TenantId.generate();
        JobRef ref = JobRef.of(t, Ids.random("job_", 20));
        var jobs = repository(clock);
        jobs.create(NewJob.forTenant(ref, "import", Map.of(), 1));
        var item = table.get(Keys.job(t, ref.id()), Keys.ITEM);
        assertEquals(Keys.openJobs(Keys.job(t, ref.id())), item.get(Table.OPEN_JOBS_PK).s());
        assertTrue(item.get(Table.OPEN_JOBS_PK).s().startsWith("OPS#OPENJOBS#"));
        assertEquals(Long.toString(clock.millis()), item.get(Table.OPEN_JOBS_SK).n());
        jobs.claim(ref, "w1", 1000);
        item = table.get(Keys.job(t, ref.id()), Keys.ITEM);
        assertEquals(item.get("leaseUntil").n(), item.get(Table.OPEN_JOBS_SK).n(), "running: due when its lease ends");
        jobs.complete(ref, "w1", 1, 1, Map.of());
        item = table.get(Keys.job(t, ref.id()), Keys.ITEM);
        assertFalse(item.containsKey(Table.OPEN_JOBS_PK) || item.containsKey(Table.OPEN_JOBS_SK), "a finished job leaves the index");
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
