package dev.crm.preferences.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.FrequencyCap;
import dev.crm.shared.consent.QuietHours;
import dev.crm.shared.consent.Preferences;
import static dev.crm.shared.consent.Channel.EMAIL;
import static dev.crm.shared.consent.Channel.SMS;
import static dev.crm.shared.consent.ConsentStatus.OPTED_IN;
import static dev.crm.shared.consent.ConsentStatus.OPTED_OUT;
import static dev.crm.shared.consent.ConsentStatus.PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import dev.crm.shared.json.Violations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PreferencesUpdateTest {
    private static final Set<String> TOPICS = Set.of("newsletter", "offers", "events");
    private static final String CONTACT = "c_0123456789abcdefghjk";
    private static final String EXAMPLE = "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\":"
            + " {\"newsletter\": \"opted_in\", \"offers\": \"opted_out\"}}}, \"frequencyCaps\": {\"email\":"
            + " {\"max\": 3, \"period\": \"P7D\"}}, \"quietHours\": {\"start\": \"21:00\", \"end\": \"08:00\"},"
            + " \"pausedUntil\": null, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}";

    private static PreferencesUpdate parse(String json, Preferences current, Violations v) {
        return PreferencesUpdate.parse(Json.parse(json), current, CONTACT, TOPICS, v);
    }

    private static PreferencesUpdate valid(String json, Preferences current) {
        Violations v = new Violations();
        PreferencesUpdate u = parse(json, current, v);
        assertTrue(v.isEmpty(), () -> "no violations expected: " + v.items());
        assertNotNull(u);
        return u;
    }

    /** The violations of an invalid body as "pointer: detail" lines; the update itself must be null. */
    private static List<String> problems(String json, Preferences current) {
        Violations v = new Violations();
        assertNull(parse(json, current, v), "an invalid body gives no update");
        List<String> out = new ArrayList<>();
        for (var m : v.items()) {
            out.add(m.get("pointer") + ": " + m.get("detail"));
        }
        return out;
    }

    private static List<String> pointers(String json, Preferences current) {
        return problems(json, current).stream().map(s -> s.substring(0, s.indexOf(": "))).toList();
    }

    @Test
    void theIssuesExampleParses() {
        PreferencesUpdate u = valid(EXAMPLE, Preferences.empty());
        Preferences p = u.preferences();
        assertEquals(OPTED_IN, p.channelStatus(EMAIL));
        assertEquals(OPTED_IN, p.topicStatus(EMAIL, "newsletter"));
        assertEquals(OPTED_OUT, p.topicStatus(EMAIL, "offers"));
        assertNull(p.topicStatus(EMAIL, "events"));
        assertNull(p.channelStatus(SMS));
        assertEquals(Map.of(EMAIL, new FrequencyCap(3, 7)), p.frequencyCaps());
        assertEquals(QuietHours.of("21:00", "08:00"), p.quietHours());
        assertNull(p.pausedUntil());
        assertEquals(0, p.version());
        assertEquals(LegalBasis.CONSENT, u.legalBasis());
        assertEquals("crm-ui", u.source());
        assertEquals(List.of(new ConsentChange(EMAIL, null, null, OPTED_IN),
                new ConsentChange(EMAIL, "newsletter", null, OPTED_IN),
                new ConsentChange(EMAIL, "offers", null, OPTED_OUT)), u.changesFrom(Preferences.empty()));
    }

    @Test
    void whatAGetReturnsCanBePutBackUnchanged() {
        Preferences stored = valid(EXAMPLE, Preferences.empty()).preferences()
                .withTopicStatus(EMAIL, "events", PENDING)
                .withTopicStatus(SMS, "newsletter", OPTED_IN)
                .withVersion(7);
        stored = new Preferences(stored.channels(), stored.frequencyCaps(), stored.quietHours(),
                Instant.parse("2026-12-01T00:00:00.250Z"), stored.version());
        Map<String, Object> got = stored.toJson();
        got.put("contactId", CONTACT);
        PreferencesUpdate u = valid(Json.write(got), stored);
        assertEquals(stored, u.preferences());
        assertEquals(List.of(), u.changesFrom(stored));
        assertNull(u.legalBasis(), "nothing changes consent, so nothing needs a legal basis");
        assertNull(u.source());
    }

    @Test
    void thePutCarriesTheCompleteState() {
        Preferences stored = new Preferences(valid(EXAMPLE, Preferences.empty()).preferences().channels(),
                Map.of(SMS, new FrequencyCap(1, 1)), QuietHours.of("22:00", "07:00"),
                Instant.parse("2027-01-01T00:00:00Z"), 3);
        PreferencesUpdate u = valid("{\"channels\": {\"email\": {\"status\": \"opted_in\"}},"
                + " \"legalBasis\": \"consent\", \"source\": \"crm-ui\", \"version\": 3}", stored);
        Preferences p = u.preferences();
        assertEquals(Map.of(), p.frequencyCaps(), "omitted caps are none");
        assertNull(p.quietHours(), "omitted quiet hours are none");
        assertNull(p.pausedUntil(), "omitted pause is none");
        assertEquals(Map.of(), p.channel(EMAIL).topics(), "omitted topics are absent");
        assertEquals(3, p.version(), "the update carries the version it replaces");
        assertEquals(List.of(new ConsentChange(EMAIL, "newsletter", OPTED_IN, null),
                new ConsentChange(EMAIL, "offers", OPTED_OUT, null)), u.changesFrom(stored));
        // nulls are the same as omissions
        Preferences viaNulls = valid("{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\":"
                + " {\"newsletter\": null}}, \"sms\": null}, \"frequencyCaps\": null, \"quietHours\": null,"
                + " \"pausedUntil\": null, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}", stored).preferences();
        assertEquals(p, viaNulls);
        // a channel may hold topics without a status of its own
        Preferences topicsOnly = valid("{\"channels\": {\"sms\": {\"topics\": {\"offers\": \"opted_in\"}}},"
                + " \"legalBasis\": \"contract\", \"source\": \"import\"}", Preferences.empty()).preferences();
        assertNull(topicsOnly.channelStatus(SMS));
        assertEquals(OPTED_IN, topicsOnly.topicStatus(SMS, "offers"));
    }

    @Test
    void everyChannelAndPausedUntilAreRead() {
        Preferences p = valid("{\"channels\": {\"email\": {\"status\": \"opted_in\"}, \"sms\": {\"status\": \"opted_out\"},"
                + " \"phone\": {\"status\": \"opted_in\"}, \"post\": {\"status\": \"opted_out\"}, \"push\": {\"status\":"
                + " \"opted_in\"}, \"in_app\": {\"status\": \"opted_in\"}}, \"frequencyCaps\": {\"in_app\": {\"max\": 1000,"
                + " \"period\": \"P366D\"}, \"push\": {\"max\": 1, \"period\": \"P1D\"}}, \"pausedUntil\":"
                + " \"2026-12-24T18:00:00+01:00\", \"legalBasis\": \"legitimate_interests\", \"source\": \"x\"}",
                Preferences.empty()).preferences();
        assertEquals(6, p.channels().size());
        assertEquals(OPTED_IN, p.channelStatus(Channel.IN_APP));
        assertEquals(new FrequencyCap(1000, 366), p.frequencyCaps().get(Channel.IN_APP));
        assertEquals(Instant.parse("2026-12-24T17:00:00Z"), p.pausedUntil());
    }

    @Test
    void everyLegalBasisOfArticleSixIsAccepted() {
        for (LegalBasis b : LegalBasis.values()) {
            var u = valid("{\"channels\": {\"post\": {\"status\": \"opted_in\"}}, \"legalBasis\": \"" + b.wire()
                    + "\", \"source\": \"crm-ui\"}", Preferences.empty());
            assertEquals(b, u.legalBasis());
        }
        assertEquals(List.of("consent", "contract", "legal_obligation", "vital_interests", "public_task",
                "legitimate_interests"), java.util.Arrays.stream(LegalBasis.values()).map(LegalBasis::wire).toList());
    }

    @Test
    void violationsPointIntoTheBody() {
        String body = "{\"channels\": {\"email\": {\"status\": \"maybe\", \"topics\": {\"newsletter\": \"yes\","
                + " \"unknown-topic\": \"opted_in\", \"Bad Key\": \"opted_in\", \"offers\": 1}, \"colour\": \"red\"},"
                + " \"fax\": {\"status\": \"opted_in\"}, \"sms\": \"opted_in\"},"
                + " \"frequencyCaps\": {\"sms\": {\"max\": 0, \"period\": \"P1W\"}, \"pigeon\": {\"max\": 1, \"period\": \"P1D\"}},"
                + " \"quietHours\": {\"start\": \"9:00\", \"end\": \"24:00\"},"
                + " \"pausedUntil\": \"next week\", \"legalBasis\": \"because\", \"source\": \"a\\nb\", \"tenantId\": \"t_x\"}";
        assertEquals(List.of(
                "/tenantId: unknown field",
                "/channels/email/colour: unknown field",
                "/channels/email/status: must be opted_in, opted_out or null",
                "/channels/email/topics/newsletter: must be opted_in, opted_out or null",
                "/channels/email/topics/unknown-topic: unknown topic; topics are created with POST /v1/topics",
                "/channels/email/topics/Bad Key: not a topic key: lower-case letters, digits, _ and -, starting with a"
                        + " letter or digit, at most 64 characters",
                "/channels/email/topics/offers: must be opted_in, opted_out or null",
                "/channels/fax: unknown channel; one of email, sms, phone, post, push, in_app",
                "/channels/sms: must be an object",
                "/frequencyCaps/sms/max: must be between 1 and 1000",
                "/frequencyCaps/sms/period: must be a whole number of days from P1D to P366D, e.g. P7D (weeks, months"
                        + " and hours are not accepted)",
                "/frequencyCaps/pigeon: unknown channel; one of email, sms, phone, post, push, in_app",
                "/quietHours/start: must be a 24-hour time HH:mm, e.g. 21:00",
                "/quietHours/end: must be a 24-hour time HH:mm, e.g. 21:00",
                "/pausedUntil: must be an RFC 3339 timestamp with an offset, e.g. 2026-11-23T20:30:00Z",
                "/legalBasis: must be one of consent, contract, legal_obligation, vital_interests, public_task,"
                        + " legitimate_interests",
                "/source: must be a single line"), problems(body, Preferences.empty()));
    }

    @Test
    void periodsAreWholeDaysOnly() {
        for (String bad : new String[] {"P1W", "PT24H", "P1M", "P1Y", "P0D", "P367D", "P1000D", "P01D", "p7d", "7",
            "P7DT1H", "P1.5D", "-P1D", "P 7D", ""}) {
            assertEquals(List.of("/frequencyCaps/email/period"), pointers("{\"channels\": {}, \"frequencyCaps\":"
                    + " {\"email\": {\"max\": 3, \"period\": \"" + bad + "\"}}}", Preferences.empty()), bad);
        }
        assertEquals(List.of("/frequencyCaps/email/period: must be a string, e.g. P7D"), problems("{\"channels\": {},"
                + " \"frequencyCaps\": {\"email\": {\"max\": 3, \"period\": 7}}}", Preferences.empty()));
        assertEquals(List.of("/frequencyCaps/email/max: required", "/frequencyCaps/email/period: required",
                "/frequencyCaps/email/every: unknown field").stream().sorted().toList(),
                problems("{\"channels\": {}, \"frequencyCaps\": {\"email\": {\"every\": 2}}}", Preferences.empty())
                        .stream().sorted().toList());
        for (String bad : new String[] {"0", "1001", "2.5", "\"3\"", "-1"}) {
            assertEquals(List.of("/frequencyCaps/email/max"), pointers("{\"channels\": {}, \"frequencyCaps\":"
                    + " {\"email\": {\"max\": " + bad + ", \"period\": \"P7D\"}}}", Preferences.empty()), bad);
        }
        for (String good : new String[] {"P1D", "P7D", "P30D", "P366D"}) {
            assertEquals(good, valid("{\"channels\": {}, \"frequencyCaps\": {\"email\": {\"max\": 3, \"period\": \""
                    + good + "\"}}}", Preferences.empty()).preferences().frequencyCaps().get(EMAIL).periodWire());
        }
    }

    @Test
    void quietHoursAreTwoDifferentHhMmTimes() {
        for (String bad : new String[] {"\"24:00\"", "\"9:00\"", "\"21:00:00\"", "\"21h\"", "\"\"", "2100", "\"21:60\""}) {
            assertEquals(List.of("/quietHours/start"), pointers("{\"channels\": {}, \"quietHours\": {\"start\": " + bad
                    + ", \"end\": \"08:00\"}}", Preferences.empty()), bad);
        }
        assertEquals(List.of("/quietHours/end: must differ from start (quiet hours cannot be empty or the whole day)"),
                problems("{\"channels\": {}, \"quietHours\": {\"start\": \"21:00\", \"end\": \"21:00\"}}",
                        Preferences.empty()));
        assertEquals(List.of("/quietHours/end: required"), problems("{\"channels\": {}, \"quietHours\":"
                + " {\"start\": \"21:00\"}}", Preferences.empty()));
        assertEquals(List.of("/quietHours: must be an object"), problems("{\"channels\": {}, \"quietHours\":"
                + " \"21:00-08:00\"}", Preferences.empty()));
        assertEquals(QuietHours.of("00:00", "23:59"), valid("{\"channels\": {}, \"quietHours\": {\"start\": \"00:00\","
                + " \"end\": \"23:59\"}}", Preferences.empty()).preferences().quietHours());
    }

    @Test
    void pendingCannotBeSetButMayBeSentBackUnchanged() {
        assertEquals(List.of("/channels/email/status: pending cannot be set; it is set by the double opt-in flow only"
                + " (use opted_in or opted_out)"), problems("{\"channels\": {\"email\": {\"status\": \"pending\"}},"
                        + " \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}", Preferences.empty()));
        assertEquals(List.of("/channels/email/topics/newsletter"), pointers("{\"channels\": {\"email\": {\"status\":"
                + " \"opted_in\", \"topics\": {\"newsletter\": \"pending\"}}}, \"legalBasis\": \"consent\","
                + " \"source\": \"crm-ui\"}", Preferences.empty().withTopicStatus(EMAIL, "newsletter", OPTED_IN)));

        Preferences awaiting = Preferences.empty().withChannelStatus(EMAIL, PENDING)
                .withTopicStatus(EMAIL, "newsletter", PENDING);
        PreferencesUpdate unchanged = valid("{\"channels\": {\"email\": {\"status\": \"pending\", \"topics\":"
                + " {\"newsletter\": \"pending\"}}}}", awaiting);
        assertEquals(awaiting, unchanged.preferences());
        // pending on the topic cannot move to the channel, where it is not already
        assertEquals(List.of("/channels/sms/topics/newsletter"), pointers("{\"channels\": {\"email\": {\"status\":"
                + " \"pending\"}, \"sms\": {\"topics\": {\"newsletter\": \"pending\"}}}}", awaiting));
        // the CRM may confirm or withdraw a pending status directly
        PreferencesUpdate confirmed = valid("{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\":"
                + " {\"newsletter\": \"opted_out\"}}}, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}", awaiting);
        assertEquals(List.of(new ConsentChange(EMAIL, null, PENDING, OPTED_IN),
                new ConsentChange(EMAIL, "newsletter", PENDING, OPTED_OUT)), confirmed.changesFrom(awaiting));
    }

    @Test
    void aTopicMustBeTheTenantsOrAlreadyHeld() {
        assertEquals(List.of("/channels/email/topics/retired"), pointers("{\"channels\": {\"email\": {\"status\":"
                + " \"opted_in\", \"topics\": {\"retired\": \"opted_out\"}}}, \"legalBasis\": \"consent\","
                + " \"source\": \"crm-ui\"}", Preferences.empty()));
        // a topic the tenant has since removed, still held by the contact, can be kept or opted out of
        Preferences holds = Preferences.empty().withChannelStatus(EMAIL, OPTED_IN).withTopicStatus(EMAIL, "retired", OPTED_IN);
        PreferencesUpdate u = valid("{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"retired\":"
                + " \"opted_out\"}}}, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}", holds);
        assertEquals(OPTED_OUT, u.preferences().topicStatus(EMAIL, "retired"));
        // held on email is not held on sms
        assertEquals(List.of("/channels/sms/topics/retired"), pointers("{\"channels\": {\"email\": {\"status\":"
                + " \"opted_in\", \"topics\": {\"retired\": \"opted_in\"}}, \"sms\": {\"topics\": {\"retired\":"
                + " \"opted_in\"}}}, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}", holds));
        // topic keys with ~ and / are escaped in the pointer (RFC 6901)
        assertEquals(List.of("/channels/email/topics/a~1b~0c"), pointers("{\"channels\": {\"email\": {\"topics\":"
                + " {\"a/b~c\": \"opted_in\"}}}}", Preferences.empty()));
    }

    @Test
    void atMostFiftyTopicsPerChannel() {
        Set<String> many = new java.util.HashSet<>();
        StringBuilder fifty = new StringBuilder();
        for (int i = 0; i < Preferences.MAX_TOPICS_PER_CHANNEL + 1; i++) {
            many.add("topic-" + i);
            if (i < Preferences.MAX_TOPICS_PER_CHANNEL) {
                fifty.append(i == 0 ? "" : ", ").append("\"topic-").append(i).append("\": \"opted_in\"");
            }
        }
        String ok = "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {" + fifty + "}}},"
                + " \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}";
        Violations v = new Violations();
        PreferencesUpdate u = PreferencesUpdate.parse(Json.parse(ok), Preferences.empty(), CONTACT, many, v);
        assertTrue(v.isEmpty(), v.items()::toString);
        assertEquals(50, u.preferences().channel(EMAIL).topics().size());
        String tooMany = ok.replace("}}}", ", \"topic-50\": \"opted_in\"}}}");
        v = new Violations();
        assertNull(PreferencesUpdate.parse(Json.parse(tooMany), Preferences.empty(), CONTACT, many, v));
        assertEquals(List.of(Map.of("pointer", "/channels/email/topics", "detail", "must have at most 50 topics")),
                v.items());
    }

    @Test
    void readOnlyFieldsMayComeBackUnchangedOnly() {
        Preferences stored = Preferences.empty().withChannelStatus(EMAIL, OPTED_IN).withVersion(4);
        valid("{\"channels\": {\"email\": {\"status\": \"opted_in\"}}, \"version\": 4, \"contactId\": \"" + CONTACT + "\"}",
                stored);
        assertEquals(List.of("/version: read-only field; it cannot be changed",
                "/contactId: read-only field; it cannot be changed"), problems("{\"channels\": {\"email\": {\"status\":"
                        + " \"opted_in\"}}, \"version\": 5, \"contactId\": \"c_other\"}", stored));
        assertEquals(List.of("/version"), pointers("{\"channels\": {}, \"version\": 4}", Preferences.empty()));
    }

    @Test
    void legalBasisAndSourceAreRequiredWhenConsentChanges() {
        Preferences stored = Preferences.empty().withChannelStatus(EMAIL, OPTED_IN);
        assertEquals(List.of("/legalBasis: required when the request changes a consent status; one of consent, contract,"
                + " legal_obligation, vital_interests, public_task, legitimate_interests",
                "/source: required when the request changes a consent status (where the change came from, e.g. crm-ui)"),
                problems("{\"channels\": {\"email\": {\"status\": \"opted_out\"}}}", stored));
        assertEquals(List.of("/source"), pointers("{\"channels\": {\"email\": {\"status\": \"opted_out\"}},"
                + " \"legalBasis\": \"consent\"}", stored));
        // only quiet hours change: nothing for the ledger, nothing required
        PreferencesUpdate u = valid("{\"channels\": {\"email\": {\"status\": \"opted_in\"}}, \"quietHours\":"
                + " {\"start\": \"22:00\", \"end\": \"07:00\"}}", stored);
        assertEquals(QuietHours.of("22:00", "07:00"), u.preferences().quietHours());
        // given anyway, they are validated and kept
        assertEquals(List.of("/source"), pointers("{\"channels\": {}, \"source\": \"\"}", Preferences.empty()));
        assertEquals(List.of("/source"), pointers("{\"channels\": {}, \"source\": \"" + "s".repeat(101) + "\"}",
                Preferences.empty()));
        assertEquals("s".repeat(100), valid("{\"channels\": {}, \"source\": \"" + "s".repeat(100) + "\"}",
                Preferences.empty()).source());
    }

    @Test
    void theBodyMustBeAnObjectWithChannels() {
        assertEquals(List.of(": the body must be a JSON object", "/channels: required"),
                problems("[1, 2]", Preferences.empty()));
        assertEquals(List.of("/channels: required"), problems("{}", Preferences.empty()));
        assertEquals(List.of("/channels: must be an object"), problems("{\"channels\": []}", Preferences.empty()));
        assertEquals(Preferences.empty(), valid("{\"channels\": {}}", Preferences.empty()).preferences());
    }

    @Test
    void existingViolationsOfTheCallerDoNotHideAValidBody() {
        Violations v = new Violations().header("If-Match", "stale");
        assertNotNull(PreferencesUpdate.parse(Json.parse("{\"channels\": {}}"), Preferences.empty(), CONTACT, TOPICS, v));
        assertEquals(1, v.items().size());
    }
}
