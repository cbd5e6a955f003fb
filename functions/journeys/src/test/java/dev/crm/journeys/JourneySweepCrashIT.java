package dev.crm.journeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.devkit.FaultInjector;
import dev.crm.shared.outbound.EmailMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A sweep killed mid-batch (its DynamoDB writes start failing as a dead process's would) and resumed:
 * the outbox holds exactly one message per enrolment's send step. 200 enrolments here; the 10,000 of
 * the issue belong in bench/ (not built yet).
 */
class JourneySweepCrashIT {
    static final int ENROLMENTS = 200;

    @Test
    void aSweepKilledTwiceMidBatchAndResumedSendsEachStepExactlyOnce() {
        JourneyFixture f = new JourneyFixture("2026-12-08T10:00:00Z");
        String journey = f.journey(JourneysIT.purchaseJourney("{\"mode\": \"once\"}",
                "[{\"wait\": \"PT5M\"}, " + JourneysIT.SEND_OFFER.formatted("wait") + "]", null));
        List<String> contacts = new ArrayList<>();
        for (int i = 0; i < ENROLMENTS; i++) {
            String c = f.contact("C" + i, "UTC");
            contacts.add(c);
            f.deliver(f.purchase(c));
        }
        f.clock.advance(Duration.ofMinutes(5));
        int kills = 0;
        for (int writesBeforeDeath : new int[] {97, 61}) {
            f.faults.crashAfter(writesBeforeDeath, FaultInjector.WRITES);
            try {
                f.runSweep();
            } catch (RuntimeException killed) {
                kills++;
            }
            f.faults.off();
        }
        assertEquals(2, kills, "both sweeps died mid-batch");
        assertTrue(f.messages().size() < ENROLMENTS, "the kills left work undone");
        for (int i = 0; i < 10 && f.messages().size() < ENROLMENTS; i++) {
            f.runSweep();
        }
        Map<String, Integer> perContact = new TreeMap<>();
        for (EmailMessage m : f.messages()) {
            perContact.merge(m.to(), 1, Integer::sum);
        }
        assertEquals(ENROLMENTS, perContact.size(), "every contact got its message");
        assertTrue(perContact.values().stream().allMatch(n -> n == 1), "no contact got two: " + perContact.values());
        assertEquals((long) ENROLMENTS, ((Number) f.stats(journey).get("sent")).longValue());
        assertEquals((long) ENROLMENTS, ((Number) f.stats(journey).get("completed")).longValue());
    }
}
