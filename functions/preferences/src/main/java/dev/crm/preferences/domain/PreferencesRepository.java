package dev.crm.preferences.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.consent.Send;
import dev.crm.shared.consent.RecordedSend;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Preferences, the consent ledger, recorded sends, topics and rate counters. Everything about one
 * contact lives with the contact (so erasure finds it); topics and rate counters are the tenant's.
 */
public interface PreferencesRepository extends dev.crm.shared.consent.ConsentRepository {
    /** At most this many items go into one consent write (one all-or-nothing unit of the store). */
    int MAX_TRANSACTION_ITEMS = 100;

    // ---- contacts (owned by the contacts function) ----

    /** @return the active contact, or null when it does not exist or is being erased */
    Contact findContact(TenantId t, String contactId);

    /** @return the id of the contact with this address, or null */
    String findContactIdByEmail(TenantId t, String email);

    /**
     * The contact with this address, created as a subscriber when there is none.
     *
     * @return null when the address is held by a contact being erased (nothing is created)
     */
    Contact findOrCreateContactByEmail(TenantId t, String email, Instant now);

    // ---- address suppression (written by the contacts function's erasure) ----

    /** Whether an erased contact's address, by its pseudonym, is suppressed for marketing. */
    boolean isSuppressed(TenantId t, String addressPseudonym);

    // ---- preferences and the ledger ----

    /** @return the stored state, or {@link Preferences#empty()} (version 0) when never written */
    Preferences find(TenantId t, String contactId);

    /**
     * One consent write, all or nothing: the new state (with {@code expectedVersion + 1}) and one ledger
     * entry and one timeline entry per change; the contact must be active; a single-use token, when
     * given, is marked used and the suppression it lifts ({@link TokenUse#liftsSuppression()}) removed.
     * At most {@link #MAX_TRANSACTION_ITEMS} items: 2 fixed, 2 for a token, 2 per entry.
     *
     * @param next null when the state itself does not change (a confirmation with nothing pending still
     *             uses up its token)
     * @throws StoreException.VersionConflict the state is no longer at {@code expectedVersion}
     * @throws StoreException.NotFound        the contact does not exist or is not active
     * @throws TokenUsed                      the token was already used
     * @throws StoreException.Contention      another write touched the same items; retry
     */
    void write(TenantId t, String contactId, long expectedVersion, Preferences next, List<LedgerEntry> entries,
            TokenUse token, Instant now);

    /** Whether a single-use token was already used. */
    boolean isTokenUsed(TenantId t, String contactId, String nonce);

    /** The ledger in append order (the order a replay needs), oldest first. */
    List<LedgerEntry> ledger(TenantId t, String contactId);

    /** A page of the ledger by time, oldest first; {@code from} is the previous page's {@link Slice#next()}. */
    Slice<LedgerEntry> history(TenantId t, String contactId, int limit, Cursor from);

    // ---- sends ----

    /**
     * Records a send once per id: a replay of the same send answers the stored one, another send under
     * the same id a conflict.
     *
     * @throws StoreException.Contention concurrent reports of the same id kept clashing
     */
    RecordedSend recordSend(TenantId t, String contactId, Send send, Instant now);

    /** The instants of the sends on a channel at or after {@code from} (later ones included), in order. */
    List<Instant> sends(TenantId t, String contactId, Channel channel, Instant from);

    // ---- topics ----

    /**
     * @throws StoreException.UniqueViolation the key is taken
     * @throws StoreException.LimitReached    the tenant has {@link Topic#MAX_PER_TENANT} topics
     * @throws StoreException.Contention      concurrent creates kept clashing
     */
    void createTopic(TenantId t, Topic topic);

    /** A page of the tenant's topics in key order. */
    Slice<Topic> topics(TenantId t, int limit, Cursor from);

    Set<String> topicKeys(TenantId t);

    // ---- rate counters ----

    /**
     * Counts one request of a subject (a hashed address or client) against a limit, in the limit's
     * window around {@code now}, and returns the window's count including it.
     */
    long countRequest(TenantId t, RateLimit limit, String subjectHash, Instant now);
}
