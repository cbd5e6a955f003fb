package dev.crm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.contacts.domain.ImportRowRepository.Rejection;
import dev.crm.contacts.store.memory.InMemoryContactRepository;
import dev.crm.contacts.store.memory.InMemoryImportRowRepository;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Import steps on the in-memory ports: outcomes per row, replays, and a contended store. */
class ContactImportTest {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final TenantId tenant = new TenantId(Ids.random("t_", 20));
    private final InMemoryContactRepository contacts = new InMemoryContactRepository();
    private final AtomicInteger contendedWrites = new AtomicInteger();
    private final AtomicInteger refusedGroups = new AtomicInteger();
    private final InMemoryImportRowRepository rows = new InMemoryImportRowRepository(contacts, 3) {
        @Override
        public boolean createImportedContacts(TenantId t, String jobId, List<ImportedContact> created) {
            if (refusedGroups.getAndDecrement() > 0) {
                return false;
            }
            return super.createImportedContacts(t, jobId, created);
        }

        @Override
        public boolean writeImportedContact(TenantId t, String jobId, int row, Contact previous, Contact contact,
                RowOutcome outcome) {
            if (contendedWrites.getAndDecrement() > 0) {
                throw new StoreException.UniqueViolation("email", null);
            }
            return super.writeImportedContact(t, jobId, row, previous, contact, outcome);
        }
    };
    private final ExecutorService workers = Executors.newFixedThreadPool(3);
    private final ContactImport imports = new ContactImport(contacts, rows, null, workers, clock);
    private final ContactService service = new ContactService(contacts, clock);

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    private Job staged(List<String> lines, boolean csv) {
        String id = Ids.random(ContactImport.ID_PREFIX, 20);
        Map<String, Object> input = imports.stage(tenant, id, lines, csv);
        return job(id, input, Map.of());
    }

    private static Job job(String id, Map<String, Object> input, Map<String, Object> checkpoint) {
        return new Job(JobRef.operator(id), id, ContactImport.KIND, null, Job.Status.RUNNING, 0, 0, input, null, null,
                checkpoint, "worker", 0, 0, null, null);
    }

    private JobRunner.Step runToEnd(Job job) {
        for (int i = 0; i < 1000; i++) {
            JobRunner.Step step = imports.step(tenant, job);
            if (step.finished()) {
                return step;
            }
            job = job(job.id(), job.input(), step.checkpoint());
        }
        throw new AssertionError("the import never finished");
    }

    @Test
    void everyRowGetsAnOutcomeAndOneBadRowRejectsNoGoodOne() {
        Contact existing = service.create(tenant, new ContactData("Old", null, "old@example.com", null, null, null, null, null,
                List.of(), Map.of(), null));
        Contact other = service.create(tenant, new ContactData(null, null, null, null, null, null, null, null, List.of(),
                Map.of(), "ext-other"));
        Job job = staged(List.of(
                "{\"firstName\": \"Ada\", \"email\": \"ada@example.com\"}",
                "{\"firstName\": \"New name\", \"email\": \"old@example.com\"}",
                "{\"email\": \"not an address\"}",
                "{not json",
                "{\"email\": \"old@example.com\", \"externalId\": \"ext-other\"}",
                "{\"firstName\": \"No keys\"}"), false);
        JobRunner.Step done = runToEnd(job);
        assertEquals(2L, done.result().get("created"));
        assertEquals(1L, done.result().get("updated"));
        assertEquals(3, done.result().get("rejectedCount"));
        assertEquals("New name", contacts.find(tenant, existing.id()).data().firstName());
        assertEquals(2, contacts.find(tenant, existing.id()).version());
        assertTrue(contacts.findIdByEmail(tenant, "ada@example.com") != null);
        List<Rejection> rejected = new ArrayList<>(rows.rejections(tenant, job.id()));
        rejected.sort(java.util.Comparator.comparingInt(Rejection::row));
        assertEquals(List.of(3, 4, 5), rejected.stream().map(Rejection::row).toList());
        assertEquals("/email", rejected.get(0).errors().get(0).get("pointer"));
        assertTrue(((String) rejected.get(1).errors().get(0).get("detail")).startsWith("not valid JSON"));
        assertTrue(((String) rejected.get(2).errors().get(0).get("detail")).contains(other.id()));
    }

