package dev.crm.preferences.domain;

import dev.crm.shared.jobs.NdjsonLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.shared.consent.Preferences;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The import's rule for a line older than what is recorded, and the file's limits. */
class ConsentImportTest {
    private static final Instant LINE_AT = Instant.parse("2026-09-01T10:00:00Z");
    private static final Instant LATER = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant EARLIER = Instant.parse("2026-08-01T10:00:00Z");

    @Test
    void aStatusChangedAfterTheLineKeepsItsNewerValueAndTheRestOfTheLineApplies() {
        Preferences current = Preferences.empty().withChannelStatus(Channel.EMAIL, ConsentStatus.OPTED_OUT)
                .withTopicStatus(Channel.EMAIL, "news", ConsentStatus.OPTED_IN);
        Preferences wanted = Preferences.empty().withChannelStatus(Channel.EMAIL, ConsentStatus.OPTED_IN)
                .withChannelStatus(Channel.SMS, ConsentStatus.OPTED_IN);
        Preferences kept = ConsentImport.keepNewer(current, wanted, LINE_AT, Map.of(
                ConsentImport.statusKey(Channel.EMAIL, null), LATER,
                ConsentImport.statusKey(Channel.EMAIL, "news"), EARLIER), LATER);
        assertEquals(ConsentStatus.OPTED_OUT, kept.channelStatus(Channel.EMAIL), "changed later: kept");
        assertNull(kept.topicStatus(Channel.EMAIL, "news"), "changed before the line: the line's (absent) applies");
        assertEquals(ConsentStatus.OPTED_IN, kept.channelStatus(Channel.SMS), "never recorded: the line's applies");
    }

    @Test
    void aLineAtTheSameInstantAsTheLastChangeApplies() {
        Preferences current = Preferences.empty().withChannelStatus(Channel.EMAIL, ConsentStatus.OPTED_OUT);
        Preferences wanted = Preferences.empty().withChannelStatus(Channel.EMAIL, ConsentStatus.OPTED_IN);
        assertEquals(wanted, ConsentImport.keepNewer(current, wanted, LINE_AT,
                Map.of(ConsentImport.statusKey(Channel.EMAIL, null), LINE_AT), LINE_AT));
    }

    @Test
    void anEmptyFileOrTooManyLinesIsRefusedAsAWholeAndLinesCountNonBlankLines() {
        assertThrows(NdjsonLines.Unreadable.class, () -> ConsentImport.ndjsonLines(" \n\r\n"));
        assertThrows(NdjsonLines.Unreadable.class, () -> ConsentImport.ndjsonLines("{}\n".repeat(ConsentImport.MAX_LINES + 1)));
        var lines = ConsentImport.ndjsonLines("{\"a\": 1}\n\n  \n{\"b\": 2}\r\n");
        assertEquals(2, lines.size());
        assertEquals(2, lines.get(1).line());
    }
}
