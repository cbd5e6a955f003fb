package dev.crm.contacts.store.dynamodb;

import dev.crm.contacts.domain.Interaction;
import dev.crm.contacts.domain.InteractionChannel;
import dev.crm.contacts.domain.InteractionType;
import dev.crm.shared.contact.Money;
import dev.crm.shared.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** Reads a stored interaction back from its JSON representation. */
final class InteractionJson {
    private InteractionJson() {}

    static Interaction read(Map<String, Object> m) {
        Object value = m.get("value");
        Money money = null;
        if (value instanceof Map<?, ?> v) {
            money = new Money(new BigDecimal(String.valueOf(v.get("amount"))), String.valueOf(v.get("currency")));
        }
        Object channel = m.get("channel");
        return new Interaction((String) m.get("id"),
                JsonObject.enumValue(InteractionType.class, (String) m.get("type")),
                channel == null ? null : JsonObject.enumValue(InteractionChannel.class, (String) channel),
                Instant.parse((String) m.get("occurredAt")), money, (String) m.get("summary"), (String) m.get("source"));
    }
}
