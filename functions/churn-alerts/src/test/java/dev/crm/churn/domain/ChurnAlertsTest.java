package dev.crm.churn.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crm.churn.store.memory.InMemoryChurnRepository;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.TestHistories;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Acknowledging, resolving and listing alerts on the in-memory repository. */
class ChurnAlertsTest {
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final InMemoryChurnRepository repo = new InMemoryChurnRepository();
    private final ChurnAlerts alerts = new ChurnAlerts(repo, Clock.fixed(NOW, ZoneOffset.UTC));
    private final TenantId t = TenantId.generate();

    ChurnAlert raised(BigDecimal valueAtRisk) {
        String c = TestHistories.newContactId();
        repo.putCard(t, c, Map.of("firstName", "A"), true);
        ChurnAlert a = new ChurnAlert(ChurnAlert.id(c, "202611"), c, "202611", ChurnAlert.Status.OPEN, 0.1, "high",
                BigDecimal.TEN, valueAtRisk, "EUR", List.of("p_alive_below_threshold"), Map.of("channel", "email"),
                Map.of("firstName", "A"), "run_a", NOW.minusSeconds(3600), null, null, null, null, null);
        repo.createAlert(t, a);
        return a;
    }

    @Test
    void acknowledgingAnOpenAlertRecordsWhoAndWhenAndIsRepeatable() {
        ChurnAlert a = raised(BigDecimal.TEN);
        ChurnAlert acked = alerts.acknowledge(t, a.id(), "key:k1");
        assertEquals(ChurnAlert.Status.ACKNOWLEDGED, acked.status());
        assertEquals(NOW, acked.acknowledgedAt());
        assertEquals("key:k1", acked.acknowledgedBy());
        ChurnAlert again = alerts.acknowledge(t, a.id(), "key:k2");
        assertEquals("key:k1", again.acknowledgedBy(), "a second acknowledgement changes nothing");
    }

    @Test
    void aResolvedAlertCannotBeAcknowledged() {
        ChurnAlert a = raised(BigDecimal.TEN);
        alerts.resolve(t, a.id(), "key:k1", "lost");
        var e = assertThrows(ChurnAlerts.StatusConflict.class, () -> alerts.acknowledge(t, a.id(), "key:k2"));
        assertEquals("the alert is resolved; only open alerts can be acknowledged", e.getMessage());
    }

    @Test
    void resolvingTakesOpenOrAcknowledgedAlertsAndDefaultsToNotActionable() {
        ChurnAlert open = raised(BigDecimal.TEN);
        ChurnAlert r = alerts.resolve(t, open.id(), "key:k1", null);
        assertEquals(ChurnAlert.Status.RESOLVED, r.status());
        assertEquals("not_actionable", r.resolution());
        assertEquals("key:k1", r.resolvedBy());
        assertEquals(NOW, r.resolvedAt());
        ChurnAlert acked = raised(BigDecimal.ONE);
        alerts.acknowledge(t, acked.id(), "key:k1");
        assertEquals("retained", alerts.resolve(t, acked.id(), "key:k2", "retained").resolution());
        assertEquals("retained", alerts.resolve(t, acked.id(), "key:k3", "lost").resolution(), "resolving again changes nothing");
    }

    @Test
    void anAlertThatChangesBetweenTheReadAndTheWriteIsAConflict() {
        ChurnAlert a = raised(BigDecimal.TEN);
        InMemoryChurnRepository racing = new InMemoryChurnRepository() {
            @Override
            public ChurnAlert transition(TenantId tenant, ChurnAlert alert, ChurnAlert.Status from, ChurnAlert.Status to,
                    String by, Instant at, String resolution) {
                return null; // someone else moved it meanwhile
            }
        };
        racing.putCard(t, a.contactId(), Map.of("firstName", "A"), true);
        racing.createAlert(t, a);
        ChurnAlerts service = new ChurnAlerts(racing, Clock.fixed(NOW, ZoneOffset.UTC));
        var e = assertThrows(ChurnAlerts.StatusConflict.class, () -> service.resolve(t, a.id(), "key:k", null));
        assertEquals("the alert changed meanwhile; read it again", e.getMessage());
        assertThrows(ChurnAlerts.StatusConflict.class, () -> service.acknowledge(t, a.id(), "key:k"));
    }

    @Test
    void unknownMalformedAndOtherTenantsAlertsAreUnknown() {
        ChurnAlert a = raised(BigDecimal.TEN);
        TenantId other = TenantId.generate();
        assertThrows(ChurnAlerts.UnknownAlert.class, () -> alerts.acknowledge(other, a.id(), "key:k"));
        assertThrows(ChurnAlerts.UnknownAlert.class, () -> alerts.resolve(t, "al_nope", "key:k", null));
        assertThrows(ChurnAlerts.UnknownAlert.class, () -> alerts.acknowledge(t, null, "key:k"));
        assertThrows(ChurnAlerts.UnknownAlert.class,
                () -> alerts.acknowledge(t, ChurnAlert.id(TestHistories.newContactId(), "202611"), "key:k"));
        assertEquals(ChurnAlert.Status.OPEN, repo.alert(t, a.contactId(), a.period()).status());
    }

    @Test
    void listingPagesThroughOneStatusLargestValueAtRiskFirst() {
        List<String> expected = new ArrayList<>();
        for (String v : List.of("500", "400", "300", "200", "100")) {
            expected.add(raised(new BigDecimal(v)).id());
        }
        alerts.acknowledge(t, expected.get(1), "key:k");
        List<String> read = new ArrayList<>();
        Cursor c = null;
        do {
            var page = alerts.list(t, ChurnAlert.Status.OPEN, 2, c);
            page.items().forEach(a -> read.add(a.id()));
            c = page.next();
        } while (c != null);
        assertEquals(List.of(expected.get(0), expected.get(2), expected.get(3), expected.get(4)), read);
        assertEquals(List.of(expected.get(1)),
                alerts.list(t, ChurnAlert.Status.ACKNOWLEDGED, 10, null).items().stream().map(ChurnAlert::id).toList());
        assertNull(alerts.list(TenantId.generate(), ChurnAlert.Status.OPEN, 10, null).next());
    }
}
