package dev.crm.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.tenant.TenantSettings;
import dev.crm.shared.tenant.TenantSettings.DefaultFrequencyCap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The permission-marketing settings: default frequency caps per channel and the consent wording version. */
class TenantSettingsTest {
    private static final class Patched {
        final TenantSettings settings;
        final Violations violations;

        Patched(TenantSettings settings, Violations violations) {
            this.settings = settings;
            this.violations = violations;
        }

        List<Object> pointers() {
            return violations.items().stream().map(m -> m.get("pointer")).toList();
        }
    }

    private static Patched patch(TenantSettings s, String json) {
        Violations v = new Violations();
        TenantSettings merged = s.merge(JsonObject.of(Json.parse(json), v));
        return new Patched(merged, v);
    }

    @Test
    void defaultsHaveNoCapsAndNoWordingVersion() {
        TenantSettings d = TenantSettings.defaults();
        assertEquals(Map.of(), d.defaultFrequencyCaps());
        assertNull(d.consentWordingVersion());
        assertEquals("{\"allowedOrigins\":[],\"defaultTimeZone\":\"UTC\",\"defaultCurrency\":\"EUR\","
                + "\"defaultFrequencyCaps\":{},\"consentWordingVersion\":null,\"retention\":{\"valueThreshold\":"
                + "{\"amount\":\"100\",\"currency\":\"EUR\"},\"pAliveThreshold\":0.5,\"horizonMonths\":12,"
                + "\"monthlyDiscountRate\":0.01,\"minCustomersForModel\":500},\"caseCategories\":[],"
                + "\"businessCalendar\":null,\"slaPolicies\":{},\"casesAutoCloseAfter\":\"P7D\","
                + "\"complaintsOpenCases\":false,\"staffingMaxOccupancy\":0.85}", Json.write(d.toJson()));
        assertEquals(dev.crm.shared.service.BusinessCalendar.defaultFor(java.time.ZoneId.of("UTC")), d.businessCalendar());
        assertEquals(dev.crm.shared.service.SlaPolicy.defaultFor("high"), d.slaPolicy("high"));
    }

    @Test
    void capsMergeChannelByChannelAndFieldByField() {
        Patched p = patch(TenantSettings.defaults(), "{\"defaultFrequencyCaps\": {\"sms\": {\"max\": 2, \"period\": \"P30D\"},"
                + " \"email\": {\"max\": 3, \"period\": \"P7D\"}}, \"consentWordingVersion\": \"2026-01\"}");
        assertTrue(p.violations.isEmpty(), p.violations.items()::toString);
        TenantSettings s = p.settings;
        assertEquals(List.of("email", "sms"), List.copyOf(s.defaultFrequencyCaps().keySet()), "channel order");
        assertEquals(new DefaultFrequencyCap(3, 7), s.defaultFrequencyCaps().get("email"));
        assertEquals("2026-01", s.consentWordingVersion());

        // a field of one channel's cap: the other field stays
        TenantSettings moreEmail = patch(s, "{\"defaultFrequencyCaps\": {\"email\": {\"max\": 5}}}").settings;
        assertEquals(new DefaultFrequencyCap(5, 7), moreEmail.defaultFrequencyCaps().get("email"));
        assertEquals(new DefaultFrequencyCap(2, 30), moreEmail.defaultFrequencyCaps().get("sms"));
        // null removes one channel's default, or every default, or the wording version
        TenantSettings noSms = patch(moreEmail, "{\"defaultFrequencyCaps\": {\"sms\": null}}").settings;
        assertEquals(List.of("email"), List.copyOf(noSms.defaultFrequencyCaps().keySet()));
        assertEquals(Map.of(), patch(noSms, "{\"defaultFrequencyCaps\": null}").settings.defaultFrequencyCaps());
        assertNull(patch(noSms, "{\"consentWordingVersion\": null}").settings.consentWordingVersion());
        // other settings are untouched
        assertEquals("2026-01", noSms.consentWordingVersion());
    }

    @Test
    void badCapsAndWordingVersionsArePointedAt() {
        TenantSettings withEmail = patch(TenantSettings.defaults(),
                "{\"defaultFrequencyCaps\": {\"email\": {\"max\": 3, \"period\": \"P7D\"}}}").settings;
        Patched bad = patch(withEmail, "{\"defaultFrequencyCaps\": {\"fax\": {\"max\": 1, \"period\": \"P1D\"},"
                + " \"sms\": {\"max\": 0, \"period\": \"P1W\"}, \"push\": {\"max\": 2}, \"post\": 3,"
                + " \"email\": {\"period\": null, \"colour\": \"red\"}, \"phone\": {\"max\": \"2\", \"period\": \"P367D\"}},"
                + " \"consentWordingVersion\": \"version 2\"}");
        assertEquals(List.of("/defaultFrequencyCaps/fax", "/defaultFrequencyCaps/sms/max", "/defaultFrequencyCaps/sms/period",
                "/defaultFrequencyCaps/push/period", "/defaultFrequencyCaps/post",
                "/defaultFrequencyCaps/email/colour", "/defaultFrequencyCaps/email/period",
                "/defaultFrequencyCaps/phone/max", "/defaultFrequencyCaps/phone/period", "/consentWordingVersion"),
                bad.pointers());
        assertEquals(List.of("/defaultFrequencyCaps"),
                patch(withEmail, "{\"defaultFrequencyCaps\": [1]}").pointers());
        assertEquals(List.of("/consentWordingVersion"),
                patch(withEmail, "{\"consentWordingVersion\": \"" + "v".repeat(65) + "\"}").pointers());
        assertEquals(List.of("/consentWordingVersion"), patch(withEmail, "{\"consentWordingVersion\": 7}").pointers());
    }

