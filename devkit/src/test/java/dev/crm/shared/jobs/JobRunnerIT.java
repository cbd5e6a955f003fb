package dev.crm.shared.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.store.dynamodb.Table;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.devkit.MutableClock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Leases against DynamoDB Local: a dead worker's job is taken over, a live worker's is left alone. */
class JobRunnerIT {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final JobRepository jobs = new dev.crm.shared.jobs.store.dynamodb.DynamoDbJobRepository(new Table(LocalDynamoDb.shared().client(), LocalDynamoDb.TABLE), clock);
    private final JobRef pk = JobRef.operator("test_" + java.util.UUID.randomUUID());
    private final AtomicInteger steps = new AtomicInteger();

    private final JobRunner.Work work = job -> {
        steps.incrementAndGet();
        return JobRunner.Step.finished(1, 1, Map.of("ok", true));
    };

    private JobRunner runner() {
        return new JobRunner(jobs, clock, millis -> clock.advance(Duration.ofMillis(millis)));
    }

    @Test
    void aRetryWaitsOutADeadWorkersLeaseAndFinishesTheJob() {
        jobs.create(new NewJob(pk, "test", null, Map.of(), 1));
        assertTrue(jobs.claim(pk, "dead", JobRunner.LEASE_MILLIS) != null);
        var start = clock.instant();
        assertEquals(JobRunner.Outcome.FINISHED, runner().run(pk, "retry", () -> 900_000, work));
        assertEquals(1, steps.get());
        assertEquals(Job.Status.SUCCEEDED, jobs.find(pk).status());
        assertTrue(Duration.between(start, clock.instant()).toMillis() > JobRunner.LEASE_MILLIS, "not before the lease ran out");
    }

    @Test
    void aDuplicateDeliveryLeavesALiveWorkerAlone() {
        jobs.create(new NewJob(pk, "test", null, Map.of(), 1));
        Job live = jobs.claim(pk, "live", JobRunner.LEASE_MILLIS);
        // while the duplicate waits, the live worker checkpoints, which renews its lease
        var runner = new JobRunner(jobs, clock, millis -> {
            clock.advance(Duration.ofMillis(millis));
            jobs.checkpoint(pk, "live", 0, 1, Map.of("at", 1), JobRunner.LEASE_MILLIS);
        });
        assertEquals(JobRunner.Outcome.NOT_CLAIMED, runner.run(pk, "duplicate", () -> 900_000, work));
        assertEquals(0, steps.get());
        Job after = jobs.find(pk);
        assertEquals("live", after.leaseOwner());
        assertTrue(after.leaseUntilMillis() > live.leaseUntilMillis());
    }

    @Test
    void anInvocationWithNoTimeToWaitFailsSoTheStreamRetriesLater() {
        jobs.create(new NewJob(pk, "test", null, Map.of(), 1));
        jobs.claim(pk, "dead", JobRunner.LEASE_MILLIS);
        assertThrows(JobRunner.LeaseHeld.class, () -> runner().run(pk, "late", () -> 15_000, work));
        assertEquals("dead", jobs.find(pk).leaseOwner());
        assertEquals(0, steps.get());
    }

    @Test
    void aFinishedJobIsNotRunAgain() {
        jobs.create(new NewJob(pk, "test", null, Map.of(), 1));
        assertEquals(JobRunner.Outcome.FINISHED, runner().run(pk, "a", () -> 900_000, work));
        assertEquals(JobRunner.Outcome.NOT_CLAIMED, runner().run(pk, "b", () -> 900_000, work));
        assertEquals(1, steps.get());
    }

