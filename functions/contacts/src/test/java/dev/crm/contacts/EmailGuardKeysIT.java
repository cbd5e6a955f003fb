package dev.crm.contacts;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.problem;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.contacts.domain.EmailGuardMigration;
import dev.crm.contacts.entrypoints.ContactJobsWorker;
import dev.crm.contacts.entrypoints.ContactsHandler;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.FaultInjector;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.SampleEvents;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Email guards keyed by the tenant's pseudonym, and the migration of a legacy tenant's unkeyed guards,
 * through the real handler and job worker against DynamoDB Local.
 */
class EmailGuardKeysIT {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final ContactsHandler handler = new ContactsHandler(infra);
    private final ContactJobsWorker worker = new ContactJobsWorker(infra);
    private final TenantId keyed = TestInfrastructure.tenant(infra).id();
    private final TenantId legacy = legacyTenant();

    /** A tenant as provisioned before keyed guards: its stored secrets lack the marker. */
    private TenantId legacyTenant() {
        TenantId t = TestInfrastructure.tenant(infra).id();
        infra.table().client().updateItem(b -> b.tableName(infra.table().name()).key(Table.key(Keys.tenant(t), Keys.ITEM))
                .updateExpression("REMOVE secrets.emailGuards"));
        assertFalse(infra.tenants().find(t).secrets().keyedEmailGuards());
        return t;
    }

    APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    TenantSecrets secrets(TenantId t) {
        return infra.tenants().find(t).secrets();
    }

    String keyedGuardKey(TenantId t, String email) {
        return Keys.emailGuard(t, secrets(t).pseudonym("email-guard", email.trim().toLowerCase()));
    }

    String unkeyedGuardKey(TenantId t, String email) {
        return Keys.emailGuard(t, dev.crm.shared.crypto.Hashes.sha256Hex("email|" + email.trim().toLowerCase()));
    }

    String holder(String guardKey) {
        var item = infra.table().get(guardKey, Keys.ITEM);
        return item == null ? null : Attr.str(item, "contactId");
    }

    /** A contact as the previous version stored it: profile (listed, or being erased) and an unkeyed guard. */
    String oldContact(TenantId t, String email, boolean erasing) {
        var now = clock.instant();
        Contact c = new Contact(Ids.random(Contact.ID_PREFIX, 20), new ContactData("Old", null, email, null, null, null, null,
                LifecycleStage.SUBSCRIBER, List.of(), Map.of(), null), now, now, 1,
                erasing ? Contact.Status.ERASING : Contact.Status.ACTIVE);
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = new HashMap<>(ContactItems.contact(t, c));
        if (erasing) {
            item.put(Table.GSI1PK, Attr.s(t.value() + "#ERASING"));
        }
        item.put("emailHash", Attr.s(dev.crm.shared.crypto.Hashes.sha256Hex("email|" + email.trim().toLowerCase())));
        infra.table().client().putItem(b -> b.tableName(infra.table().name()).item(item));
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> guard = new HashMap<>(
                Table.key(unkeyedGuardKey(t, email), Keys.ITEM));
        guard.put(Table.ENTITY, Attr.s("EMAIL_GUARD"));
        guard.put("tenantId", Attr.s(t.value()));
        guard.put("contactId", Attr.s(c.id()));
        infra.table().client().putItem(b -> b.tableName(infra.table().name()).item(guard));
        return c.id();
    }

    String create(TenantId t, String email) {
        var r = call(ApiEvents.request("POST", "/v1/contacts").as(t, Scope.WRITE).json("{\"email\": \"" + email + "\"}"));
        status(r, 201);
        return (String) body(r).get("id");
    }

    String findByEmail(TenantId t, String email) {
        var r = call(ApiEvents.request("GET", "/v1/contacts").query("email", email).as(t, Scope.READ));
        status(r, 200);
        List<?> items = (List<?>) body(r).get("items");
        return items.isEmpty() ? null : (String) ((Map<?, ?>) items.get(0)).get("id");
    }

    void assertDuplicateOf(TenantId t, String email, String holder) {
        var dup = call(ApiEvents.request("POST", "/v1/contacts").as(t, Scope.WRITE).json("{\"email\": \"" + email + "\"}"));
        assertEquals(holder, problem(dup, 409, "duplicate").get("existingId"));
    }

    Job migrationJob() {
        return infra.jobs().find(EmailGuardMigration.job(legacy));
    }

    void runMigration(ContactJobsWorker w) {
        w.handleRequest(SampleEvents.jobQueued(Keys.job(legacy, EmailGuardMigration.KIND)), new LambdaContext(() -> 900_000));
    }

