package dev.crm.surveys.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.ResponseImportRepository;
import dev.crm.surveys.store.ResponseImportRepositoryContract;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** The adapter against DynamoDB Local, and its items as docs/data-model.md ("Survey response imports") documents them. */
class DynamoDbResponseImportRepositoryIT extends ResponseImportRepositoryContract {
    private static final Infrastructure INFRA = TestInfrastructure.create();
    private static final Table TABLE = INFRA.table();
    private final DynamoDbResponseImportRepository imports = new DynamoDbResponseImportRepository(TABLE,
            TestInfrastructure.tenantSecrets(INFRA), Clock.fixed(NOW, ZoneOffset.UTC));

    @Override
    protected ResponseImportRepository imports() {
        return imports;
    }

    @Override
    protected void givenContact(TenantId tenant, Contact contact) {
        TABLE.client().putItem(PutItemRequest.builder().tableName(TABLE.name()).item(ContactItems.contact(tenant, contact)).build());
    }

    @Test
    void theItemsAreTheDocumentedOnes() {
        imports.storeLines(tenant, jobId, List.of("{\"a\": 1}", "{\"b\": 2}"));
        imports.reject(tenant, jobId, Map.of(12, List.of(Map.of("pointer", "/x", "detail", "bad"))));
        String expires = String.valueOf(NOW.plus(Duration.ofDays(7)).getEpochSecond());

        var chunk = TABLE.get(Keys.job(tenant, jobId), "CHUNK#0000");
        assertEquals(Set.of("PK", "SK", "entity", "tenantId", "lines", "expiresAt"), chunk.keySet());
        assertEquals("SURVEY_IMPORT_CHUNK", Attr.str(chunk, "entity"));
        assertEquals(tenant.value(), Attr.str(chunk, "tenantId"));
        assertEquals(List.of("{\"a\": 1}", "{\"b\": 2}"), Attr.strings(chunk, "lines"));
        assertEquals(expires, chunk.get("expiresAt").n());

        var line = TABLE.get(Keys.job(tenant, jobId), "LINE#000012");
        assertEquals(Set.of("PK", "SK", "entity", "tenantId", "errors", "expiresAt"), line.keySet());
        assertEquals("SURVEY_IMPORT_LINE", Attr.str(line, "entity"));
        assertEquals(expires, line.get("expiresAt").n());
    }
}
