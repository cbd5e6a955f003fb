package dev.crm.churn.domain.analytics;

import dev.crm.churn.domain.analytics.AnalyticsRepository.Customer;
import dev.crm.churn.domain.analytics.AnalyticsRepository.Segment;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Customer value, retention cohorts, targets and the scorecard, read on request from the contacts',
 * surveys' and cases' figures and the latest churn run's scores (docs/data-model.md, "Analytics").
 */
public final class Analytics {
    /** The most customers one request reads (one summary, score and, for segments, contact each). */
    public static final int MAX_CUSTOMERS = 100_000;
    /** The most purchases one retention or scorecard request reads. */
    public static final int MAX_PURCHASES = 200_000;
    /** The most cases a scorecard reads (as the cases' own measures). */
    public static final int MAX_CASES = 2_000;
    /** The most cohorts one matrix has. */
    public static final int MAX_COHORTS = 36;

    private final AnalyticsRepository store;
    private final Clock clock;

    public Analytics(AnalyticsRepository store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The segment does not exist. */
    public static final class UnknownSegment extends RuntimeException {
        public UnknownSegment() {
            super(null, null, false, false);
        }
    }

    /** Today in the tenant's zone. */
    public LocalDate today(Tenant tenant) {
        return LocalDate.ofInstant(clock.instant(), tenant.settings().zone());
    }

    /**
     * @param segmentId narrows the customers to one segment's members, or null
     * @throws UnknownSegment when {@code segmentId} names no segment of the tenant
     */
    public Map<String, Object> value(Tenant tenant, ValueGroups.GroupBy by, String segmentId) {
        TenantId t = tenant.id();
        String currency = tenant.settings().defaultCurrency();
        boolean needSegments = by == ValueGroups.GroupBy.SEGMENT || segmentId != null;
        List<Segment> segments = needSegments ? store.segments(t) : List.of();
        Segment only = null;
        if (segmentId != null) {
            only = segments.stream().filter(s -> s.id().equals(segmentId)).findFirst().orElseThrow(UnknownSegment::new);
        }
        List<Customer> customers = store.customers(t, currency, true, needSegments, MAX_CUSTOMERS);
        Map<String, RfmScores.Rfm> rfm = Map.of();
        if (by == ValueGroups.GroupBy.RFM) {
            Map<String, PurchaseSummary> summaries = new HashMap<>();
            customers.stream().filter(c -> c.purchases().hasPurchases()).forEach(c -> summaries.put(c.contactId(), c.purchases()));
            rfm = RfmScores.of(summaries, today(tenant)); // quintiles over every customer, scored or not
        }
        List<Customer> scored = new ArrayList<>();
        for (Customer c : customers) {
            if (c.score() != null && (only == null || ValueGroups.member(only, c))) {
                scored.add(c);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("groupBy", switch (by) {
            case SEGMENT -> "segment";
            case RFM -> "rfm";
            case RISK_TIER -> "riskTier";
        });
        out.put("segment", segmentId);
        out.put("currency", currency);
        out.put("total", ValueGroups.figures(scored));
        out.put("groups", ValueGroups.groups(by, scored, segments, rfm));
        return out;
    }

    /** The cohort matrix of the periods {@code from} to {@code to} (both of one kind, from ≤ to). */
    public Map<String, Object> retention(Tenant tenant, Period from, Period to) {
        TenantId t = tenant.id();
        ZoneId zone = tenant.settings().zone();
        String currency = tenant.settings().defaultCurrency();
        Map<String, LocalDate> firstDays = firstDays(t, currency);
        List<RetentionMatrix.DayPurchase> purchases = purchases(t, from.start(), to.end(), zone, currency);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cohort", from.quarter() ? "quarter" : "month");
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("timeZone", zone.getId());
        out.put("currency", currency);
        out.put("cohorts", RetentionMatrix.cohorts(from, to, firstDays, purchases));
        return out;
    }

    public Targets putTargets(Tenant tenant, Period period, Map<Measure, BigDecimal> values) {
        Targets targets = new Targets(period, values, clock.instant());
        store.putTargets(tenant.id(), targets);
        return targets;
    }

    /** @return the period's targets, or null */
    public Targets targets(Tenant tenant, Period period) {
        return store.targets(tenant.id(), period);
    }

    public Map<String, Object> scorecard(Tenant tenant, Period period) {
        TenantId t = tenant.id();
        ZoneId zone = tenant.settings().zone();
        String currency = tenant.settings().defaultCurrency();
        Map<String, LocalDate> firstDays = firstDays(t, currency);
        List<RetentionMatrix.DayPurchase> purchases = purchases(t, period.start(), period.end(), zone, currency);
        var surveys = store.surveyTally(t, period.start(), period.end().minusDays(1));
        var cases = store.caseOutcomes(t, instant(period.start(), zone), instant(period.end(), zone), MAX_CASES);
        Map<Measure, BigDecimal> actuals = ScorecardFigures.actuals(period, firstDays, purchases, surveys, cases);
        Targets targets = store.targets(t, period);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("period", period.toString());
        out.put("from", period.start().toString());
        out.put("to", period.end().minusDays(1).toString());
        out.put("timeZone", zone.getId());
        out.put("currency", currency);
        out.put("casesCreated", cases.created());
        out.put("measures", ScorecardFigures.rows(actuals, targets));
        return out;
    }

    private Map<String, LocalDate> firstDays(TenantId t, String currency) {
        Map<String, LocalDate> out = new HashMap<>();
        for (Customer c : store.customers(t, currency, false, false, MAX_CUSTOMERS)) {
            if (c.purchases().hasPurchases()) {
                out.put(c.contactId(), c.purchases().firstPurchaseDay());
            }
        }
        return out;
    }

    private List<RetentionMatrix.DayPurchase> purchases(TenantId t, LocalDate from, LocalDate end, ZoneId zone, String currency) {
        List<RetentionMatrix.DayPurchase> out = new ArrayList<>();
        for (var p : store.purchases(t, instant(from, zone), instant(end, zone), currency, MAX_PURCHASES)) {
            out.add(new RetentionMatrix.DayPurchase(p.contactId(), LocalDate.ofInstant(p.at(), zone), p.amount()));
        }
        return out;
    }

    private static Instant instant(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toInstant();
    }
}