    // ---- (a) a keyed tenant ----

    @Test
    void aNewTenantsGuardIsUnderTheKeyedPseudonymNotTheUnkeyedHash() {
        assertTrue(secrets(keyed).keyedEmailGuards(), "tenants provisioned now are keyed");
        String email = "Ann.Keyed@Example.com";
        String id = create(keyed, email);
        assertEquals(id, holder(keyedGuardKey(keyed, email)));
        assertNull(holder(unkeyedGuardKey(keyed, email)), "no guard under the dictionary-reversible hash");
        assertNull(infra.table().get(Keys.contact(keyed, id), Keys.CONTACT_PROFILE).get("emailHash"),
                "the profile keeps no unkeyed hash of the address either");
        assertEquals(id, findByEmail(keyed, " ann.keyed@example.COM"));
        assertDuplicateOf(keyed, "ANN.KEYED@example.com", id);
        assertNull(migrationJob(), "nothing to migrate");
        assertNull(infra.jobs().find(EmailGuardMigration.job(keyed)), "a keyed tenant queues no migration");
    }

    // ---- (b) a legacy tenant before its migration ----

    @Test
    void aLegacyTenantsOldGuardStillFindsAndGuardsItsContact() {
        String old = oldContact(legacy, "x@example.com", false);
        assertEquals(old, findByEmail(legacy, "X@Example.com"));
        assertDuplicateOf(legacy, "  X@EXAMPLE.COM", old);
        // a new contact of the tenant gets a keyed guard, and it counts against the old scheme too
        String fresh = create(legacy, "y@example.com");
        assertEquals(fresh, holder(keyedGuardKey(legacy, "y@example.com")));
        assertNull(holder(unkeyedGuardKey(legacy, "y@example.com")));
        assertDuplicateOf(legacy, "Y@example.com", fresh);
        // changing an old contact's address releases its old guard and takes a keyed one
        var patch = call(ApiEvents.request("PATCH", "/v1/contacts/{id}").path("id", old).as(legacy, Scope.WRITE)
                .header("If-Match", "\"1\"").body("application/merge-patch+json", "{\"email\": \"x2@example.com\"}"));
        status(patch, 200);
        assertNull(holder(unkeyedGuardKey(legacy, "x@example.com")));
        assertEquals(old, holder(keyedGuardKey(legacy, "x2@example.com")));
        assertNull(findByEmail(legacy, "x@example.com"));
        // meeting the legacy tenant queued its migration
        assertNotNull(migrationJob(), "the handler queued the tenant's migration");
        assertEquals(Job.Status.QUEUED, migrationJob().status());
    }

    // ---- (c) the migration ----

    @Test
    void theMigrationMovesEveryGuardThenMarksTheTenantKeyed() {
        List<String> emails = new ArrayList<>();
        Map<String, String> holders = seedForMigration(emails);
        findByEmail(legacy, "person0@example.com"); // the handler touches the tenant's guards
        assertNotNull(migrationJob(), "the handler queued the tenant's migration");
        assertEquals(Job.Status.QUEUED, migrationJob().status());
        runMigration(worker);
        assertMigrated(emails, holders);
        assertEquals(Long.valueOf(emails.size() - 2), ((Number) migrationJob().result().get("moved")).longValue(),
                "every old guard moved; the one created keyed and the one moved before had none");
    }

    @Test
    void aMigrationWhoseProcessCrashesTwiceResumesAndEndsTheSame() {
        List<String> emails = new ArrayList<>();
        Map<String, String> holders = seedForMigration(emails);
        findByEmail(legacy, "person0@example.com");
        FaultInjector faults = new FaultInjector();
        ContactJobsWorker crashing = new ContactJobsWorker(TestInfrastructure.create(clock, Map.of(), faults));
        for (int writesBeforeCrash : new int[] {40, 150}) {
            faults.crashAfter(writesBeforeCrash, FaultInjector.WRITES);
            assertThrows(RuntimeException.class, () -> runMigration(crashing));
            faults.off();
            assertEquals(Job.Status.RUNNING, migrationJob().status(), "the dead process keeps its lease");
            assertTrue(faults.injected() > 0);
            assertFalse(secrets(legacy).keyedEmailGuards());
        }
        runMigration(worker); // the stream's retry waits the lease out and takes over
        assertMigrated(emails, holders);
    }

