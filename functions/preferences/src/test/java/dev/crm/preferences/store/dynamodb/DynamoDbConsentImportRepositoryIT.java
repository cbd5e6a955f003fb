package dev.crm.preferences.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.devkit.LocalDynamoDb;
import dev.crm.preferences.domain.ConsentImportRepository;
import dev.crm.preferences.domain.ConsentImportRepository.NumberedLine;
import dev.crm.preferences.domain.ConsentImportRepository.Unit;
import dev.crm.preferences.domain.ConsentImportRepositoryContract;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** The adapter against DynamoDB Local, and its items as docs/data-model.md ("Consent imports") documents them. */
class DynamoDbConsentImportRepositoryIT extends ConsentImportRepositoryContract {
    private final Table table = new Table(LocalDynamoDb.shared().client(), LocalDynamoDb.TABLE);
    private final DynamoDbConsentImportRepository imports = new DynamoDbConsentImportRepository(table,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Override
    protected ConsentImportRepository imports() {
        return imports;
    }

    @Override
    protected void activeContact(TenantId t, String contactId) {
        var item = new HashMap<>(Table.key(Keys.contact(t, contactId), Keys.CONTACT_PROFILE));
        item.put("status", Attr.s("active"));
        table.client().putItem(PutItemRequest.builder().tableName(table.name()).item(item).build());
    }

    @Test
    void theItemsAreTheDocumentedOnes() {
        imports.storeLines(tenant, jobId, List.of(new NumberedLine(9, "{\"a\": 1}"), new NumberedLine(4, "{\"b\": 2}")));
        imports.write(tenant, jobId, List.of(new Unit(null, 0, null, null, List.of(), List.of(),
                Map.of(12, List.of(Map.of("pointer", "/x", "detail", "bad"))))));
        String expires = String.valueOf(NOW.plus(Duration.ofDays(7)).getEpochSecond());

        var chunk = table.get(Keys.job(tenant, jobId), "CNCHUNK#0000");
        assertEquals(Set.of("PK", "SK", "entity", "tenantId", "lines", "numbers", "expiresAt"), chunk.keySet());
        assertEquals("CONSENT_IMPORT_CHUNK", Attr.str(chunk, "entity"));
        assertEquals(tenant.value(), Attr.str(chunk, "tenantId"));
        assertEquals(List.of("{\"a\": 1}", "{\"b\": 2}"), Attr.strings(chunk, "lines"));
        assertEquals("9,4", Attr.str(chunk, "numbers"));
        assertEquals(expires, chunk.get("expiresAt").n());

        var line = table.get(Keys.job(tenant, jobId), "CNLINE#000012");
        assertEquals(Set.of("PK", "SK", "entity", "tenantId", "outcome", "errors", "expiresAt"), line.keySet());
        assertEquals("CONSENT_IMPORT_LINE", Attr.str(line, "entity"));
        assertEquals("rejected", Attr.str(line, "outcome"));
        assertEquals(expires, line.get("expiresAt").n());
    }
}
