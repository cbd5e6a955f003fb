package dev.crm.contacts;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.contacts.entrypoints.ContactsHandler;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The contacts function's stdout for a request, as Lambda would ship it to CloudWatch Logs: one EMF
 * document per request, valid per the EMF specification, with the route template and outcome class as
 * dimensions, the tenant as a property only, and nothing the request carried.
 */
class ContactsMetricsIT {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final ContactsHandler handler = new ContactsHandler(infra);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();
    private final TenantId other = TestInfrastructure.tenant(infra).id();

    private APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    /** The one EMF document the request's invocation wrote, validated. */
    private Map<String, Object> documentOf(ApiEvents request, int expectedStatus, AtomicReference<String> line) {
        List<String> out = EmfDocuments.stdoutOf(() -> status(call(request), expectedStatus));
        List<String> emf = out.stream().filter(l -> l.contains("\"_aws\"")).toList();
        assertEquals(1, emf.size(), "one EMF document per invocation: " + out);
        line.set(emf.get(0));
        return EmfDocuments.documents(emf).get(0);
    }

    @Test
    void aCreatedContactIsOneValidDocumentWithTheRouteTheOutcomeAndTheCountButNoPersonalData() {
        String email = "jane.metrics+" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String phone = "+447700900456";
        AtomicReference<String> line = new AtomicReference<>();
        Map<String, Object> doc = documentOf(ApiEvents.request("POST", "/v1/contacts").as(tenant, Scope.WRITE)
                .json("{\"firstName\": \"Jane\", \"lastName\": \"Metricsdottir\", \"email\": \"" + email
                        + "\", \"phone\": \"" + phone + "\"}"), 201, line);

        assertEquals("POST /v1/contacts", doc.get("Route"));
        assertEquals("2xx", doc.get("Outcome"));
        assertEquals(1L, ((Number) doc.get("Requests")).longValue());
        assertTrue(((Number) doc.get("Latency")).doubleValue() >= 0);
        assertEquals(1L, ((Number) doc.get("ContactsCreated")).longValue(), "the business counter joins the request's document");
        assertEquals(Set.of("Latency", "Requests", "ContactsCreated"), EmfDocuments.metricNames(doc));
        assertEquals(Set.of("Route", "Outcome"), EmfDocuments.dimensionKeys(doc), "no other dimension (cardinality)");

        assertEquals(tenant.value(), doc.get("tenantId"), "the tenant is a property");
        assertFalse(EmfDocuments.dimensionKeys(doc).contains("tenantId"), "and never a dimension");
        for (String personal : List.of(email, "jane.metrics", "example.com", phone, "7700900456", "Metricsdottir")) {
            assertFalse(line.get().contains(personal), "no personal data in the document: " + personal);
        }
    }

    @Test
    void theRouteIsTheTemplateNeverTheRawPathAndEachTenantIsItsOwnProperty() {
        String id = (String) body(call(ApiEvents.request("POST", "/v1/contacts").as(other, Scope.WRITE)
                .json("{\"firstName\": \"Olga\"}"))).get("id");
        AtomicReference<String> line = new AtomicReference<>();

        Map<String, Object> own = documentOf(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", id)
                .as(other, Scope.READ), 200, line);
        assertEquals("GET /v1/contacts/{id}", own.get("Route"));
        assertFalse(line.get().contains(id), "the contact's id is in no dimension or property");
        assertEquals(other.value(), own.get("tenantId"));

        // Another tenant asking for it: 404, counted as 4xx on the same route, under that tenant.
        Map<String, Object> foreign = documentOf(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", id)
                .as(tenant, Scope.READ), 404, line);
        assertEquals("GET /v1/contacts/{id}", foreign.get("Route"));
        assertEquals("4xx", foreign.get("Outcome"));
        assertEquals(tenant.value(), foreign.get("tenantId"));
        assertFalse(foreign.containsKey("ContactsCreated"));
    }
}