    @Test
    void aJobThatKeepsFailingWithoutProgressEndsAsFailedWithAReasonInsteadOfRetryingForEver() {
        jobs.create(new NewJob(pk, "test", null, Map.of(), 1));
        JobRunner.Work broken = job -> {
            steps.incrementAndGet();
            throw new IllegalStateException("a bug");
        };
        for (int attempt = 1; attempt < JobRunner.MAX_FAILED_ATTEMPTS; attempt++) {
            assertThrows(IllegalStateException.class, () -> runner().run(pk, "w", () -> 900_000, broken),
                    "an attempt before the last fails its invocation, so the stream retries");
            assertEquals(Job.Status.QUEUED, jobs.find(pk).status());
            assertEquals(attempt, jobs.find(pk).failures());
        }
        assertEquals(JobRunner.Outcome.FAILED, runner().run(pk, "last", () -> 900_000, broken));
        Job failed = jobs.find(pk);
        assertEquals(Job.Status.FAILED, failed.status());
        assertEquals(JobRunner.GAVE_UP, failed.error());
        assertEquals("failed", failed.toJson().get("status"));
        assertEquals(JobRunner.GAVE_UP, failed.toJson().get("error"), "what the job's GET route shows");
        assertEquals(JobRunner.Outcome.NOT_CLAIMED, runner().run(pk, "redelivered", () -> 900_000, broken));
        assertEquals(JobRunner.MAX_FAILED_ATTEMPTS, steps.get());
    }

    @Test
    void throttlingThatOutlastsTheBoundDoesNotEndTheJob() {
        jobs.create(new NewJob(pk, "test", null, Map.of(), 1));
        // the production runner: the store's passing trouble is told apart from a failing job
        var runner = new JobRunner(jobs, clock, millis -> clock.advance(Duration.ofMillis(millis)),
                dev.crm.shared.store.dynamodb.DynamoDbErrors::isTransient);
        JobRunner.Work throttled = job -> {
            steps.incrementAndGet();
            throw new dev.crm.shared.store.StoreException.Busy();
        };
        for (int attempt = 1; attempt <= 2 * JobRunner.MAX_FAILED_ATTEMPTS; attempt++) {
            assertThrows(dev.crm.shared.store.StoreException.Busy.class, () -> runner.run(pk, "w", () -> 900_000, throttled));
            assertEquals(Job.Status.QUEUED, jobs.find(pk).status(), "attempt " + attempt);
            assertEquals(0, jobs.find(pk).failures(), "throttling is not the job's failure");
        }
        assertEquals(JobRunner.Outcome.FINISHED, runner.run(pk, "after", () -> 900_000, work), "it finishes once it passes");
    }

    @Test
    void failuresWithProgressBetweenThemDoNotEndTheJob() {
        jobs.create(new NewJob(pk, "test", null, Map.of(), 1));
        // every attempt makes one step of progress, then fails (throttling now and then on a long import)
        JobRunner.Work flaky = job -> {
            if (steps.incrementAndGet() % 2 == 0) {
                throw new IllegalStateException("throttled");
            }
            return JobRunner.Step.progress(job.done() + 1, 100, Map.of("at", job.done() + 1));
        };
        for (int attempt = 0; attempt < 2 * JobRunner.MAX_FAILED_ATTEMPTS; attempt++) {
            assertThrows(IllegalStateException.class, () -> runner().run(pk, "w", () -> 900_000, flaky));
        }
        Job j = jobs.find(pk);
        assertEquals(Job.Status.QUEUED, j.status());
        assertEquals(2 * JobRunner.MAX_FAILED_ATTEMPTS, j.done());
        assertEquals(1, j.failures());
    }

    @Test
    void onlyTheAttemptThatEndsTheJobCountsJobsFailedInItsInvocationsMetrics() {
        jobs.create(new NewJob(pk, "test", null, Map.of(), 1));
        JobRunner.Work broken = job -> {
            throw new IllegalStateException("a bug");
        };
        java.util.List<String> documents = new java.util.ArrayList<>();
        var previous = dev.crm.shared.metrics.Metrics.sink();
        dev.crm.shared.metrics.Metrics.sink(documents::add);
        try {
            for (int attempt = 1; attempt <= JobRunner.MAX_FAILED_ATTEMPTS; attempt++) {
                try (var invocation = dev.crm.shared.metrics.Metrics.begin()) {
                    runner().run(pk, "w" + attempt, () -> 900_000, broken);
                } catch (IllegalStateException retried) {
                    // an attempt before the last: its invocation fails and writes nothing
                }
            }
        } finally {
            dev.crm.shared.metrics.Metrics.sink(previous);
        }
        assertEquals(1, documents.size(), "one document, from the invocation that gave up: " + documents);
        assertEquals(1L, ((Number) ((Map<?, ?>) dev.crm.shared.json.Json.parse(documents.get(0))).get("JobsFailed")).longValue());
    }
}
