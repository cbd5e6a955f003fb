package dev.crm.contacts.config;

import dev.crm.contacts.domain.ContactErasure;
import dev.crm.contacts.domain.ContactImport;
import dev.crm.contacts.domain.ContactPrivacy;
import dev.crm.contacts.domain.ContactRepository;
import dev.crm.contacts.domain.ContactService;
import dev.crm.contacts.store.dynamodb.DynamoDbContactRepository;
import dev.crm.contacts.store.dynamodb.DynamoDbImportRowRepository;
import dev.crm.contacts.store.dynamodb.DynamoDbPrivacyRepository;
import dev.crm.shared.config.Infrastructure;
import java.util.concurrent.ExecutorService;

/**
 * The contacts function's composition root: which adapter stands behind each of the domain's ports.
 * Entrypoints take their services from here and never name an adapter themselves.
 */
public final class ContactsComponents {
    private final Infrastructure infra;
    private final ContactRepository contacts;
    private final ContactService service;

    public ContactsComponents(Infrastructure infra) {
        this.infra = infra;
        this.contacts = new DynamoDbContactRepository(infra.table());
        this.service = new ContactService(contacts, infra.clock());
    }

    public ContactService service() {
        return service;
    }

    /** @param rowWorkers threads that import rows in parallel (the job worker's), or null to import none */
    public ContactImport imports(ExecutorService rowWorkers) {
        return new ContactImport(contacts, new DynamoDbImportRowRepository(infra.table(), infra.clock()), infra.jobs(),
                rowWorkers, infra.clock());
    }

    public ContactPrivacy privacy() {
        return new ContactPrivacy(service, new DynamoDbPrivacyRepository(infra.table(), infra.clock()), infra.jobs(),
                infra.clock());
    }

    public ContactErasure erasures() {
        return new ContactErasure(new DynamoDbPrivacyRepository(infra.table(), infra.clock()), infra.clock());
    }
}
