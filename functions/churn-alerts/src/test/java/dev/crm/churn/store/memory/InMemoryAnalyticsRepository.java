package dev.crm.churn.store.memory;

import dev.crm.churn.domain.analytics.AnalyticsRepository;
import dev.crm.churn.domain.analytics.Period;
import dev.crm.churn.domain.analytics.Targets;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** {@link AnalyticsRepository} in memory: what the other functions and the run would have stored, set by the test. */
public class InMemoryAnalyticsRepository implements AnalyticsRepository {
    /** A purchase as the contacts function records it. */
    public record RawPurchase(String contactId, Instant at, BigDecimal amount, String currency) {}

    /** A case: when it was created, whether it is solved or closed now, whether its resolution target was breached. */
    public record RawCase(Instant createdAt, boolean solved, boolean resolutionBreached) {}

    private final Map<TenantId, List<Customer>> customers = new ConcurrentHashMap<>();
    private final Map<TenantId, List<Segment>> segments = new ConcurrentHashMap<>();
    private final Map<TenantId, List<RawPurchase>> purchases = new ConcurrentHashMap<>();
    private final Map<TenantId, TreeMap<LocalDate, SurveyTally>> surveyDays = new ConcurrentHashMap<>();
    private final Map<TenantId, List<RawCase>> cases = new ConcurrentHashMap<>();
    private final Map<TenantId, Map<Period, Targets>> targets = new ConcurrentHashMap<>();

    public void givenCustomer(TenantId t, Customer c) {
        customers.computeIfAbsent(t, k -> new ArrayList<>()).add(c);
    }

    public void givenSegment(TenantId t, Segment s) {
        segments.computeIfAbsent(t, k -> new ArrayList<>()).add(s);
    }

    public void givenPurchase(TenantId t, RawPurchase p) {
        purchases.computeIfAbsent(t, k -> new ArrayList<>()).add(p);
    }

    public void givenSurveyDay(TenantId t, LocalDate day, SurveyTally tally) {
        surveyDays.computeIfAbsent(t, k -> new TreeMap<>()).merge(day, tally, SurveyTally::plus);
    }

    public void givenCase(TenantId t, RawCase c) {
        cases.computeIfAbsent(t, k -> new ArrayList<>()).add(c);
    }

    @Override
    public List<Customer> customers(TenantId t, String currency, boolean withScores, boolean withContacts, int max) {
        List<Customer> out = new ArrayList<>();
        for (Customer c : customers.getOrDefault(t, List.of())) {
            if (withContacts && c.contact() == null) {
                continue;
            }
            out.add(new Customer(c.contactId(), c.purchases(), c.latestNps(), withScores ? c.score() : null,
                    withScores ? c.scoreView() : null, withContacts ? c.contact() : null));
            if (out.size() > max) {
                throw new TooMany(max);
            }
        }
        return out;
    }

    @Override
    public List<Segment> segments(TenantId t) {
        return List.copyOf(segments.getOrDefault(t, List.of()));
    }

    @Override
    public List<Purchase> purchases(TenantId t, Instant from, Instant to, String currency, int max) {
        List<Purchase> out = new ArrayList<>();
        for (RawPurchase p : purchases.getOrDefault(t, List.of())) {
            if (!p.at().isBefore(from) && p.at().isBefore(to)) {
                out.add(new Purchase(p.contactId(), p.at(), currency.equals(p.currency()) ? p.amount() : null));
                if (out.size() > max) {
                    throw new TooMany(max);
                }
            }
        }
        return out;
    }

    @Override
    public SurveyTally surveyTally(TenantId t, LocalDate from, LocalDate toInclusive) {
        SurveyTally sum = SurveyTally.NONE;
        for (SurveyTally day : surveyDays.getOrDefault(t, new TreeMap<>()).subMap(from, true, toInclusive, true).values()) {
            sum = sum.plus(day);
        }
        return sum;
    }

    @Override
    public CaseOutcomes caseOutcomes(TenantId t, Instant from, Instant to, int max) {
        int created = 0;
        int solved = 0;
        int within = 0;
        for (RawCase c : cases.getOrDefault(t, List.of())) {
            if (c.createdAt().isBefore(from) || !c.createdAt().isBefore(to)) {
                continue;
            }
            if (++created > max) {
                throw new TooMany(max);
            }
            solved += c.solved() ? 1 : 0;
            within += c.solved() && !c.resolutionBreached() ? 1 : 0;
        }
        return new CaseOutcomes(created, solved, within);
    }

    @Override
    public void putTargets(TenantId t, Targets values) {
        targets.computeIfAbsent(t, k -> new ConcurrentHashMap<>()).put(values.period(), values);
    }

    @Override
    public Targets targets(TenantId t, Period period) {
        return targets.getOrDefault(t, Map.of()).get(period);
    }
}
