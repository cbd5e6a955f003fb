package dev.crm.webhooks.config;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.events.EventAnnouncer;
import dev.crm.shared.events.EventRepository;
import dev.crm.shared.events.store.dynamodb.DynamoDbEventRepository;
import dev.crm.webhooks.domain.AddressResolver;
import dev.crm.webhooks.domain.Deliveries;
import dev.crm.webhooks.domain.DeliveryRef;
import dev.crm.webhooks.domain.DeliveryRepository;
import dev.crm.webhooks.domain.EndpointRepository;
import dev.crm.webhooks.domain.EventBus;
import dev.crm.webhooks.domain.EventFanout;
import dev.crm.webhooks.domain.RetrySchedule;
import dev.crm.webhooks.domain.UrlPolicy;
import dev.crm.webhooks.domain.WebhookEndpoints;
import dev.crm.webhooks.domain.WebhookSender;
import dev.crm.webhooks.http.PinnedHttpSender;
import dev.crm.webhooks.outbound.EventBridgeBus;
import dev.crm.webhooks.outbound.LocalEventBus;
import dev.crm.webhooks.store.dynamodb.DynamoDbDeliveryRepository;
import dev.crm.webhooks.store.dynamodb.DynamoDbEndpointRepository;
import dev.crm.webhooks.store.dynamodb.WebhookChangeDecoder;
import dev.crm.webhooks.store.dynamodb.WebhookStreamRecords;
import dev.crm.webhooks.stream.FanoutBatch;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The webhooks function's composition root: which adapter stands behind each of the domain's ports.
 * Entrypoints take their services from here and never name an adapter themselves.
 */
public final class WebhooksComponents {
    /** Local runs only: allows http:// and 127.0.0.1 / ::1 targets. Never honoured on AWS. */
    public static final String ALLOW_LOOPBACK = "CRM_WEBHOOK_ALLOW_LOOPBACK";
    /** Local runs only: multiplies every delay of the retry schedule. Never honoured on AWS. */
    public static final String RETRY_SCALE = "CRM_WEBHOOK_RETRY_SCALE";
    /** The product's EventBridge bus (AWS only; locally the events go to the runner's event log). */
    public static final String EVENT_BUS_NAME = "EVENT_BUS_NAME";

    /** One HTTP client per process: its connection pool is shared by every delivery. */
    private static volatile WebhookSender processSender;

    private final Infrastructure infra;
    private final UrlPolicy urlPolicy;
    private final EndpointRepository endpointRepository;
    private final WebhookSender sender;
    private final DoubleSupplier jitter;
    private volatile Deliveries deliveries;

    public WebhooksComponents(Infrastructure infra) {
        this(infra, AddressResolver.system());
    }

    /** @param resolver name resolution (tests replace it to point names at refused addresses) */
    public WebhooksComponents(Infrastructure infra, AddressResolver resolver) {
        this(infra, resolver, null, null);
    }

    /**
     * @param sender how requests go out (null: the process's HTTP client)
     * @param jitter the retry schedule's jitter source in [0, 1) (null: random; tests fix it)
     */
    public WebhooksComponents(Infrastructure infra, AddressResolver resolver, WebhookSender sender, DoubleSupplier jitter) {
        this.infra = infra;
        this.urlPolicy = new UrlPolicy(resolver, localSetting(ALLOW_LOOPBACK) != null
                && Boolean.parseBoolean(localSetting(ALLOW_LOOPBACK)));
        this.endpointRepository = new DynamoDbEndpointRepository(infra.table());
        this.sender = sender != null ? sender : processSender();
        this.jitter = jitter != null ? jitter : () -> ThreadLocalRandom.current().nextDouble();
    }

    private static WebhookSender processSender() {
        WebhookSender s = processSender;
        if (s == null) {
            synchronized (WebhooksComponents.class) {
                s = processSender;
                if (s == null) {
                    s = new PinnedHttpSender();
                    processSender = s;
                }
            }
        }
        return s;
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

    public DeliveryRepository deliveryRepository() {
        return new DynamoDbDeliveryRepository(infra.table());
    }

    EventRepository eventRepository() {
        return new DynamoDbEventRepository(infra.table(), infra.clock());
    }

    /** The retry schedule, scaled by CRM_WEBHOOK_RETRY_SCALE on local runs only. */
    public RetrySchedule retrySchedule() {
        String scale = localSetting(RETRY_SCALE);
        double s = 1;
        if (scale != null) {
            try {
                s = Math.min(1, Math.max(1e-6, Double.parseDouble(scale)));
            } catch (NumberFormatException e) {
                throw new IllegalStateException(RETRY_SCALE + " is a number in (0, 1]", e);
            }
        }
        return new RetrySchedule(s, jitter);
    }

    /** The deliverer (one per components: it owns the pool that sends in parallel). */
    public Deliveries deliveries() {
        Deliveries d = deliveries;
        if (d == null) {
            synchronized (this) {
                d = deliveries;
                if (d == null) {
                    d = new Deliveries(deliveryRepository(), endpointRepository, eventRepository(), urlPolicy, sender,
                            retrySchedule(), infra.clock());
                    deliveries = d;
                }
            }
        }
        return d;
    }

    /** The bus: EventBridge on Lambda, the runner's event log locally. */
    EventBus bus() {
        if (infra.settings().isProcessEnvironment() && infra.settings().get(EVENT_BUS_NAME) != null) {
            return EventBridgeBus.fromSettings(infra.settings());
        }
        return new LocalEventBus();
    }

    /** The fan-out function's batch: stored events to the bus and the endpoints; endpoint changes to events. */
    public FanoutBatch fanoutBatch() {
        EventFanout fanout = new EventFanout(eventRepository(), endpointRepository, deliveryRepository(), bus(),
                infra.clock());
        return new FanoutBatch(fanout, new EventAnnouncer(new WebhookChangeDecoder(), eventRepository()));
    }

    /** The deliveries a deliverer's stream batch names (new ones, retries, replays). */
    public List<DeliveryRef> deliveriesIn(DynamodbEvent event) {
        return WebhookStreamRecords.deliveries(event);
    }
}
