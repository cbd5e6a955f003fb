package dev.crm.contacts.store.dynamodb;

import dev.crm.contacts.domain.ContactRepository;
import dev.crm.contacts.domain.PrivacyRepository;
import dev.crm.contacts.domain.PrivacyRepositoryContract;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

class DynamoDbPrivacyRepositoryIT extends PrivacyRepositoryContract {
    private final Infrastructure infra = TestInfrastructure.create(MutableClock.at("2026-11-24T10:00:00Z"));
    private final Table table = infra.table();

    @Override
    protected PrivacyRepository privacy() {
        return new DynamoDbPrivacyRepository(table, infra.clock(), TestInfrastructure.tenantSecrets(infra));
    }

    @Override
    protected ContactRepository contacts() {
        return new DynamoDbContactRepository(table, TestInfrastructure.tenantSecrets(infra));
    }

    private void put(String pk, String sk, Map<String, Object> attributes) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(pk, sk));
        attributes.forEach((k, v) -> item.put(k, Attr.of(v)));
        table.client().putItem(PutItemRequest.builder().tableName(table.name()).item(item).build());
    }

    private static Map<String, Object> plain(Map<String, AttributeValue> item) {
        Map<String, Object> m = new LinkedHashMap<>();
        item.forEach((k, v) -> m.put(k, Attr.toPlain(v)));
        return m;
    }

    @Override
    protected void givenLedgerEntry(TenantId t, String contactId, Instant at, String entryId, Map<String, Object> entry) {
        Map<String, Object> item = new LinkedHashMap<>(entry);
        item.put("entity", "LEDGER");
        item.put("tenantId", t.value());
        put(Keys.contact(t, contactId), Keys.ledgerEntry(at, entryId), item);
    }

    @Override
    protected String givenReferencingEntry(TenantId t, String contactId, Instant at, String entryId) {
        String refPk = t.value() + "#SURVEY#srv_test";
        String refSk = "R#" + entryId;
        put(refPk, refSk, Map.of("contactId", contactId, "personal", Map.of("comment", "my name is Ada"), "score", 7));
        put(Keys.contact(t, contactId), Keys.timeline(at, "survey_response", entryId), Map.of("entity", "TIMELINE",
                "kind", "survey_response", "entryId", entryId, "occurredAt", dev.crm.shared.json.Times.format(at),
                "data", Map.of("score", 7), "refPk", refPk, "refSk", refSk));
        return refPk + "|" + refSk;
    }

    @Override
    protected Map<String, Object> referencedItem(String handle) {
        String[] k = handle.split("\\|");
        return plain(table.get(k[0], k[1]));
    }

    @Override
    protected List<Map<String, Object>> pseudonymousLedger(TenantId t, String pseudonym) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (var item : table.client().query(QueryRequest.builder().tableName(table.name())
                .keyConditionExpression("PK = :pk")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.pseudonymousLedger(t, pseudonym)))).build()).items()) {
            out.add(plain(item));
        }
        return out;
    }

    @Override
    protected String suppressionReason(TenantId t, String pseudonym) {
        var item = table.get(Keys.suppression(t, pseudonym), Keys.ITEM);
        return item == null ? null : Attr.str(item, "reason");
    }

    @Override
    protected boolean jobExists(JobRef ref) {
        return infra.jobs().find(ref) != null;
    }
}
