package dev.crm.cases.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.cases.domain.CaseSla;
import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.SupportCase;
import dev.crm.devkit.EventSchemas;
import dev.crm.devkit.StreamRecords;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.service.SlaPolicy;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class CaseChangeDecoderTest {
    private static final TenantId T = TenantId.generate();
    private static final Instant CREATED = Instant.parse("2026-12-07T08:00:00Z");
    private static final Instant LATER = CREATED.plusSeconds(3600);
    private final CaseChangeDecoder decoder = new CaseChangeDecoder();

    private static SupportCase aCase(SupportCase.Status status, String assignee, Instant updated, long version) {
        return new SupportCase(T, "cs_0123456789abcdefghjk", 7, "c_0123456789abcdefghjk", SupportCase.Channel.EMAIL,
                "billing", SupportCase.Priority.URGENT, "Charged twice", "Order 1042", assignee, null, status,
                status == SupportCase.Status.SOLVED ? updated : null, null, CREATED, updated, version,
                new CaseSla(SlaPolicy.defaultFor("urgent"), List.of(), Set.of(CaseSla.Metric.FIRST_RESPONSE), null, null));
    }

    private List<Event> decode(String recordId, Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        return decoder.events(TableChange.of(StreamRecords.change(recordId, LATER, before, after)).get(0));
    }

    private static void conforms(Event e) {
        assertEquals(List.of(), EventSchemas.violations(e.type(), e.data()), e.type());
    }

    @Test
    void aNewCaseIsCreatedWithItsApiFormWithoutFigures() {
        SupportCase c = aCase(SupportCase.Status.NEW, null, CREATED, 1);
        List<Event> events = decode("r1", null, DynamoDbCaseRepository.item(c));
        assertEquals(1, events.size());
        Event e = events.get(0);
        assertEquals("case.created", e.type());
        assertEquals("crm.cases", e.source());
        assertEquals(CREATED, e.timestamp());
        assertEquals(T, e.tenant());
        assertEquals(c.contactId(), e.personalDataOf(), "stored with the contact, erased with it");
        assertEquals(c.toJson(), e.data());
        assertTrue(EventIds.isValid(e.id()));
        conforms(e);
    }

    @Test
    void aStatusAndAssigneeChangeAreAnnouncedFromTheCaseItemAndSolvingToo() {
        var before = DynamoDbCaseRepository.item(aCase(SupportCase.Status.OPEN, "ag_1", CREATED, 2));
        var after = DynamoDbCaseRepository.item(aCase(SupportCase.Status.SOLVED, "ag_2", LATER, 3));
        List<Event> events = decode("r2", before, after);
        assertEquals(List.of("case.status_changed", "case.solved", "case.assigned"), events.stream().map(Event::type).toList());
        assertEquals("open", events.get(0).data().get("previousStatus"));
        assertEquals("solved", events.get(0).data().get("status"));
        assertEquals("ag_1", events.get(2).data().get("previousAssignee"));
        events.forEach(e -> assertEquals(LATER, e.timestamp()));
        events.forEach(CaseChangeDecoderTest::conforms);
        assertEquals(events, decode("r2", before, after), "a redelivered record gives the same events, ids included");
        assertEquals(List.of(), decode("r3", after, DynamoDbCaseRepository.item(aCase(SupportCase.Status.SOLVED, "ag_2",
                LATER.plusSeconds(5), 4))), "a write that leaves status and assignee alone");
    }

    @Test
    void messagesAndBreachesAreAnnouncedFromTheirHistoryEntriesAndNothingElseIs() {
        SupportCase c = aCase(SupportCase.Status.OPEN, null, LATER, 3);
        var message = DynamoDbCaseRepository.entryItem(c, new HistoryEntry("msg_0123456789abcdefghjk", LATER,
                HistoryEntry.MESSAGE, Map.of("messageId", "msg_0123456789abcdefghjk", "author", "agent", "visibility",
                        "internal", "body", "Refund approved")), 0);
        Event m = decode("r4", null, message).get(0);
        assertEquals("case.message_added", m.type());
        assertEquals(Map.of("caseId", c.id(), "number", "CS-000007", "at", LATER.toString(), "kind", "message",
                "messageId", "msg_0123456789abcdefghjk", "author", "agent", "visibility", "internal", "body",
                "Refund approved"), m.data());
        conforms(m);
        Instant due = CREATED.plusSeconds(3600);
        var breach = DynamoDbCaseRepository.entryItem(c, new HistoryEntry("ch_sla_firstResponse", due,
                HistoryEntry.SLA_BREACHED, Map.of("metric", "firstResponse", "dueAt", due.toString())), 1);
        Event b = decode("r5", null, breach).get(0);
        assertEquals("case.sla_breached", b.type());
        assertEquals(due, b.timestamp(), "when the target passed");
        assertEquals("firstResponse", b.data().get("metric"));
        assertEquals(c.contactId(), b.personalDataOf());
        conforms(b);
        var status = DynamoDbCaseRepository.entryItem(c, new HistoryEntry("ch_x", LATER, HistoryEntry.STATUS_CHANGED,
                Map.of("from", "new", "to", "open")), 2);
        assertEquals(List.of(), decode("r6", null, status), "announced from the case item");
    }
}
