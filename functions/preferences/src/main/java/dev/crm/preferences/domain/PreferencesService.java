package dev.crm.preferences.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.DecisionReason;
import dev.crm.shared.consent.Decision;
import dev.crm.shared.consent.FrequencyCap;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.consent.MessageClass;
import dev.crm.shared.consent.Send;
import dev.crm.shared.consent.RecordedSend;
import dev.crm.shared.store.Backoff;
import dev.crm.shared.contact.AddressSuppression;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The preferences use cases: every consent change goes through {@link #replace} or {@link #modify}, which
 * write the new state together with one ledger entry (and one timeline entry) per change, conditioned on
 * the version they read, so concurrent writers never lose a change and the ledger always explains the state.
 */
public final class PreferencesService {
    /**
     * One write is one transaction of at most 100 items: the contact check, the state, a token's
     * used-marker and the suppression it lifts, and two items (ledger, timeline) per change. So one request changes at most 48 statuses;
     * a bigger change is split by the client into several PUTs.
     */
    public static final int MAX_CONSENT_CHANGES_PER_WRITE = (PreferencesRepository.MAX_TRANSACTION_ITEMS - 4) / 2;
    /**
     * Read-modify-write attempts when other writers keep moving the version (public and system changes):
     * every round lets at least one of the concurrent writers through, and the jittered pauses spread
     * them out, so twenty rounds absorb bursts far beyond what one contact sees.
     */
    static final int ATTEMPTS = 20;
    /** The preference centre and the confirmation page show every topic: a tenant has at most this many. */
    static final int MAX_TOPICS_SHOWN = Topic.MAX_PER_TENANT;

    private final PreferencesRepository repository;
    private final Clock clock;

    public PreferencesService(PreferencesRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** A stored state and the consent changes the write made (none when nothing changed). */
    public record Written(Preferences preferences, List<ConsentChange> changes) {}

    /** @return the contact's state (never written: empty, version 0), or null when the contact does not exist */
    public Preferences get(TenantId t, String contactId) {
        if (repository.findContact(t, contactId) == null) {
            return null;
        }
        return repository.find(t, contactId);
    }

    /**
     * Replaces the state with a complete new one ({@code PUT}). A body with problems writes nothing: they
     * are added to {@code violations} and the result is null. A body that changes nothing writes nothing.
     *
     * @param ifMatch  the version the client read
     * @param evidence who makes the changes, given the parsed update (its legal basis and source)
     * @throws StoreException.NotFound        the contact does not exist (or is being erased)
     * @throws StoreException.VersionConflict the state is no longer at {@code ifMatch}
     * @throws StoreException.Contention      other writers kept the write from going through
     */
    public Written replace(TenantId t, String contactId, long ifMatch, Object body, Violations violations,
            Function<PreferencesUpdate, ConsentEvidence> evidence) {
        if (repository.findContact(t, contactId) == null) {
            throw new StoreException.NotFound();
        }
        Set<String> topics = repository.topicKeys(t);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Preferences current = repository.find(t, contactId);
            if (current.version() != ifMatch) {
                throw new StoreException.VersionConflict();
            }
            PreferencesUpdate update = PreferencesUpdate.parse(body, current, contactId, topics, violations);
            if (update == null) {
                return null;
            }
            List<ConsentChange> changes = update.changesFrom(current);
            if (changes.size() > MAX_CONSENT_CHANGES_PER_WRITE) {
                violations.pointer("/channels", "changes " + changes.size() + " consent statuses; one request may change"
                        + " at most " + MAX_CONSENT_CHANGES_PER_WRITE + " (send the rest in a second request)");
                return null;
            }
            if (update.preferences().equals(current)) {
                return new Written(current, List.of());
            }
            try {
                // Without a consent change there is nothing to record, and legal basis and source may be absent.
                return write(t, contactId, current, update.preferences(), changes,
                        changes.isEmpty() ? null : evidence.apply(update), null);
            } catch (StoreException.Contention e) {
                // Another transaction touched the contact's items: if it moved the version, the next read
                // answers 412; if not, the write is simply tried again.
                Backoff.JITTER.pause(attempt);
            }
        }
        throw new StoreException.Contention();
    }

    /**
     * Applies a change the product makes for the contact (subscribe, confirm, unsubscribe) or on its own
     * (bounce): read, change, write conditioned on the version read, again on a conflict. A change that
     * changes nothing writes nothing, except that a single-use token is still used up.
     *
     * @throws StoreException.NotFound   the contact does not exist (or is being erased)
     * @throws TokenUsed                 the token was used already
     * @throws StoreException.Contention other writers kept the write from going through
     */
    public Written modify(TenantId t, String contactId, UnaryOperator<Preferences> action, ConsentEvidence evidence,
            TokenUse token) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Preferences current = repository.find(t, contactId);
            Preferences next = action.apply(current);
            List<ConsentChange> changes = ConsentChanges.between(current, next);
            if (changes.isEmpty() && token == null) {
                return new Written(current, List.of());
            }
            try {
                return write(t, contactId, current, changes.isEmpty() ? null : next, changes, evidence, token);
            } catch (StoreException.VersionConflict | StoreException.Contention e) {
                Backoff.JITTER.pause(attempt);
            }
        }
        throw new StoreException.Contention();
    }

    private Written write(TenantId t, String contactId, Preferences current, Preferences next,
            List<ConsentChange> changes, ConsentEvidence evidence, TokenUse token) {
        if (changes.size() > MAX_CONSENT_CHANGES_PER_WRITE) {
            throw new IllegalArgumentException("too many consent changes for one write: " + changes.size());
        }
        Instant now = clock.instant();
        // One random stem per write and the position as a suffix: entries of one write sort in their order.
        String stem = Ids.random("l_", 16);
        List<LedgerEntry> entries = new ArrayList<>(changes.size());
        for (int i = 0; i < changes.size(); i++) {
            String suffix = Integer.toString(i, 32);
            entries.add(evidence.entry(stem + "0".repeat(4 - suffix.length()) + suffix, contactId, now, changes.get(i)));
        }
        repository.write(t, contactId, current.version(), next, entries, token, now);
        return new Written(next == null ? current : next.withVersion(current.version() + 1), changes);
    }

    /**
     * A page of the contact's consent ledger by time, oldest first.
     *
     * @throws StoreException.NotFound the contact does not exist (or is being erased)
     */
    public Slice<LedgerEntry> history(TenantId t, String contactId, int limit, Cursor from) {
        if (repository.findContact(t, contactId) == null) {
            throw new StoreException.NotFound();
        }
        return repository.history(t, contactId, limit, from);
    }

    // ---- topics ----

    /**
     * @throws StoreException.UniqueViolation the key is taken
     * @throws StoreException.LimitReached    the tenant has {@link Topic#MAX_PER_TENANT} topics
     * @throws StoreException.Contention      concurrent creates kept clashing
     */
    public void createTopic(TenantId t, Topic topic) {
        repository.createTopic(t, topic);
    }

    /**
     * Creates the topic. On a re-run of a keyed request whose first run left no answer ({@code rerun}),
     * a topic with the same key, name and description is taken for that first run's and returned
     * (topic keys are the client's, so the id cannot derive from the Idempotency-Key).
     *
     * @return the topic as stored
     * @throws StoreException.UniqueViolation when another topic holds the key
     */
    public Topic createTopic(TenantId t, Topic topic, boolean rerun) {
        try {
            repository.createTopic(t, topic);
            return topic;
        } catch (StoreException.UniqueViolation e) {
            Topic existing = rerun ? topic(t, topic.key()) : null;
            if (existing != null && existing.name().equals(topic.name())
                    && java.util.Objects.equals(existing.description(), topic.description())) {
                return existing;
            }
            throw e;
        }
    }

    /** The tenant's topic with this key, or null (topics are few: at most {@link Topic#MAX_PER_TENANT}). */
    Topic topic(TenantId t, String key) {
        Cursor from = null;
        do {
            Slice<Topic> page = repository.topics(t, Topic.MAX_PER_TENANT, from);
            for (Topic topic : page.items()) {
                if (topic.key().equals(key)) {
                    return topic;
                }
            }
            from = page.next();
        } while (from != null);
        return null;
    }

    public Slice<Topic> topics(TenantId t, int limit, Cursor from) {
        return repository.topics(t, limit, from);
    }

    /** The keys of the tenant's topics, which a subscription may name. */
    public Set<String> topicKeys(TenantId t) {
        return repository.topicKeys(t);
    }

    // ---- double opt-in, unsubscribe, suppression ----

    /**
     * Who subscribed, and whether a confirmation is to be sent: for what is not opted in to yet, and
     * always for an address suppressed by an erasure (only its owner's confirmation lifts that).
     */
    public record Subscription(String contactId, boolean awaitsConfirmation) {}

    /**
     * Counts a sign-up against the per-client and the per-address limits, in that order; a request over
     * the first is not counted against the second.
     *
     * @return the limit the request exceeds, or null when it may go on
     */
    public RateLimit admitSubscription(TenantId t, String clientHash, String addressHash, Instant now) {
        if (RateLimit.SUBSCRIBE_PER_CLIENT.exceededBy(repository.countRequest(t, RateLimit.SUBSCRIBE_PER_CLIENT,
                clientHash, now))) {
            return RateLimit.SUBSCRIBE_PER_CLIENT;
        }
        if (RateLimit.SUBSCRIBE_PER_ADDRESS.exceededBy(repository.countRequest(t, RateLimit.SUBSCRIBE_PER_ADDRESS,
                addressHash, now))) {
            return RateLimit.SUBSCRIBE_PER_ADDRESS;
        }
        return null;
    }

    /**
     * Starts a double opt-in: the contact (created when the address is unknown) gets {@code pending} for
     * what it is not opted in to yet.
     *
     * @param addressPseudonym the pseudonym of the address, to find a suppression an erasure left
     * @return null when the address belongs to a contact that is not active (being erased): nothing is done
     */
    public Subscription subscribe(TenantId t, SubscribeRequest request, ConsentEvidence evidence,
            String addressPseudonym) {
        String known = repository.findContactIdByEmail(t, request.email());
        Contact contact = known != null ? repository.findContact(t, known)
                : repository.findOrCreateContactByEmail(t, request.email(), clock.instant());
        if (contact == null || contact.status() != Contact.Status.ACTIVE) {
            return null;
        }
        Written w;
        try {
            w = modify(t, contact.id(), p -> ConsentActions.subscribe(p, request.channel(), request.topics()),
                    evidence, null);
        } catch (StoreException.NotFound e) {
            return null; // erased between the lookup and the write
        }
        boolean awaits = ConsentActions.awaitsConfirmation(w.preferences(), request.channel(), request.topics());
        // An address suppressed by an erasure is confirmed even when already opted in: only the
        // confirmation, by the address's owner, lifts the suppression.
        return new Subscription(contact.id(), awaits || repository.isSuppressed(t, addressPseudonym));
    }

    /**
     * The names of the topics a confirmation link names (a key whose topic is gone shows as itself), for
     * the page that asks to confirm. Reads only: mail scanners open links.
     *
     * @throws StoreException.NotFound the contact does not exist (or is being erased)
     * @throws TokenUsed               the link was used already
     */
    public List<String> confirmationTopics(TenantId t, String contactId, String nonce, List<String> topicKeys) {
        if (repository.findContact(t, contactId) == null) {
            throw new StoreException.NotFound();
        }
        if (repository.isTokenUsed(t, contactId, nonce)) {
            throw new TokenUsed();
        }
        Map<String, String> names = new LinkedHashMap<>();
        for (Topic topic : repository.topics(t, MAX_TOPICS_SHOWN, null).items()) {
            names.put(topic.key(), topic.name());
        }
        List<String> out = new ArrayList<>();
        for (String key : topicKeys) {
            out.add(names.getOrDefault(key, key));
        }
        return out;
    }

    /**
     * Confirms a double opt-in, uses up its token and, the owner of the address having now asked for
     * messages themselves, lifts a suppression left by an earlier erasure: all in one write.
     *
     * @param secrets the tenant's, for the pseudonym of the contact's address
     * @throws StoreException.NotFound   the contact does not exist (or is being erased)
     * @throws TokenUsed                 the token was used already
     * @throws StoreException.Contention other writers kept the write from going through
     */
    public Written confirm(TenantId t, String contactId, Channel channel, List<String> topics, TokenUse token,
            ConsentEvidence evidence, TenantSecrets secrets) {
        Contact contact = repository.findContact(t, contactId);
        String addressPseudonym = contact == null || contact.data().email() == null ? null
                : AddressSuppression.ofEmail(secrets, contact.data().email());
        TokenUse use = addressPseudonym == null ? token : token.liftingSuppressionOf(addressPseudonym);
        return modify(t, contactId, p -> ConsentActions.confirm(p, channel, topics), evidence, use);
    }

    /** What the preference centre shows: the state, the tenant's topics, the contact (for its zone). */
    public record PreferenceCentre(Contact contact, Preferences preferences, List<Topic> topics) {}

    /** @return null when the contact does not exist (or is being erased) */
    public PreferenceCentre preferenceCentre(TenantId t, String contactId) {
        Contact contact = repository.findContact(t, contactId);
        if (contact == null) {
            return null;
        }
        Preferences preferences = repository.find(t, contactId);
        return new PreferenceCentre(contact, preferences, repository.topics(t, MAX_TOPICS_SHOWN, null).items());
    }

    /**
     * @param topic null to opt out of the whole channel
     * @throws StoreException.NotFound   the contact does not exist (or is being erased)
     * @throws StoreException.Contention other writers kept the write from going through
     */
    public Written unsubscribe(TenantId t, String contactId, Channel channel, String topic, ConsentEvidence evidence) {
        return modify(t, contactId, p -> ConsentActions.unsubscribe(p, channel, topic), evidence, null);
    }

    /** @throws StoreException.NotFound the contact does not exist (or is being erased) */
    public Written suppress(TenantId t, String contactId, Channel channel, ConsentEvidence evidence) {
        return modify(t, contactId, p -> ConsentActions.suppress(p, channel), evidence, null);
    }

    /**
     * Suppresses a channel for the contact with this address (a bounce or a complaint).
     *
     * @return what was written, or null when no active contact has the address
     */
    public Written suppressAddress(TenantId t, String address, Channel channel, ConsentEvidence evidence) {
        String contactId = repository.findContactIdByEmail(t, address);
        if (contactId == null) {
            return null;
        }
        try {
            return suppress(t, contactId, channel, evidence);
        } catch (StoreException.NotFound e) {
            return null; // being erased
        }
    }

    // ---- decisions, sends, links ----

    /**
     * Judges the request against the current state, the contact's zone (else the tenant's) and the sends
     * recorded on the channel from one cap period before the instant onwards. Marketing to an address
     * suppressed by an earlier erasure is refused first, whatever consent the new contact holds.
     *
     * @param secrets the tenant's, for the pseudonym of the contact's address
     * @throws StoreException.NotFound the contact does not exist (or is being erased)
     */
    public Decision decide(TenantId t, String contactId, ContactDecisionRequest request, ZoneId tenantZone,
            Map<Channel, FrequencyCap> tenantDefaultCaps, TenantSecrets secrets) {
        return dev.crm.shared.consent.SendDecisions.judge(repository, t, contactId, request.channel(), request.topic(),
                request.messageClass(), request.at(), tenantZone, tenantDefaultCaps, secrets).decision();
    }

    /** @throws StoreException.Contention concurrent reports of the same id kept clashing */
    public RecordedSend recordSend(TenantId t, String contactId, Send send) {
        return repository.recordSend(t, contactId, send, clock.instant());
    }

    /**
     * What signed links for a contact are made from: its state, and whether {@code topic} (when given) is
     * one it holds a status for or one of the tenant's topics.
     */
    public record LinkSubject(Contact contact, Preferences preferences, boolean topicKnown) {}

    /**
     * @param topic the topic a link is asked for, or null
     * @throws StoreException.NotFound the contact does not exist (or is being erased)
     */
    public LinkSubject linkSubject(TenantId t, String contactId, Channel channel, String topic) {
        Contact contact = repository.findContact(t, contactId);
        if (contact == null) {
            throw new StoreException.NotFound();
        }
        Preferences p = repository.find(t, contact.id());
        boolean known = topic == null || p.topicStatus(channel, topic) != null || repository.topicKeys(t).contains(topic);
        return new LinkSubject(contact, p, known);
    }
}
