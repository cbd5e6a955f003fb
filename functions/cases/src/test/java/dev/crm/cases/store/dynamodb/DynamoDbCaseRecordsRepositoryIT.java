package dev.crm.cases.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crm.cases.domain.CaseLifecycle;
import dev.crm.cases.domain.Cases;
import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.SupportCase;
import dev.crm.cases.domain.measures.CaseRecordsRepository;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** The arrival index against DynamoDB Local: written by a live create, read by half-open time ranges. */
class DynamoDbCaseRecordsRepositoryIT {
    private final MutableClock clock = MutableClock.at("2026-11-02T09:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final DynamoDbCaseRepository cases = new DynamoDbCaseRepository(infra.table());
    private final DynamoDbCaseRecordsRepository records = new DynamoDbCaseRecordsRepository(infra.table());
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();
    private final TenantId other = TestInfrastructure.tenant(infra).id();

    private String contact(TenantId t) {
        String id = Ids.random("c_", 20);
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = new HashMap<>(
                Table.key(Keys.contact(t, id), Keys.CONTACT_PROFILE));
        item.put("status", Attr.s("active"));
        infra.table().client().putItem(PutItemRequest.builder().tableName(infra.table().name()).item(item).build());
        return id;
    }

    private SupportCase create(TenantId t, String contact, SupportCase.Channel channel, Instant at) {
        var step = CaseLifecycle.open(t, Ids.random(SupportCase.ID_PREFIX, 20),
                new Cases.NewCase(contact, channel, "billing", SupportCase.Priority.LOW, "s", null, null, null), dev.crm.cases.domain.SlaTerms.defaults(), at);
        return cases.create(step.after(), step.entries().get(0));
    }

    @Test
    void aLiveCreateWritesItsArrivalAndARangeIsHalfOpen() {
        String c = contact(tenant);
        Instant t0 = Instant.parse("2026-11-02T09:00:00Z");
        SupportCase a = create(tenant, c, SupportCase.Channel.PHONE, t0);
        SupportCase b = create(tenant, c, SupportCase.Channel.EMAIL, t0.plusSeconds(3600));
        SupportCase d = create(tenant, c, SupportCase.Channel.PHONE, t0.plusSeconds(7200));
        create(other, contact(other), SupportCase.Channel.PHONE, t0.plusSeconds(3600));

        var all = records.arrivals(tenant, t0, t0.plusSeconds(7201), null, 10);
        assertEquals(List.of(a.id(), b.id(), d.id()), all.stream().map(CaseRecordsRepository.Arrival::caseId).toList());
        // [from, before): the case created at `before` is not in, the one at `from` is
        assertEquals(List.of(a.id(), b.id()), records.arrivals(tenant, t0, t0.plusSeconds(7200), null, 10).stream()
                .map(CaseRecordsRepository.Arrival::caseId).toList());
        assertEquals(List.of(a.id(), d.id()), records.arrivals(tenant, t0, t0.plusSeconds(7201), SupportCase.Channel.PHONE, 10)
                .stream().map(CaseRecordsRepository.Arrival::caseId).toList());
        assertThrows(CaseRecordsRepository.TooMany.class, () -> records.arrivals(tenant, t0, t0.plusSeconds(7201), null, 2));
        assertEquals(1, records.arrivals(other, t0, t0.plusSeconds(7201), null, 10).size());

        assertEquals(3, records.cases(tenant, List.of(a.id(), b.id(), d.id())).size());
        assertEquals(0, records.cases(other, List.of(a.id())).size(), "another tenant's ids read nothing");
        Map<String, List<HistoryEntry>> h = records.histories(tenant, List.of(a.id()));
        assertEquals(HistoryEntry.CREATED, h.get(a.id()).get(0).kind());
    }
}
