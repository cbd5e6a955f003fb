package dev.crm.contacts.domain;

import dev.crm.contacts.domain.PrivacyRepository.HeldItem;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data subject's rights over one contact, as requests: the export of everything held (GDPR
 * Art. 15 and 20), and starting an erasure or an anonymisation ({@link ContactErasure} runs them).
 */
public final class ContactPrivacy {
    public static final String ERASURE_PREFIX = "era_";
    public static final String ANONYMIZATION_PREFIX = "ano_";
    /** An export is one response; a contact holding more than this is exported offline by the operator. */
    public static final int EXPORT_MAX_ITEMS = 20_000;
    static final int EXPORT_PAGE = 500;

    private final ContactService contacts;
    private final PrivacyRepository privacy;
    private final JobRepository jobs;
    private final Clock clock;

    public ContactPrivacy(ContactService contacts, PrivacyRepository privacy, JobRepository jobs, Clock clock) {
        this.contacts = contacts;
        this.privacy = privacy;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** Thrown when the contact holds more than {@link #EXPORT_MAX_ITEMS} items. */
    public static final class ExportTooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ExportTooLarge() {
            super("export too large", null, false, false);
        }
    }

    /**
     * Everything held about the contact, as one document; null when the contact does not exist.
     *
     * @throws ExportTooLarge over {@link #EXPORT_MAX_ITEMS} items
     */
    public Map<String, Object> export(TenantId t, String contactId) {
        Contact c = contacts.get(t, contactId);
        if (c == null) {
            return null;
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("exportedAt", clock.instant());
        doc.put("contact", c.toJson());
        Map<String, Object> state = new LinkedHashMap<>();
        List<Object> timeline = new ArrayList<>();
        List<Object> ledger = new ArrayList<>();
        List<Object> sends = new ArrayList<>();
        List<Object> cases = new ArrayList<>();
        Cursor from = null;
        int items = 0;
        do {
            Slice<HeldItem> page = privacy.heldItems(t, c.id(), from, EXPORT_PAGE);
            for (HeldItem item : page.items()) {
                items++;
                switch (item.kind()) {
                    case TIMELINE -> timeline.add(item.content());
                    case CONSENT_LEDGER -> ledger.add(item.content());
                    case SEND -> sends.add(item.content());
                    case PURCHASE_SUMMARY -> state.put("purchaseSummary", item.content());
                    case STATE -> state.put(item.name(), item.content());
                    case CASE -> cases.add(item.content());
                    default -> { }
                }
            }
            from = page.next();
            if (items > EXPORT_MAX_ITEMS) {
                throw new ExportTooLarge();
            }
        } while (from != null);
        Collections.reverse(timeline);
        doc.put("state", state);
        doc.put("timeline", timeline);
        doc.put("consentLedger", ledger);
        doc.put("sends", sends);
        doc.put("cases", cases);
        return doc;
    }

    /**
     * Marks the contact as being erased and creates the erasure job, atomically. A contact whose
     * erasure failed (its job gave up) stays marked, reading as absent; a new request hands the
     * erasure to a new job, so a right to erasure is never stuck behind a failed attempt.
     *
     * @return the job, or null when there is no such contact (or its erasure is under way)
     */
    public Job requestErasure(TenantId t, String contactId) {
        String jobId = Ids.random(ERASURE_PREFIX, 20);
        var job = NewJob.forTenant(JobRef.of(t, jobId), ContactErasure.ERASURE, Map.of("contactId", contactId), 0);
        Instant now = clock.instant();
        if (privacy.beginErasure(t, contactId, job, now)) {
            return job.queuedAt(now); // as written in the same transaction: no read back
        }
        String previous = privacy.erasureJobOf(t, contactId);
        Job failed = previous == null ? null : jobs.find(JobRef.of(t, previous));
        if (failed != null && failed.status() == Job.Status.FAILED && privacy.restartErasure(t, contactId, previous, job)) {
            return jobs.find(JobRef.of(t, jobId));
        }
        return null;
    }

    /** Creates the anonymisation job of an existing contact. */
    public Job requestAnonymization(TenantId t, Contact contact) {
        return requestAnonymization(t, contact, Ids.random(ANONYMIZATION_PREFIX, 20));
    }

    /**
     * As {@link #requestAnonymization(TenantId, Contact)}, under {@code jobId}: a job with that id that
     * exists is the answer (the id derives from an Idempotency-Key, and an earlier run created it).
     */
    public Job requestAnonymization(TenantId t, Contact contact, String jobId) {
        return jobs.createOrFind(NewJob.forTenant(JobRef.of(t, jobId), ContactErasure.ANONYMIZATION,
                Map.of("contactId", contact.id()), 0));
    }

    /** A job of this tenant and kind; null for anything else. */
    public Job job(TenantId t, String jobId, String kind) {
        Job job = jobs.find(JobRef.of(t, jobId));
        return job == null || !kind.equals(job.kind()) ? null : job;
    }
}
