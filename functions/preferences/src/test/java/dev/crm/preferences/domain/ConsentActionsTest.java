package dev.crm.preferences.domain;

import dev.crm.shared.consent.Preferences;
import static dev.crm.shared.consent.Channel.EMAIL;
import static dev.crm.shared.consent.Channel.SMS;
import static dev.crm.shared.consent.ConsentStatus.OPTED_IN;
import static dev.crm.shared.consent.ConsentStatus.OPTED_OUT;
import static dev.crm.shared.consent.ConsentStatus.PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConsentActionsTest {
    @Test
    void aSubscriptionMakesWhatIsNotOptedInPending() {
        Preferences p = Preferences.empty().withTopicStatus(EMAIL, "offers", OPTED_IN).withTopicStatus(EMAIL, "events", OPTED_OUT);
        Preferences s = ConsentActions.subscribe(p, EMAIL, List.of("newsletter", "offers", "events"));
        assertEquals(PENDING, s.channelStatus(EMAIL));
        assertEquals(PENDING, s.topicStatus(EMAIL, "newsletter"));
        assertEquals(OPTED_IN, s.topicStatus(EMAIL, "offers"), "already opted in stays");
        assertEquals(PENDING, s.topicStatus(EMAIL, "events"), "asking again after an opt-out is a new request");
        assertTrue(ConsentActions.awaitsConfirmation(s, EMAIL, List.of("offers")), "the channel is pending");

        Preferences opted = Preferences.empty().withChannelStatus(EMAIL, OPTED_IN).withTopicStatus(EMAIL, "offers", OPTED_IN);
        assertEquals(opted, ConsentActions.subscribe(opted, EMAIL, List.of("offers")));
        assertFalse(ConsentActions.awaitsConfirmation(opted, EMAIL, List.of("offers")));
    }

    @Test
    void aConfirmationTurnsOnlyTheSubscriptionsPendingStatusesIntoOptedIn() {
        Preferences pending = ConsentActions.subscribe(Preferences.empty(), EMAIL, List.of("newsletter", "offers"))
                .withTopicStatus(EMAIL, "events", PENDING);
        // the contact opted out of offers in the preference centre before confirming
        Preferences changedMind = pending.withTopicStatus(EMAIL, "offers", OPTED_OUT);
        Preferences confirmed = ConsentActions.confirm(changedMind, EMAIL, List.of("newsletter", "offers"));
        assertEquals(OPTED_IN, confirmed.channelStatus(EMAIL));
        assertEquals(OPTED_IN, confirmed.topicStatus(EMAIL, "newsletter"));
        assertEquals(OPTED_OUT, confirmed.topicStatus(EMAIL, "offers"), "a later explicit choice wins");
        assertEquals(PENDING, confirmed.topicStatus(EMAIL, "events"), "not part of this subscription");
        assertEquals(confirmed, ConsentActions.confirm(confirmed, EMAIL, List.of("newsletter", "offers")), "idempotent");
    }

    @Test
    void unsubscribeAndSuppressChangeOneStatusOnly() {
        Preferences p = Preferences.empty().withChannelStatus(EMAIL, OPTED_IN).withTopicStatus(EMAIL, "newsletter", OPTED_IN)
                .withTopicStatus(EMAIL, "offers", OPTED_IN).withChannelStatus(SMS, OPTED_IN);
        Preferences topic = ConsentActions.unsubscribe(p, EMAIL, "newsletter");
        assertEquals(List.of(new ConsentChange(EMAIL, "newsletter", OPTED_IN, OPTED_OUT)), ConsentChanges.between(p, topic));
        Preferences channel = ConsentActions.unsubscribe(p, EMAIL, null);
        assertEquals(List.of(new ConsentChange(EMAIL, null, OPTED_IN, OPTED_OUT)), ConsentChanges.between(p, channel));
        assertEquals(channel, ConsentActions.suppress(p, EMAIL));
        // a topic the contact never had is recorded as refused
        assertEquals(OPTED_OUT, ConsentActions.unsubscribe(Preferences.empty(), EMAIL, "events").topicStatus(EMAIL, "events"));
    }

    @Test
    void theTopicCapPerChannelIsNeverExceeded() {
        Preferences full = Preferences.empty();
        for (int i = 0; i < Preferences.MAX_TOPICS_PER_CHANNEL; i++) {
            full = full.withTopicStatus(EMAIL, "t" + i, OPTED_IN);
        }
        Preferences subscribed = ConsentActions.subscribe(full, EMAIL, List.of("one-more"));
        assertNull(subscribed.topicStatus(EMAIL, "one-more"));
        assertEquals(PENDING, subscribed.channelStatus(EMAIL));
        assertSame(full, ConsentActions.unsubscribe(full, EMAIL, "one-more"));
        assertEquals(OPTED_OUT, ConsentActions.unsubscribe(full, EMAIL, "t0").topicStatus(EMAIL, "t0"));
    }
}
