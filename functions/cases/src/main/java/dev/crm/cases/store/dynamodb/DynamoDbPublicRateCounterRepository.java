package dev.crm.cases.store.dynamodb;

import dev.crm.cases.domain.PublicRateCounterRepository;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link PublicRateCounterRepository} as one item per limit, subject and window, incremented with an atomic
 * ADD that returns the new count (one write, no read). The window is in the key, so nothing resets a
 * counter; the TTL only cleans up.
 */
public final class DynamoDbPublicRateCounterRepository implements PublicRateCounterRepository {
    private final Table table;

    public DynamoDbPublicRateCounterRepository(Table table) {
        this.table = table;
    }

    @Override
    public long increment(TenantId tenant, String limitName, String subject, Instant windowStart, Instant expiresAt) {
        // Low-level client: the Enhanced Client has no atomic ADD that returns the new count.
        var r = table.client().updateItem(UpdateItemRequest.builder().tableName(table.name())
                .key(Table.key(PublicCaseKeys.rateCounter(tenant, limitName, subject), PublicCaseKeys.window(windowStart)))
                .updateExpression("ADD hits :one SET #ttl = :ttl, entity = :entity, tenantId = :tid")
                .expressionAttributeNames(Map.of("#ttl", Table.TTL))
                .expressionAttributeValues(Map.of(":one", Attr.n(1), ":ttl", Attr.ttl(expiresAt),
                        ":entity", Attr.s("RATE_COUNTER"), ":tid", Attr.s(tenant.value())))
                .returnValues(ReturnValue.UPDATED_NEW)
                .build());
        return Attr.num(r.attributes(), "hits", 1);
    }
}
