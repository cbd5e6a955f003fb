package dev.crm.shared.tenant;

import dev.crm.shared.json.JsonObject;
import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tenant's settings. Stored as one map attribute on the tenant item; each field has a default so a
 * tenant created before a field existed reads sensibly.
 */
public record TenantSettings(List<String> allowedOrigins, String defaultTimeZone, String defaultCurrency) {
    public static final int MAX_ORIGINS = 20;

    public static TenantSettings defaults() {
        return new TenantSettings(List.of(), "UTC", "EUR");
    }

    public ZoneId zone() {
        return ZoneId.of(defaultTimeZone);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("allowedOrigins", allowedOrigins);
        m.put("defaultTimeZone", defaultTimeZone);
        m.put("defaultCurrency", defaultCurrency);
        return m;
    }

    @SuppressWarnings("unchecked")
    public static TenantSettings fromStored(Map<String, Object> m) {
        TenantSettings d = defaults();
        Object origins = m.get("allowedOrigins");
        return new TenantSettings(
                origins instanceof List<?> l ? List.copyOf((List<String>) l) : d.allowedOrigins(),
                m.get("defaultTimeZone") instanceof String tz ? tz : d.defaultTimeZone(),
                m.get("defaultCurrency") instanceof String c ? c : d.defaultCurrency());
    }

    /**
     * Applies a JSON merge patch (RFC 7396): a field set to null returns to its default. Problems are
     * recorded on the patch's violations; the caller rejects the whole patch if there are any.
     */
    public TenantSettings merge(JsonObject patch) {
        patch.allowOnly("allowedOrigins", "defaultTimeZone", "defaultCurrency");
        TenantSettings d = defaults();
        List<String> origins = allowedOrigins;
        if (patch.has("allowedOrigins")) {
            List<String> given = patch.isNull("allowedOrigins") ? d.allowedOrigins()
                    : patch.optionalStringSet("allowedOrigins", MAX_ORIGINS, 200);
            if (given != null) {
                for (int i = 0; i < given.size(); i++) {
                    if (!isOrigin(given.get(i))) {
                        patch.violations().pointer(patch.pointer("allowedOrigins") + "/" + i,
                                "must be an origin such as https://www.example.com (scheme, host, optional port)");
                    }
                }
                origins = given;
            }
        }
        String tz = defaultTimeZone;
        if (patch.has("defaultTimeZone")) {
            tz = patch.isNull("defaultTimeZone") ? d.defaultTimeZone() : patch.optionalLine("defaultTimeZone", 1, 64);
            if (tz != null && !isZone(tz)) {
                patch.violations().pointer(patch.pointer("defaultTimeZone"), "must be an IANA time zone such as Europe/London");
            }
        }
        String currency = defaultCurrency;
        if (patch.has("defaultCurrency")) {
            currency = patch.isNull("defaultCurrency") ? d.defaultCurrency() : patch.optionalLine("defaultCurrency", 3, 3);
            if (currency != null && !isCurrency(currency)) {
                patch.violations().pointer(patch.pointer("defaultCurrency"), "must be an ISO 4217 currency code such as EUR");
            }
        }
        return new TenantSettings(origins, tz == null ? defaultTimeZone : tz, currency == null ? defaultCurrency : currency);
    }

    public static boolean isOrigin(String s) {
        try {
            URI u = new URI(s);
            boolean schemeOk = "https".equals(u.getScheme())
                    || ("http".equals(u.getScheme()) && ("localhost".equals(u.getHost()) || "127.0.0.1".equals(u.getHost())));
            return schemeOk && u.getHost() != null && u.getRawPath().isEmpty() && u.getRawQuery() == null
                    && u.getRawFragment() == null && u.getRawUserInfo() == null && s.equals(u.getScheme() + "://"
                    + u.getRawAuthority());
        } catch (Exception e) {
            return false;
        }
    }

    /** IANA region names only: fixed offsets such as "+02:00" would break DST-correct scheduling. */
    public static boolean isZone(String s) {
        if (s == null || s.length() > 64 || !s.contains("/") && !s.equals("UTC")) {
            return false;
        }
        try {
            return ZoneId.getAvailableZoneIds().contains(s) && ZoneId.of(s) != null;
        } catch (DateTimeException e) {
            return false;
        }
    }

    public static boolean isCurrency(String s) {
        if (s == null || s.length() != 3 || !s.equals(s.toUpperCase(java.util.Locale.ROOT))) {
            return false;
        }
        try {
            return Currency.getInstance(s) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
