package dev.crm.shared.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How an invocation's counts become documents: one per invocation, none for nothing, none lost. */
class MetricsTest {
    private final List<String> written = new ArrayList<>();
    private Consumer<String> previous;

    @BeforeEach
    void capture() {
        previous = Metrics.sink();
        Metrics.sink(written::add);
    }

    @AfterEach
    void restore() {
        Metrics.sink(previous);
        Invocation left = Metrics.current();
        if (left != null) {
            left.discard();
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> only() {
        assertEquals(1, written.size(), String.valueOf(written));
        return (Map<String, Object>) Json.parse(written.get(0));
    }

    @Test
    void anInvocationsCountsAreOneDocumentWrittenWhenItCloses() {
        try (Invocation invocation = Metrics.begin()) {
            Metrics.count(MetricNames.JOBS_FAILED);
            Metrics.count(MetricNames.webhookDeliveries("EXHAUSTED"), 2);
            Metrics.count(MetricNames.JOBS_FAILED);
            Metrics.tenant("t_0123456789abcdefghij");
            assertTrue(written.isEmpty(), "nothing before the end of the invocation");
        }
        Map<String, Object> doc = only();
        assertEquals(2L, ((Number) doc.get("JobsFailed")).longValue());
        assertEquals(2L, ((Number) doc.get("WebhookDeliveriesExhausted")).longValue());
        assertEquals("t_0123456789abcdefghij", doc.get("tenantId"));
        assertNull(Metrics.current());
    }

    @Test
    void anInvocationThatRecordedNothingWritesNothing() {
        Metrics.begin().close();
        assertTrue(written.isEmpty());
    }

    @Test
    void aCountWithNoInvocationOpenIsWrittenAtOnce() {
        Metrics.count(MetricNames.SLA_BREACHES, 3);
        assertEquals(3L, ((Number) only().get("SlaBreaches")).longValue());
    }

    @Test
    void aDiscardedInvocationWritesNothing() {
        Invocation invocation = Metrics.begin();
        invocation.request("GET /v1/contacts/{id}", 404, 1.5);
        invocation.discard();
        assertTrue(written.isEmpty());
        assertNull(Metrics.current());
    }

    @Test
    void anInvocationLeftOpenIsWrittenWhenTheNextBegins() {
        Metrics.begin();
        Metrics.count(MetricNames.CONTACTS_CREATED);
        try (Invocation next = Metrics.begin()) {
            assertEquals(1, written.size(), "the stale one is written, not carried into the next");
            Metrics.count(MetricNames.CHURN_ALERTS_RAISED);
        }
        assertEquals(2, written.size());
        assertFalse(written.get(1).contains("ContactsCreated"));
    }

    @Test
    void outcomeClassesAndKindNames() {
        assertEquals("2xx", Invocation.outcomeClass(201));
        assertEquals("4xx", Invocation.outcomeClass(404));
        assertEquals("5xx", Invocation.outcomeClass(503));
        assertEquals("ConsentChangesOptedOut", MetricNames.consentChange("OPTED_OUT"));
        assertEquals("ConsentChangesCleared", MetricNames.consentChange(null));
        assertEquals("WebhookDeliveriesDelivered", MetricNames.webhookDeliveries("DELIVERED"));
    }
}
