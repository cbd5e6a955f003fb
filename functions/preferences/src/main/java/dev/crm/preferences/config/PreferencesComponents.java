package dev.crm.preferences.config;

import dev.crm.preferences.domain.PreferencesService;
import dev.crm.shared.outbound.MessageSenders;
import dev.crm.preferences.store.dynamodb.DynamoDbPreferencesRepository;
import dev.crm.shared.consent.store.dynamodb.ConsentTable;
import dev.crm.preferences.store.dynamodb.PreferenceChangeDecoder;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.events.EventAnnouncer;
import dev.crm.shared.events.store.dynamodb.DynamoDbEventRepository;
import dev.crm.shared.outbound.MessageSender;
import dev.crm.shared.tenant.TenantCache;

/**
 * The preferences function's composition root: which adapter stands behind each of the domain's
 * ports. Entrypoints take what they need from here and never name an adapter themselves.
 */
public final class PreferencesComponents {
    private PreferencesComponents() {}

    /**
     * SnapStart priming, registered by the Lambda constructors: the stores build their schemas on first
     * use (a cold start builds only its request's), the snapshot holds them all.
     */
    public static void buildSchemas() {
        DynamoDbPreferencesRepository.buildSchemas();
        ConsentTable.buildSchema();
    }

    public static PreferencesService service(Infrastructure infra) {
        return new PreferencesService(new DynamoDbPreferencesRepository(infra.table(),
                new TenantCache(infra.tenants(), infra.clock())::secretsOf), infra.clock());
    }

    /** Consent imports: staged lines, grouped writes, the tenant's topics as a PUT reads them. */
    public static dev.crm.preferences.domain.ConsentImport imports(Infrastructure infra) {
        var preferences = new DynamoDbPreferencesRepository(infra.table(),
                new TenantCache(infra.tenants(), infra.clock())::secretsOf);
        return new dev.crm.preferences.domain.ConsentImport(
                new dev.crm.preferences.store.dynamodb.DynamoDbConsentImportRepository(infra.table(), infra.clock()),
                infra.jobs(), preferences::topicKeys, infra.clock());
    }

    /** SES on AWS, the local outbox otherwise (see {@link MessageSenders}). */
    public static MessageSender messageSender(Infrastructure infra) {
        return MessageSenders.forSettings(infra.settings());
    }

    /** The consent ledger's events, decoded from the table stream and stored on the table. */
    public static EventAnnouncer eventAnnouncer(Infrastructure infra) {
        return new EventAnnouncer(new PreferenceChangeDecoder(), new DynamoDbEventRepository(infra.table(), infra.clock()));
    }
}
