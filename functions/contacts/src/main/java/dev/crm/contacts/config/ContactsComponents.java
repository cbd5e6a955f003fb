package dev.crm.contacts.config;

import dev.crm.contacts.domain.ContactErasure;
import dev.crm.contacts.domain.ContactImport;
import dev.crm.contacts.domain.ContactPrivacy;
import dev.crm.contacts.domain.ContactRepository;
import dev.crm.contacts.domain.ContactService;
import dev.crm.contacts.domain.EmailGuardMigration;
import dev.crm.contacts.domain.InteractionImport;
import dev.crm.contacts.store.dynamodb.ContactChangeDecoder;
import dev.crm.contacts.store.dynamodb.DynamoDbContactRepository;
import dev.crm.contacts.store.dynamodb.DynamoDbEmailGuardMigrationRepository;
import dev.crm.contacts.store.dynamodb.DynamoDbImportRowRepository;
import dev.crm.contacts.store.dynamodb.DynamoDbPrivacyRepository;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.events.EventAnnouncer;
import dev.crm.shared.events.store.dynamodb.DynamoDbEventRepository;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * The contacts function's composition root: which adapter stands behind each of the domain's ports.
 * Entrypoints take their services from here and never name an adapter themselves.
 */
public final class ContactsComponents {
    private final Infrastructure infra;
    private final ContactRepository contacts;
    private final ContactService service;
    private final TenantCache tenants;
    private final EmailGuardMigration guardMigration;
    /**
     * Each tenant's secrets (cached), which key its email guards; meeting a tenant whose guards are
     * not keyed yet queues their migration.
     */
    private final Function<TenantId, TenantSecrets> secrets;

    public ContactsComponents(Infrastructure infra) {
        this.infra = infra;
        this.guardMigration = new EmailGuardMigration(new DynamoDbEmailGuardMigrationRepository(infra.table()),
                infra.tenants(), infra.jobs());
        this.tenants = new TenantCache(infra.tenants(), infra.clock());
        this.secrets = guardMigration.startingFor(tenants::secretsOf);
        this.contacts = new DynamoDbContactRepository(infra.table(), secrets);
        this.service = new ContactService(contacts, infra.clock());
    }

    /**
     * SnapStart priming, registered by the Lambda constructors: the stores build their schemas on first
     * use (a cold start builds only its request's), the snapshot holds them all.
     */
    public static void buildSchemas() {
        DynamoDbContactRepository.buildSchemas();
    }

    /** The function's tenant cache: the routes' and the email guards' secrets come from one. */
    public TenantCache tenants() {
        return tenants;
    }

    public ContactService service() {
        return service;
    }

    /** @param rowWorkers threads that import rows in parallel (the job worker's), or null to import none */
    public ContactImport imports(ExecutorService rowWorkers) {
        return new ContactImport(contacts, new DynamoDbImportRowRepository(infra.table(), infra.clock(), secrets), infra.jobs(),
                rowWorkers, infra.clock());
    }

    /** @param workers threads that resolve and write contacts' lines in parallel (the job worker's), or null */
    public InteractionImport interactionImports(ExecutorService workers) {
        return new InteractionImport(contacts, new DynamoDbImportRowRepository(infra.table(), infra.clock(), secrets), infra.jobs(),
                workers, infra.clock());
    }

    public ContactPrivacy privacy() {
        return new ContactPrivacy(service, new DynamoDbPrivacyRepository(infra.table(), infra.clock(), secrets), infra.jobs(),
                infra.clock());
    }

    public EmailGuardMigration guardMigration() {
        return guardMigration;
    }

    public ContactErasure erasures() {
        return new ContactErasure(new DynamoDbPrivacyRepository(infra.table(), infra.clock(), secrets), infra.clock());
    }

    /** The function's events (docs/events.md, "Contacts"): its table changes decoded and stored. */
    public EventAnnouncer events() {
        return new EventAnnouncer(new ContactChangeDecoder(), new DynamoDbEventRepository(infra.table(), infra.clock()));
    }
}
