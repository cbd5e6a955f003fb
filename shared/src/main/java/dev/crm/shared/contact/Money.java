package dev.crm.shared.contact;

import dev.crm.shared.json.JsonObject;
import dev.crm.shared.tenant.TenantSettings;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** An amount in a currency, as a decimal: {@code {"amount": "20.50", "currency": "EUR"}}. */
public record Money(BigDecimal amount, String currency) {
    private static final Pattern AMOUNT = Pattern.compile("(0|[1-9][0-9]{0,11})(\\.[0-9]{1,4})?");

    /** Reads a non-negative money object; the currency defaults to the tenant's. */
    public static Money read(JsonObject parent, String field, String defaultCurrency) {
        JsonObject o = parent.optionalObject(field);
        if (o == null) {
            return null;
        }
        o.allowOnly("amount", "currency");
        String amount = o.requiredLine("amount", 1, 20);
        if (amount != null && !AMOUNT.matcher(amount).matches()) {
            o.violations().pointer(o.pointer("amount"),
                    "must be a decimal string such as \"20.50\" (not negative, at most 4 decimals)");
            amount = null;
        }
        if (o.has("amount") && !(o.raw().get("amount") instanceof String) && o.raw().get("amount") != null) {
            return null; // already reported: numbers are refused so no binary float ever carries money
        }
        String currency = o.optionalLine("currency", 3, 3);
        if (currency != null && !TenantSettings.isCurrency(currency)) {
            o.violations().pointer(o.pointer("currency"), "must be an ISO 4217 code such as EUR");
            currency = null;
        }
        return amount == null ? null : new Money(new BigDecimal(amount), currency == null ? defaultCurrency : currency);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("amount", amount.toPlainString());
        m.put("currency", currency);
        return m;
    }

    public static Map<String, Object> json(BigDecimal amount, String currency) {
        return amount == null ? null : new Money(amount, currency).toJson();
    }
}
