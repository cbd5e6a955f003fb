package dev.crm.webhooks.domain;

import dev.crm.shared.json.JsonWritable;
import dev.crm.shared.json.Times;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's webhook endpoint: where its events go and the secrets that sign them.
 *
 * @param eventTypes     catalogue types, or {@code ["*"]} for every type
 * @param secrets        the current signing secret first; during a rotation's overlap the previous one
 *                       follows with its {@link SigningSecret#retiresAt()}
 * @param failingSince   the first failed attempt of the current run of failures (null after a success):
 *                       an endpoint failing every attempt for 5 days is disabled
 * @param disabledReason why it was disabled by the product ({@code gone}: it answered 410;
 *                       {@code failing}: 5 days of failures), null when a client disabled it or it is enabled
 */
public record WebhookEndpoint(TenantId tenant, String id, String url, List<String> eventTypes, String description,
        boolean enabled, String disabledReason, Instant disabledAt, List<SigningSecret> secrets, Instant failingSince,
        Instant createdAt, Instant updatedAt, long version) implements JsonWritable {

    public static final String ID_PREFIX = "whe_";
    public static final String ALL_TYPES = "*";

    public WebhookEndpoint {
        eventTypes = List.copyOf(eventTypes);
        secrets = List.copyOf(secrets);
    }

    /** Whether an event of this type goes to this endpoint (enabled or not). */
    public boolean subscribesTo(String type) {
        return eventTypes.contains(ALL_TYPES) || eventTypes.contains(type);
    }

    /** The secrets that sign a request sent at {@code at}: the current one and any not yet retired. */
    public List<SigningSecret> signingSecrets(Instant at) {
        return secrets.stream().filter(s -> s.retiresAt() == null || s.retiresAt().isAfter(at)).toList();
    }

    /** The public form: never a secret. */
    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("url", url);
        m.put("eventTypes", eventTypes);
        m.put("description", description);
        m.put("enabled", enabled);
        m.put("disabledReason", disabledReason);
        m.put("disabledAt", disabledAt == null ? null : Times.format(disabledAt));
        m.put("failingSince", failingSince == null ? null : Times.format(failingSince));
        m.put("createdAt", Times.format(createdAt));
        m.put("updatedAt", Times.format(updatedAt));
        m.put("version", version);
        return m;
    }

    public static Set<String> disabledReasons() {
        return Set.of("gone", "failing");
    }
}
