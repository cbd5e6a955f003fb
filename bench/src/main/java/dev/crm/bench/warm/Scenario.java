package dev.crm.bench.warm;

import dev.crm.bench.Fixtures;
import dev.crm.bench.Project;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One warm-benchmark scenario: the handler's route (whose sample in events/ is the prebuilt event),
 * and the same DynamoDB calls made with the raw SDK.
 *
 * @param name       how the report names it
 * @param route      the sample's route as {@link dev.crm.bench.Project.Sample#route()} gives it:
 *                   {@code "GET /v1/tenant"}, {@code "authorizer"}, {@code "stream …"}
 * @param sample     the sample's name when the route has several ({@code contacts/get-contact.json}
 *                   beside {@code contacts/get-contact-360.json}); null: the route's first sample
 * @param perFixture how many calls one fixture (tenant) can take before it runs out of something
 *                   (active-key cap, a survey's per-minute limit, …); 0 = unlimited, one fixture serves
 *                   the whole run. The raw side gets fixtures of its own in the same number, prepared
 *                   the same way (a contact, a survey, … from {@link dev.crm.bench.Preparations})
 * @param vary       null when every call of a fixture can send the same event (reads); otherwise
 *                   makes the i-th event unique (a new email, Idempotency-Key, client address), and the
 *                   harness prebuilds one event per call
 * @param raw        the same DynamoDB calls, nothing else
 */
public record Scenario(String name, String route, String sample, int perFixture, Vary vary, Raw raw) {
    public Scenario(String name, String route, int perFixture, Raw raw) {
        this(name, route, null, perFixture, null, raw);
    }

    /** The i-th raw call against a fixture (i is unique over the run, for unique ids). */
    @FunctionalInterface
    public interface Raw {
        void call(DynamoDbClient client, String table, Fixtures.Fixture fixture, int i);
    }

    /** The i-th event's text from the sample's text with the fixture's values in place (i unique over the run). */
    @FunctionalInterface
    public interface Vary {
        String apply(String fixtureText, int i);
    }

    /** True for the sample this scenario's handler side sends. */
    public boolean matches(Project.Sample s) {
        return s.functionId() != null && route.equals(s.route()) && (sample == null || sample.equals(s.name()));
    }

    /** The i-th call's event text. */
    public String eventText(String fixtureText, int i) {
        return vary == null ? fixtureText : vary.apply(fixtureText, i);
    }
}
