package dev.crm.webhooks.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.devkit.LocalDynamoDb;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.webhooks.domain.Delivery;
import dev.crm.webhooks.domain.DeliveryRepository;
import dev.crm.webhooks.store.DeliveryRepositoryContract;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The adapter against DynamoDB Local (the table and its due index as template.yaml defines them). */
class DynamoDbDeliveryRepositoryIT extends DeliveryRepositoryContract {
    private final Table table = new Table(LocalDynamoDb.shared().client(), LocalDynamoDb.TABLE);
    private final DynamoDbDeliveryRepository repository = new DynamoDbDeliveryRepository(table);

    @Override
    protected DeliveryRepository repository() {
        return repository;
    }

    @Test
    void theItemIsTheDocumentedOneWithNoPayloadAndTheIndexKeysOnlyWhilePending() {
        var at = NOW.plusSeconds(30);
        Delivery d = pending(eventAt(at), at);
        repository.createPending(d);
        var item = table.get(tenant.value() + "#WH#" + endpoint, "D#" + d.eventId());
        assertEquals("WEBHOOK_DELIVERY", Attr.str(item, Table.ENTITY));
        assertEquals("pending", Attr.str(item, "status"));
        assertEquals("now", Attr.str(item, "send"), "marked for the deliverer's stream filter");
        assertTrue(Attr.str(item, "dueShard").startsWith("OPS#WHDUE#"));
        assertEquals(at.toEpochMilli(), Attr.num(item, "dueAt", 0));
        assertEquals(at.plus(Duration.ofDays(30)).getEpochSecond(), Attr.num(item, Table.TTL, 0));
        assertFalse(item.containsKey("envelope") || item.containsKey("data") || item.containsKey("body"),
                "no copy of the payload: the stored event is the one copy");

        var claim = repository.claim(d.ref(), at, Duration.ofSeconds(60)).orElseThrow();
        item = table.get(tenant.value() + "#WH#" + endpoint, "D#" + d.eventId());
        assertFalse(item.containsKey("send"), "a claim removes the mark: its own change sends nothing");
        repository.recordAttempt(claim, new Delivery.Attempt(at, 204, null, 3), true, Delivery.Status.DELIVERED, null);
        item = table.get(tenant.value() + "#WH#" + endpoint, "D#" + d.eventId());
        assertFalse(item.containsKey("dueShard") || item.containsKey("dueAt") || item.containsKey("leaseToken"));
    }
}