    /** 230 old contacts (three pages), one being erased, one moved already, one created keyed, one without an address. */
    private Map<String, String> seedForMigration(List<String> emails) {
        Map<String, String> holders = new HashMap<>();
        for (int i = 0; i < 230; i++) {
            String e = "person" + i + "@example.com";
            emails.add(e);
            holders.put(e, oldContact(legacy, e, false));
        }
        emails.add("erasing@example.com");
        holders.put("erasing@example.com", oldContact(legacy, "erasing@example.com", true));
        // one whose guard an earlier run moved already (a replayed page)
        emails.add("moved@example.com");
        String moved = oldContact(legacy, "moved@example.com", false);
        holders.put("moved@example.com", moved);
        var guard = new HashMap<>(infra.table().get(unkeyedGuardKey(legacy, "moved@example.com"), Keys.ITEM));
        infra.table().client().deleteItem(b -> b.tableName(infra.table().name())
                .key(Table.key(unkeyedGuardKey(legacy, "moved@example.com"), Keys.ITEM)));
        guard.putAll(Table.key(keyedGuardKey(legacy, "moved@example.com"), Keys.ITEM));
        infra.table().client().putItem(b -> b.tableName(infra.table().name()).item(guard));
        emails.add("new@example.com");
        holders.put("new@example.com", create(legacy, "new@example.com"));
        var r = call(ApiEvents.request("POST", "/v1/contacts").as(legacy, Scope.WRITE).json("{\"firstName\": \"NoMail\"}"));
        status(r, 201);
        return holders;
    }

    private void assertMigrated(List<String> emails, Map<String, String> holders) {
        Job job = migrationJob();
        assertEquals(Job.Status.SUCCEEDED, job.status(), String.valueOf(job.error()));
        assertEquals(true, job.result().get("keyed"));
        assertTrue(secrets(legacy).keyedEmailGuards(), "the tenant is marked keyed");
        for (String e : emails) {
            assertNull(holder(unkeyedGuardKey(legacy, e)), "old guard left for " + e);
            assertEquals(holders.get(e), holder(keyedGuardKey(legacy, e)), "keyed guard of " + e);
            var profile = infra.table().get(Keys.contact(legacy, holders.get(e)), Keys.CONTACT_PROFILE);
            assertFalse(profile.containsKey("emailHash"), "the profile of " + e + " keeps the unkeyed hash");
            assertEquals(e, Attr.str(profile, "email"));
        }
        // once the caches have read the marker, only keyed guards count, and they hold
        clock.advance(Duration.ofMillis(TenantCache.TTL_MILLIS + 1));
        assertEquals(holders.get("person7@example.com"), findByEmail(legacy, "Person7@example.com"));
        assertDuplicateOf(legacy, "PERSON7@EXAMPLE.COM", holders.get("person7@example.com"));
        assertDuplicateOf(legacy, "new@example.com", holders.get("new@example.com"));
    }

    // ---- (d) erasure and anonymisation of a legacy tenant's contacts ----

    @Test
    void erasingALegacyTenantsContactsRemovesTheirGuardsUnderEitherKey() {
        String old = oldContact(legacy, "erase.old@example.com", false);
        String fresh = create(legacy, "erase.new@example.com");
        for (String c : List.of(old, fresh)) {
            var r = call(ApiEvents.request("DELETE", "/v1/contacts/{id}").path("id", c).as(legacy, Scope.WRITE));
            status(r, 202);
            runJob(header(r, "Location"));
        }
        for (String e : List.of("erase.old@example.com", "erase.new@example.com")) {
            assertNull(holder(unkeyedGuardKey(legacy, e)), e);
            assertNull(holder(keyedGuardKey(legacy, e)), e);
        }
        create(legacy, "erase.old@example.com"); // the addresses are free again
    }

    @Test
    void anonymisingALegacyTenantsContactsRemovesTheirGuardsUnderEitherKey() {
        String old = oldContact(legacy, "anon.old@example.com", false);
        String fresh = create(legacy, "anon.new@example.com");
        for (String c : List.of(old, fresh)) {
            var r = call(ApiEvents.request("POST", "/v1/contacts/{id}/anonymize").path("id", c).as(legacy, Scope.WRITE));
            status(r, 202);
            runJob(header(r, "Location"));
        }
        for (String e : List.of("anon.old@example.com", "anon.new@example.com")) {
            assertNull(holder(unkeyedGuardKey(legacy, e)), e);
            assertNull(holder(keyedGuardKey(legacy, e)), e);
        }
        assertNotNull(create(legacy, "anon.old@example.com"));
    }

    private void runJob(String location) {
        String id = location.substring(location.lastIndexOf('/') + 1);
        worker.handleRequest(SampleEvents.jobQueued(Keys.job(legacy, id)), new LambdaContext(() -> 900_000));
        assertEquals(Job.Status.SUCCEEDED, infra.jobs().find(dev.crm.shared.jobs.JobRef.of(legacy, id)).status());
    }
}
