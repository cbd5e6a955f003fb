package dev.crm.contacts.domain;

import dev.crm.shared.contact.AddressSuppression;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Erasure and anonymisation of one contact, as resumable job steps.
 *
 * <p>Erasure removes every item of the contact. What must remain is kept without personal data,
 * under a keyed hash (HMAC with the tenant's pseudonym key) of the address: a suppression entry so
 * the address is never contacted again, the fact of the erasure, and the consent-ledger entries,
 * copied without contact id, IP address or user agent. Items elsewhere that reference the contact
 * (survey responses) lose the link and their personal values; their scores stay in the aggregates.
 * The contact's service cases (found through their links in the contact's partition) are deleted
 * whole, with their history, before the contact's own items.
 *
 * <p>Anonymisation keeps the contact and its aggregates (purchases, scores, lifecycle stage) but
 * strips every personal field and free text, and pseudonymises the ledger the same way.
 */
public final class ContactErasure {
    public static final String ERASURE = "contact_erasure";
    public static final String ANONYMIZATION = "contact_anonymization";
    static final int PAGE = 100;

    private final PrivacyRepository jobs;
    private final Clock clock;

    public ContactErasure(PrivacyRepository jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    /** The keyed hash under which an address survives its erasure. */
    public static String pseudonym(TenantSecrets secrets, Contact c) {
        return AddressSuppression.pseudonym(secrets, c);
    }

    public static String pseudonymOfEmail(TenantSecrets secrets, String email) {
        return AddressSuppression.ofEmail(secrets, email);
    }

    public JobRunner.Step step(TenantId t, TenantSecrets secrets, Job job) {
        boolean erase = ERASURE.equals(job.kind());
        String contactId = (String) job.input().get("contactId");
        Map<String, Object> cp = job.checkpoint();
        String phase = (String) cp.getOrDefault("phase", "start");
        String pseudonym = (String) cp.get("pseudonym");
        // A checkpoint written before cursors were opaque held the resume key as a map: such a
        // step starts its phase again, which is harmless (every step may be replayed).
        Cursor from = cp.get("from") instanceof String f && !f.isEmpty() ? new Cursor(f) : null;
        long done = job.done();
        switch (phase) {
            case "start": {
                Contact c = jobs.findAnyState(t, contactId);
                if (c == null) {
                    return JobRunner.Step.finished(done, done, Map.of("deletedItems", done));
                }
                pseudonym = pseudonym(secrets, c);
                if (c.data().email() != null || erase) {
                    jobs.suppress(t, pseudonym, erase ? "erasure" : "anonymization", job.id(), clock.instant());
                }
                if (erase) {
                    jobs.releaseGuards(t, c);
                } else if (c.status() != Contact.Status.ANONYMIZED) {
                    jobs.anonymize(t, c, anonymized(c, clock));
                }
                return next("ledger", pseudonym, null, done);
            }
            case "ledger": {
                // moved as we go: the next page starts from the beginning again
                int moved = jobs.moveLedgerPage(t, contactId, pseudonym, PAGE);
                done += moved;
                return moved == 0 ? next("references", pseudonym, null, done) : next("ledger", pseudonym, null, done);
            }
            case "references": {
                Cursor more = erase ? jobs.detachReferences(t, contactId, from, PAGE)
                        : jobs.anonymizeTimeline(t, contactId, from, PAGE);
                if (more != null) {
                    return next("references", pseudonym, more, done);
                }
                if (!erase) {
                    return JobRunner.Step.finished(done, done, Map.of("anonymized", true));
                }
                return next("delete", pseudonym, null, done);
            }
            case "delete": {
                // The contact's cases first, while their links in the contact's partition still say
                // where they are; then the partition itself.
                int deleted = jobs.deleteCasePage(t, contactId, PAGE);
                if (deleted == 0) {
                    deleted = jobs.deletePage(t, contactId, PAGE);
                }
                if (deleted == 0) {
                    return JobRunner.Step.finished(done, done, Map.of("deletedItems", done));
                }
                done += deleted;
                return next("delete", pseudonym, null, done);
            }
            default:
                throw new JobRunner.PermanentFailure("unknown erasure phase");
        }
    }

    private static JobRunner.Step next(String phase, String pseudonym, Cursor from, long done) {
        Map<String, Object> cp = new LinkedHashMap<>();
        cp.put("phase", phase);
        cp.put("pseudonym", pseudonym);
        if (from != null) {
            cp.put("from", from.value());
        }
        return JobRunner.Step.progress(done, done, cp);
    }

    /** What stays of an anonymised contact: nothing that identifies a person. */
    static Contact anonymized(Contact c, Clock clock) {
        ContactData d = c.data();
        ContactData stripped = new ContactData(null, null, null, null, null, d.locale(), d.timeZone(), d.lifecycleStage(),
                List.of(), Map.of(), null);
        java.time.Instant now = clock.instant();
        return new Contact(c.id(), stripped, c.createdAt(), now.isAfter(c.updatedAt()) ? now : c.updatedAt().plusMillis(1),
                c.version() + 1, Contact.Status.ANONYMIZED);
    }
}
