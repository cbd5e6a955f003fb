package dev.crm.journeys.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.devkit.EventSchemas;
import dev.crm.journeys.domain.Enrolment;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** journey.* events from enrolment items: entered, a message sent, an early exit; nothing else. */
class JourneyChangeDecoderTest {
    private static final TenantId T = TenantId.generate();
    private final JourneyChangeDecoder decoder = new JourneyChangeDecoder();
    private final Instant t0 = Instant.parse("2026-12-07T10:00:00Z");

    private List<Event> decode(String kind, Enrolment before, Enrolment after) {
        return decoder.events(new TableChange("rec-1", kind, t0,
                before == null ? Map.of() : DynamoDbJourneyRepository.enrolmentItem(T, before),
                after == null ? Map.of() : DynamoDbJourneyRepository.enrolmentItem(T, after)));
    }

    @Test
    void enteringSendingAndExitingAreEventsThatFollowTheirSchemas() {
        Enrolment entered = Enrolment.enter("jrn_a", "c_1", 1, "evt_x", "0", t0);
        Enrolment waiting = entered.advance("1", t0.plusSeconds(172_800), new Enrolment.StepRecord("0", "wait", t0, "waiting"), false);
        Enrolment sent = waiting.advance("", t0.plusSeconds(172_800), new Enrolment.StepRecord("1", "send", t0.plusSeconds(172_800), "sent"), true);
        Enrolment exited = waiting.exited("opted_out_topic", t0.plusSeconds(172_800), "1", "send");
        List<Event> in = decode("INSERT", null, entered);
        assertEquals(List.of(EventTypes.JOURNEY_ENROLLED), in.stream().map(Event::type).toList());
        assertEquals(List.of(), decode("MODIFY", entered, waiting));
        List<Event> out = decode("MODIFY", waiting, sent);
        assertEquals(List.of(EventTypes.JOURNEY_MESSAGE_SENT), out.stream().map(Event::type).toList());
        assertEquals("/steps/1", out.get(0).data().get("step"));
        List<Event> gone = decode("MODIFY", waiting, exited);
        assertEquals(List.of(EventTypes.JOURNEY_EXITED), gone.stream().map(Event::type).toList());
        assertEquals("opted_out_topic", gone.get(0).data().get("reason"));
        assertEquals(List.of(), decode("MODIFY", sent, sent.completed(t0.plusSeconds(172_801))));
        for (Event e : List.of(in.get(0), out.get(0), gone.get(0))) {
            assertEquals(List.of(), EventSchemas.violations(e.type(), e.data()), e.type());
            assertEquals(null, e.personalDataOf());
        }
        // a redelivered record gives the same ids
        assertEquals(in.get(0).id(), decode("INSERT", null, entered).get(0).id());
    }
}
