package dev.crm.churn.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.TestHistories;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChurnRepository} does, held against the in-memory fake and the DynamoDB adapter
 * alike. The setup hooks write what the other functions write (contacts, summaries, preferences,
 * purchases), each in its own store's way.
 */
public abstract class ChurnRepositoryContract {
    protected static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    protected static final LocalDate AS_OF = LocalDate.parse("2026-11-24");

    protected abstract ChurnRepository repository();

    /** A tenant no test has written anything for. */
    protected TenantId newTenant() {
        return TenantId.generate();
    }

    /** Active contacts (first name "Customer", last name from their id) with these purchase summaries. */
    protected abstract void givenCustomers(TenantId t, List<TestHistories.Customer> customers);

    /** The contact was erased or anonymised: no longer active. */
    protected abstract void givenErased(TenantId t, String contactId);

    /** The contact's preferences, as the preferences function stores their API view. */
    protected abstract void givenPreferences(TenantId t, String contactId, Map<String, Object> view);

    /** A purchase touch point of the contact, as the contacts function records it. */
    protected abstract void givenPurchase(TenantId t, String contactId, String interactionId, Instant at, BigDecimal amount,
            String currency);

    /** The stored score's API view (as the 360° view reads it), or null. */
    /** A case link in the contact's partition, as the cases function writes it. */
    protected abstract void givenCaseLink(TenantId t, dev.crm.shared.contact.CaseLink link);

    protected abstract Map<String, Object> storedScore(TenantId t, String contactId);

    /** One active contact (a customer with a purchase summary), by id. */
    protected String activeContact(TenantId t) {
        TestHistories.Customer c = TestHistories.fromWeeks(AS_OF, "EUR", 1, 10, 30, 12.5, BigDecimal.TEN, 0, null);
        givenCustomers(t, List.of(c));
        return c.contactId();
    }

