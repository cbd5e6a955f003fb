package dev.crm.churn.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.churn.domain.ChurnAlert;
import dev.crm.devkit.StreamRecords;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ChurnAlertChangeDecoderTest {
    private static final TenantId T = TenantId.generate();
    private static final String CONTACT = "c_0123456789abcdefghjk";
    private static final Instant CREATED = Instant.parse("2026-11-24T02:10:00Z");
    private static final Instant STREAM_AT = Instant.parse("2026-12-01T00:00:00Z");
    private final ChurnAlertChangeDecoder decoder = new ChurnAlertChangeDecoder();

    static ChurnAlert alert(ChurnAlert.Status status, Instant ackAt, Instant resolvedAt) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("firstName", "Ada");
        card.put("company", "Engines");
        return new ChurnAlert(ChurnAlert.id(CONTACT, "202611"), CONTACT, "202611", status, 0.1234567, "high",
                new BigDecimal("321.50"), new BigDecimal("281.80"), "EUR", List.of("p_alive_below_threshold"),
                new LinkedHashMap<>(Map.of("channel", "email")), card, "run_a", CREATED, ackAt,
                ackAt == null ? null : "key:k_1", resolvedAt, resolvedAt == null ? null : "key:k_1",
                resolvedAt == null ? null : "retained");
    }

    static Map<String, AttributeValue> item(ChurnAlert a) {
        return ChurnItems.ALERT.itemToMap(ChurnItems.Alert.of(T, a), true);
    }

    private List<Event> decode(String recordId, Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        return decoder.events(TableChange.of(StreamRecords.change(recordId, STREAM_AT, before, after)).get(0));
    }

    @Test
    void aNewAlertIsRaisedWithItsApiFormAtItsCreationTime() {
        List<Event> events = decode("r1", null, item(alert(ChurnAlert.Status.OPEN, null, null)));
        assertEquals(1, events.size());
        Event e = events.get(0);
        assertEquals("churn_alert.raised", e.type());
        assertEquals("crm.churn-alerts", e.source());
        assertEquals(CREATED, e.timestamp());
        assertEquals(T, e.tenant());
        assertEquals(CONTACT, e.personalDataOf(), "the alert carries the contact's display fields");
        assertEquals(alert(ChurnAlert.Status.OPEN, null, null).toJson(), e.data());
        assertTrue(EventIds.isValid(e.id()));
        assertTrue(e.id().startsWith(EventIds.lowerBound(CREATED)));
    }

    @Test
    void acknowledgingAndResolvingAreEventsAtTheirOwnTimes() {
        Instant ack = CREATED.plusSeconds(3600);
        Instant res = ack.plusSeconds(3600);
        var open = item(alert(ChurnAlert.Status.OPEN, null, null));
        var acknowledged = item(alert(ChurnAlert.Status.ACKNOWLEDGED, ack, null));
        var resolved = item(alert(ChurnAlert.Status.RESOLVED, ack, res));

        Event a = decode("r2", open, acknowledged).get(0);
        assertEquals("churn_alert.acknowledged", a.type());
        assertEquals(ack, a.timestamp());
        assertEquals("acknowledged", a.data().get("status"));
        assertEquals("key:k_1", a.data().get("acknowledgedBy"));

        Event r = decode("r3", acknowledged, resolved).get(0);
        assertEquals("churn_alert.resolved", r.type());
        assertEquals(res, r.timestamp());
        assertEquals("retained", r.data().get("resolution"));

        // resolved straight from open
        assertEquals("churn_alert.resolved", decode("r4", open, item(alert(ChurnAlert.Status.RESOLVED, null, res))).get(0).type());
    }

    @Test
    void aChangeThatLeavesTheStatusAloneOrRemovesTheAlertIsNoEvent() {
        var open = item(alert(ChurnAlert.Status.OPEN, null, null));
        Map<String, AttributeValue> anonymised = new HashMap<>(open);
        anonymised.put("contact", Attr.of(Map.of()));
        assertEquals(List.of(), decode("r5", open, anonymised));
        assertEquals(List.of(), decode("r6", open, null), "erasure deleting an alert");
        // an acknowledged or resolved alert whose card an anonymisation rewrites is not acknowledged or resolved again
        Instant ack = CREATED.plusSeconds(60);
        for (var settled : List.of(item(alert(ChurnAlert.Status.ACKNOWLEDGED, ack, null)),
                item(alert(ChurnAlert.Status.RESOLVED, ack, ack.plusSeconds(60))))) {
            Map<String, AttributeValue> rewritten = new HashMap<>(settled);
            rewritten.put("contact", Attr.of(Map.of()));
            assertEquals(List.of(), decode("r6b", settled, rewritten));
        }
    }

    @Test
    void otherItemsAreNoEvent() {
        Map<String, AttributeValue> score = new HashMap<>(Table.key(Keys.contact(T, CONTACT), Keys.CHURN_SCORE));
        score.put(Table.ENTITY, Attr.s("CHURN_SCORE"));
        score.put("tenantId", Attr.s(T.value()));
        assertEquals(List.of(), decode("r7", null, score));
        Map<String, AttributeValue> job = new HashMap<>(Table.key(Keys.job(T, "run_a"), Keys.ITEM));
        job.put(Table.ENTITY, Attr.s("JOB"));
        assertEquals(List.of(), decode("r8", null, job));
    }

    @Test
    void theSameRecordGivesTheSameIdAndAnotherRecordAnother() {
        var open = item(alert(ChurnAlert.Status.OPEN, null, null));
        assertEquals(decode("r9", null, open), decode("r9", null, open));
        assertTrue(!decode("r9", null, open).get(0).id().equals(decode("r10", null, open).get(0).id()));
    }

    @Test
    void whenTheItemHasNoTimeTheStreamsIsUsed() {
        Map<String, AttributeValue> open = new HashMap<>(item(alert(ChurnAlert.Status.OPEN, null, null)));
        open.remove("createdAt");
        assertEquals(STREAM_AT, decode("r11", null, open).get(0).timestamp());
    }
}
