package dev.crm.churn.store.memory;

import dev.crm.churn.domain.ChurnAlert;
import dev.crm.churn.domain.ChurnPrediction;
import dev.crm.churn.domain.ChurnRepository;
import dev.crm.churn.domain.ChurnScore;
import dev.crm.churn.domain.CustomerHistory;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@link ChurnRepository} in memory, held to the DynamoDB adapter's behaviour by
 * {@code ChurnRepositoryContract}. The customers are kept in {@link #SEGMENTS} segments (by contact id)
 * so that resuming across segments is exercised as with the adapter's shards. A test can make the
 * writes fail ({@link #failWrites}) as a crashed process or a contended store would.
 */
public class InMemoryChurnRepository implements ChurnRepository {
    public static final int SEGMENTS = 3;

    /** A raw purchase, as the contacts function records it. */
    public record Purchase(String contactId, Instant at, BigDecimal amount, String currency) {}

    private record Card(Map<String, Object> fields, boolean active) {}

    private final Map<TenantId, TreeMap<String, CustomerHistory>> customers = new ConcurrentHashMap<>();
    private final Map<TenantId, List<Purchase>> purchases = new ConcurrentHashMap<>();
    private final Map<TenantId, Map<String, ChurnScore>> scores = new ConcurrentHashMap<>();
    private final Map<TenantId, Map<String, ChurnAlert>> alerts = new ConcurrentHashMap<>();
    private final Map<TenantId, Map<String, Map<String, Object>>> preferences = new ConcurrentHashMap<>();
    private final Map<TenantId, Map<String, Card>> cards = new ConcurrentHashMap<>();
    private final Map<TenantId, String> latestRuns = new ConcurrentHashMap<>();

    private int writesBeforeFailure = -1;
    private int failures;
    private Supplier<? extends RuntimeException> failure;
    private int writes;

    // ---- what the other functions write (test setup) ----

    /** A customer with a purchase summary, and their contact (active, with these display fields). */
    public synchronized void putCustomer(TenantId t, CustomerHistory h, Map<String, Object> card) {
        customers.computeIfAbsent(t, k -> new TreeMap<>()).put(h.contactId(), h);
        putCard(t, h.contactId(), card, true);
    }

    private final Map<TenantId, Map<String, Map<String, ChurnPrediction>>> predictions = new ConcurrentHashMap<>();
    private final Map<TenantId, Map<String, String>> externalIds = new ConcurrentHashMap<>();

    public synchronized void putExternalId(TenantId t, String contactId, String externalId) {
        externalIds.computeIfAbsent(t, k -> new ConcurrentHashMap<>()).put(contactId, externalId);
    }

    @Override
    public synchronized List<ContactPurchases> purchases(TenantId t, Instant end, ZoneId zone, String currency) {
        Map<String, List<PurchaseSummary.Purchase>> byContact = new TreeMap<>();
        for (Purchase p : purchases.getOrDefault(t, List.of())) {
            if (!p.at().isBefore(end)) {
                continue;
            }
            BigDecimal amount = p.currency() == null || currency.equals(p.currency()) ? p.amount() : null;
            byContact.computeIfAbsent(p.contactId(), k -> new ArrayList<>())
                    .add(new PurchaseSummary.Purchase(LocalDate.ofInstant(p.at(), zone), amount));
        }
        List<ContactPurchases> out = new ArrayList<>();
        byContact.forEach((contactId, list) -> out.add(new ContactPurchases(contactId, list)));
        return out;
    }

    @Override
    public synchronized void writePredictions(TenantId t, String runId, Instant expiresAt, List<ChurnPrediction> list) {
        if (list.isEmpty()) {
            return;
        }
        write();
        Map<String, ChurnPrediction> m = predictions.computeIfAbsent(t, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(runId, k -> new TreeMap<>());
        for (ChurnPrediction p : list) {
            m.put(p.contactId(), p);
        }
    }

    @Override
    public synchronized Slice<ChurnPrediction> predictions(TenantId t, String runId, Cursor from, int limit) {
        TreeMap<String, ChurnPrediction> m = new TreeMap<>(predictions.getOrDefault(t, Map.of()).getOrDefault(runId, Map.of()));
        var tail = from == null ? m : m.tailMap(from.value(), false);
        List<ChurnPrediction> page = new ArrayList<>();
        for (ChurnPrediction p : tail.values()) {
            if (page.size() == limit) {
                break;
            }
            page.add(p);
        }
        boolean more = tail.size() > page.size();
        return new Slice<>(page, more ? new Cursor(page.get(page.size() - 1).contactId()) : null);
    }

    @Override
    public synchronized Map<String, String> externalIds(TenantId t, List<String> contactIds) {
        Map<String, String> out = new HashMap<>();
        for (String id : contactIds) {
            String e = externalIds.getOrDefault(t, Map.of()).get(id);
            if (e != null && isActive(t, id)) {
                out.put(id, e);
            }
        }
        return out;
    }

    public synchronized void putCard(TenantId t, String contactId, Map<String, Object> card, boolean active) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String k : List.of("firstName", "lastName", "email", "company")) {
            fields.put(k, card.get(k));
        }
        cards.computeIfAbsent(t, k -> new ConcurrentHashMap<>()).put(contactId, new Card(fields, active));
    }

    private final Map<TenantId, Map<String, Map<String, dev.crm.shared.contact.CaseLink>>> caseLinks = new HashMap<>();

    /** A case link as the cases function keeps it in the contact's partition. */
    public synchronized void putCaseLink(TenantId t, dev.crm.shared.contact.CaseLink link) {
        caseLinks.computeIfAbsent(t, k -> new HashMap<>()).computeIfAbsent(link.contactId(), k -> new HashMap<>())
                .put(link.caseId(), link);
    }

    @Override
    public synchronized Map<String, CaseSignals> caseSignals(TenantId t, List<String> contactIds, Instant breachedSince) {
        Map<String, CaseSignals> out = new LinkedHashMap<>();
        for (String id : contactIds) {
            var links = caseLinks.getOrDefault(t, Map.of()).getOrDefault(id, Map.of()).values();
            int open = (int) links.stream().filter(dev.crm.shared.contact.CaseLink::unresolved).count();
            int breached = (int) links.stream().filter(l -> l.lastBreachedAt() != null
                    && !l.lastBreachedAt().isBefore(breachedSince)).count();
            if (open > 0 || breached > 0) {
                out.put(id, new CaseSignals(open, breached));
            }
        }
        return out;
    }

    public synchronized void putPreferences(TenantId t, String contactId, Map<String, Object> view) {
        preferences.computeIfAbsent(t, k -> new ConcurrentHashMap<>()).put(contactId, new LinkedHashMap<>(view));
    }

    public synchronized void putPurchase(TenantId t, Purchase p) {
        purchases.computeIfAbsent(t, k -> new ArrayList<>()).add(p);
    }

    // ---- inspection ----

    public synchronized ChurnScore score(TenantId t, String contactId) {
        return scores.getOrDefault(t, Map.of()).get(contactId);
    }

    public synchronized int scoreCount(TenantId t) {
        return scores.getOrDefault(t, Map.of()).size();
    }

    public synchronized List<ChurnAlert> allAlerts(TenantId t) {
        return List.copyOf(alerts.getOrDefault(t, Map.of()).values());
    }

    /**
     * Lets {@code after} more writes through, then fails the next {@code times} writes with what
     * {@code failure} gives (a crash: {@code Integer.MAX_VALUE} times), then lets everything through.
     */
    public synchronized void failWrites(int after, int times, Supplier<? extends RuntimeException> failure) {
        this.writesBeforeFailure = after;
        this.failures = times;
        this.failure = failure;
    }

    public synchronized int writes() {
        return writes;
    }

    private void write() {
        if (writesBeforeFailure == 0 && failures > 0) {
            failures--;
            throw failure.get();
        }
        if (writesBeforeFailure > 0) {
            writesBeforeFailure--;
        }
        writes++;
    }

    // ---- the port ----

    static int segment(String contactId) {
        return Math.floorMod(contactId.hashCode(), SEGMENTS);
    }

    @Override
    public synchronized Slice<CustomerHistory> histories(TenantId t, Cursor from, int limit, String defaultCurrency) {
        int segment = 0;
        String after = null;
        if (from != null) {
            String[] parts = from.value().split("\\|", 2);
            segment = Integer.parseInt(parts[0]);
            after = parts[1].isEmpty() ? null : parts[1];
        }
        List<CustomerHistory> page = new ArrayList<>();
        boolean more = false;
        for (var e : customers.getOrDefault(t, new TreeMap<>()).entrySet()) {
            if (segment(e.getKey()) != segment || (after != null && e.getKey().compareTo(after) <= 0)) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(withCurrency(e.getValue(), defaultCurrency));
        }
        Cursor next;
        if (more) {
            next = new Cursor(segment + "|" + page.get(page.size() - 1).contactId());
        } else {
            next = segment + 1 < SEGMENTS ? new Cursor((segment + 1) + "|") : null;
        }
        return new Slice<>(page, next);
    }

    private static CustomerHistory withCurrency(CustomerHistory h, String defaultCurrency) {
        if (h.purchases() != null && h.purchases().currency() != null) {
            return h;
        }
        PurchaseSummary p = h.purchases() == null ? PurchaseSummary.empty(defaultCurrency)
                : new PurchaseSummary(defaultCurrency, h.purchases().firstPurchaseDay(), h.purchases().firstDaySpend(),
                        h.purchases().lastPurchaseDay(), h.purchases().repeatPurchaseDays(), h.purchases().repeatSpend(),
                        h.purchases().totalSpend(), h.purchases().purchases(), h.purchases().version());
        return new CustomerHistory(h.contactId(), p, h.complaints(), h.latestNps());
    }

    @Override
    public synchronized List<CustomerHistory> historiesFromPurchases(TenantId t, Instant end, ZoneId zone, String currency) {
        Map<String, List<PurchaseSummary.Purchase>> byContact = new TreeMap<>();
        for (Purchase p : purchases.getOrDefault(t, List.of())) {
            if (!p.at().isBefore(end)) {
                continue;
            }
            BigDecimal amount = currency.equals(p.currency()) ? p.amount() : null;
            byContact.computeIfAbsent(p.contactId(), k -> new ArrayList<>())
                    .add(new PurchaseSummary.Purchase(LocalDate.ofInstant(p.at(), zone), amount));
        }
        List<CustomerHistory> out = new ArrayList<>();
        byContact.forEach((contactId, list) ->
                out.add(new CustomerHistory(contactId, PurchaseSummary.recompute(currency, list), 0, null)));
        return out;
    }

    @Override
    public synchronized void writeScores(TenantId t, List<ChurnScore> list) {
        if (list.isEmpty()) {
            return;
        }
        write();
        Map<String, ChurnScore> m = scores.computeIfAbsent(t, k -> new ConcurrentHashMap<>());
        for (ChurnScore s : list) {
            if (isActive(t, s.contactId())) {
                m.put(s.contactId(), s);
            }
        }
    }

    @Override
    public synchronized boolean createAlert(TenantId t, ChurnAlert alert) {
        write();
        Map<String, ChurnAlert> m = alerts.computeIfAbsent(t, k -> new ConcurrentHashMap<>());
        String key = alert.contactId() + "|" + alert.period();
        if (m.containsKey(key) || !isActive(t, alert.contactId())) {
            return false;
        }
        m.put(key, stored(alert));
        return true;
    }

    /**
     * What the adapter stores: no contact card is an empty one, and amounts come back as DynamoDB
     * keeps numbers (without trailing zeros: 321.50 reads as 321.5).
     */
    private static ChurnAlert stored(ChurnAlert a) {
        Map<String, Object> card = a.contact() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(a.contact());
        return new ChurnAlert(a.id(), a.contactId(), a.period(), a.status(), a.pAlive(), a.riskTier(), number(a.clv()),
                number(a.valueAtRisk()),
                a.currency(), List.copyOf(a.reasons()), a.suggestedAction(), card, a.runId(), a.createdAt(), a.acknowledgedAt(),
                a.acknowledgedBy(), a.resolvedAt(), a.resolvedBy(), a.resolution(), a.openCases());
    }

    private static BigDecimal number(BigDecimal d) {
        BigDecimal n = d.stripTrailingZeros();
        return n.scale() < 0 ? n.setScale(0) : n;
    }

    @Override
    public synchronized ChurnAlert alert(TenantId t, String contactId, String period) {
        return alerts.getOrDefault(t, Map.of()).get(contactId + "|" + period);
    }

    @Override
    public synchronized ChurnAlert transition(TenantId t, ChurnAlert alert, ChurnAlert.Status from, ChurnAlert.Status to,
            String by, Instant at, String resolution) {
        write();
        Map<String, ChurnAlert> m = alerts.getOrDefault(t, Map.of());
        String key = alert.contactId() + "|" + alert.period();
        ChurnAlert a = m.get(key);
        if (a == null || a.status() != from) {
            return null;
        }
        boolean ack = to == ChurnAlert.Status.ACKNOWLEDGED;
        ChurnAlert moved = new ChurnAlert(a.id(), a.contactId(), a.period(), to, a.pAlive(), a.riskTier(), a.clv(),
                a.valueAtRisk(), a.currency(), a.reasons(), a.suggestedAction(), a.contact(), a.runId(), a.createdAt(),
                ack ? at : a.acknowledgedAt(), ack ? by : a.acknowledgedBy(), ack ? a.resolvedAt() : at,
                ack ? a.resolvedBy() : by, resolution != null ? resolution : a.resolution(), a.openCases());
        m.put(key, moved);
        return moved;
    }

    /** The adapter's order: value at risk in whole cents, largest first, then the id. */
    private static final Comparator<ChurnAlert> ORDER = Comparator
            .comparingLong((ChurnAlert a) -> -a.valueAtRisk().movePointRight(2).longValue())
            .thenComparing((ChurnAlert a) -> a.id());

    @Override
    public synchronized Slice<ChurnAlert> alerts(TenantId t, ChurnAlert.Status status, int limit, Cursor from) {
        List<ChurnAlert> all = alerts.getOrDefault(t, Map.of()).values().stream()
                .filter(a -> a.status() == status).sorted(ORDER).toList();
        int start = from == null ? 0 : Integer.parseInt(from.value());
        List<ChurnAlert> page = all.subList(Math.min(start, all.size()), Math.min(all.size(), start + limit));
        // as a DynamoDB query: a full page may be followed by an empty one
        Cursor next = page.size() == limit ? new Cursor(Integer.toString(start + limit)) : null;
        return new Slice<>(page, next);
    }

    @Override
    public synchronized Map<String, Object> preferences(TenantId t, String contactId) {
        Map<String, Object> view = preferences.getOrDefault(t, Map.of()).get(contactId);
        return view == null ? null : new LinkedHashMap<>(view);
    }

    private boolean isActive(TenantId t, String contactId) {
        Card c = cards.getOrDefault(t, Map.of()).get(contactId);
        return c != null && c.active();
    }

    @Override
    public synchronized Map<String, Map<String, Object>> contactCards(TenantId t, List<String> contactIds) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String id : contactIds) {
            Card c = cards.getOrDefault(t, Map.of()).get(id);
            if (c != null && c.active()) {
                out.put(id, new LinkedHashMap<>(c.fields()));
            }
        }
        return out;
    }

    @Override
    public synchronized void recordLatestRun(TenantId t, String runId) {
        write();
        latestRuns.put(t, Objects.requireNonNull(runId));
    }

    @Override
    public synchronized String latestRun(TenantId t) {
        return latestRuns.get(t);
    }
}
