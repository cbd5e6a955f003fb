package dev.crm.preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.preferences.entrypoints.BounceHandler;
import dev.crm.preferences.entrypoints.PreferencesHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.http.Route;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tokens.SignedTokens;
import dev.crm.shared.tokens.TokenPurpose;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.SampleEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.TestInfrastructure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The samples in events/preferences run through the real handlers in the order the project's sample
 * runner uses (creating samples first), with the placeholders a runner has to fill: the tenant, the
 * contact, the slug {@code slug-example}, and three tokens minted for the contact.
 */
class PreferencesSampleEventsIT {
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final PreferencesHandler handler = new PreferencesHandler(infra);
    private final BounceHandler bounces = new BounceHandler(infra);
    private final Fixtures fx = new Fixtures(infra, handler);

    static List<Path> samples() throws IOException {
        try (Stream<Path> s = Files.list(SampleEvents.directory().resolve("preferences"))) {
            List<Path> all = new ArrayList<>(s.filter(p -> p.toString().endsWith(".json")).toList());
            // as local/SampleEventsIT orders them: creating and recording samples first
            all.sort(Comparator.comparingInt((Path p) -> {
                String n = p.getFileName().toString();
                return n.startsWith("create-") || n.startsWith("record-") ? 0 : 1;
            }).thenComparing(Path::toString));
            return all;
        }
    }

    @Test
    void everyRouteHasASampleAndEverySampleRuns() throws IOException {
        Set<String> routes = new TreeSet<>();
        for (Route r : handler.router().routes()) {
            routes.add(r.method() + " " + r.path());
        }
        Set<String> sampled = new TreeSet<>();

        TestInfrastructure.TestTenant t = TestInfrastructure.tenant(infra);
        Tenant tenant = infra.tenants().find(t.id());
        String contact = fx.contact(t.id(), "jane.doe@example.com", "Europe/London");
        var now = clock.instant();
        Map<String, String> replace = new LinkedHashMap<>();
        replace.put(SampleEvents.EXAMPLE_TENANT, t.id().value());
        replace.put("c_example0000000000000", contact);
        replace.put("slug-example", t.slug());
        replace.put("tok_example_confirm", SignedTokens.issue(t.id(), tenant.secrets(), TokenPurpose.CONFIRM_SUBSCRIPTION,
                contact, Map.of("ch", "email", "t0", "newsletter"), now, Duration.ofDays(7)));
        replace.put("tok_example_preferences", SignedTokens.issue(t.id(), tenant.secrets(), TokenPurpose.PREFERENCES,
                contact, null, now, Duration.ofDays(90)));
        replace.put("tok_example_unsubscribe", SignedTokens.issue(t.id(), tenant.secrets(), TokenPurpose.UNSUBSCRIBE_TOPIC,
                contact, Map.of("ch", "email", "tp", "newsletter"), now, Duration.ofDays(365)));

        int ran = 0;
        for (Path p : samples()) {
            Map<String, Object> json = SampleEvents.read(p, replace);
            if (SampleEvents.isApiEvent(json)) {
                sampled.add(json.get("httpMethod") + " " + json.get("resource"));
                APIGatewayProxyResponseEvent r = handler.handleRequest(SampleEvents.apiEvent(json), new LambdaContext());
                assertTrue(r.getStatusCode() >= 200 && r.getStatusCode() < 300, p + " answered " + r.getStatusCode() + ": "
                        + r.getBody());
                // a started import's id stands in for its placeholder in the samples that follow
                if (r.getBody() != null && r.getBody().startsWith("{")
                        && dev.crm.devkit.Responses.body(r).get("id") instanceof String id && id.startsWith("cnimp_")) {
                    replace.putIfAbsent("cnimp_example0000000000000", id);
                }
            } else if (SampleEvents.isStreamEvent(json)) {
                new dev.crm.preferences.entrypoints.PreferenceJobsWorker(infra)
                        .handleRequest(SampleEvents.streamEvent(json), new LambdaContext());
            } else {
                Map<?, ?> sns = (Map<?, ?>) ((Map<?, ?>) ((List<?>) json.get("Records")).get(0)).get("Sns");
                bounces.handleRequest(BounceHandlerIT.sns((String) sns.get("Message")), new LambdaContext());
            }
            ran++;
        }
        assertEquals(routes, sampled, "one sample per route");
        assertEquals(samples().size(), ran);
        // the bounce sample's recipient is the sample contact: its ledger records the suppression
        assertTrue(fx.ledger(t.id(), contact).stream().anyMatch(e -> e.source().equals("bounce")));
    }
}
