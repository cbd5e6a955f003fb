package dev.crm.preferences.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.shared.json.Times;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One consent-ledger entry: who changed which status, when, from what to what, and on what grounds.
 * Appended in the same transaction as the state change and never updated (erasure aside), so the
 * ledger is the proof of every consent the contact's state claims.
 *
 * @param actor          who made the change: {@code key:<key id>} for an API key, {@code contact} for the
 *                       contact through a signed link or form, {@code system} for the product itself
 *                       (bounces, complaints)
 * @param topic          null for the channel's own status
 * @param oldStatus      null when there was no status
 * @param newStatus      null when the status was removed
 * @param legalBasis     null only for changes the product makes without a declared basis (e.g. a bounce)
 * @param source         where the change came from, e.g. {@code crm-ui}, {@code preference-centre},
 *                       {@code bounce}
 * @param wordingVersion the version of the consent wording the contact saw; null when none was shown
 * @param ip             the client address, recorded for public forms only
 * @param userAgent      the client's User-Agent, recorded for public forms only
 */
public record LedgerEntry(String entryId, String contactId, Instant at, String actor, Channel channel, String topic,
        ConsentStatus oldStatus, ConsentStatus newStatus, LegalBasis legalBasis, String source, String wordingVersion,
        String ip, String userAgent) {

    public LedgerEntry {
        Objects.requireNonNull(entryId, "entryId");
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(source, "source");
        new ConsentChange(channel, topic, oldStatus, newStatus); // the same invariants as a change
    }

    /** The entry recording {@code change}, made by {@code actor} at {@code at}. */
    public static LedgerEntry of(String entryId, String contactId, Instant at, String actor, ConsentChange change,
            LegalBasis legalBasis, String source, String wordingVersion, String ip, String userAgent) {
        return new LedgerEntry(entryId, contactId, at, actor, change.channel(), change.topic(), change.oldStatus(),
                change.newStatus(), legalBasis, source, wordingVersion, ip, userAgent);
    }

    public ConsentChange change() {
        return new ConsentChange(channel, topic, oldStatus, newStatus);
    }

    /** The consent-history item: every field, nulls included, in wire form. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", entryId);
        m.put("contactId", contactId);
        m.put("at", Times.format(at));
        m.put("actor", actor);
        m.put("channel", channel.wire());
        m.put("topic", topic);
        m.put("oldStatus", oldStatus == null ? null : oldStatus.wire());
        m.put("newStatus", newStatus == null ? null : newStatus.wire());
        m.put("legalBasis", legalBasis == null ? null : legalBasis.wire());
        m.put("source", source);
        m.put("wordingVersion", wordingVersion);
        m.put("ip", ip);
        m.put("userAgent", userAgent);
        return m;
    }
}
