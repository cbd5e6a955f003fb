package dev.crm.preferences.domain;

import dev.crm.preferences.store.PreferencesRepository;
import dev.crm.preferences.store.PreferencesRepository.Contention;
import dev.crm.preferences.store.PreferencesRepository.RecordedSend;
import dev.crm.preferences.store.PreferencesRepository.TokenUse;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
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
     * One write is one DynamoDB transaction of at most 100 items: the contact check, the state, a token's
     * used-marker, and two items (ledger, timeline) per change. So one request changes at most 48 statuses;
     * a bigger change is split by the client into several PUTs.
     */
    public static final int MAX_CONSENT_CHANGES_PER_WRITE = (PreferencesRepository.MAX_TRANSACTION_ITEMS - 3) / 2;
    /**
     * Read-modify-write attempts when other writers keep moving the version (public and system changes):
     * every round lets at least one of the concurrent writers through, and the jittered pauses spread
     * them out, so twenty rounds absorb bursts far beyond what one contact sees.
     */
    private static final int ATTEMPTS = 20;

    private final PreferencesRepository repository;
    private final Clock clock;

    public PreferencesService(PreferencesRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public PreferencesRepository repository() {
        return repository;
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
            } catch (Contention e) {
                // Another transaction touched the contact's items: if it moved the version, the next read
                // answers 412; if not, the write is simply tried again.
                pause(attempt);
            }
        }
        throw new Contention();
    }

    /**
     * Applies a change the product makes for the contact (subscribe, confirm, unsubscribe) or on its own
     * (bounce): read, change, write conditioned on the version read, again on a conflict. A change that
     * changes nothing writes nothing, except that a single-use token is still used up.
     *
     * @throws StoreException.NotFound      the contact does not exist (or is being erased)
     * @throws PreferencesRepository.TokenUsed the token was used already
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
            } catch (StoreException.VersionConflict | Contention e) {
                pause(attempt);
            }
        }
        throw new Contention();
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

    private static void pause(int attempt) {
        try {
            Thread.sleep(2L * attempt + ThreadLocalRandom.current().nextInt(5 + 5 * Math.min(attempt, 8)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- double opt-in, unsubscribe, suppression ----

    /** Who subscribed, and whether a confirmation is still needed (nothing is when all was opted in already). */
    public record Subscription(String contactId, boolean awaitsConfirmation) {}

    /**
     * Starts a double opt-in: the contact (created when the address is unknown) gets {@code pending} for
     * what it is not opted in to yet.
     *
     * @return null when the address belongs to a contact that is not active (being erased): nothing is done
     */
    public Subscription subscribe(TenantId t, SubscribeRequest request, ConsentEvidence evidence) {
        String known = repository.findContactIdByEmail(t, request.email());
        Contact contact = known != null ? repository.findContact(t, known)
                : repository.findOrCreateContactByEmail(t, request.email(), clock.instant());
        if (contact == null || contact.status() != Contact.Status.ACTIVE) {
            return null;
        }
        try {
            Written w = modify(t, contact.id(), p -> ConsentActions.subscribe(p, request.channel(), request.topics()),
                    evidence, null);
            return new Subscription(contact.id(),
                    ConsentActions.awaitsConfirmation(w.preferences(), request.channel(), request.topics()));
        } catch (StoreException.NotFound e) {
            return null; // erased between the lookup and the write
        }
    }

    /**
     * Confirms a double opt-in and uses up its token, in one write. The owner of the address has now
     * asked for messages themselves, so a suppression left by an earlier erasure is lifted.
     *
     * @param addressPseudonym the pseudonym of the contact's address, or null when it has none
     */
    public Written confirm(TenantId t, String contactId, Channel channel, List<String> topics, TokenUse token,
            ConsentEvidence evidence, String addressPseudonym) {
        Written w = modify(t, contactId, p -> ConsentActions.confirm(p, channel, topics), evidence, token);
        if (addressPseudonym != null) {
            repository.liftSuppression(t, addressPseudonym);
        }
        return w;
    }

    /** @param topic null to opt out of the whole channel */
    public Written unsubscribe(TenantId t, String contactId, Channel channel, String topic, ConsentEvidence evidence) {
        return modify(t, contactId, p -> ConsentActions.unsubscribe(p, channel, topic), evidence, null);
    }

    public Written suppress(TenantId t, String contactId, Channel channel, ConsentEvidence evidence) {
        return modify(t, contactId, p -> ConsentActions.suppress(p, channel), evidence, null);
    }

    // ---- decisions and sends ----

    /**
     * Judges the request against the current state, the contact's zone (else the tenant's) and the sends
     * recorded on the channel from one cap period before the instant onwards. Marketing to an address
     * suppressed by an earlier erasure is refused first, whatever consent the new contact holds.
     *
     * @param addressPseudonym the pseudonym of the contact's address, or null when it has none
     */
    public Decision decide(TenantId t, Contact contact, ContactDecisionRequest request, ZoneId tenantZone,
            Map<Channel, FrequencyCap> tenantDefaultCaps, String addressPseudonym) {
        if (request.messageClass() == MessageClass.MARKETING && addressPseudonym != null
                && repository.isSuppressed(t, addressPseudonym)) {
            return Decision.deny(DecisionReason.SUPPRESSED, null);
        }
        Preferences preferences = repository.find(t, contact.id());
        FrequencyCap cap = request.messageClass() == MessageClass.MARKETING
                ? preferences.capFor(request.channel(), tenantDefaultCaps) : null;
        List<Instant> sends = cap == null ? List.of()
                : repository.sends(t, contact.id(), request.channel(), request.at().minus(cap.period()));
        return request.decide(preferences, contact.zone(tenantZone), tenantDefaultCaps, sends);
    }

    public RecordedSend recordSend(TenantId t, String contactId, Send send) {
        return repository.recordSend(t, contactId, send, clock.instant());
    }
}
