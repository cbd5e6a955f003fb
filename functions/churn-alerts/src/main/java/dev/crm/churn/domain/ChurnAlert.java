package dev.crm.churn.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An alert to staff: a valuable customer at high risk of defecting. Its id is the contact and the
 * month, so a rerun in the same month finds it instead of raising it again. {@code openCases} is how
 * many unresolved service cases the contact had when the alert was raised.
 */
public record ChurnAlert(String id, String contactId, String period, Status status, double pAlive, String riskTier,
        BigDecimal clv, BigDecimal valueAtRisk, String currency, List<String> reasons, Map<String, Object> suggestedAction,
        Map<String, Object> contact, String runId, Instant createdAt, Instant acknowledgedAt, String acknowledgedBy,
        Instant resolvedAt, String resolvedBy, String resolution, int openCases) {

    /** An alert from before alerts counted open cases (and tests that do not care): none. */
    public ChurnAlert(String id, String contactId, String period, Status status, double pAlive, String riskTier,
            BigDecimal clv, BigDecimal valueAtRisk, String currency, List<String> reasons, Map<String, Object> suggestedAction,
            Map<String, Object> contact, String runId, Instant createdAt, Instant acknowledgedAt, String acknowledgedBy,
            Instant resolvedAt, String resolvedBy, String resolution) {
        this(id, contactId, period, status, pAlive, riskTier, clv, valueAtRisk, currency, reasons, suggestedAction, contact,
                runId, createdAt, acknowledgedAt, acknowledgedBy, resolvedAt, resolvedBy, resolution, 0);
    }

    public enum Status {
        OPEN, ACKNOWLEDGED, RESOLVED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final String ID_PREFIX = "al_";

    public static String period(LocalDate asOf) {
        return String.format("%04d%02d", asOf.getYear(), asOf.getMonthValue());
    }

    /** {@code al_<contact id without its prefix>_<yyyymm>}: deterministic, and it names its contact. */
    public static String id(String contactId, String period) {
        return ID_PREFIX + contactId.substring(2) + "_" + period;
    }

    /** The contact and period an alert id names, or null when it is not one of ours. */
    public static String[] parse(String id) {
        if (id == null || !id.matches("al_[0-9a-z]{20}_[0-9]{6}")) {
            return null;
        }
        return new String[] {"c_" + id.substring(3, 23), id.substring(24)};
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("contactId", contactId);
        m.put("contact", contact);
        m.put("status", status.wire());
        m.put("period", period.substring(0, 4) + "-" + period.substring(4));
        m.put("pAlive", BigDecimal.valueOf(pAlive).setScale(4, java.math.RoundingMode.HALF_UP));
        m.put("riskTier", riskTier);
        m.put("clv", Map.of("amount", clv.toPlainString(), "currency", currency));
        m.put("valueAtRisk", Map.of("amount", valueAtRisk.toPlainString(), "currency", currency));
        m.put("reasons", reasons);
        m.put("openCases", openCases);
        m.put("suggestedAction", suggestedAction);
        m.put("runId", runId);
        m.put("createdAt", createdAt);
        m.put("acknowledgedAt", acknowledgedAt);
        m.put("acknowledgedBy", acknowledgedBy);
        m.put("resolvedAt", resolvedAt);
        m.put("resolvedBy", resolvedBy);
        m.put("resolution", resolution);
        return m;
    }
}
