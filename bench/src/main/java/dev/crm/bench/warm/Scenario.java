package dev.crm.bench.warm;

import dev.crm.bench.Fixtures;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One warm-benchmark scenario: the handler's route (whose sample in events/ is the prebuilt event),
 * and the same DynamoDB calls made with the raw SDK.
 *
 * @param name       how the report names it
 * @param route      the sample's route as {@link dev.crm.bench.Project.Sample#route()} gives it:
 *                   {@code "GET /v1/tenant"}, {@code "authorizer"}, {@code "stream …"}
 * @param perFixture how many calls one fixture (tenant) can take before it runs out of something
 *                   (active-key cap, …); 0 = unlimited, one fixture serves the whole run
 * @param raw        the same DynamoDB calls, nothing else
 */
public record Scenario(String name, String route, int perFixture, Raw raw) {
    /** The i-th raw call against a fixture (i is unique over the run, for unique ids). */
    @FunctionalInterface
    public interface Raw {
        void call(DynamoDbClient client, String table, Fixtures.Fixture fixture, int i);
    }
}
