package dev.crm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.contacts.store.memory.InMemoryContactRepository;
import dev.crm.contacts.store.memory.InMemoryPrivacyRepository;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.devkit.MutableClock;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Erasure and anonymisation steps on the in-memory ports, run the way the job runner runs them. */
class ContactErasureTest {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final TenantId tenant = new TenantId(Ids.random("t_", 20));
    private final TenantSecrets secrets = TenantSecrets.generate();
    private final InMemoryContactRepository contacts = new InMemoryContactRepository();
    private final InMemoryPrivacyRepository privacy = new InMemoryPrivacyRepository(contacts, job -> { });
    private final ContactService service = new ContactService(contacts, clock);
    private final ContactErasure erasure = new ContactErasure(privacy, clock);

    private Contact contactWithHistory(String email) {
        Contact c = service.create(tenant, new ContactData("Ada", "Lovelace", email, "+4930123456", null, "de",
                "Europe/Berlin", LifecycleStage.CUSTOMER, List.of("vip"), Map.of("tier", "gold"), "ext-1"));
        for (int i = 0; i < 3; i++) {
            service.record(tenant, c.id(), new Interaction("call-" + i, InteractionType.CALL, InteractionChannel.PHONE,
                    clock.instant().minusSeconds(100 - i), null, "personal words", null), ZoneId.of("UTC"), "EUR");
        }
        for (int i = 0; i < 150; i++) {
            privacy.givenLedgerEntry(tenant, c.id(), clock.instant().minusSeconds(1000 - i), "led" + i,
                    Map.of("contactId", c.id(), "topic", "news", "ip", "203.0.113.7"));
        }
        return c;
    }

    private static Job job(String kind, String contactId, long done, Map<String, Object> checkpoint) {
        String id = Ids.random(kind.equals(ContactErasure.ERASURE) ? "era_" : "ano_", 20);
        return new Job(JobRef.operator(id), id, kind, null, Job.Status.RUNNING, done, done, Map.of("contactId", contactId),
                null, null, checkpoint, "worker", 0, 0, null, null);
    }

    /** Runs steps from checkpoint to checkpoint until the job finishes; each step is also replayed once. */
    private JobRunner.Step run(String kind, String contactId, boolean replayEachStep) {
        Job job = job(kind, contactId, 0, Map.of());
        for (int steps = 0; steps < 100; steps++) {
            JobRunner.Step step = erasure.step(tenant, secrets, job);
            if (replayEachStep && !step.finished()) {
                step = erasure.step(tenant, secrets, job);
            }
            if (step.finished()) {
                return step;
            }
            job = new Job(job.ref(), job.id(), kind, null, Job.Status.RUNNING, step.done(), step.total(), job.input(), null,
                    null, step.checkpoint(), "worker", 0, 0, null, null);
        }
        throw new AssertionError("the job never finished");
    }

    @Test
    void anErasureRemovesEveryItemKeepingOnlyThePseudonymisedLedgerAndTheSuppression() {
        Contact c = contactWithHistory("ada@example.com");
        String pseudonym = ContactErasure.pseudonym(secrets, c);
        JobRunner.Step done = run(ContactErasure.ERASURE, c.id(), false);
        // 150 ledger entries, then the profile, 3 touch points and their 3 id guards
        assertEquals(150L + 1 + 3 + 3, done.result().get("deletedItems"));
        assertNull(privacy.findAnyState(tenant, c.id()));
        assertEquals("erasure", privacy.suppression(tenant, pseudonym));
        assertEquals(150, privacy.pseudonymousLedger(tenant, pseudonym).size());
        assertTrue(privacy.pseudonymousLedger(tenant, pseudonym).stream().noneMatch(e -> e.containsKey("contactId")
                || e.containsKey("ip")));
        assertNull(contacts.findIdByEmail(tenant, "ada@example.com"));
        assertNull(contacts.findIdByExternalId(tenant, "ext-1"));
    }

