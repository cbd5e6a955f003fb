package dev.crm.preferences.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.crm.shared.consent.Channel;
import dev.crm.preferences.domain.ConsentEvidence;
import dev.crm.preferences.domain.PreferencesService;
import dev.crm.preferences.config.PreferencesComponents;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Priming;
import dev.crm.shared.log.Log;
import dev.crm.shared.metrics.Invocation;
import dev.crm.shared.metrics.Metrics;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Amazon SES bounce and complaint notifications (SES configuration set → SNS topic → this function):
 * a permanent bounce or a complaint opts the address's contact out of the email channel, recorded in the
 * consent ledger with source {@code bounce} or {@code complaint} and actor {@code system}.
 *
 * <p>The tenant is the SES message tag {@code tenantId} that {@code SesMessageSender} puts on every
 * message; a notification without it (mail the product did not send) is ignored, since an address alone
 * does not say whose contact it is. Notifications that cannot be acted on are logged and dropped rather
 * than failed, so SNS does not retry them forever; a store failure fails the invocation, and SNS retries.
 * Redelivery is harmless: an opted-out channel is not opted out again.
 */
public final class BounceHandler implements RequestHandler<Map<String, Object>, Void> {
    private final PreferencesService service;
    private final TenantCache tenants;

    public BounceHandler() {
        this(Infrastructure.lambda());
        Priming.register(PreferencesComponents::buildSchemas); // its stores build their schemas on first use
    }

    public BounceHandler(Infrastructure infra) {
        this.service = PreferencesComponents.service(infra);
        this.tenants = new TenantCache(infra.tenants(), infra.clock());
    }

    @Override
    public Void handleRequest(Map<String, Object> event, Context context) {
        try (Invocation metrics = Metrics.begin()) { // one metrics document per invocation
            return handle(event, context);
        }
    }

    private Void handle(Map<String, Object> event, Context context) {
        int records = 0;
        int suppressed = 0;
        int ignored = 0;
        for (String message : messages(event)) {
            records++;
            SesNotification n = message == null ? null : SesNotification.parse(message);
            Tenant tenant = n == null || n.tenantId() == null ? null : tenants.get(n.tenantId());
            if (tenant == null || tenant.status() != Tenant.Status.ACTIVE) {
                ignored++;
                continue;
            }
            String source = n.kind().equals("bounce") ? ConsentEvidence.SOURCE_BOUNCE : ConsentEvidence.SOURCE_COMPLAINT;
            for (String address : n.recipients()) {
                var written = service.suppressAddress(tenant.id(), address, Channel.EMAIL, ConsentEvidence.system(source));
                if (written == null) {
                    ignored++; // no such contact, or being erased
                } else if (!written.changes().isEmpty()) {
                    suppressed++;
                }
            }
        }
        // Counts only: the addresses are personal data and stay out of the logs.
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("records", records);
        log.put("suppressed", suppressed);
        log.put("ignored", ignored);
        Log.info("ses notifications", log);
        return null;
    }

    /**
     * The SNS delivery's messages ({@code Records[].Sns.Message}; null where a record has none). The
     * event is taken as a plain map rather than the events library's SNSEvent: the runtime maps that
     * type's timestamp to joda-time, 0.6 MB of artifact and class loading for a field never read.
     */
    static List<String> messages(Map<String, Object> event) {
        List<String> out = new ArrayList<>();
        if (event != null && event.get("Records") instanceof List<?> records) {
            for (Object r : records) {
                Object sns = r instanceof Map<?, ?> record ? record.get("Sns") : null;
                Object message = sns instanceof Map<?, ?> m ? m.get("Message") : null;
                out.add(message instanceof String s ? s : null);
            }
        }
        return out;
    }
}