    @Test
    void aRowWithoutEmailOrExternalIdIsTheSameContactWhenTheStepIsReplayed() {
        Job job = staged(List.of("{\"firstName\": \"A\"}", "{\"firstName\": \"B\"}"), false);
        JobRunner.Step first = imports.step(tenant, job);
        // a crash before the checkpoint: the same step runs again
        JobRunner.Step replay = imports.step(tenant, job);
        assertEquals(first.checkpoint(), replay.checkpoint());
        JobRunner.Step done = imports.step(tenant, job(job.id(), job.input(), replay.checkpoint()));
        assertEquals(2L, done.result().get("created"));
        assertEquals(ContactImport.rowContactId(job.id(), 1), ContactImport.rowContactId(job.id(), 1));
        assertEquals("A", contacts.find(tenant, ContactImport.rowContactId(job.id(), 1)).data().firstName());
    }

    @Test
    void csvRowsAreReadAsTextWithTagsAndAttributes() {
        Job job = staged(ImportFile.csvRows("email,tags,attributes.tier\nada@example.com,vip;beta,gold\n"), true);
        JobRunner.Step done = runToEnd(job);
        assertEquals(1L, done.result().get("created"));
        Contact c = contacts.find(tenant, contacts.findIdByEmail(tenant, "ada@example.com"));
        assertEquals(List.of("vip", "beta"), c.data().tags());
        assertEquals("gold", c.data().attributes().get("tier"));
    }

    @Test
    void aRowWhoseGuardIsContendedIsLookedAtAgainAndWritten() {
        refusedGroups.set(1);
        contendedWrites.set(2);
        JobRunner.Step done = runToEnd(staged(List.of("{\"email\": \"ada@example.com\"}"), false));
        assertEquals(1L, done.result().get("created"));
        assertEquals(0, done.result().get("rejectedCount"));
    }

    @Test
    void aGroupWithARepeatedAndATakenAddressRejectsExactlyThoseRowsAndCreatesTheRestOnce() {
        Contact taken = service.create(tenant, new ContactData(null, null, "taken@example.com", null, null, null, null, null,
                List.of(), Map.of(), null));
        Contact other = service.create(tenant, new ContactData(null, null, null, null, null, null, null, null, List.of(),
                Map.of(), "ext-other"));
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            lines.add(switch (i) {
                // the address of row 2 again, and a taken one, each with another contact's external id: both can never apply
                case 9 -> "{\"email\": \"NEW2@example.com\", \"externalId\": \"ext-other\"}";
                case 17 -> "{\"email\": \"taken@example.com\", \"externalId\": \"ext-other\"}";
                default -> "{\"firstName\": \"N" + i + "\", \"email\": \"new" + i + "@example.com\"}";
            });
        }
        Job job = staged(lines, false);
        JobRunner.Step done = runToEnd(job);
        assertEquals(28L, done.result().get("created"));
        assertEquals(0L, done.result().get("updated"));
        assertEquals(List.of(9, 17), rows.rejections(tenant, job.id()).stream().map(Rejection::row).sorted().toList());
        for (int i = 1; i <= 30; i++) {
            if (i != 9 && i != 17) {
                String id = contacts.findIdByEmail(tenant, "new" + i + "@example.com");
                assertEquals(ContactImport.rowContactId(job.id(), i), id, "row " + i);
                assertEquals(1, contacts.find(tenant, id).version(), "row " + i + " written once");
            }
        }
        assertEquals(1, contacts.find(tenant, taken.id()).version());
        assertEquals(1, contacts.find(tenant, other.id()).version());
        // replayed from the start: every row has its outcome, nothing is written again
        JobRunner.Step replay = imports.step(tenant, job);
        assertEquals(Map.of("nextRow", 31), replay.checkpoint());
        assertEquals(1, contacts.find(tenant, contacts.findIdByEmail(tenant, "new2@example.com")).version());
    }

    @Test
    void stepsWorkThroughManyChunksInBatches() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < ContactImport.BATCH + 10; i++) {
            lines.add("{\"email\": \"row" + i + "@example.com\"}");
        }
        Job job = staged(lines, false);
        JobRunner.Step first = imports.step(tenant, job);
        assertEquals((long) ContactImport.BATCH, first.done());
        assertEquals(ContactImport.BATCH + 1, first.checkpoint().get("nextRow"));
        JobRunner.Step done = runToEnd(job);
        assertEquals((long) lines.size(), done.result().get("created"));
    }
}
