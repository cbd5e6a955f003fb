package dev.crm.journeys.config;

import dev.crm.journeys.domain.DateEntries;
import dev.crm.journeys.domain.JourneyDates;
import dev.crm.journeys.domain.JourneyEntry;
import dev.crm.journeys.domain.JourneyRepository;
import dev.crm.journeys.domain.JourneyRunner;
import dev.crm.journeys.domain.Journeys;
import dev.crm.journeys.store.dynamodb.DynamoDbJourneyDates;
import dev.crm.journeys.store.dynamodb.DynamoDbJourneyRepository;
import dev.crm.journeys.store.dynamodb.JourneyChangeDecoder;
import dev.crm.journeys.stream.EnrolmentBatch;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.consent.ConsentRepository;
import dev.crm.shared.consent.store.dynamodb.ConsentTable;
import dev.crm.shared.consent.store.dynamodb.DynamoDbConsentRepository;
import dev.crm.shared.events.EventAnnouncer;
import dev.crm.shared.events.store.dynamodb.DynamoDbEventRepository;
import dev.crm.shared.outbound.MessageSender;
import dev.crm.shared.outbound.MessageSenders;
import dev.crm.shared.tenant.TenantCache;

/**
 * The journeys function's composition root: which adapter stands behind each port. The contact
 * decision and the recorded sends come from {@code shared.consent}, the code the preferences function
 * answers {@code …/contact-decisions} and {@code …/sends} with.
 */
public final class JourneysComponents {
    private final Infrastructure infra;
    private final JourneyRepository repository;
    private final JourneyDates dates;
    private final TenantCache tenants;
    private final ConsentRepository consent;
    private final MessageSender sender;

    public JourneysComponents(Infrastructure infra) {
        this(infra, MessageSenders.forSettings(infra.settings()));
    }

    /** With the sender journey messages go through (SES, the local outbox, or a test's). */
    public JourneysComponents(Infrastructure infra, MessageSender sender) {
        this.infra = infra;
        DynamoDbJourneyRepository journeys = new DynamoDbJourneyRepository(infra.table());
        this.repository = journeys;
        this.dates = new DynamoDbJourneyDates(infra.table(), journeys);
        this.tenants = new TenantCache(infra.tenants(), infra.clock());
        this.consent = new DynamoDbConsentRepository(infra.table(), tenants::secretsOf);
        this.sender = sender;
    }

    /**
     * SnapStart priming, registered by the Lambda constructors: the consent store builds its schema on
     * first use (a cold start builds it only if its request records a send), the snapshot holds it.
     */
    public static void buildSchemas() {
        ConsentTable.buildSchema();
    }

    public Infrastructure infrastructure() {
        return infra;
    }

    public TenantCache tenants() {
        return tenants;
    }

    public Journeys journeys() {
        return new Journeys(repository, infra.clock());
    }

    public JourneyRunner runner() {
        return new JourneyRunner(repository, consent, tenants::get, sender, infra.settings().get("PUBLIC_BASE_URL"),
                infra.clock());
    }

    public JourneyEntry entry() {
        JourneyRunner runner = runner();
        return new JourneyEntry(repository, consent, runner, infra.clock(), dateEntries(runner));
    }

    /** Date triggers: their occurrences and the scans that schedule them (JourneySweepFunction, contact events). */
    public DateEntries dateEntries(JourneyRunner runner) {
        return new DateEntries(repository, dates, consent, runner, tenants::get, infra.clock());
    }

    /** A stream batch of stored events: exits and enrolments (JourneyEnrolmentFunction). */
    public EnrolmentBatch enrolmentBatch() {
        return new EnrolmentBatch(entry());
    }

    /** The journey events decoder (JourneyEventsFunction). */
    public EventAnnouncer eventAnnouncer() {
        return new EventAnnouncer(new JourneyChangeDecoder(), new DynamoDbEventRepository(infra.table(), infra.clock()));
    }
}
