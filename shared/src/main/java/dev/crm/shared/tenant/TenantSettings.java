package dev.crm.shared.tenant;

import dev.crm.shared.json.JsonObject;
import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tenant's settings. Stored as one map attribute on the tenant item; each field has a default so a
 * tenant created before a field existed reads sensibly.
 *
 * @param defaultFrequencyCaps  per marketing channel (wire name, e.g. {@code email}), the cap that applies
 *                              to a contact who set none of their own; a channel without an entry has no
 *                              default limit
 * @param consentWordingVersion the version of the consent wording the tenant's forms show, recorded with
 *                              every consent the contact gives through them; null when the tenant does not
 *                              track wording versions
 * @param retention             the retention job's thresholds and model horizon
 * @param service               customer-service settings (case categories, business calendar, SLA policies, …)
 */
public record TenantSettings(List<String> allowedOrigins, String defaultTimeZone, String defaultCurrency,
        Map<String, DefaultFrequencyCap> defaultFrequencyCaps, String consentWordingVersion, Retention retention,
        ServiceSettings service) {
    public static final int MAX_ORIGINS = 20;
    /**
     * The channels permission marketing knows, in their wire names. The preferences function's own
     * channel type must list the same names (its tests hold the two together).
     */
    public static final List<String> MARKETING_CHANNELS = List.of("email", "sms", "phone", "post", "push", "in_app");
    public static final int MAX_WORDING_VERSION_LENGTH = 64;

    private static final Pattern WORDING_VERSION = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_WORDING_VERSION_LENGTH + "}");

    /**
     * At most {@code max} marketing messages in any rolling window of {@code periodDays} days; wire
     * {@code {"max": 3, "period": "P7D"}}. The same limits as a contact's own caps.
     */
    public record DefaultFrequencyCap(int max, int periodDays) {
        public static final int MAX_MAX = 1000;
        public static final int MAX_PERIOD_DAYS = 366;
        private static final Pattern PERIOD = Pattern.compile("P([1-9][0-9]{0,2})D");

        public DefaultFrequencyCap {
            if (max < 1 || max > MAX_MAX || periodDays < 1 || periodDays > MAX_PERIOD_DAYS) {
                throw new IllegalArgumentException("a cap is 1 to " + MAX_MAX + " messages in 1 to " + MAX_PERIOD_DAYS
                        + " days");
            }
        }

        /** @return the number of days of {@code P<days>D}, or null when the text is not one within the limits */
        public static Integer parsePeriod(String text) {
            Matcher m = text == null ? null : PERIOD.matcher(text);
            if (m == null || !m.matches()) {
                return null;
            }
            int days = Integer.parseInt(m.group(1));
            return days <= MAX_PERIOD_DAYS ? days : null;
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("max", max);
            m.put("period", "P" + periodDays + "D");
            return m;
        }
    }

    /**
     * The retention job's settings ({@code retention} in the API): a customer is valuable when the value
     * at risk reaches {@code valueThreshold} (tenant currency), at high risk below {@code pAliveThreshold};
     * expected purchases and CLV look {@code horizonMonths} ahead, discounted monthly at
     * {@code monthlyDiscountRate}; below {@code minCustomersForModel} customers with purchases (at most
     * 500) the models are not fitted and the documented rule scores instead.
     */
    public record Retention(java.math.BigDecimal valueThreshold, double pAliveThreshold, int horizonMonths,
            double monthlyDiscountRate, int minCustomersForModel) {
        public static final int MAX_MIN_CUSTOMERS = 500;

        public static Retention defaults() {
            return new Retention(new java.math.BigDecimal("100"), 0.5, 12, 0.01, MAX_MIN_CUSTOMERS);
        }

        public Map<String, Object> toJson(String currency) {
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Object> money = new LinkedHashMap<>();
            money.put("amount", valueThreshold.toPlainString());
            money.put("currency", currency);
            m.put("valueThreshold", money);
            m.put("pAliveThreshold", java.math.BigDecimal.valueOf(pAliveThreshold));
            m.put("horizonMonths", horizonMonths);
            m.put("monthlyDiscountRate", java.math.BigDecimal.valueOf(monthlyDiscountRate));
            m.put("minCustomersForModel", minCustomersForModel);
            return m;
        }

        @SuppressWarnings("unchecked")
        static Retention fromStored(Object o) {
            Retention d = defaults();
            if (!(o instanceof Map<?, ?> raw)) {
                return d;
            }
            Map<String, Object> m = (Map<String, Object>) raw;
            return new Retention(
                    m.get("valueThreshold") instanceof Map<?, ?> v && v.get("amount") != null
                            ? new java.math.BigDecimal(String.valueOf(v.get("amount"))) : d.valueThreshold(),
                    m.get("pAliveThreshold") instanceof Number n ? n.doubleValue() : d.pAliveThreshold(),
                    m.get("horizonMonths") instanceof Number n ? n.intValue() : d.horizonMonths(),
                    m.get("monthlyDiscountRate") instanceof Number n ? n.doubleValue() : d.monthlyDiscountRate(),
                    m.get("minCustomersForModel") instanceof Number n ? n.intValue() : d.minCustomersForModel());
        }

        /** A merge patch over these settings; problems go to the patch's violations. */
        Retention merge(JsonObject patch, String currency) {
            patch.allowOnly("valueThreshold", "pAliveThreshold", "horizonMonths", "monthlyDiscountRate", "minCustomersForModel");
            Retention d = defaults();
            java.math.BigDecimal value = valueThreshold;
            if (patch.has("valueThreshold")) {
                JsonObject money = patch.optionalObject("valueThreshold");
                if (patch.isNull("valueThreshold")) {
                    value = d.valueThreshold();
                } else if (money != null) {
                    money.allowOnly("amount", "currency");
                    String amount = money.requiredLine("amount", 1, 20);
                    String given = money.optionalLine("currency", 3, 3);
                    if (given != null && !given.equals(currency)) {
                        patch.violations().pointer(money.pointer("currency"),
                                "must be the tenant's currency, " + currency + " (or left out)");
                    }
                    if (amount != null && !amount.matches("(0|[1-9][0-9]{0,11})(\\.[0-9]{1,4})?")) {
                        patch.violations().pointer(money.pointer("amount"), "must be a decimal string such as \"250.00\"");
                    } else if (amount != null) {
                        value = new java.math.BigDecimal(amount);
                    }
                }
            }
            double p = pAliveThreshold;
            if (patch.has("pAliveThreshold")) {
                Object v = patch.raw().get("pAliveThreshold");
                if (v == null) {
                    p = d.pAliveThreshold();
                } else if (v instanceof Number n && n.doubleValue() > 0 && n.doubleValue() < 1) {
                    p = n.doubleValue();
                } else {
                    patch.violations().pointer(patch.pointer("pAliveThreshold"), "must be a number between 0 and 1 (exclusive)");
                }
            }
            int horizon = horizonMonths;
            if (patch.has("horizonMonths")) {
                Long h = patch.isNull("horizonMonths") ? Long.valueOf(d.horizonMonths()) : patch.optionalLong("horizonMonths", 1, 60);
                horizon = h == null ? horizon : h.intValue();
            }
            double rate = monthlyDiscountRate;
            if (patch.has("monthlyDiscountRate")) {
                Object v = patch.raw().get("monthlyDiscountRate");
                if (v == null) {
                    rate = d.monthlyDiscountRate();
                } else if (v instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 0.2) {
                    rate = n.doubleValue();
                } else {
                    patch.violations().pointer(patch.pointer("monthlyDiscountRate"), "must be a number from 0 to 0.2");
                }
            }
            int min = minCustomersForModel;
            if (patch.has("minCustomersForModel")) {
                Long m = patch.isNull("minCustomersForModel") ? Long.valueOf(d.minCustomersForModel())
                        : patch.optionalLong("minCustomersForModel", 50, MAX_MIN_CUSTOMERS);
                min = m == null ? min : m.intValue();
            }
            return new Retention(value, p, horizon, rate, min);
        }
    }

    /** The settings without service settings of their own (they take the defaults). */
    public TenantSettings(List<String> allowedOrigins, String defaultTimeZone, String defaultCurrency,
            Map<String, DefaultFrequencyCap> defaultFrequencyCaps, String consentWordingVersion, Retention retention) {
        this(allowedOrigins, defaultTimeZone, defaultCurrency, defaultFrequencyCaps, consentWordingVersion, retention,
                ServiceSettings.defaults());
    }

    /** The settings without retention settings of their own (they take the defaults). */
    public TenantSettings(List<String> allowedOrigins, String defaultTimeZone, String defaultCurrency,
            Map<String, DefaultFrequencyCap> defaultFrequencyCaps, String consentWordingVersion) {
        this(allowedOrigins, defaultTimeZone, defaultCurrency, defaultFrequencyCaps, consentWordingVersion, Retention.defaults());
    }

    public TenantSettings {
        retention = retention == null ? Retention.defaults() : retention;
        service = service == null ? ServiceSettings.defaults() : service;
        allowedOrigins = List.copyOf(allowedOrigins);
        Map<String, DefaultFrequencyCap> caps = new LinkedHashMap<>();
        // Kept in channel order so equal settings serialise identically.
        for (String channel : MARKETING_CHANNELS) {
            DefaultFrequencyCap cap = defaultFrequencyCaps == null ? null : defaultFrequencyCaps.get(channel);
            if (cap != null) {
                caps.put(channel, cap);
            }
        }
        if (defaultFrequencyCaps != null && caps.size() != defaultFrequencyCaps.size()) {
            throw new IllegalArgumentException("default frequency caps are per marketing channel");
        }
        defaultFrequencyCaps = java.util.Collections.unmodifiableMap(caps);
    }

    public static TenantSettings defaults() {
        return new TenantSettings(List.of(), "UTC", "EUR", Map.of(), null);
    }

    public ZoneId zone() {
        return ZoneId.of(defaultTimeZone);
    }

    /**
     * The tenant's business calendar, or the default: Monday to Friday 09:00–17:00 in
     * {@code defaultTimeZone}, no holidays.
     */
    public dev.crm.shared.service.BusinessCalendar businessCalendar() {
        return service.calendarOrDefault(zone());
    }

    /**
     * The SLA policy of a priority ({@code urgent}, {@code high}, {@code normal}, {@code low}), or its default
     * ({@link dev.crm.shared.service.SlaPolicy#defaultFor}: business clock, pausing while pending, urgent 1 h / 8 h,
     * high 4 h / 24 h, normal 8 h / 24 h, low 24 h / 40 h of business time).
     */
    public dev.crm.shared.service.SlaPolicy slaPolicy(String priority) {
        return service.policyOrDefault(priority);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> caps = new LinkedHashMap<>();
        defaultFrequencyCaps.forEach((channel, cap) -> caps.put(channel, cap.toJson()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("allowedOrigins", allowedOrigins);
        m.put("defaultTimeZone", defaultTimeZone);
        m.put("defaultCurrency", defaultCurrency);
        m.put("defaultFrequencyCaps", caps);
        m.put("consentWordingVersion", consentWordingVersion);
        m.put("retention", retention.toJson(defaultCurrency));
        service.putJson(m);
        return m;
    }

    @SuppressWarnings("unchecked")
    public static TenantSettings fromStored(Map<String, Object> m) {
        TenantSettings d = defaults();
        Object origins = m.get("allowedOrigins");
        Map<String, DefaultFrequencyCap> caps = new LinkedHashMap<>();
        if (m.get("defaultFrequencyCaps") instanceof Map<?, ?> stored) {
            for (var e : ((Map<String, Object>) stored).entrySet()) {
                Map<String, Object> cap = (Map<String, Object>) e.getValue();
                Integer days = DefaultFrequencyCap.parsePeriod((String) cap.get("period"));
                caps.put(e.getKey(), new DefaultFrequencyCap(((Number) cap.get("max")).intValue(),
                        java.util.Objects.requireNonNull(days, "a stored cap's period")));
            }
        }
        return new TenantSettings(
                origins instanceof List<?> l ? List.copyOf((List<String>) l) : d.allowedOrigins(),
                m.get("defaultTimeZone") instanceof String tz ? tz : d.defaultTimeZone(),
                m.get("defaultCurrency") instanceof String c ? c : d.defaultCurrency(),
                caps,
                m.get("consentWordingVersion") instanceof String w ? w : d.consentWordingVersion(),
                Retention.fromStored(m.get("retention")),
                ServiceSettings.fromStored(m));
    }

    /**
     * Applies a JSON merge patch (RFC 7396): a field set to null returns to its default. Problems are
     * recorded on the patch's violations; the caller rejects the whole patch if there are any.
     * {@code defaultFrequencyCaps} merges channel by channel (and a channel's cap field by field), so
     * {@code {"defaultFrequencyCaps": {"sms": null}}} removes only the SMS default.
     */
    public TenantSettings merge(JsonObject patch) {
        List<String> allowed = new java.util.ArrayList<>(List.of("allowedOrigins", "defaultTimeZone", "defaultCurrency",
                "defaultFrequencyCaps", "consentWordingVersion", "retention"));
        allowed.addAll(ServiceSettings.FIELDS);
        patch.allowOnly(allowed);
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
        Map<String, DefaultFrequencyCap> caps = defaultFrequencyCaps;
        if (patch.has("defaultFrequencyCaps")) {
            if (patch.isNull("defaultFrequencyCaps")) {
                caps = d.defaultFrequencyCaps();
            } else {
                JsonObject capsPatch = patch.optionalObject("defaultFrequencyCaps");
                if (capsPatch != null) {
                    caps = mergeCaps(capsPatch);
                }
            }
        }
        String wording = consentWordingVersion;
        if (patch.has("consentWordingVersion")) {
            if (patch.isNull("consentWordingVersion")) {
                wording = d.consentWordingVersion();
            } else {
                String given = patch.optionalLine("consentWordingVersion", 1, MAX_WORDING_VERSION_LENGTH);
                if (given != null && !WORDING_VERSION.matcher(given).matches()) {
                    patch.violations().pointer(patch.pointer("consentWordingVersion"), "must be 1 to "
                            + MAX_WORDING_VERSION_LENGTH + " letters, digits, '.', '_', ':' or '-', e.g. 2026-01");
                } else if (given != null) {
                    wording = given;
                }
            }
        }
        Retention retentionSettings = retention;
        if (patch.has("retention")) {
            JsonObject r = patch.optionalObject("retention");
            retentionSettings = patch.isNull("retention") ? Retention.defaults()
                    : r == null ? retention : retention.merge(r, currency == null ? defaultCurrency : currency);
        }
        return new TenantSettings(origins, tz == null ? defaultTimeZone : tz, currency == null ? defaultCurrency : currency,
                caps, wording, retentionSettings, service.merge(patch));
    }

    private Map<String, DefaultFrequencyCap> mergeCaps(JsonObject patch) {
        Map<String, DefaultFrequencyCap> out = new LinkedHashMap<>(defaultFrequencyCaps);
        for (String channel : patch.fields()) {
            if (!MARKETING_CHANNELS.contains(channel)) {
                patch.violations().pointer(patch.pointer(channel), "unknown channel; one of " + String.join(", ", MARKETING_CHANNELS));
                continue;
            }
            if (patch.isNull(channel)) {
                out.remove(channel);
                continue;
            }
            JsonObject capPatch = patch.optionalObject(channel);
            if (capPatch == null) {
                continue; // not an object: reported
            }
            // The channel's cap merges field by field over the current one (RFC 7396 recursion).
            Map<String, Object> merged = new LinkedHashMap<>();
            DefaultFrequencyCap current = defaultFrequencyCaps.get(channel);
            if (current != null) {
                merged.put("max", (long) current.max()); // as the JSON reader gives integers
                merged.put("period", "P" + current.periodDays() + "D");
            }
            for (String field : capPatch.fields()) {
                Object v = capPatch.raw().get(field);
                if (v == null) {
                    merged.remove(field);
                } else {
                    merged.put(field, v);
                }
            }
            JsonObject cap = JsonObject.of(merged, patch.pointer(channel), patch.violations());
            cap.allowOnly("max", "period");
            Long max = cap.requiredLong("max", 1, DefaultFrequencyCap.MAX_MAX);
            String period = cap.requiredLine("period", 1, 16);
            Integer days = period == null ? null : DefaultFrequencyCap.parsePeriod(period);
            if (period != null && days == null) {
                patch.violations().pointer(cap.pointer("period"), "must be a whole number of days from P1D to P"
                        + DefaultFrequencyCap.MAX_PERIOD_DAYS + "D, e.g. P7D");
            }
            if (max != null && days != null) {
                out.put(channel, new DefaultFrequencyCap(max.intValue(), days));
            }
        }
        return out;
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
