package dev.crm.preferences.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ChannelPreferences;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.shared.consent.FrequencyCap;
import dev.crm.shared.consent.QuietHours;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.consent.MessageClass;
import static dev.crm.shared.consent.Channel.EMAIL;
import static dev.crm.shared.consent.Channel.IN_APP;
import static dev.crm.shared.consent.Channel.SMS;
import static dev.crm.shared.consent.ConsentStatus.OPTED_IN;
import static dev.crm.shared.consent.ConsentStatus.OPTED_OUT;
import static dev.crm.shared.consent.ConsentStatus.PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreferencesTest {
    @Test
    void neverSetPreferencesAreTheEmptyStateAtVersionZero() {
        Preferences p = Preferences.empty();
        assertEquals(0, p.version());
        assertEquals("{\"channels\":{},\"frequencyCaps\":{},\"quietHours\":null,\"pausedUntil\":null,\"version\":0}",
                Json.write(p.toJson()));
        for (Channel c : Channel.values()) {
            assertNull(p.channelStatus(c));
            assertNull(p.topicStatus(c, "newsletter"));
        }
    }

    @Test
    void theJsonShapeIsDeterministicAndWireNamed() {
        Map<Channel, ChannelPreferences> channels = new HashMap<>();
        channels.put(IN_APP, new ChannelPreferences(OPTED_IN, Map.of()));
        channels.put(EMAIL, new ChannelPreferences(OPTED_IN, Map.of("offers", OPTED_OUT, "events", PENDING,
                "newsletter", OPTED_IN)));
        channels.put(SMS, new ChannelPreferences(null, Map.of("offers", OPTED_IN)));
        channels.put(Channel.POST, ChannelPreferences.EMPTY);
        Preferences p = new Preferences(channels, Map.of(SMS, new FrequencyCap(2, 30), EMAIL, new FrequencyCap(3, 7)),
                QuietHours.of("21:00", "08:00"), Instant.parse("2026-12-24T17:00:00Z"), 12);
        assertEquals("{\"channels\":{"
                + "\"email\":{\"status\":\"opted_in\",\"topics\":{\"events\":\"pending\",\"newsletter\":\"opted_in\","
                + "\"offers\":\"opted_out\"}},"
                + "\"sms\":{\"status\":null,\"topics\":{\"offers\":\"opted_in\"}},"
                + "\"in_app\":{\"status\":\"opted_in\",\"topics\":{}}},"
                + "\"frequencyCaps\":{\"email\":{\"max\":3,\"period\":\"P7D\"},\"sms\":{\"max\":2,\"period\":\"P30D\"}},"
                + "\"quietHours\":{\"start\":\"21:00\",\"end\":\"08:00\"},"
                + "\"pausedUntil\":\"2026-12-24T17:00:00Z\",\"version\":12}", Json.write(p.toJson()));
        assertFalse(p.channels().containsKey(Channel.POST), "an empty channel is dropped");
    }

    @Test
    void storedJsonReadsBackToAnEqualState() {
        Preferences p = new Preferences(Map.of(EMAIL, new ChannelPreferences(OPTED_IN, Map.of("newsletter", PENDING)),
                SMS, new ChannelPreferences(null, Map.of("offers", OPTED_OUT))), Map.of(IN_APP, new FrequencyCap(5, 1)),
                QuietHours.of("22:15", "06:45"), Instant.parse("2026-12-24T17:00:00.123Z"), 9);
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = (Map<String, Object>) Json.parse(Json.write(p.toJson()));
        assertEquals(p, Preferences.fromStored(stored));
        assertEquals(Preferences.empty(), Preferences.fromStored(Map.of()));
        stored.put("channels", Map.of("fax", Map.of("status", "opted_in")));
        assertThrows(IllegalArgumentException.class, () -> Preferences.fromStored(stored));
        stored.put("channels", Map.of("email", "opted_in"));
        assertThrows(IllegalArgumentException.class, () -> Preferences.fromStored(stored));
    }

    @Test
    void equalStatesAreEqualObjects() {
        Preferences a = Preferences.empty().withTopicStatus(EMAIL, "b", OPTED_IN).withTopicStatus(EMAIL, "a", OPTED_OUT)
                .withChannelStatus(SMS, OPTED_IN).withChannelStatus(SMS, null);
        Preferences b = Preferences.empty().withTopicStatus(EMAIL, "a", OPTED_OUT).withTopicStatus(EMAIL, "b", OPTED_IN);
        assertEquals(b, a);
        assertEquals(b.hashCode(), a.hashCode());
        assertEquals(List.of("a", "b"), List.copyOf(a.channel(EMAIL).topics().keySet()));
        assertEquals(Preferences.empty(), a.withTopicStatus(EMAIL, "a", null).withTopicStatus(EMAIL, "b", null));
        assertSame(ChannelPreferences.EMPTY, Preferences.empty().channel(SMS));
    }

    @Test
    void invariantsAreEnforced() {
        assertThrows(IllegalArgumentException.class, () -> Preferences.empty().withTopicStatus(EMAIL, "Bad", OPTED_IN));
        assertThrows(IllegalArgumentException.class, () -> Preferences.empty().withVersion(-1));
        Preferences full = Preferences.empty();
        for (int i = 0; i < Preferences.MAX_TOPICS_PER_CHANNEL; i++) {
            full = full.withTopicStatus(EMAIL, "t" + i, OPTED_IN);
        }
        Preferences fifty = full;
        assertThrows(IllegalArgumentException.class, () -> fifty.withTopicStatus(EMAIL, "one-more", OPTED_IN));
        assertEquals(OPTED_IN, fifty.withTopicStatus(SMS, "one-more", OPTED_IN).topicStatus(SMS, "one-more"));
        assertThrows(UnsupportedOperationException.class, () -> fifty.channels().put(SMS, ChannelPreferences.EMPTY));
        assertThrows(UnsupportedOperationException.class, () -> fifty.channel(EMAIL).topics().clear());
        // the pause is kept to the millisecond, the precision the API writes
        Preferences paused = new Preferences(Map.of(), Map.of(), null, Instant.parse("2026-01-01T00:00:00.123456789Z"), 0);
        assertEquals(Instant.parse("2026-01-01T00:00:00.123Z"), paused.pausedUntil());
    }

    @Test
    void topicKeysFollowTheTenantsFormat() {
        for (String ok : new String[] {"a", "0", "newsletter", "offers_2026", "b2b-news", "a".repeat(64)}) {
            assertTrue(Preferences.isTopicKey(ok), ok);
        }
        for (String bad : new String[] {"", "_a", "-a", "A", "news letter", "news/letter", "é", "a".repeat(65), null}) {
            assertFalse(Preferences.isTopicKey(bad), String.valueOf(bad));
        }
    }

    @Test
    void theContactsCapOverridesTheTenantsDefaultPerChannel() {
        Preferences p = new Preferences(Map.of(), Map.of(EMAIL, new FrequencyCap(5, 1)), null, null, 0);
        Map<Channel, FrequencyCap> defaults = Map.of(EMAIL, new FrequencyCap(1, 1), SMS, new FrequencyCap(2, 7));
        assertEquals(new FrequencyCap(5, 1), p.capFor(EMAIL, defaults));
        assertEquals(new FrequencyCap(2, 7), p.capFor(SMS, defaults));
        assertNull(p.capFor(IN_APP, defaults));
        assertNull(Preferences.empty().capFor(SMS, null));
    }

    @Test
    void enumsUseLowerSnakeCaseOnTheWire() {
        assertEquals("in_app", IN_APP.wire());
        assertEquals(IN_APP, Channel.fromWire("in_app"));
        assertNull(Channel.fromWire("IN_APP"));
        assertNull(Channel.fromWire("inApp"));
        assertEquals("email, sms, phone, post, push, in_app", Channel.wireNames());
        assertEquals("opted_in", OPTED_IN.wire());
        assertEquals(PENDING, ConsentStatus.fromWire("pending"));
        assertEquals(MessageClass.TRANSACTIONAL, MessageClass.fromWire("transactional"));
        assertEquals(LegalBasis.LEGITIMATE_INTERESTS, LegalBasis.fromWire("legitimate_interests"));
    }

    @Test
    void frequencyCapsAreBoundedWholeDays() {
        FrequencyCap cap = new FrequencyCap(3, 7);
        assertEquals(java.time.Duration.ofHours(168), cap.period());
        assertEquals("P7D", cap.periodWire());
        assertEquals(Map.of("max", 3, "period", "P7D"), cap.toJson());
        assertThrows(IllegalArgumentException.class, () -> new FrequencyCap(0, 7));
        assertThrows(IllegalArgumentException.class, () -> new FrequencyCap(1001, 7));
        assertThrows(IllegalArgumentException.class, () -> new FrequencyCap(3, 0));
        assertThrows(IllegalArgumentException.class, () -> new FrequencyCap(3, 367));
        assertEquals(366, FrequencyCap.parsePeriod("P366D"));
        assertNull(FrequencyCap.parsePeriod("P1W"));
        assertNull(FrequencyCap.parsePeriod("PT24H"));
        assertNull(FrequencyCap.parsePeriod("P1M"));
        assertNull(FrequencyCap.parsePeriod(null));
    }

    @Test
    void quietHoursAreAHalfOpenWallClockInterval() {
        QuietHours night = QuietHours.of("21:00", "08:00");
        assertTrue(night.contains(LocalTime.of(21, 0)));
        assertTrue(night.contains(LocalTime.MIDNIGHT));
        assertTrue(night.contains(LocalTime.of(7, 59, 59, 999_999_999)));
        assertFalse(night.contains(LocalTime.of(8, 0)));
        assertFalse(night.contains(LocalTime.of(20, 59, 59)));
        QuietHours lunch = QuietHours.of("12:00", "14:00");
        assertTrue(lunch.contains(LocalTime.NOON));
        assertFalse(lunch.contains(LocalTime.of(14, 0)));
        assertFalse(lunch.contains(LocalTime.of(11, 59)));
        assertThrows(IllegalArgumentException.class, () -> QuietHours.of("21:00", "21:00"));
        assertThrows(IllegalArgumentException.class, () -> new QuietHours(LocalTime.of(21, 0, 30), LocalTime.of(8, 0)));
        assertEquals(Map.of("start", "21:00", "end", "08:00"), night.toJson());
        assertEquals(Map.of("start", "00:00", "end", "23:59"), QuietHours.of("00:00", "23:59").toJson());
    }

    @Test
    void theNextWallClockTimeHandlesGapsAndOverlaps() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // in the spring gap, 02:30 does not exist: the clock jumps over it at 01:00Z
        assertEquals(Instant.parse("2026-03-29T01:00:00Z"),
                QuietHours.nextLocalTime(LocalTime.of(2, 30), Instant.parse("2026-03-28T23:00:00Z"), berlin));
        // in the autumn overlap, 02:30 happens twice: the first after the instant wins
        assertEquals(Instant.parse("2026-10-25T00:30:00Z"),
                QuietHours.nextLocalTime(LocalTime.of(2, 30), Instant.parse("2026-10-24T23:00:00Z"), berlin));
        assertEquals(Instant.parse("2026-10-25T01:30:00Z"),
                QuietHours.nextLocalTime(LocalTime.of(2, 30), Instant.parse("2026-10-25T00:30:00Z"), berlin));
        // strictly after: at 08:00 itself the next 08:00 is tomorrow's
        assertEquals(Instant.parse("2026-06-11T07:00:00Z"), QuietHours.nextLocalTime(LocalTime.of(8, 0),
                Instant.parse("2026-06-10T07:00:00Z"), ZoneId.of("Europe/London")));
    }
}