    @Test
    void storedSettingsReadBackEqualAndOldItemsReadAsDefaults() {
        TenantSettings s = patch(TenantSettings.defaults(), "{\"allowedOrigins\": [\"https://shop.example.com\"],"
                + " \"defaultFrequencyCaps\": {\"in_app\": {\"max\": 10, \"period\": \"P1D\"}}, \"consentWordingVersion\": \"v3\"}")
                .settings;
        // through the attribute mapping, as the tenant item stores it
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = (Map<String, Object>) Attr.toPlain(Attr.of(s.toJson()));
        assertEquals(s, TenantSettings.fromStored(stored));
        TenantSettings old = TenantSettings.fromStored(Map.of("allowedOrigins", List.of(), "defaultTimeZone", "Europe/Paris",
                "defaultCurrency", "EUR"));
        assertEquals(Map.of(), old.defaultFrequencyCaps());
        assertNull(old.consentWordingVersion());
    }

    @Test
    void capsKeepTheirLimits() {
        assertThrows(IllegalArgumentException.class, () -> new DefaultFrequencyCap(0, 7));
        assertThrows(IllegalArgumentException.class, () -> new DefaultFrequencyCap(1001, 7));
        assertThrows(IllegalArgumentException.class, () -> new DefaultFrequencyCap(1, 367));
        assertThrows(IllegalArgumentException.class, () -> new TenantSettings(List.of(), "UTC", "EUR",
                Map.of("fax", new DefaultFrequencyCap(1, 1)), null));
        assertEquals(366, DefaultFrequencyCap.parsePeriod("P366D"));
        assertNull(DefaultFrequencyCap.parsePeriod("P0D"));
        assertNull(DefaultFrequencyCap.parsePeriod("P7d"));
        assertNull(DefaultFrequencyCap.parsePeriod("PT24H"));
        assertEquals(List.of("email", "sms", "phone", "post", "push", "in_app"), TenantSettings.MARKETING_CHANNELS);
    }

    @Test
    void retentionSettingsMergeFieldByFieldAndSurviveStorage() {
        Patched p = patch(TenantSettings.defaults(), "{\"defaultCurrency\": \"GBP\", \"retention\": {\"valueThreshold\":"
                + " {\"amount\": \"250.50\", \"currency\": \"GBP\"}, \"pAliveThreshold\": 0.3, \"horizonMonths\": 24}}");
        assertTrue(p.violations.isEmpty(), p.violations.items()::toString);
        TenantSettings.Retention r = p.settings.retention();
        assertEquals(new java.math.BigDecimal("250.50"), r.valueThreshold());
        assertEquals(0.3, r.pAliveThreshold());
        assertEquals(24, r.horizonMonths());
        assertEquals(0.01, r.monthlyDiscountRate(), "untouched fields keep their values");
        // stored and read back as the repository does
        @SuppressWarnings("unchecked")
        TenantSettings back = TenantSettings.fromStored((Map<String, Object>) Attr.toPlain(Attr.of(p.settings.toJson())));
        assertEquals(p.settings, back);
        // null restores one default, or all of them
        assertEquals(12, patch(back, "{\"retention\": {\"horizonMonths\": null}}").settings.retention().horizonMonths());
        assertEquals(TenantSettings.Retention.defaults(), patch(back, "{\"retention\": null}").settings.retention());
    }

    @Test
    void badRetentionSettingsArePointedAtAndChangeNothing() {
        Patched bad = patch(TenantSettings.defaults(), "{\"retention\": {\"valueThreshold\": {\"amount\": \"-5\"},"
                + " \"pAliveThreshold\": 1, \"horizonMonths\": 61, \"monthlyDiscountRate\": \"0.01\","
                + " \"minCustomersForModel\": 10, \"colour\": \"red\"}}");
        assertEquals(List.of("/retention/colour", "/retention/valueThreshold/amount", "/retention/pAliveThreshold",
                "/retention/horizonMonths", "/retention/monthlyDiscountRate", "/retention/minCustomersForModel"), bad.pointers());
        Patched otherCurrency = patch(TenantSettings.defaults(),
                "{\"retention\": {\"valueThreshold\": {\"amount\": \"5\", \"currency\": \"USD\"}}}");
        assertEquals(List.of("/retention/valueThreshold/currency"), otherCurrency.pointers());
    }
}
