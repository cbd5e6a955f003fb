package dev.crm.cases.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.crm.cases.domain.CaseOpeners;
import dev.crm.cases.domain.ComplaintCases;
import dev.crm.cases.domain.RequestedCases;
import dev.crm.cases.store.memory.InMemoryCaseRepository;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.StreamRecords;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.ServiceSettings;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The case opener's stream batches on fakes: a failed record is reported by its sequence number and ends
 * the batch, and a tenant is read once per batch.
 */
class OpenerBatchTest {
    private final MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");
    private final TenantId a = TenantId.generate();
    private final TenantId b = TenantId.generate();
    private final InMemoryCaseRepository repository = new InMemoryCaseRepository();
    private final Map<TenantId, Tenant> tenants = new HashMap<>();
    /** Tenants whose read fails (the table unavailable for that record). */
    private final Set<TenantId> unreadable = new HashSet<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final OpenerBatch batch = new OpenerBatch(() -> CaseOpeners.forBatch(repository, id -> {
        reads.incrementAndGet();
        if (unreadable.contains(id)) {
            throw new IllegalStateException("tenant unavailable");
        }
        return tenants.get(id);
    }, clock));
    private int sequence = 100;

    OpenerBatchTest() {
        tenant(a, false);
        tenant(b, false);
    }

    private void tenant(TenantId id, boolean complaintsOpenCases) {
        ServiceSettings service = new ServiceSettings(List.of(), null, Map.of(), 7, complaintsOpenCases, 0.85);
        TenantSettings d = TenantSettings.defaults();
        TenantSettings settings = new TenantSettings(d.allowedOrigins(), d.defaultTimeZone(), d.defaultCurrency(),
                d.defaultFrequencyCaps(), d.consentWordingVersion(), d.retention(), service);
        tenants.put(id, new Tenant(id, "T", "t", Tenant.Status.ACTIVE, settings, TenantSecrets.generate(), clock.instant(),
                clock.instant(), 1));
    }

    /** A stored journey.case_requested event, as the journeys function stores it. */
    private Map<String, AttributeValue> request(TenantId t, String contactId) {
        repository.activeContact(t, contactId);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("requestId", "jc:" + contactId);
        data.put("contactId", contactId);
        data.put("subject", "Call back");
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("tenantId", t.value());
        envelope.put("data", data);
        Map<String, AttributeValue> item = new HashMap<>(Table.key(t.value() + "#EV#" + contactId, "ITEM"));
        item.put(Table.ENTITY, Attr.s("EVENT"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("eventType", Attr.s(EventTypes.JOURNEY_CASE_REQUESTED));
        item.put("envelope", Attr.s(Json.write(envelope)));
        return item;
    }

    /** A complaint touch point's timeline item, as the contacts function writes it. */
    private Map<String, AttributeValue> complaint(TenantId t, String contactId) {
        repository.activeContact(t, contactId);
        Map<String, AttributeValue> item = new HashMap<>(Table.key(t.value() + "#C#" + contactId, "TL#cmp-1"));
        item.put(Table.ENTITY, Attr.s("TIMELINE"));
        item.put("kind", Attr.s("interaction"));
        item.put("interactionType", Attr.s("complaint"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("contactId", Attr.s(contactId));
        item.put("entryId", Attr.s("cmp-1"));
        item.put("data", Attr.of(Map.of("channel", "email", "summary", "Late delivery")));
        return item;
    }

    private boolean requestedCase(TenantId t, String contactId) {
        return repository.find(t, RequestedCases.caseId(t, "jc:" + contactId)).isPresent();
    }

    private boolean complaintCase(TenantId t, String contactId) {
        return repository.find(t, ComplaintCases.caseId(contactId, "cmp-1")).isPresent();
    }

    @SafeVarargs
    private DynamodbEvent batchOf(Map<String, AttributeValue>... items) {
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            var r = StreamRecords.change("rec-" + (++sequence), clock.instant(), null, item).getRecords().get(0);
            r.getDynamodb().setSequenceNumber("5200000000000000000" + sequence);
            records.add(r);
        }
        DynamodbEvent e = new DynamodbEvent();
        e.setRecords(records);
        return e;
    }

    private static List<String> reported(StreamsEventResponse r) {
        return r.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void aFailedRecordIsReportedByItsSequenceNumberAndTheRecordsAfterItWaitForTheRetry() {
        unreadable.add(b);
        DynamodbEvent records = batchOf(request(a, "ct_1"), request(b, "ct_2"), request(a, "ct_3"));
        StreamsEventResponse response = batch.handle(records);

        String second = records.getRecords().get(1).getDynamodb().getSequenceNumber();
        assertEquals(List.of(second), reported(response), "the 2nd record's sequence number, not its event id");
        assertTrue(requestedCase(a, "ct_1"), "the record before it is done");
        assertTrue(!requestedCase(a, "ct_3"), "the record after it is not processed: it comes again with the retry");

        // Lambda's retry starts at the reported record
        unreadable.clear();
        DynamodbEvent retry = new DynamodbEvent();
        retry.setRecords(records.getRecords().subList(1, 3));
        assertEquals(List.of(), reported(batch.handle(retry)));
        assertTrue(requestedCase(b, "ct_2"));
        assertTrue(requestedCase(a, "ct_3"));
        assertTrue(!requestedCase(b, "ct_3") && !requestedCase(a, "ct_2"), "each case in its own tenant");
    }

    @Test
    void aTenantIsReadOncePerBatch() {
        tenant(a, true);
        batch.handle(batchOf(request(a, "ct_1"), request(a, "ct_2"), complaint(a, "ct_3"), request(a, "ct_4")));
        assertEquals(1, reads.get(), "four records of one tenant: one read (settings, categories and SLA terms)");
        assertTrue(requestedCase(a, "ct_1") && requestedCase(a, "ct_2") && complaintCase(a, "ct_3") && requestedCase(a, "ct_4"));

        reads.set(0);
        batch.handle(batchOf(request(a, "ct_5"), request(b, "ct_6"), request(a, "ct_7"), request(b, "ct_8")));
        assertEquals(2, reads.get(), "two tenants: one read each");
        assertTrue(requestedCase(b, "ct_6") && requestedCase(b, "ct_8") && requestedCase(a, "ct_7"));
    }

    @Test
    void aSettingChangedBetweenBatchesIsMetByTheNextBatch() {
        batch.handle(batchOf(complaint(a, "ct_before")));
        assertTrue(!complaintCase(a, "ct_before"), "complaintsOpenCases is off");

        tenant(a, true);
        batch.handle(batchOf(complaint(a, "ct_after")));
        assertTrue(complaintCase(a, "ct_after"));
    }
}