    @Test
    void anErasureDeletesTheContactsCasesWholeAndNoOtherContacts() {
        Contact c = contactWithHistory("ada@example.com");
        Contact other = service.create(tenant, new ContactData("Bob", null, "bob@example.com", null, null, "de",
                "Europe/Berlin", LifecycleStage.CUSTOMER, List.of(), Map.of(), null));
        privacy.givenCase(tenant, c.id(), "cs_big", 250); // more than one page of history
        privacy.givenCase(tenant, c.id(), "cs_small", 2);
        privacy.givenCase(tenant, other.id(), "cs_other", 3);
        JobRunner.Step done = run(ContactErasure.ERASURE, c.id(), false);
        assertEquals(java.util.Set.of(), privacy.casesOf(tenant, c.id()));
        assertEquals(java.util.Set.of("cs_other"), privacy.casesOf(tenant, other.id()));
        // the cases' items and links, then what the contact held itself
        assertEquals(250L + 2 + 2 + 150 + 1 + 3 + 3, done.result().get("deletedItems"));
    }

    @Test
    void replayedStepsEraseTheSame() {
        Contact c = contactWithHistory("ada@example.com");
        String pseudonym = ContactErasure.pseudonym(secrets, c);
        run(ContactErasure.ERASURE, c.id(), true);
        assertNull(privacy.findAnyState(tenant, c.id()));
        assertEquals(150, privacy.pseudonymousLedger(tenant, pseudonym).size());
    }

    @Test
    void anAnonymisationKeepsTheContactAndItsAggregatesButNothingPersonal() {
        Contact c = contactWithHistory("ada@example.com");
        JobRunner.Step done = run(ContactErasure.ANONYMIZATION, c.id(), false);
        assertEquals(Map.of("anonymized", true), done.result());
        Contact now = privacy.findAnyState(tenant, c.id());
        assertEquals(Contact.Status.ANONYMIZED, now.status());
        assertNull(now.data().firstName());
        assertNull(now.data().email());
        assertNull(now.data().phone());
        assertNull(now.data().externalId());
        assertTrue(now.data().tags().isEmpty());
        assertEquals(LifecycleStage.CUSTOMER, now.data().lifecycleStage());
        assertEquals("de", now.data().locale());
        assertEquals(c.version() + 1, now.version());
        assertNull(contacts.findIdByEmail(tenant, "ada@example.com"));
        var timeline = contacts.timeline(tenant, c.id(), 10, null).items();
        assertEquals(3, timeline.size());
        assertTrue(timeline.stream().allMatch(e -> e.data().get("summary") == null));
        assertEquals("anonymization", privacy.suppression(tenant, ContactErasure.pseudonym(secrets, c)));
    }

    @Test
    void anAnonymisationOfAContactWithoutEmailSuppressesNothing() {
        Contact c = service.create(tenant, new ContactData("Ada", null, null, null, null, null, null, null, List.of(),
                Map.of(), null));
        run(ContactErasure.ANONYMIZATION, c.id(), false);
        assertNull(privacy.suppression(tenant, ContactErasure.pseudonym(secrets, c)));
        assertEquals(Contact.Status.ANONYMIZED, privacy.findAnyState(tenant, c.id()).status());
    }

    @Test
    void aContactAlreadyGoneFinishesAtOnce() {
        JobRunner.Step step = erasure.step(tenant, secrets, job(ContactErasure.ERASURE, Ids.random(Contact.ID_PREFIX, 20), 0,
                Map.of()));
        assertTrue(step.finished());
        assertEquals(0L, step.result().get("deletedItems"));
    }

    @Test
    void aCheckpointFromBeforeOpaqueCursorsRestartsItsPhase() {
        Contact c = contactWithHistory("ada@example.com");
        Map<String, Object> legacy = new LinkedHashMap<>();
        legacy.put("phase", "references");
        legacy.put("pseudonym", ContactErasure.pseudonym(secrets, c));
        legacy.put("from", Map.of("PK", "x", "SK", "T#y"));
        JobRunner.Step step = erasure.step(tenant, secrets, job(ContactErasure.ERASURE, c.id(), 0, legacy));
        assertFalse(step.finished());
        assertEquals("delete", step.checkpoint().get("phase"));
    }

    @Test
    void anUnknownPhaseFailsForGood() {
        assertThrows(JobRunner.PermanentFailure.class, () -> erasure.step(tenant, secrets,
                job(ContactErasure.ERASURE, "c_x", 0, Map.of("phase", "nonsense"))));
    }
}
