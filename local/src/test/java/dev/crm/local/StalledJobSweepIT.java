package dev.crm.local;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.contacts.entrypoints.ContactJobsWorker;
import dev.crm.contacts.entrypoints.ContactsHandler;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.SampleEvents;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.jobs.StalledJobs;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.tenants.entrypoints.JobSweepSchedule;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stalled-job sweep through its real handler (JobSweepFunction) against DynamoDB Local, with
 * the clock in the test's hand: a job whose worker died is queued again a bounded number of times,
 * then failed with a reason its client reads on the job's GET route; a job whose worker is alive
 * and a finished job are left alone. The table is this test's own, so the sweep sees only its jobs.
 */
class StalledJobSweepIT {
    private static final Duration PAST_GRACE = Duration.ofMillis(JobRunner.LEASE_MILLIS).plus(StalledJobs.GRACE)
            .plusSeconds(1);

    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock, Map.of("TABLE_NAME", ownTable()));
    private final ContactsHandler contacts = new ContactsHandler(infra);
    private final JobSweepSchedule sweeper = new JobSweepSchedule(infra);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();

    private static String ownTable() {
        String name = "Sweep_" + Ids.random("", 12);
        LocalDynamoDb.createTable(LocalDynamoDb.shared().client(), SamTemplate.load(), name);
        return name;
    }

    private APIGatewayProxyResponseEvent call(ApiEvents e) {
        return contacts.handleRequest(e.as(tenant, Scope.ADMIN).build(), new LambdaContext());
    }

    private Map<String, Object> sweep() {
        var event = SampleEvents.read(SampleEvents.directory().resolve("tenants/stalled-job-sweep.json"), Map.of());
        return sweeper.handleRequest(event, new LambdaContext());
    }

    private Job job(JobRef ref) {
        return infra.jobs().find(ref);
    }

    private String erasedContact;

    /** An erasure of a new contact, queued through the DELETE route (its worker never runs here). */
    private JobRef erasure() {
        var created = call(ApiEvents.request("POST", "/v1/contacts").json("{\"firstName\": \"Ada\"}"));
        status(created, 201);
        erasedContact = (String) body(created).get("id");
        var started = call(ApiEvents.request("DELETE", "/v1/contacts/{id}").path("id", erasedContact));
        status(started, 202);
        String jobId = (String) body(started).get("id");
        assertEquals("/v1/contacts/erasures/" + jobId, header(started, "Location"));
        return JobRef.of(tenant, jobId);
    }

    private Map<String, Object> readErasure(JobRef ref) {
        var r = call(ApiEvents.request("GET", "/v1/contacts/erasures/{id}").path("id", ref.id()));
        status(r, 200);
        return body(r);
    }

    @Test
    void anErasureWhoseWorkerKeepsDyingIsQueuedAgainAFewTimesThenFailedWithAReasonItsClientReads() {
        JobRef erasure = erasure();
        JobRef alive = JobRef.of(tenant, Ids.random("imp_", 20));
        infra.jobs().create(NewJob.forTenant(alive, "contact_import", Map.of(), 10));
        infra.jobs().claim(alive, "live", JobRunner.LEASE_MILLIS);
        JobRef finished = JobRef.of(tenant, Ids.random("imp_", 20));
        infra.jobs().create(NewJob.forTenant(finished, "contact_import", Map.of(), 1));
        infra.jobs().claim(finished, "w", JobRunner.LEASE_MILLIS);
        infra.jobs().complete(finished, "w", 1, 1, Map.of("created", 1L));
        Job finishedBefore = job(finished);

        for (int recovery = 1; recovery <= StalledJobs.MAX_RECOVERIES + 1; recovery++) {
            // a worker claims the erasure and dies without a word; the stream's retries are spent
            assertNotNull(infra.jobs().claim(erasure, "dead-" + recovery, JobRunner.LEASE_MILLIS));
            clock.advance(PAST_GRACE);
            // the live worker checkpoints all along: its lease is in the future at every sweep
            infra.jobs().checkpoint(alive, "live", recovery, 10, Map.of("next", (long) recovery), JobRunner.LEASE_MILLIS);
            Job aliveBefore = job(alive);

            Map<String, Object> swept = sweep();

            Job e = job(erasure);
            if (recovery <= StalledJobs.MAX_RECOVERIES) {
                assertEquals(Map.of("requeued", 1, "failed", 0, "skipped", 0), swept);
                assertEquals(Job.Status.QUEUED, e.status(), "queued again: the write starts a fresh worker");
                assertEquals(recovery, e.recoveries());
                assertNull(e.leaseOwner());
                assertEquals("queued", readErasure(erasure).get("status"));
            } else {
                assertEquals(Map.of("requeued", 0, "failed", 1, "skipped", 0), swept);
                assertEquals(Job.Status.FAILED, e.status());
            }
            assertEquals(aliveBefore, job(alive), "a job whose worker is alive is untouched");
            assertEquals(finishedBefore, job(finished), "a finished job is untouched");
        }

        Map<String, Object> read = readErasure(erasure);
        assertEquals("failed", read.get("status"));
        assertEquals(StalledJobs.GAVE_UP, read.get("error"));
        assertNull(infra.jobs().claim(erasure, "late", JobRunner.LEASE_MILLIS), "a late delivery finds it finished");

        infra.jobs().complete(alive, "live", 10, 10, Map.of());
        clock.advance(PAST_GRACE.multipliedBy(4));
        assertEquals(Map.of("requeued", 0, "failed", 0, "skipped", 0), sweep(), "finished jobs leave the index");
        assertEquals(StalledJobs.GAVE_UP, job(erasure).error());

        // The right to erasure is not lost with the failed job: the contact still reads as absent, and a
        // new DELETE hands the erasure to a new job, which a healthy worker finishes.
        String contactId = erasedContact;
        status(call(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", contactId)), 404);
        var again = call(ApiEvents.request("DELETE", "/v1/contacts/{id}").path("id", contactId));
        status(again, 202);
        String retryId = (String) body(again).get("id");
        assertNotEquals(erasure.id(), retryId);
        status(call(ApiEvents.request("DELETE", "/v1/contacts/{id}").path("id", contactId)), 404);
        new ContactJobsWorker(infra).handleRequest(SampleEvents.jobQueued(Keys.job(tenant, retryId)), new LambdaContext());
        assertEquals("succeeded", readErasure(JobRef.of(tenant, retryId)).get("status"));
        assertNull(infra.table().get(Keys.contact(tenant, contactId), Keys.CONTACT_PROFILE), "the contact is erased");
        status(call(ApiEvents.request("DELETE", "/v1/contacts/{id}").path("id", contactId)), 404);
    }

    @Test
    void aQueuedJobNoWorkerEverStartedIsQueuedAgainOnlyAfterTheGrace() {
        JobRef ref = erasure();
        Job queued = job(ref);
        clock.advance(StalledJobs.GRACE);
        assertEquals(Map.of("requeued", 0, "failed", 0, "skipped", 0), sweep(), "not overdue yet");
        assertEquals(queued, job(ref));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Map.of("requeued", 1, "failed", 0, "skipped", 0), sweep());
        Job again = job(ref);
        assertEquals(Job.Status.QUEUED, again.status());
        assertEquals(1, again.recoveries());
        assertEquals(clock.instant(), again.updatedAt(), "a new write, so a new stream record");
    }
}
