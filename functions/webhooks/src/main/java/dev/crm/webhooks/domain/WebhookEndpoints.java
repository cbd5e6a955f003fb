package dev.crm.webhooks.domain;

import dev.crm.shared.idempotency.IdempotencyCompletion;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The webhook endpoint use cases: create (with its one-time secret), read, change, delete, and rotate
 * the signing secret. Every URL a client gives is checked by the {@link UrlPolicy} before anything is
 * written.
 */
public final class WebhookEndpoints {
    /** How long the previous secret keeps signing beside the new one after a rotation. */
    public static final Duration ROTATION_OVERLAP = Duration.ofHours(24);
    /** Rotations that meet a concurrent change read again this many times before giving up. */
    static final int ROTATE_ATTEMPTS = 3;

    private final EndpointRepository endpoints;
    private final UrlPolicy urlPolicy;
    private final Clock clock;

    public WebhookEndpoints(EndpointRepository endpoints, UrlPolicy urlPolicy, Clock clock) {
        this.endpoints = endpoints;
        this.urlPolicy = urlPolicy;
        this.clock = clock;
    }

    /** The URL is refused; {@code reason} says why without naming any address it resolved to. */
    public static final class UrlRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UrlRefused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** What a client asks for at creation (validated by the caller). */
    public record NewEndpoint(String url, List<String> eventTypes, String description) {}

    /**
     * A client's change (merge patch); a null field is left as it is.
     *
     * @param description       the new description when {@code changesDescription} (null removes it)
     */
    public record Change(String url, List<String> eventTypes, boolean changesDescription, String description,
            Boolean enabled) {}

    /** An endpoint with the secret the client sees once. */
    public record WithSecret(WebhookEndpoint endpoint, SigningSecret secret) {}

    /**
     * @param completion the idempotency record's completion answering with the created endpoint (null: none)
     * @throws UrlRefused when the URL may not receive webhooks
     * @throws StoreException.LimitReached at {@link EndpointRepository#MAX_PER_TENANT} endpoints
     */
    public WithSecret create(TenantId tenant, NewEndpoint request, Function<WithSecret, IdempotencyCompletion> completion) {
        check(request.url());
        Instant now = clock.instant();
        SigningSecret secret = SigningSecret.generate();
        WebhookEndpoint endpoint = new WebhookEndpoint(tenant, Ids.random(WebhookEndpoint.ID_PREFIX, 20), request.url(),
                request.eventTypes(), request.description(), true, null, null, List.of(secret), null, now, now, 1);
        WithSecret created = new WithSecret(endpoint, secret);
        endpoints.create(endpoint, completion.apply(created));
        return created;
    }

    public Optional<WebhookEndpoint> find(TenantId tenant, String id) {
        return endpoints.find(tenant, id);
    }

    public Slice<WebhookEndpoint> list(TenantId tenant, Cursor after, int limit) {
        return endpoints.list(tenant, after, limit);
    }

    /**
     * Applies a client's change to {@code current} (as read, at the version the client named).
     * Re-enabling clears what the product recorded when it disabled the endpoint and its run of failures.
     *
     * @throws UrlRefused                    when a new URL may not receive webhooks
     * @throws StoreException.VersionConflict when the endpoint changed since {@code current} was read
     * @throws StoreException.NotFound       when it is gone
     */
    public WebhookEndpoint change(WebhookEndpoint current, Change change) {
        if (change.url() != null && !change.url().equals(current.url())) {
            check(change.url());
        }
        Instant now = clock.instant();
        boolean enabled = change.enabled() == null ? current.enabled() : change.enabled();
        String disabledReason = current.disabledReason();
        Instant disabledAt = current.disabledAt();
        Instant failingSince = current.failingSince();
        if (enabled && !current.enabled()) {
            disabledReason = null;
            disabledAt = null;
            failingSince = null;
        } else if (!enabled && current.enabled()) {
            disabledReason = null; // a client's choice: no product reason
            disabledAt = now;
        }
        WebhookEndpoint updated = new WebhookEndpoint(current.tenant(), current.id(),
                change.url() == null ? current.url() : change.url(),
                change.eventTypes() == null ? current.eventTypes() : change.eventTypes(),
                change.changesDescription() ? change.description() : current.description(), enabled, disabledReason,
                disabledAt, current.signingSecrets(now), failingSince, current.createdAt(), now, current.version());
        return endpoints.replace(updated, current.version());
    }

    /**
     * Deletes the endpoint; {@code expectedVersion} null deletes it whatever its version.
     *
     * @return false when there was none
     * @throws StoreException.VersionConflict when {@code expectedVersion} is not current
     */
    public boolean delete(TenantId tenant, String id, Long expectedVersion) {
        if (expectedVersion != null) {
            return endpoints.delete(tenant, id, expectedVersion);
        }
        for (int attempt = 1; ; attempt++) {
            Optional<WebhookEndpoint> current = endpoints.find(tenant, id);
            if (current.isEmpty()) {
                return false;
            }
            try {
                return endpoints.delete(tenant, id, current.get().version());
            } catch (StoreException.VersionConflict e) {
                if (attempt >= ROTATE_ATTEMPTS) {
                    throw new StoreException.Contention();
                }
            }
        }
    }

    /**
     * A new current secret; the previous one keeps signing beside it for {@link #ROTATION_OVERLAP}.
     * Secrets already retired are dropped.
     *
     * @param completion the idempotency record's completion answering with the rotation (null: none)
     * @throws StoreException.NotFound when there is no such endpoint
     */
    public Rotated rotate(TenantId tenant, String id, Function<Rotated, IdempotencyCompletion> completion) {
        for (int attempt = 1; ; attempt++) {
            WebhookEndpoint current = endpoints.find(tenant, id).orElseThrow(StoreException.NotFound::new);
            Instant now = clock.instant();
            Instant retiresAt = now.plus(ROTATION_OVERLAP);
            SigningSecret fresh = SigningSecret.generate();
            List<SigningSecret> secrets = new ArrayList<>();
            secrets.add(fresh);
            for (SigningSecret s : current.signingSecrets(now)) {
                secrets.add(s.retiresAt() == null ? s.retiringAt(retiresAt) : s);
            }
            WebhookEndpoint updated = new WebhookEndpoint(tenant, id, current.url(), current.eventTypes(),
                    current.description(), current.enabled(), current.disabledReason(), current.disabledAt(), secrets,
                    current.failingSince(), current.createdAt(), now, current.version());
            Rotated rotated = new Rotated(updated, fresh, retiresAt);
            try {
                WebhookEndpoint stored = endpoints.replace(updated, current.version(), completion.apply(rotated));
                return new Rotated(stored, fresh, retiresAt);
            } catch (StoreException.VersionConflict e) {
                if (attempt >= ROTATE_ATTEMPTS) {
                    throw new StoreException.Contention();
                }
            }
        }
    }

    /** A rotation's outcome: the new secret (shown once) and when the previous one stops signing. */
    public record Rotated(WebhookEndpoint endpoint, SigningSecret secret, Instant previousSecretRetiresAt) {}

    private void check(String url) {
        UrlPolicy.Verdict verdict = urlPolicy.check(url);
        if (!verdict.allowed()) {
            throw new UrlRefused(verdict.reason());
        }
    }
}
