package dev.crm.webhooks.config;

import dev.crm.shared.config.Infrastructure;
import dev.crm.webhooks.domain.AddressResolver;
import dev.crm.webhooks.domain.EndpointRepository;
import dev.crm.webhooks.domain.UrlPolicy;
import dev.crm.webhooks.domain.WebhookEndpoints;
import dev.crm.webhooks.store.dynamodb.DynamoDbEndpointRepository;

/**
 * The webhooks function's composition root: which adapter stands behind each of the domain's ports.
 * Entrypoints take their services from here and never name an adapter themselves.
 */
public final class WebhooksComponents {
    /** Local runs only: allows http:// and 127.0.0.1 / ::1 targets. Never honoured on AWS. */
    public static final String ALLOW_LOOPBACK = "CRM_WEBHOOK_ALLOW_LOOPBACK";
    /** Local runs only: multiplies every delay of the retry schedule. Never honoured on AWS. */
    public static final String RETRY_SCALE = "CRM_WEBHOOK_RETRY_SCALE";

    private final Infrastructure infra;
    private final UrlPolicy urlPolicy;
    private final EndpointRepository endpointRepository;

    public WebhooksComponents(Infrastructure infra) {
        this(infra, AddressResolver.system());
    }

    /** @param resolver name resolution (tests replace it to point names at refused addresses) */
    public WebhooksComponents(Infrastructure infra, AddressResolver resolver) {
        this.infra = infra;
        this.urlPolicy = new UrlPolicy(resolver, localSetting(ALLOW_LOOPBACK) != null
                && Boolean.parseBoolean(localSetting(ALLOW_LOOPBACK)));
        this.endpointRepository = new DynamoDbEndpointRepository(infra.table());
    }

    /** A local-only setting: null on Lambda (the process's own environment), whatever it says. */
    String localSetting(String name) {
        return infra.settings().isProcessEnvironment() ? null : infra.settings().get(name);
    }

    public Infrastructure infrastructure() {
        return infra;
    }

    public UrlPolicy urlPolicy() {
        return urlPolicy;
    }

    // ---- endpoints ----

    /** The tenants' endpoints (what the fan-out and the sender read, and the endpoint API writes). */
    public EndpointRepository endpointRepository() {
        return endpointRepository;
    }

    /** The endpoint API's use cases. */
    public WebhookEndpoints endpoints() {
        return new WebhookEndpoints(endpointRepository, urlPolicy, infra.clock());
    }

    // ---- deliveries ----
}
