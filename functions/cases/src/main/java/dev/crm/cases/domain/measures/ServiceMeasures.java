package dev.crm.cases.domain.measures;

import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.SupportCase;
import dev.crm.shared.service.SlaClock;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Service measures over the cases created in {@code [from, to)}, each as it stood at {@code to}
 * (docs/api.md, "Service measures"): a cohort, so every figure is about the same cases and
 * {@code created = solved + backlog}.
 */
public final class ServiceMeasures {
    /** The most cases one request measures (each solved one costs a history read). */
    public static final int MAX_CASES = 2_000;

    public enum GroupBy { CATEGORY, CHANNEL, PRIORITY, ASSIGNEE, NONE }

    private final CaseRecordsRepository records;
    private final Function<TenantId, TenantSettings> settings;

    public ServiceMeasures(CaseRecordsRepository records, Function<TenantId, TenantSettings> settings) {
        this.records = records;
        this.settings = settings;
    }

    /** @throws CaseRecordsRepository.TooMany when more than {@link #MAX_CASES} cases were created in the range */
    public Map<String, Object> measure(TenantId tenant, Instant from, Instant to, GroupBy by) {
        List<String> ids = records.arrivals(tenant, from, to, null, MAX_CASES).stream()
                .map(CaseRecordsRepository.Arrival::caseId).toList();
        List<SupportCase> cases = records.cases(tenant, ids);
        // only a case that was ever solved needs its history (status at `to`, pauses, reopenings)
        List<String> solvedOnce = cases.stream().filter(c -> c.solvedAt() != null).map(SupportCase::id).toList();
        Map<String, List<HistoryEntry>> histories = records.histories(tenant, solvedOnce);
        TenantSettings s = settings.apply(tenant);
        List<CaseFacts> facts = new ArrayList<>();
        for (SupportCase c : cases) {
            facts.add(CaseFacts.of(c, histories.getOrDefault(c.id(), List.of()), s.businessCalendar(),
                    s.slaPolicy(SupportCase.wire(c.priority())), to));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("groupBy", by.name().toLowerCase(java.util.Locale.ROOT));
        out.put("groups", groups(facts, by));
        return out;
    }

    /** The measures of {@code facts}, one entry per group, groups in key order. */
    public static List<Object> groups(List<CaseFacts> facts, GroupBy by) {
        Map<String, List<CaseFacts>> grouped = new TreeMap<>();
        for (CaseFacts f : facts) {
            grouped.computeIfAbsent(f.group(by), k -> new ArrayList<>()).add(f);
        }
        List<Object> out = new ArrayList<>();
        grouped.forEach((key, members) -> out.add(group(key, members)));
        return out;
    }

    static Map<String, Object> group(String key, List<CaseFacts> members) {
        List<Double> firstBusiness = new ArrayList<>();
        List<Double> firstCalendar = new ArrayList<>();
        List<Double> resolutionBusiness = new ArrayList<>();
        List<Double> resolutionCalendar = new ArrayList<>();
        int solved = 0;
        int withinTarget = 0;
        int everSolved = 0;
        int reopened = 0;
        int firstContact = 0;
        for (CaseFacts f : members) {
            if (f.firstResponse() != null) {
                firstBusiness.add(CaseFacts.minutes(f.firstResponse().elapsedBusiness()));
                firstCalendar.add(CaseFacts.minutes(f.firstResponse().elapsedCalendar()));
            }
            if (f.everSolved()) {
                everSolved++;
                if (f.reopened()) {
                    reopened++;
                }
            }
            if (f.solved()) {
                solved++;
                SlaClock.Figures r = f.resolution();
                resolutionBusiness.add(CaseFacts.minutes(r.elapsedBusiness()));
                resolutionCalendar.add(CaseFacts.minutes(r.elapsedCalendar()));
                if (!r.breached()) {
                    withinTarget++;
                }
                if (f.publicAgentMessages() == 1) {
                    firstContact++;
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", key);
        m.put("created", members.size());
        m.put("solved", solved);
        m.put("backlog", members.size() - solved);
        m.put("firstResponse", durations(firstBusiness, firstCalendar));
        m.put("resolution", durations(resolutionBusiness, resolutionCalendar));
        m.put("slaAttainment", share(withinTarget, solved));
        m.put("reopenRate", share(reopened, everSolved));
        m.put("firstContactResolution", share(firstContact, solved));
        return m;
    }

    private static Map<String, Object> durations(List<Double> business, List<Double> calendar) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", business.size());
        m.put("business", Summary.of(business).toJson());
        m.put("calendar", Summary.of(calendar).toJson());
        return m;
    }

    /** A share to four decimals, or null when there is nothing to share. */
    private static Object share(int part, int whole) {
        return whole == 0 ? null
                : java.math.BigDecimal.valueOf((double) part / whole).setScale(4, java.math.RoundingMode.HALF_EVEN);
    }
}
