package dev.crm.shared.config;

import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.idempotency.store.dynamodb.DynamoDbIdempotencyRepository;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.jobs.store.dynamodb.DynamoDbJobRepository;
import dev.crm.shared.store.dynamodb.DynamoDbClients;
import dev.crm.shared.store.dynamodb.DynamoDbErrors;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantRepository;
import dev.crm.shared.tenant.store.dynamodb.DynamoDbTenantRepository;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What every function is built from: configuration, the clock, the table and the shared stores.
 * On Lambda it is built once per execution environment (during init, so SnapStart snapshots it);
 * the local runner and the tests build their own with their own client and clock.
 */
public final class Infrastructure {
    private static volatile Infrastructure lambda;

    private final Settings settings;
    private final Clock clock;
    private final Table table;
    private final TenantRepository tenants;
    private final JobRepository jobs;
    private final IdempotentRequests idempotency;
    private final JobRunner.Sleeper sleeper;

    public Infrastructure(Settings settings, Clock clock, DynamoDbClient client) {
        this(settings, clock, client, JobRunner.Sleeper.REAL);
    }

    /** @param sleeper how waits pass: tests move their clock instead of sleeping */
    public Infrastructure(Settings settings, Clock clock, DynamoDbClient client, JobRunner.Sleeper sleeper) {
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
        this.table = new Table(client, settings.tableName());
        this.tenants = new DynamoDbTenantRepository(table);
        this.jobs = new DynamoDbJobRepository(table, clock);
        this.idempotency = new IdempotentRequests(new DynamoDbIdempotencyRepository(table), clock);
    }

    /** The process-wide instance a Lambda handler's no-argument constructor uses. */
    public static Infrastructure lambda() {
        Infrastructure i = lambda;
        if (i == null) {
            synchronized (Infrastructure.class) {
                i = lambda;
                if (i == null) {
                    Settings s = Settings.fromEnvironment();
                    i = new Infrastructure(s, Clock.systemUTC(), DynamoDbClients.create(s));
                    lambda = i;
                    Table table = i.table();
                    // Every function's first DynamoDB call: signer, marshallers, HTTP stack.
                    Priming.register(() -> table.getEventually(Keys.PRIMING, Keys.ITEM));
                    // The shared stores build their schemas on first use (a cold start builds only what
                    // its request needs); a snapshot holds them all, as when they were built eagerly.
                    Priming.register(() -> {
                        DynamoDbTenantRepository.buildSchemas();
                        DynamoDbJobRepository.buildSchema();
                        DynamoDbIdempotencyRepository.buildSchema();
                    });
                }
            }
        }
        return i;
    }

    public Settings settings() {
        return settings;
    }

    public Clock clock() {
        return clock;
    }

    public Table table() {
        return table;
    }

    public TenantRepository tenants() {
        return tenants;
    }

    /** Runs jobs from this infrastructure's repository, clock and sleeper. */
    public JobRunner jobRunner() {
        return new JobRunner(jobs, clock, sleeper, DynamoDbErrors::isTransient);
    }

    public JobRepository jobs() {
        return jobs;
    }

    public IdempotentRequests idempotency() {
        return idempotency;
    }
}