    protected static List<TestHistories.Customer> customers(int n) {
        List<TestHistories.Customer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(TestHistories.fromWeeks(AS_OF, "EUR", i % 5, 10 + i % 7, 30 + i, 12.5 + i, BigDecimal.valueOf(20 + i),
                    i % 3, i % 4 == 0 ? 5 : null));
        }
        return out;
    }

    protected static ChurnAlert alert(String contactId, String period, BigDecimal valueAtRisk, String runId) {
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("channel", null);
        action.put("detail", "no channel is opted in");
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("firstName", "Ada");
        card.put("lastName", "Lovelace");
        card.put("email", null);
        card.put("company", "Engines");
        return new ChurnAlert(ChurnAlert.id(contactId, period), contactId, period, ChurnAlert.Status.OPEN, 0.1234567,
                "high", new BigDecimal("321.50"), valueAtRisk, "EUR", List.of("p_alive_below_threshold", "complaints"),
                action, card, runId, NOW, null, null, null, null, null);
    }

    private List<CustomerHistory> readAll(TenantId t, Cursor from, int limit, List<Cursor> cursors) {
        List<CustomerHistory> all = new ArrayList<>();
        Cursor c = from;
        int pages = 0;
        do {
            Slice<CustomerHistory> page = repository().histories(t, c, limit, "USD");
            assertTrue(page.items().size() <= limit);
            all.addAll(page.items());
            c = page.next();
            if (c != null) {
                cursors.add(c);
            }
            assertTrue(++pages < 1000, "the reading ends");
        } while (c != null);
        return all;
    }

    @Test
    void historiesReadEveryCustomerOnceAcrossSegmentsAndPages() {
        TenantId t = newTenant();
        List<TestHistories.Customer> given = customers(25);
        givenCustomers(t, given);
        List<CustomerHistory> read = readAll(t, null, 4, new ArrayList<>());
        assertEquals(25, read.size());
        Set<String> ids = new HashSet<>();
        read.forEach(h -> ids.add(h.contactId()));
        assertEquals(25, ids.size(), "no customer twice");
        for (TestHistories.Customer c : given) {
            CustomerHistory h = read.stream().filter(x -> x.contactId().equals(c.contactId())).findFirst().orElseThrow();
            assertTrue(h.purchases().sameFigures(c.summary()), c.contactId());
            assertEquals("EUR", h.purchases().currency());
            assertEquals(c.complaints(), h.complaints());
            assertEquals(c.latestNps(), h.latestNps());
        }
    }

    @Test
    void allHistoriesAreWhatPagingReadsInTheSameOrder() {
        TenantId t = newTenant();
        givenCustomers(t, customers(23));
        List<String> paged = readAll(t, null, 3, new ArrayList<>()).stream().map(CustomerHistory::contactId).toList();
        assertEquals(paged, repository().allHistories(t, 3, "USD").stream().map(CustomerHistory::contactId).toList());
        assertEquals(List.of(), repository().allHistories(newTenant(), 3, "USD"), "another tenant's");
    }

    @Test
    void aReadResumesFromAnyOfItsCursors() {
        TenantId t = newTenant();
        givenCustomers(t, customers(17));
        List<Cursor> cursors = new ArrayList<>();
        List<CustomerHistory> all = readAll(t, null, 3, cursors);
        assertFalse(cursors.isEmpty());
        for (int i = 0; i < cursors.size(); i += 2) {
            List<CustomerHistory> rest = readAll(t, cursors.get(i), 3, new ArrayList<>());
            assertEquals(all.subList(all.size() - rest.size(), all.size()).stream().map(CustomerHistory::contactId).toList(),
                    rest.stream().map(CustomerHistory::contactId).toList(), "resumed at cursor " + i);
        }
    }

    @Test
    void historiesAreTheTenantsOwn() {
        TenantId t = newTenant();
        givenCustomers(t, customers(3));
        assertEquals(List.of(), readAll(newTenant(), null, 10, new ArrayList<>()));
        assertEquals(List.of(), repository().historiesFromPurchases(newTenant(), NOW, ZoneId.of("UTC"), "EUR"));
    }

    @Test
    void historiesFromPurchasesRebuildTheSummariesBeforeTheEnd() {
        TenantId t = newTenant();
        String a = TestHistories.newContactId();
        String b = TestHistories.newContactId();
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        givenPurchase(t, a, "i_1", Instant.parse("2026-01-10T10:00:00Z"), new BigDecimal("10.00"), "EUR");
        // 23:30 UTC is the next day in Berlin
        givenPurchase(t, a, "i_2", Instant.parse("2026-02-01T23:30:00Z"), new BigDecimal("5.50"), "EUR");
        givenPurchase(t, a, "i_3", Instant.parse("2026-02-03T08:00:00Z"), new BigDecimal("7"), "USD");
        givenPurchase(t, a, "i_4", Instant.parse("2026-06-01T08:00:00Z"), new BigDecimal("99"), "EUR");
        givenPurchase(t, b, "i_5", Instant.parse("2026-03-01T08:00:00Z"), new BigDecimal("1"), "EUR");
        List<CustomerHistory> read = repository().historiesFromPurchases(t, Instant.parse("2026-05-01T00:00:00Z"), berlin, "EUR");
        assertEquals(a.compareTo(b) < 0 ? List.of(a, b) : List.of(b, a), read.stream().map(CustomerHistory::contactId).toList());
        PurchaseSummary sa = read.stream().filter(h -> h.contactId().equals(a)).findFirst().orElseThrow().purchases();
        PurchaseSummary expected = PurchaseSummary.recompute("EUR", List.of(
                new PurchaseSummary.Purchase(LocalDate.parse("2026-01-10"), new BigDecimal("10.00")),
                new PurchaseSummary.Purchase(LocalDate.parse("2026-02-02"), new BigDecimal("5.50")),
                new PurchaseSummary.Purchase(LocalDate.parse("2026-02-03"), null)));
        assertTrue(sa.sameFigures(expected), sa.toString());
        assertEquals(2, sa.repeatPurchaseDays());
        assertEquals(0, new BigDecimal("5.50").compareTo(sa.repeatSpend()));
    }

    @Test
    void scoresAreWrittenAndReplaced() {
        TenantId t = newTenant();
        List<ChurnScore> scores = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            scores.add(new ChurnScore(activeContact(t), 0.25, 1.5, new BigDecimal("10.00"), new BigDecimal("5.00"),
                    RiskTier.HIGH, true, NOW, "EUR", "run_a"));
        }
        repository().writeScores(t, scores);
        repository().writeScores(t, List.of());
        for (ChurnScore s : scores) {
            Map<String, Object> view = storedScore(t, s.contactId());
            assertNotNull(view, s.contactId());
            assertEquals("high", view.get("riskTier"));
            assertEquals("run_a", view.get("runId"));
            assertEquals(0, new BigDecimal("0.25").compareTo(new BigDecimal(String.valueOf(view.get("pAlive")))));
        }
        ChurnScore first = scores.get(0);
        repository().writeScores(t, List.of(new ChurnScore(first.contactId(), 0.9, 3, new BigDecimal("1.00"), BigDecimal.ZERO,
                RiskTier.LOW, false, NOW, "EUR", "run_b")));
        assertEquals("run_b", storedScore(t, first.contactId()).get("runId"));
        assertEquals("low", storedScore(t, first.contactId()).get("riskTier"));
        assertNull(storedScore(newTenant(), first.contactId()));
    }

    @Test
    void onlyActiveContactsKeepAScore() {
        TenantId t = newTenant();
        String active = activeContact(t);
        String erased = activeContact(t);
        givenErased(t, erased);
        String unknown = TestHistories.newContactId();
        List<ChurnScore> scores = new ArrayList<>();
        for (String c : List.of(active, erased, unknown)) {
            scores.add(new ChurnScore(c, 0.25, 1.5, new BigDecimal("10.00"), new BigDecimal("5.00"), RiskTier.HIGH, true, NOW,
                    "EUR", "run_a"));
        }
        repository().writeScores(t, scores);
        assertNotNull(storedScore(t, active));
        assertNull(storedScore(t, erased), "an erasure that started during the run leaves no score behind");
        assertNull(storedScore(t, unknown));
    }

    @Test
    void noAlertIsRaisedForAContactNoLongerActive() {
        TenantId t = newTenant();
        String c = activeContact(t);
        givenErased(t, c);
        assertFalse(repository().createAlert(t, alert(c, "202611", BigDecimal.TEN, "run_a")));
        assertNull(repository().alert(t, c, "202611"));
        assertEquals(List.of(), repository().alerts(t, ChurnAlert.Status.OPEN, 10, null).items());
        String unknown = TestHistories.newContactId();
        assertFalse(repository().createAlert(t, alert(unknown, "202611", BigDecimal.TEN, "run_a")));
        assertNull(repository().alert(t, unknown, "202611"));
    }

    @Test
    void anAlertIsRaisedOncePerContactAndPeriodAndReadBackWhole() {
        TenantId t = newTenant();
        String c = activeContact(t);
        ChurnAlert a = alert(c, "202611", new BigDecimal("120.25"), "run_first");
        assertTrue(repository().createAlert(t, a));
        assertFalse(repository().createAlert(t, alert(c, "202611", new BigDecimal("999"), "run_second")), "a rerun");
        ChurnAlert read = repository().alert(t, c, "202611");
        assertEquals(a.id(), read.id());
        assertEquals(c, read.contactId());
        assertEquals("202611", read.period());
        assertEquals(ChurnAlert.Status.OPEN, read.status());
        assertEquals(a.pAlive(), read.pAlive());
        assertEquals("high", read.riskTier());
        assertEquals(0, a.clv().compareTo(read.clv()));
        assertEquals(0, a.valueAtRisk().compareTo(read.valueAtRisk()));
        assertEquals("EUR", read.currency());
        assertEquals(a.reasons(), read.reasons());
        assertEquals(a.suggestedAction(), read.suggestedAction());
        assertEquals(a.contact(), read.contact());
        assertEquals("run_first", read.runId(), "the rerun left the alert as it was");
        assertEquals(NOW, read.createdAt());
        assertNull(read.acknowledgedAt());
        assertNull(read.resolution());
        // another period is another alert
        assertTrue(repository().createAlert(t, alert(c, "202612", new BigDecimal("1"), "run_x")));
    }

    @Test
    void anAlertWithoutACardHasAnEmptyOne() {
        TenantId t = newTenant();
        String c = activeContact(t);
        ChurnAlert a = alert(c, "202611", BigDecimal.TEN, "run_a");
        repository().createAlert(t, new ChurnAlert(a.id(), c, a.period(), a.status(), a.pAlive(), a.riskTier(), a.clv(),
                a.valueAtRisk(), a.currency(), a.reasons(), a.suggestedAction(), null, a.runId(), a.createdAt(), null, null, null,
                null, null));
        assertEquals(Map.of(), repository().alert(t, c, "202611").contact());
    }

    @Test
    void unknownAndOtherTenantsAlertsAreNotFound() {
        TenantId t = newTenant();
        String c = activeContact(t);
        repository().createAlert(t, alert(c, "202611", BigDecimal.TEN, "run_a"));
        assertNull(repository().alert(t, c, "202610"));
        assertNull(repository().alert(t, TestHistories.newContactId(), "202611"));
        TenantId other = newTenant();
        assertNull(repository().alert(other, c, "202611"));
        assertEquals(List.of(), repository().alerts(other, ChurnAlert.Status.OPEN, 10, null).items());
        ChurnAlert a = repository().alert(t, c, "202611");
        assertNull(repository().transition(other, a, ChurnAlert.Status.OPEN, ChurnAlert.Status.ACKNOWLEDGED, "key:k", NOW, null));
        assertEquals(ChurnAlert.Status.OPEN, repository().alert(t, c, "202611").status());
    }

    @Test
    void transitionsMoveAnAlertOnlyFromTheStatusTheyNameAndRecordWhoAndWhen() {
        TenantId t = newTenant();
        String c = activeContact(t);
        repository().createAlert(t, alert(c, "202611", BigDecimal.TEN, "run_a"));
        ChurnAlert a = repository().alert(t, c, "202611");
        Instant later = NOW.plusSeconds(60);
        ChurnAlert acked = repository().transition(t, a, ChurnAlert.Status.OPEN, ChurnAlert.Status.ACKNOWLEDGED, "key:k1", later, null);
        assertEquals(ChurnAlert.Status.ACKNOWLEDGED, acked.status());
        assertEquals(later, acked.acknowledgedAt());
        assertEquals("key:k1", acked.acknowledgedBy());
        assertNull(acked.resolution());
        assertEquals("run_a", acked.runId());
        assertNull(repository().transition(t, a, ChurnAlert.Status.OPEN, ChurnAlert.Status.ACKNOWLEDGED, "key:k2", later, null));
        assertEquals(List.of(), repository().alerts(t, ChurnAlert.Status.OPEN, 10, null).items());
        assertEquals(List.of(a.id()), ids(repository().alerts(t, ChurnAlert.Status.ACKNOWLEDGED, 10, null)));
        Instant latest = later.plusSeconds(60);
        ChurnAlert resolved = repository().transition(t, acked, ChurnAlert.Status.ACKNOWLEDGED, ChurnAlert.Status.RESOLVED,
                "key:k3", latest, "retained");
        assertEquals(ChurnAlert.Status.RESOLVED, resolved.status());
        assertEquals(later, resolved.acknowledgedAt());
        assertEquals(latest, resolved.resolvedAt());
        assertEquals("key:k3", resolved.resolvedBy());
        assertEquals("retained", resolved.resolution());
        assertEquals(resolved.toJson(), repository().alert(t, c, "202611").toJson());
        assertEquals(List.of(a.id()), ids(repository().alerts(t, ChurnAlert.Status.RESOLVED, 10, null)));
        assertEquals(List.of(), repository().alerts(t, ChurnAlert.Status.ACKNOWLEDGED, 10, null).items());
    }

    private static List<String> ids(Slice<ChurnAlert> s) {
        return s.items().stream().map(ChurnAlert::id).toList();
    }

    @Test
    void alertsAreListedLargestValueAtRiskFirstThenByIdPageByPage() {
        TenantId t = newTenant();
        List<ChurnAlert> given = new ArrayList<>();
        String[] values = {"10.00", "250.50", "10.00", "99.99", "0", "1000000", "10.004"};
        for (String v : values) {
            ChurnAlert a = alert(activeContact(t), "202611", new BigDecimal(v), "run_a");
            given.add(a);
            repository().createAlert(t, a);
        }
        List<String> expected = given.stream()
                .sorted(java.util.Comparator.comparingLong((ChurnAlert a) -> -a.valueAtRisk().movePointRight(2).longValue())
                        .thenComparing((ChurnAlert a) -> a.id()))
                .map(ChurnAlert::id).toList();
        List<String> read = new ArrayList<>();
        Cursor c = null;
        do {
            Slice<ChurnAlert> page = repository().alerts(t, ChurnAlert.Status.OPEN, 2, c);
            assertTrue(page.items().size() <= 2);
            read.addAll(ids(page));
            c = page.next();
        } while (c != null);
        assertEquals(expected, read);
    }

    @Test
    void preferencesAreTheirApiViewOrNull() {
        TenantId t = newTenant();
        String c = TestHistories.newContactId();
        assertNull(repository().preferences(t, c));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("channels", Map.of("email", Map.of("status", "opted_in")));
        view.put("pausedUntil", "2026-12-01T00:00:00Z");
        givenPreferences(t, c, view);
        assertEquals(view, repository().preferences(t, c));
        assertNull(repository().preferences(newTenant(), c));
    }

    @Test
    void manyContactsPreferencesAreEachOnesReadInOneCall() {
        TenantId t = newTenant();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 130; i++) { // more than one BatchGetItem holds
            String c = TestHistories.newContactId();
            ids.add(c);
            if (i % 3 != 0) {
                givenPreferences(t, c, Map.of("channels", Map.of("sms", Map.of("status", i % 2 == 0 ? "opted_in" : "opted_out"))));
            }
        }
        Map<String, Map<String, Object>> read = repository().preferences(t, ids);
        assertEquals(86, read.size(), "a contact without preferences is left out");
        for (String c : ids) {
            assertEquals(repository().preferences(t, c), read.get(c), c);
        }
        assertTrue(repository().preferences(newTenant(), ids).isEmpty(), "another tenant's contacts have none");
    }

    @Test
    void contactCardsAreTheActiveContactsDisplayFields() {
        TenantId t = newTenant();
        List<TestHistories.Customer> given = customers(105);
        givenCustomers(t, given);
        String erased = given.get(3).contactId();
        givenErased(t, erased);
        List<String> ids = new ArrayList<>(given.stream().map(TestHistories.Customer::contactId).toList());
        String unknown = TestHistories.newContactId();
        ids.add(unknown);
        Map<String, Map<String, Object>> cards = repository().contactCards(t, ids);
        assertEquals(104, cards.size());
        assertFalse(cards.containsKey(erased));
        assertFalse(cards.containsKey(unknown));
        String id = given.get(0).contactId();
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("firstName", "Customer");
        card.put("lastName", id.substring(2, 8));
        card.put("email", null);
        card.put("company", null);
        assertEquals(card, cards.get(id));
        assertEquals(Map.of(), repository().contactCards(newTenant(), ids));
        assertEquals(Map.of(), repository().contactCards(t, List.of()));
    }

    @Test
    void caseSignalsCountOpenCasesAndRecentBreachesPerContactAndTenant() {
        TenantId t = newTenant();
        String ada = TestHistories.newContactId();
        String bob = TestHistories.newContactId();
        String quiet = TestHistories.newContactId();
        Instant since = NOW.minus(java.time.Duration.ofDays(30));
        givenCaseLink(t, link("cs_a1", ada, "open", null, null));
        givenCaseLink(t, link("cs_a2", ada, "pending", null, NOW.minus(java.time.Duration.ofDays(2))));
        givenCaseLink(t, link("cs_a3", ada, "closed", NOW.minus(java.time.Duration.ofDays(90)), NOW.minus(java.time.Duration.ofDays(95))));
        givenCaseLink(t, link("cs_b1", bob, "solved", NOW.minus(java.time.Duration.ofDays(1)), since)); // at the edge: counts
        givenCaseLink(t, link("cs_b2", bob, "new", null, null));
        givenCaseLink(t, link("cs_b2", bob, "solved", NOW, null)); // the same case, solved since: no longer open
        // the contacts' own items sort between open and resolved links (A#PREFS): no case of theirs
        givenPreferences(t, ada, Map.of("channels", Map.of("sms", Map.of("status", "opted_in"))));
        givenPreferences(t, quiet, Map.of("channels", Map.of("sms", Map.of("status", "opted_in"))));
        var signals = repository().caseSignals(t, List.of(ada, bob, quiet), since);
        assertEquals(new ChurnRepository.CaseSignals(2, 1), signals.get(ada));
        assertEquals(new ChurnRepository.CaseSignals(0, 1), signals.get(bob));
        assertEquals(ChurnRepository.CaseSignals.NONE, signals.getOrDefault(quiet, ChurnRepository.CaseSignals.NONE));
        assertEquals(Map.of(), repository().caseSignals(newTenant(), List.of(ada, bob), since), "another tenant's view");
    }

    private static dev.crm.shared.contact.CaseLink link(String caseId, String contactId, String status, Instant solvedAt,
            Instant breachedAt) {
        String id = caseId + "0".repeat(23 - caseId.length());
        return new dev.crm.shared.contact.CaseLink(id, contactId, 1, "Subject", status, NOW.minus(java.time.Duration.ofDays(100)),
                solvedAt, breachedAt);
    }

    @Test
    void theLatestRunIsTheLastRecorded() {
        TenantId t = newTenant();
        assertNull(repository().latestRun(t));
        repository().recordLatestRun(t, "run_one");
        repository().recordLatestRun(t, "run_two");
        assertEquals("run_two", repository().latestRun(t));
        assertNull(repository().latestRun(newTenant()));
    }
}
