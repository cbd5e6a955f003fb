package dev.crm.surveys.store.dynamodb;

import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.RateCounterRepository;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link RateCounterRepository} as one item per window, incremented with an atomic ADD that returns the new
 * count (one write, no read). The window is part of the key, so nothing ever resets a counter; the
 * TTL only cleans up.
 */
public final class DynamoDbRateCounterRepository implements RateCounterRepository {
    private final Table table;

    public DynamoDbRateCounterRepository(Table table) {
        this.table = table;
    }

    @Override
    public long increment(TenantId tenant, String surveyId, String client, long windowId, Instant expiresAt) {
        // Low-level client: the Enhanced Client has no atomic ADD that returns the new count.
        var r = table.client().updateItem(UpdateItemRequest.builder().tableName(table.name())
                .key(Table.key(SurveyTableKeys.rateWindow(tenant, surveyId, client, windowId), Keys.ITEM))
                .updateExpression("ADD requests :one SET #ttl = :ttl, entity = :entity, tenantId = :tid")
                .expressionAttributeNames(Map.of("#ttl", Table.TTL))
                .expressionAttributeValues(Map.of(":one", Attr.n(1), ":ttl", Attr.ttl(expiresAt),
                        ":entity", Attr.s("RATE_COUNTER"), ":tid", Attr.s(tenant.value())))
                .returnValues(ReturnValue.UPDATED_NEW)
                .build());
        return Attr.num(r.attributes(), "requests", 1);
    }
}
