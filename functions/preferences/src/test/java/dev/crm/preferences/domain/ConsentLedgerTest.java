package dev.crm.preferences.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ChannelPreferences;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.shared.consent.FrequencyCap;
import dev.crm.shared.consent.QuietHours;
import dev.crm.shared.consent.Preferences;
import static dev.crm.shared.consent.Channel.EMAIL;
import static dev.crm.shared.consent.Channel.SMS;
import static dev.crm.shared.consent.ConsentStatus.OPTED_IN;
import static dev.crm.shared.consent.ConsentStatus.OPTED_OUT;
import static dev.crm.shared.consent.ConsentStatus.PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConsentLedgerTest {
    private static final String CONTACT = "c_0123456789abcdefghjk";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** Appends one entry per change, as the store does in the same transaction as the state change. */
    private static void record(List<LedgerEntry> ledger, Preferences before, Preferences after, Instant at,
            String actor, LegalBasis basis, String source) {
        for (ConsentChange c : ConsentChanges.between(before, after)) {
            ledger.add(LedgerEntry.of("l_" + ledger.size(), CONTACT, at, actor, c, basis, source, null, null, null));
        }
    }

    @Test
    void changesAreEveryStatusDifferenceInADeterministicOrder() {
        Preferences before = Preferences.empty().withChannelStatus(SMS, OPTED_IN).withTopicStatus(EMAIL, "zeta", OPTED_IN)
                .withTopicStatus(EMAIL, "alpha", PENDING).withTopicStatus(EMAIL, "same", OPTED_OUT);
        Preferences after = new Preferences(Preferences.empty().withChannelStatus(EMAIL, OPTED_IN)
                .withTopicStatus(EMAIL, "alpha", OPTED_IN).withTopicStatus(EMAIL, "mid", OPTED_OUT)
                .withTopicStatus(EMAIL, "same", OPTED_OUT).withChannelStatus(Channel.IN_APP, OPTED_OUT).channels(),
                Map.of(EMAIL, new FrequencyCap(1, 1)), QuietHours.of("21:00", "08:00"), T0, 5);
        assertEquals(List.of(
                new ConsentChange(EMAIL, null, null, OPTED_IN),
                new ConsentChange(EMAIL, "alpha", PENDING, OPTED_IN),
                new ConsentChange(EMAIL, "mid", null, OPTED_OUT),
                new ConsentChange(EMAIL, "zeta", OPTED_IN, null),
                new ConsentChange(SMS, null, OPTED_IN, null),
                new ConsentChange(Channel.IN_APP, null, null, OPTED_OUT)), ConsentChanges.between(before, after));
        assertEquals(List.of(), ConsentChanges.between(after, after));
        // caps, quiet hours, pause and version are not consent
        assertEquals(List.of(), ConsentChanges.between(new Preferences(after.channels(), Map.of(), null, null, 0), after));
    }

    @Test
    void aChangeMustChangeSomething() {
        assertThrows(IllegalArgumentException.class, () -> new ConsentChange(EMAIL, null, OPTED_IN, OPTED_IN));
        assertThrows(IllegalArgumentException.class, () -> new ConsentChange(EMAIL, "x", null, null));
        assertThrows(IllegalArgumentException.class, () -> new ConsentChange(EMAIL, "Bad Topic", null, OPTED_IN));
        assertThrows(NullPointerException.class, () -> new ConsentChange(null, null, null, OPTED_IN));
        assertThrows(IllegalArgumentException.class, () -> new LedgerEntry("l_1", CONTACT, T0, "system", EMAIL, null,
                OPTED_OUT, OPTED_OUT, null, "bounce", null, null, null));
    }

    @Test
    void aLedgerEntryCarriesItsEvidence() {
        LedgerEntry e = LedgerEntry.of("l_1", CONTACT, T0, "contact", new ConsentChange(EMAIL, "newsletter", PENDING,
                OPTED_IN), LegalBasis.CONSENT, "double-opt-in", "wording-2026-01", "203.0.113.9", "Mozilla/5.0");
        assertEquals(new ConsentChange(EMAIL, "newsletter", PENDING, OPTED_IN), e.change());
        assertEquals("{\"id\":\"l_1\",\"contactId\":\"c_0123456789abcdefghjk\",\"at\":\"2026-01-01T00:00:00Z\","
                + "\"actor\":\"contact\",\"channel\":\"email\",\"topic\":\"newsletter\",\"oldStatus\":\"pending\","
                + "\"newStatus\":\"opted_in\",\"legalBasis\":\"consent\",\"source\":\"double-opt-in\","
                + "\"wordingVersion\":\"wording-2026-01\",\"ip\":\"203.0.113.9\",\"userAgent\":\"Mozilla/5.0\"}",
                Json.write(e.toJson()));
        LedgerEntry bounce = new LedgerEntry("l_2", CONTACT, T0, "system", EMAIL, null, OPTED_IN, OPTED_OUT, null,
                "bounce", null, null, null);
        assertEquals(null, bounce.toJson().get("legalBasis"));
        assertTrue(bounce.toJson().containsKey("topic"));
    }

    @Test
    void theStateEqualsAReplayOfTheLedger() {
        Random random = new Random(20261123);
        String[] topics = {"newsletter", "offers", "events", "b2b-news"};
        ConsentStatus[] statuses = {OPTED_IN, OPTED_OUT, PENDING, null};
        Channel[] channels = {EMAIL, SMS, Channel.PUSH};
        Preferences state = Preferences.empty();
        List<LedgerEntry> ledger = new ArrayList<>();
        for (int step = 0; step < 300; step++) {
            Preferences next = state;
            // one request changes one to three statuses, sometimes none at all
            for (int k = random.nextInt(4); k > 0; k--) {
                Channel c = channels[random.nextInt(channels.length)];
                ConsentStatus s = statuses[random.nextInt(statuses.length)];
                next = random.nextBoolean() ? next.withChannelStatus(c, s)
                        : next.withTopicStatus(c, topics[random.nextInt(topics.length)], s);
            }
            record(ledger, state, next, T0.plus(Duration.ofMinutes(step)), "key:key_1", LegalBasis.CONSENT, "crm-ui");
            state = next.withVersion(state.version() + 1);
            assertEquals(state.channels(), ConsentLedgerReplay.replay(ledger), "after step " + step);
        }
        assertTrue(ledger.size() > 200, "the walk made many changes: " + ledger.size());
    }

    @Test
    void aParsedPutAndItsLedgerReplayToTheStoredState() {
        Preferences stored = Preferences.empty();
        List<LedgerEntry> ledger = new ArrayList<>();
        for (String body : new String[] {
            "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"newsletter\": \"opted_in\"}}},"
                + " \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}",
            "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"newsletter\": \"opted_out\","
                + " \"offers\": \"opted_in\"}}, \"sms\": {\"status\": \"opted_in\"}}, \"legalBasis\": \"contract\","
                + " \"source\": \"import\", \"version\": 1}",
            "{\"channels\": {\"sms\": {\"status\": \"opted_out\"}}, \"legalBasis\": \"consent\", \"source\": \"crm-ui\","
                + " \"version\": 2}"}) {
            var v = new dev.crm.shared.json.Violations();
            PreferencesUpdate u = PreferencesUpdate.parse(Json.parse(body), stored, CONTACT,
                    java.util.Set.of("newsletter", "offers"), v);
            assertTrue(v.isEmpty(), v.items()::toString);
            record(ledger, stored, u.preferences(), T0, "key:key_1", u.legalBasis(), u.source());
            stored = u.preferences().withVersion(stored.version() + 1);
        }
        assertEquals(stored.channels(), ConsentLedgerReplay.replay(ledger));
        assertEquals(Map.of(SMS, new ChannelPreferences(OPTED_OUT, Map.of())), stored.channels());
        assertEquals(2 + 3 + 4, ledger.size(), "one entry per status each PUT changed");
        assertEquals(LegalBasis.CONTRACT, ledger.get(2).legalBasis());
    }

    @Test
    void aLedgerThatDoesNotExplainTheStateIsRejected() {
        List<LedgerEntry> ledger = new ArrayList<>();
        record(ledger, Preferences.empty(), Preferences.empty().withChannelStatus(EMAIL, OPTED_IN), T0, "contact",
                LegalBasis.CONSENT, "form");
        record(ledger, Preferences.empty().withChannelStatus(EMAIL, OPTED_IN),
                Preferences.empty().withChannelStatus(EMAIL, OPTED_OUT), T0.plusSeconds(1), "contact",
                LegalBasis.CONSENT, "unsubscribe");
        assertEquals(Map.of(EMAIL, new ChannelPreferences(OPTED_OUT, Map.of())), ConsentLedgerReplay.replay(ledger));

        List<LedgerEntry> reversed = new ArrayList<>(ledger);
        Collections.reverse(reversed);
        assertThrows(IllegalArgumentException.class, () -> ConsentLedgerReplay.replay(reversed), "order matters");
        assertThrows(IllegalArgumentException.class, () -> ConsentLedgerReplay.replay(ledger.subList(1, 2)),
                "a missing entry is detected");
        List<LedgerEntry> mixed = new ArrayList<>(ledger);
        mixed.add(new LedgerEntry("l_x", "c_other", T0, "contact", EMAIL, null, OPTED_OUT, OPTED_IN,
                LegalBasis.CONSENT, "form", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> ConsentLedgerReplay.replay(mixed));
        assertEquals(Map.of(), ConsentLedgerReplay.replay(List.of()));
    }
}
