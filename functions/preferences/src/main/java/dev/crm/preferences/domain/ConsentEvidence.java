package dev.crm.preferences.domain;

import java.util.Objects;

/**
 * Who made a set of consent changes and on what grounds: what every ledger entry of one request records
 * besides the change itself.
 *
 * @param actor          {@code key:<key id>}, {@code contact} or {@code system} (see {@link LedgerEntry})
 * @param legalBasis     null only for the product's own changes (bounces, complaints)
 * @param wordingVersion the consent wording version the contact saw; null when none was shown
 * @param ip             the client address, for public forms only
 * @param userAgent      the client's User-Agent, for public forms only; cut to {@link #MAX_USER_AGENT_LENGTH}
 */
public record ConsentEvidence(String actor, LegalBasis legalBasis, String source, String wordingVersion, String ip,
        String userAgent) {
    public static final String CONTACT = "contact";
    public static final String SYSTEM = "system";
    public static final int MAX_USER_AGENT_LENGTH = 512;
    public static final int MAX_IP_LENGTH = 64;

    /** Sources the product itself records (API clients name their own, e.g. {@code crm-ui}). */
    public static final String SOURCE_SUBSCRIBE_FORM = "subscribe_form";
    public static final String SOURCE_DOUBLE_OPT_IN = "double_opt_in";
    public static final String SOURCE_PREFERENCE_CENTRE = "preference_centre";
    public static final String SOURCE_ONE_CLICK_UNSUBSCRIBE = "one_click_unsubscribe";
    public static final String SOURCE_BOUNCE = "bounce";
    public static final String SOURCE_COMPLAINT = "complaint";

    public ConsentEvidence {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(source, "source");
        ip = cut(ip, MAX_IP_LENGTH);
        userAgent = cut(userAgent, MAX_USER_AGENT_LENGTH);
    }

    /** A change made through the API with a tenant's key. */
    public static ConsentEvidence apiKey(String keyId, LegalBasis legalBasis, String source) {
        return new ConsentEvidence("key:" + (keyId == null ? "unknown" : keyId), legalBasis, source, null, null, null);
    }

    /** A change the contact made through a signed link or a public form. */
    public static ConsentEvidence contact(String source, String wordingVersion, String ip, String userAgent) {
        return new ConsentEvidence(CONTACT, LegalBasis.CONSENT, source, wordingVersion, ip, userAgent);
    }

    /** A change the product made on its own (a bounce, a complaint): no declared legal basis. */
    public static ConsentEvidence system(String source) {
        return new ConsentEvidence(SYSTEM, null, source, null, null, null);
    }

    public LedgerEntry entry(String entryId, String contactId, java.time.Instant at, ConsentChange change) {
        return LedgerEntry.of(entryId, contactId, at, actor, change, legalBasis, source, wordingVersion, ip, userAgent);
    }

    private static String cut(String s, int max) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        return s.length() <= max ? s : s.substring(0, max);
    }
}
