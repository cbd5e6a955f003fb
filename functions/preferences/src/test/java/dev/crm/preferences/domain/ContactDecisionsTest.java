package dev.crm.preferences.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.DecisionReason;
import dev.crm.shared.consent.Decision;
import dev.crm.shared.consent.FrequencyCap;
import dev.crm.shared.consent.QuietHours;
import dev.crm.shared.consent.ContactDecisions;
import dev.crm.shared.consent.Preferences;
import static dev.crm.shared.consent.Channel.EMAIL;
import static dev.crm.shared.consent.Channel.SMS;
import static dev.crm.shared.consent.ConsentStatus.OPTED_IN;
import static dev.crm.shared.consent.ConsentStatus.OPTED_OUT;
import static dev.crm.shared.consent.ConsentStatus.PENDING;
import static dev.crm.shared.consent.MessageClass.MARKETING;
import static dev.crm.shared.consent.MessageClass.TRANSACTIONAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import dev.crm.shared.json.Violations;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContactDecisionsTest {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Instant NOON = Instant.parse("2026-06-10T12:00:00Z");
    private static final String NEWSLETTER = "newsletter";

    private static Preferences emailNewsletterOptedIn() {
        return Preferences.empty().withChannelStatus(EMAIL, OPTED_IN).withTopicStatus(EMAIL, NEWSLETTER, OPTED_IN);
    }

    private static Preferences with(Preferences p, Map<Channel, FrequencyCap> caps, QuietHours quiet, Instant paused) {
        return new Preferences(p.channels(), caps, quiet, paused, p.version());
    }

    private static Preferences quiet(Preferences p, String start, String end) {
        return with(p, p.frequencyCaps(), QuietHours.of(start, end), p.pausedUntil());
    }

    private static Decision marketing(Preferences p, String topic, Instant at, ZoneId zone) {
        return ContactDecisions.decide(EMAIL, topic, MARKETING, at, p, zone, Map.of(), List.of());
    }

    private static Decision marketing(Preferences p, Instant at, Map<Channel, FrequencyCap> defaults,
            List<Instant> sends) {
        return ContactDecisions.decide(EMAIL, NEWSLETTER, MARKETING, at, p, UTC, defaults, sends);
    }

    private static void assertRefused(Decision d, DecisionReason reason, Instant next) {
        assertFalse(d.allowed(), "refused");
        assertEquals(reason.wire(), d.reason());
        assertEquals(next, d.nextAllowedAt());
    }

    private static void assertAllowed(Decision d, Instant at) {
        assertTrue(d.allowed(), () -> "allowed, but: " + d.reason());
        assertNull(d.reason());
        assertEquals(at, d.nextAllowedAt());
    }

    /**
     * Checks nextAllowedAt against brute force: refused at every minute (and the last nanosecond)
     * before it, allowed at it. Every transition and boundary in these tests lies on a minute.
     */
    private static void assertEarliest(Preferences p, ZoneId zone, Map<Channel, FrequencyCap> defaults,
            List<Instant> sends, Instant at, Instant expectedNext) {
        Decision d = ContactDecisions.decide(EMAIL, NEWSLETTER, MARKETING, at, p, zone, defaults, sends);
        assertEquals(expectedNext, d.nextAllowedAt(), "nextAllowedAt for " + at);
        assertAllowed(ContactDecisions.decide(EMAIL, NEWSLETTER, MARKETING, expectedNext, p, zone, defaults, sends),
                expectedNext);
        if (!expectedNext.equals(at)) {
            assertFalse(ContactDecisions.decide(EMAIL, NEWSLETTER, MARKETING, expectedNext.minusNanos(1), p, zone,
                    defaults, sends).allowed(), "refused just before " + expectedNext);
        }
        for (Instant t = at; t.isBefore(expectedNext); t = t.plus(Duration.ofMinutes(1))) {
            Decision between = ContactDecisions.decide(EMAIL, NEWSLETTER, MARKETING, t, p, zone, defaults, sends);
            assertFalse(between.allowed(), "refused at " + t);
            assertEquals(expectedNext, between.nextAllowedAt(), "the same next instant from " + t);
        }
    }

    private static void assertEarliest(Preferences p, ZoneId zone, Instant at, Instant expectedNext) {
        assertEarliest(p, zone, Map.of(), List.of(), at, expectedNext);
    }

    // ---- the issue's example ----

    @Test
    void theIssuesExampleIsQuietHoursUntilEightInLondon() {
        Preferences p = quiet(emailNewsletterOptedIn(), "21:00", "08:00");
        var request = ContactDecisionRequest.parse(Json.parse("{\"channel\": \"email\", \"topic\": \"newsletter\","
                + " \"messageClass\": \"marketing\", \"at\": \"2026-11-23T22:30:00Z\"}"), Instant.EPOCH, new Violations());
        Decision d = request.decide(p, LONDON, Map.of(), List.of());
        assertEquals("{\"allowed\":false,\"reason\":\"quiet_hours\",\"nextAllowedAt\":\"2026-11-24T08:00:00Z\"}",
                Json.write(d.toJson()));
    }

    @Test
    void allowedWhenEveryRuleAllows() {
        Decision d = marketing(quiet(emailNewsletterOptedIn(), "21:00", "08:00"), NEWSLETTER, NOON, LONDON);
        assertAllowed(d, NOON);
        assertEquals("{\"allowed\":true,\"reason\":null,\"nextAllowedAt\":\"2026-06-10T12:00:00Z\"}",
                Json.write(d.toJson()));
        assertAllowed(marketing(Preferences.empty().withChannelStatus(EMAIL, OPTED_IN), null, NOON, UTC), NOON);
    }

    // ---- consent reasons ----

    @Test
    void noConsentWhenTheChannelOrTheAskedTopicHasNoStatus() {
        assertRefused(marketing(Preferences.empty(), null, NOON, UTC), DecisionReason.NO_CONSENT, null);
        assertRefused(marketing(Preferences.empty(), NEWSLETTER, NOON, UTC), DecisionReason.NO_CONSENT, null);
        // the channel is opted in but the topic was never chosen
        assertRefused(marketing(Preferences.empty().withChannelStatus(EMAIL, OPTED_IN), NEWSLETTER, NOON, UTC),
                DecisionReason.NO_CONSENT, null);
        // a topic without its channel is no consent to the channel
        Preferences topicOnly = Preferences.empty().withTopicStatus(EMAIL, NEWSLETTER, OPTED_IN);
        assertRefused(marketing(topicOnly, NEWSLETTER, NOON, UTC), DecisionReason.NO_CONSENT, null);
        assertRefused(marketing(topicOnly, null, NOON, UTC), DecisionReason.NO_CONSENT, null);
        // consent on another channel is not consent on this one
        Preferences smsOnly = Preferences.empty().withChannelStatus(SMS, OPTED_IN);
        assertRefused(marketing(smsOnly, null, NOON, UTC), DecisionReason.NO_CONSENT, null);
        // a pending channel with an unchosen topic: the topic has no status at all
        assertRefused(marketing(Preferences.empty().withChannelStatus(EMAIL, PENDING), NEWSLETTER, NOON, UTC),
                DecisionReason.NO_CONSENT, null);
    }

    @Test
    void optedOutChannelOutranksTheTopic() {
        Preferences out = Preferences.empty().withChannelStatus(EMAIL, OPTED_OUT);
        assertRefused(marketing(out, null, NOON, UTC), DecisionReason.OPTED_OUT_CHANNEL, null);
        assertRefused(marketing(out, NEWSLETTER, NOON, UTC), DecisionReason.OPTED_OUT_CHANNEL, null);
        assertRefused(marketing(out.withTopicStatus(EMAIL, NEWSLETTER, OPTED_IN), NEWSLETTER, NOON, UTC),
                DecisionReason.OPTED_OUT_CHANNEL, null);
        assertRefused(marketing(out.withTopicStatus(EMAIL, NEWSLETTER, OPTED_OUT), NEWSLETTER, NOON, UTC),
                DecisionReason.OPTED_OUT_CHANNEL, null);
    }

    @Test
    void optedOutTopicBlocksOnlyThatTopic() {
        Preferences p = emailNewsletterOptedIn().withTopicStatus(EMAIL, "offers", OPTED_OUT);
        assertRefused(marketing(p, "offers", NOON, UTC), DecisionReason.OPTED_OUT_TOPIC, null);
        assertAllowed(marketing(p, NEWSLETTER, NOON, UTC), NOON);
        assertAllowed(marketing(p, null, NOON, UTC), NOON);
    }

    @Test
    void pendingDoubleOptInOnTheChannelOrTheTopic() {
        Preferences channelPending = Preferences.empty().withChannelStatus(EMAIL, PENDING);
        assertRefused(marketing(channelPending, null, NOON, UTC), DecisionReason.PENDING_DOUBLE_OPT_IN, null);
        assertRefused(marketing(channelPending.withTopicStatus(EMAIL, NEWSLETTER, OPTED_IN), NEWSLETTER, NOON, UTC),
                DecisionReason.PENDING_DOUBLE_OPT_IN, null);
        Preferences topicPending = Preferences.empty().withChannelStatus(EMAIL, OPTED_IN)
                .withTopicStatus(EMAIL, NEWSLETTER, PENDING);
        assertRefused(marketing(topicPending, NEWSLETTER, NOON, UTC), DecisionReason.PENDING_DOUBLE_OPT_IN, null);
        assertAllowed(marketing(topicPending, null, NOON, UTC), NOON);
    }

    // ---- timing reasons ----

    @Test
    void pausedUntilAnInstantThatIsExclusive() {
        Instant until = NOON.plus(Duration.ofDays(3));
        Preferences p = with(emailNewsletterOptedIn(), Map.of(), null, until);
        assertRefused(marketing(p, NEWSLETTER, NOON, UTC), DecisionReason.PAUSED, until);
        assertRefused(marketing(p, NEWSLETTER, until.minusNanos(1), UTC), DecisionReason.PAUSED, until);
        assertAllowed(marketing(p, NEWSLETTER, until, UTC), until);
        assertAllowed(marketing(with(emailNewsletterOptedIn(), Map.of(), null, NOON.minusSeconds(1)), NEWSLETTER,
                NOON, UTC), NOON);
    }

    @Test
    void aRollingCapCountsTheHalfOpenWindowExactlyAtItsBoundary() {
        Preferences p = emailNewsletterOptedIn();
        Map<Channel, FrequencyCap> twoPerWeek = Map.of(EMAIL, new FrequencyCap(2, 7));
        Instant at = NOON;
        Instant windowStart = at.minus(Duration.ofDays(7));
        Instant recent = at.minus(Duration.ofHours(1));

        // a send exactly at at − period is outside the window (t − period, t]
        assertAllowed(marketing(p, at, twoPerWeek, List.of(windowStart, recent)), at);
        // one nanosecond later it is inside, and it leaves exactly one period after it was sent
        Instant justInside = windowStart.plusNanos(1);
        assertRefused(marketing(p, at, twoPerWeek, List.of(justInside, recent)), DecisionReason.FREQUENCY_CAP,
                at.plusNanos(1));
        // a send exactly at `at` is inside (the window's closed end)
        assertRefused(marketing(p, at, twoPerWeek, List.of(at, recent)), DecisionReason.FREQUENCY_CAP,
                recent.plus(Duration.ofDays(7)));
        // sends after `at` do not count for `at`
        assertAllowed(marketing(p, at, twoPerWeek, List.of(recent, at.plusNanos(1))), at);
        assertEarliest(p, UTC, twoPerWeek, List.of(at.minus(Duration.ofDays(2)), recent), at,
                at.plus(Duration.ofDays(5)));
    }

    @Test
    void theCapLiftsWhenEnoughSendsHaveLeftTheWindowWhateverTheirOrder() {
        Preferences p = emailNewsletterOptedIn();
        Map<Channel, FrequencyCap> threePerWeek = Map.of(EMAIL, new FrequencyCap(3, 7));
        List<Instant> sends = new ArrayList<>(List.of(NOON.minus(Duration.ofDays(6)), NOON.minus(Duration.ofDays(5)),
                NOON.minus(Duration.ofDays(1)), NOON.minus(Duration.ofHours(2)), NOON.minus(Duration.ofDays(30))));
        Collections.shuffle(sends, new java.util.Random(7));
        // four in the window, cap three: two must leave; the second oldest leaves at (at − 5d) + 7d
        assertEarliest(p, UTC, threePerWeek, sends, NOON, NOON.plus(Duration.ofDays(2)));
    }

    @Test
    void recordedSendsAfterTheInstantCountForTheLaterInstantsConsidered() {
        Preferences p = emailNewsletterOptedIn();
        Map<Channel, FrequencyCap> onePerDay = Map.of(EMAIL, new FrequencyCap(1, 1));
        List<Instant> sends = List.of(NOON.minus(Duration.ofHours(12)), NOON.plus(Duration.ofHours(6)));
        // the first send leaves at +12h, but by then the +6h send is in the window until +30h
        assertEarliest(p, UTC, onePerDay, sends, NOON, NOON.plus(Duration.ofHours(30)));
    }

    @Test
    void theContactsCapOverridesTheTenantDefaultAndNoCapMeansNoLimit() {
        Map<Channel, FrequencyCap> tenantDefaults = Map.of(EMAIL, new FrequencyCap(1, 1), SMS, new FrequencyCap(1, 30));
        List<Instant> twoToday = List.of(NOON.minus(Duration.ofHours(3)), NOON.minus(Duration.ofHours(2)));
        Preferences defaults = emailNewsletterOptedIn();
        assertRefused(marketing(defaults, NOON, tenantDefaults, twoToday), DecisionReason.FREQUENCY_CAP,
                NOON.plus(Duration.ofHours(22)));
        Preferences generous = with(defaults, Map.of(EMAIL, new FrequencyCap(5, 1)), null, null);
        assertAllowed(marketing(generous, NOON, tenantDefaults, twoToday), NOON);
        Preferences strict = with(defaults, Map.of(EMAIL, new FrequencyCap(1, 7)), null, null);
        assertRefused(marketing(strict, NOON, Map.of(), List.of(NOON.minus(Duration.ofDays(6)))),
                DecisionReason.FREQUENCY_CAP, NOON.plus(Duration.ofDays(1)));
        // the tenant's SMS default does not apply to email; no cap at all is no limit
        List<Instant> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(NOON.minusSeconds(i));
        }
        assertAllowed(marketing(defaults, NOON, Map.of(SMS, new FrequencyCap(1, 30)), many), NOON);
        assertAllowed(marketing(defaults, NOON, null, many), NOON);
    }

    @Test
    void quietHoursAreHalfOpenInTheContactsZone() {
        Preferences p = quiet(emailNewsletterOptedIn(), "21:00", "08:00");
        // London in June is UTC+1: 21:00 local is 20:00Z
        assertAllowed(marketing(p, NEWSLETTER, Instant.parse("2026-06-10T19:59:59Z"), LONDON),
                Instant.parse("2026-06-10T19:59:59Z"));
        assertRefused(marketing(p, NEWSLETTER, Instant.parse("2026-06-10T20:00:00Z"), LONDON),
                DecisionReason.QUIET_HOURS, Instant.parse("2026-06-11T07:00:00Z"));
        assertRefused(marketing(p, NEWSLETTER, Instant.parse("2026-06-11T06:59:59.999999999Z"), LONDON),
                DecisionReason.QUIET_HOURS, Instant.parse("2026-06-11T07:00:00Z"));
        assertAllowed(marketing(p, NEWSLETTER, Instant.parse("2026-06-11T07:00:00Z"), LONDON),
                Instant.parse("2026-06-11T07:00:00Z"));
        // a window that does not wrap midnight
        Preferences lunch = quiet(emailNewsletterOptedIn(), "12:00", "14:00");
        assertRefused(marketing(lunch, NEWSLETTER, NOON, UTC), DecisionReason.QUIET_HOURS, NOON.plus(Duration.ofHours(2)));
        assertAllowed(marketing(lunch, NEWSLETTER, NOON.minusNanos(1), UTC), NOON.minusNanos(1));
        // the same instant is quiet for a contact in one zone and not in another
        Instant at = Instant.parse("2026-06-10T22:30:00Z");
        assertRefused(marketing(p, NEWSLETTER, at, LONDON), DecisionReason.QUIET_HOURS,
                Instant.parse("2026-06-11T07:00:00Z"));
        assertAllowed(marketing(p, NEWSLETTER, at, ZoneId.of("America/Los_Angeles")), at);
    }

    // ---- DST ----

    @Test
    void quietHoursAcrossSpringForwardInBerlin() {
        // 2026-03-29 01:00Z: 02:00 CET becomes 03:00 CEST; local 02:00–02:59 does not exist that night.
        Preferences endsInGap = quiet(emailNewsletterOptedIn(), "22:00", "02:30");
        // the night before, an ordinary night: 02:30 CET = 01:30Z
        assertEarliest(endsInGap, BERLIN, Instant.parse("2026-03-28T01:00:00Z"), Instant.parse("2026-03-28T01:30:00Z"));
        // the DST night: the wall clock jumps from 02:00 to 03:00, over the end; quiet hours end at the jump
        assertEarliest(endsInGap, BERLIN, Instant.parse("2026-03-28T21:00:00Z"), Instant.parse("2026-03-29T01:00:00Z"));
        assertEarliest(endsInGap, BERLIN, Instant.parse("2026-03-29T00:45:00Z"), Instant.parse("2026-03-29T01:00:00Z"));
        assertAllowed(marketing(endsInGap, NEWSLETTER, Instant.parse("2026-03-29T01:00:00Z"), BERLIN),
                Instant.parse("2026-03-29T01:00:00Z"));
        // the night after, in summer time: 02:30 CEST = 00:30Z
        assertEarliest(endsInGap, BERLIN, Instant.parse("2026-03-29T20:00:00Z"), Instant.parse("2026-03-30T00:30:00Z"));

        // quiet hours that start in the gap begin at the jump: 03:00 CEST is already past 02:30
        Preferences startsInGap = quiet(emailNewsletterOptedIn(), "02:30", "06:00");
        assertAllowed(marketing(startsInGap, NEWSLETTER, Instant.parse("2026-03-29T00:59:00Z"), BERLIN),
                Instant.parse("2026-03-29T00:59:00Z"));
        assertEarliest(startsInGap, BERLIN, Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("2026-03-29T04:00:00Z"));

        // an ordinary night-time window across the change: 08:00 CEST is 06:00Z, not 07:00Z
        Preferences night = quiet(emailNewsletterOptedIn(), "21:00", "08:00");
        assertEarliest(night, BERLIN, Instant.parse("2026-03-28T21:30:00Z"), Instant.parse("2026-03-29T06:00:00Z"));
    }

    @Test
    void quietHoursAcrossFallBackInBerlin() {
        // 2026-10-25 01:00Z: 03:00 CEST becomes 02:00 CET; local 02:00–02:59 happens twice.
        Preferences overlap = quiet(emailNewsletterOptedIn(), "01:00", "02:30");
        // first pass: 01:30 CEST → quiet until 02:30 CEST (00:30Z)
        assertEarliest(overlap, BERLIN, Instant.parse("2026-10-24T23:30:00Z"), Instant.parse("2026-10-25T00:30:00Z"));
        // 02:45 CEST is not quiet
        assertAllowed(marketing(overlap, NEWSLETTER, Instant.parse("2026-10-25T00:45:00Z"), BERLIN),
                Instant.parse("2026-10-25T00:45:00Z"));
        // second pass: the wall clock reads 02:00–02:29 again, in CET, and that is quiet again until 02:30 CET
        assertEarliest(overlap, BERLIN, Instant.parse("2026-10-25T01:00:00Z"), Instant.parse("2026-10-25T01:30:00Z"));
        assertEarliest(overlap, BERLIN, Instant.parse("2026-10-25T01:10:00Z"), Instant.parse("2026-10-25T01:30:00Z"));

        Preferences spansTheHour = quiet(emailNewsletterOptedIn(), "22:00", "02:30");
        assertEarliest(spansTheHour, BERLIN, Instant.parse("2026-10-24T20:00:00Z"), Instant.parse("2026-10-25T00:30:00Z"));

        // an ordinary night-time window across the change: 08:00 CET is 07:00Z, not 06:00Z
        Preferences night = quiet(emailNewsletterOptedIn(), "21:00", "08:00");
        assertEarliest(night, BERLIN, Instant.parse("2026-10-24T20:00:00Z"), Instant.parse("2026-10-25T07:00:00Z"));
    }

    @Test
    void aBackwardJumpCanEndQuietHoursBeforeTheirEnd() {
        // 2026-11-01 06:00Z in New York: 02:00 EDT becomes 01:00 EST, back before the 01:30 start
        Preferences p = quiet(emailNewsletterOptedIn(), "01:30", "02:30");
        assertEarliest(p, NEW_YORK, Instant.parse("2026-11-01T05:45:00Z"), Instant.parse("2026-11-01T06:00:00Z"));
        // and at 01:30 EST quiet hours begin again
        assertEarliest(p, NEW_YORK, Instant.parse("2026-11-01T06:30:00Z"), Instant.parse("2026-11-01T07:30:00Z"));
    }

    // ---- precedence and combination ----

    @Test
    void theFirstApplicableReasonInPrecedenceOrderIsReported() {
        Instant at = Instant.parse("2026-11-23T22:30:00Z");
        // one send 20 hours ago: the day's cap lifts at 02:30 tomorrow, inside the same quiet night
        List<Instant> sends = List.of(at.minus(Duration.ofHours(20)));
        Map<Channel, FrequencyCap> onePerDay = Map.of(EMAIL, new FrequencyCap(1, 1));
        Instant paused = at.plus(Duration.ofHours(1));
        // every timing rule applies: quiet (22:30 London), capped, paused
        Preferences timing = with(Preferences.empty(), onePerDay, QuietHours.of("21:00", "08:00"), paused);

        List<Object[]> cases = List.of(
                new Object[] {timing.withTopicStatus(EMAIL, NEWSLETTER, OPTED_OUT), DecisionReason.NO_CONSENT},
                new Object[] {timing.withChannelStatus(EMAIL, OPTED_OUT).withTopicStatus(EMAIL, NEWSLETTER, PENDING),
                    DecisionReason.OPTED_OUT_CHANNEL},
                new Object[] {timing.withChannelStatus(EMAIL, PENDING).withTopicStatus(EMAIL, NEWSLETTER, OPTED_OUT),
                    DecisionReason.OPTED_OUT_TOPIC},
                new Object[] {timing.withChannelStatus(EMAIL, PENDING).withTopicStatus(EMAIL, NEWSLETTER, OPTED_IN),
                    DecisionReason.PENDING_DOUBLE_OPT_IN},
                new Object[] {timing.withChannelStatus(EMAIL, OPTED_IN).withTopicStatus(EMAIL, NEWSLETTER, OPTED_IN),
                    DecisionReason.PAUSED},
                new Object[] {with(timing, onePerDay, timing.quietHours(), null).withChannelStatus(EMAIL, OPTED_IN)
                    .withTopicStatus(EMAIL, NEWSLETTER, OPTED_IN), DecisionReason.FREQUENCY_CAP},
                new Object[] {with(timing, Map.of(), timing.quietHours(), null).withChannelStatus(EMAIL, OPTED_IN)
                    .withTopicStatus(EMAIL, NEWSLETTER, OPTED_IN), DecisionReason.QUIET_HOURS});
        for (Object[] c : cases) {
            Preferences p = (Preferences) c[0];
            DecisionReason expected = (DecisionReason) c[1];
            Decision d = ContactDecisions.decide(EMAIL, NEWSLETTER, MARKETING, at, p, LONDON, Map.of(), sends);
            assertEquals(expected.wire(), d.reason(), expected.name());
            assertEquals(expected.isConsent(), d.nextAllowedAt() == null, expected.name());
            if (!expected.isConsent()) {
                // whichever timing rule is reported, the answer is when all of them allow it
                assertEquals(Instant.parse("2026-11-24T08:00:00Z"), d.nextAllowedAt(), expected.name());
            }
        }
    }

    @Test
    void nextAllowedAtCombinesPauseCapAndQuietHoursToAFixedPoint() {
        Map<Channel, FrequencyCap> twoPerDay = Map.of(EMAIL, new FrequencyCap(2, 1));
        Preferences p = with(emailNewsletterOptedIn(), twoPerDay, QuietHours.of("21:00", "08:00"),
                Instant.parse("2026-11-23T18:00:00Z"));
        Instant at = Instant.parse("2026-11-23T12:00:00Z");
        List<Instant> sends = List.of(Instant.parse("2026-11-22T22:00:00Z"), Instant.parse("2026-11-23T16:00:00Z"));
        // paused until 18:00; then both sends are in the day's window until 22:00 (the older one leaves);
        // 22:00 is quiet until 08:00, when only the 16:00 send is in the window
        Decision d = ContactDecisions.decide(EMAIL, NEWSLETTER, MARKETING, at, p, LONDON, Map.of(), sends);
        assertRefused(d, DecisionReason.PAUSED, Instant.parse("2026-11-24T08:00:00Z"));
        assertEarliest(p, LONDON, Map.of(), sends, at, Instant.parse("2026-11-24T08:00:00Z"));

        // a send already recorded for 07:00 the next morning keeps the cap closed at 08:00, until 16:00
        List<Instant> withMorningSend = new ArrayList<>(sends);
        withMorningSend.add(Instant.parse("2026-11-24T07:00:00Z"));
        assertEarliest(p, LONDON, Map.of(), withMorningSend, at, Instant.parse("2026-11-24T16:00:00Z"));

        // the tenant's default cap takes part the same way when the contact has none
        Preferences noOwnCap = with(p, Map.of(), p.quietHours(), p.pausedUntil());
        assertEarliest(noOwnCap, LONDON, twoPerDay, withMorningSend, at, Instant.parse("2026-11-24T16:00:00Z"));
    }

    @Test
    void aPauseEndingInQuietHoursWaitsForTheirEnd() {
        Preferences p = with(emailNewsletterOptedIn(), Map.of(), QuietHours.of("21:00", "08:00"),
                Instant.parse("2026-03-28T23:00:00Z"));
        assertEarliest(p, BERLIN, Map.of(), List.of(), Instant.parse("2026-03-28T10:00:00Z"),
                Instant.parse("2026-03-29T06:00:00Z"));
    }

    // ---- transactional ----

    @Test
    void aTransactionalMessageIsAllowedWhateverTheMarketingPreferences() {
        Instant at = Instant.parse("2026-11-23T22:30:00Z");
        Preferences everythingOff = with(Preferences.empty().withChannelStatus(EMAIL, OPTED_OUT)
                .withTopicStatus(EMAIL, NEWSLETTER, OPTED_OUT), Map.of(EMAIL, new FrequencyCap(1, 366)),
                QuietHours.of("21:00", "08:00"), at.plus(Duration.ofDays(365)));
        List<Instant> sends = List.of(at.minusSeconds(1), at.minusSeconds(2));
        for (String topic : new String[] {null, NEWSLETTER}) {
            Decision d = ContactDecisions.decide(EMAIL, topic, TRANSACTIONAL, at, everythingOff, LONDON,
                    Map.of(EMAIL, new FrequencyCap(1, 1)), sends);
            assertAllowed(d, at);
            assertRefused(ContactDecisions.decide(EMAIL, topic, MARKETING, at, everythingOff, LONDON, Map.of(), sends),
                    DecisionReason.OPTED_OUT_CHANNEL, null);
        }
        assertAllowed(ContactDecisions.decide(SMS, null, TRANSACTIONAL, at, Preferences.empty(), UTC, null, List.of()),
                at);
        Preferences pending = Preferences.empty().withChannelStatus(EMAIL, PENDING);
        assertAllowed(ContactDecisions.decide(EMAIL, null, TRANSACTIONAL, at, pending, UTC, null, List.of()), at);
    }

    // ---- the decision value and the request ----

    @Test
    void decisionsKeepTheirInvariants() {
        assertThrows(IllegalArgumentException.class, () -> new Decision(true, "paused", NOON));
        assertThrows(IllegalArgumentException.class, () -> new Decision(true, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Decision(false, null, NOON));
        assertThrows(IllegalArgumentException.class, () -> Decision.deny(DecisionReason.NO_CONSENT, NOON));
        assertThrows(IllegalArgumentException.class, () -> Decision.deny(DecisionReason.PAUSED, null));
        for (DecisionReason r : DecisionReason.values()) {
            assertEquals(r.ordinal() < DecisionReason.PAUSED.ordinal(), r.isConsent());
        }
        assertEquals(List.of("suppressed", "no_consent", "opted_out_channel", "opted_out_topic", "pending_double_opt_in", "paused",
                "frequency_cap", "quiet_hours"), java.util.Arrays.stream(DecisionReason.values())
                .map(DecisionReason::wire).toList());
    }

    @Test
    void theRequestBodyIsValidatedAndAtDefaultsToNow() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Violations v = new Violations();
        var r = ContactDecisionRequest.parse(Json.parse("{\"channel\": \"in_app\", \"messageClass\": \"transactional\"}"),
                now, v);
        assertTrue(v.isEmpty());
        assertEquals(new ContactDecisionRequest(Channel.IN_APP, null, TRANSACTIONAL, now), r);
        r = ContactDecisionRequest.parse(Json.parse("{\"channel\": \"sms\", \"topic\": \"offers\","
                + " \"messageClass\": \"marketing\", \"at\": \"2026-11-23T23:30:00+01:00\"}"), now, v);
        assertEquals(new ContactDecisionRequest(SMS, "offers", MARKETING, Instant.parse("2026-11-23T22:30:00Z")), r);

        assertNull(ContactDecisionRequest.parse(Json.parse("{\"channel\": \"fax\", \"topic\": \"Bad Topic\","
                + " \"at\": \"tomorrow\", \"tenantId\": \"t_x\"}"), now, v));
        assertEquals(List.of("/tenantId", "/channel", "/topic", "/messageClass", "/at"),
                v.items().stream().map(m -> m.get("pointer")).toList());
        assertNotNull(v.items().get(1).get("detail"));
    }
}
