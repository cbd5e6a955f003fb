package dev.crm.cases.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.cases.domain.imports.CaseImportRepository;
import dev.crm.cases.store.CaseImportRepositoryContract;
import dev.crm.devkit.LocalDynamoDb;
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

/** The adapter against DynamoDB Local, and its items as docs/data-model.md ("Case imports") documents them. */
class DynamoDbCaseImportRepositoryIT extends CaseImportRepositoryContract {
    private final Table table = new Table(LocalDynamoDb.shared().client(), LocalDynamoDb.TABLE);
    private final DynamoDbCaseImportRepository imports = new DynamoDbCaseImportRepository(table,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Override
    protected CaseImportRepository imports() {
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
        imports.storeLines(tenant, jobId, List.of("{\"a\": 1}", "{\"b\": 2}"));
        imports.rejectLine(tenant, jobId, 12, List.of(Map.of("pointer", "/x", "detail", "bad")));
        String expires = String.valueOf(NOW.plus(Duration.ofDays(7)).getEpochSecond());

        var chunk = table.get(Keys.job(tenant, jobId), "CHUNK#0000");
        assertEquals(Set.of("PK", "SK", "entity", "tenantId", "lines", "expiresAt"), chunk.keySet());
        assertEquals("CASE_IMPORT_CHUNK", Attr.str(chunk, "entity"));
        assertEquals(tenant.value(), Attr.str(chunk, "tenantId"));
        assertEquals(List.of("{\"a\": 1}", "{\"b\": 2}"), Attr.strings(chunk, "lines"));
        assertEquals(expires, chunk.get("expiresAt").n());

        var line = table.get(Keys.job(tenant, jobId), "LINE#000012");
        assertEquals(Set.of("PK", "SK", "entity", "tenantId", "outcome", "errors", "expiresAt"), line.keySet());
        assertEquals("CASE_IMPORT_LINE", Attr.str(line, "entity"));
        assertEquals("rejected", Attr.str(line, "outcome"));
        assertEquals(expires, line.get("expiresAt").n());
    }
}
