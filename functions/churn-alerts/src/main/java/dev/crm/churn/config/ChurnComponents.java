package dev.crm.churn.config;

import dev.crm.churn.domain.ChurnAlerts;
import dev.crm.churn.domain.ChurnRepository;
import dev.crm.churn.domain.ChurnRun;
import dev.crm.churn.domain.ChurnRuns;
import dev.crm.churn.domain.RiskSummaries;
import dev.crm.churn.domain.analytics.Analytics;
import dev.crm.churn.store.dynamodb.ChurnAlertChangeDecoder;
import dev.crm.churn.store.dynamodb.DynamoDbAnalyticsRepository;
import dev.crm.churn.store.dynamodb.DynamoDbChurnRepository;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.events.EventAnnouncer;
import dev.crm.shared.events.store.dynamodb.DynamoDbEventRepository;

/**
 * The churn function's composition root: which adapter stands behind the domain's port. Entrypoints
 * take their services from here and never name an adapter themselves.
 */
public final class ChurnComponents {
    private final Infrastructure infra;
    private final ChurnRepository churn;

    public ChurnComponents(Infrastructure infra) {
        this.infra = infra;
        this.churn = new DynamoDbChurnRepository(infra.table());
    }

    public ChurnRuns runs() {
        return new ChurnRuns(infra.jobs(), infra.tenants(), infra.clock(), churn);
    }

    public ChurnRun run() {
        return run(null);
    }

    /** @param workers threads that write a score step's parts side by side (the worker's), or null */
    public ChurnRun run(java.util.concurrent.ExecutorService workers) {
        return new ChurnRun(churn, infra.tenants(), infra.clock(), workers);
    }

    public ChurnAlerts alerts() {
        return new ChurnAlerts(churn, infra.clock());
    }

    public RiskSummaries riskSummaries() {
        return new RiskSummaries(churn, infra.jobs());
    }

    public Analytics analytics() {
        return new Analytics(new DynamoDbAnalyticsRepository(infra.table()), infra.clock());
    }

    /** The alerts' events, decoded from the table stream and stored on the table. */
    public EventAnnouncer eventAnnouncer() {
        return new EventAnnouncer(new ChurnAlertChangeDecoder(), new DynamoDbEventRepository(infra.table(), infra.clock()));
    }
}
