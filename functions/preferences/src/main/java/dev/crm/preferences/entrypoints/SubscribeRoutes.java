package dev.crm.preferences.entrypoints;

import dev.crm.shared.consent.Channel;
import dev.crm.preferences.domain.ConsentEvidence;
import dev.crm.preferences.domain.PreferencesService;
import dev.crm.preferences.domain.RateLimit;
import dev.crm.preferences.domain.SubscribeRequest;
import dev.crm.preferences.domain.TokenUse;
import dev.crm.preferences.domain.TokenUsed;
import dev.crm.shared.outbound.MessageSendException;
import dev.crm.shared.contact.AddressSuppression;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.log.Log;
import dev.crm.shared.outbound.EmailMessage;
import dev.crm.shared.outbound.MessageSender;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tokens.Token;
import dev.crm.shared.tokens.TokenPurpose;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The public double opt-in: {@code POST /v1/public/t/{tenantSlug}/subscribe} (step 1, which emails a
 * confirmation link) and {@code /v1/public/confirm} (step 2: the page the link opens, and its POST).
 */
final class SubscribeRoutes {
    private final PreferencesService service;
    private final PublicTenants publicTenants;
    private final PublicTokens tokens;
    private final TenantCache tenants;
    private final IdempotentRequests idempotency;
    private final PublicLinks links;
    private final MessageSender sender;
    private final Clock clock;

    SubscribeRoutes(PreferencesService service, PublicTenants publicTenants, PublicTokens tokens, TenantCache tenants,
            IdempotentRequests idempotency, PublicLinks links, MessageSender sender, Clock clock) {
        this.service = service;
        this.publicTenants = publicTenants;
        this.tokens = tokens;
        this.tenants = tenants;
        this.idempotency = idempotency;
        this.links = links;
        this.sender = sender;
        this.clock = clock;
    }

    // ---- subscribe (double opt-in, step 1) ----

    ApiResponse subscribe(ApiRequest request) {
        Tenant tenant = publicTenants.bySlug(request);
        JsonObject body = request.jsonObject();
        SubscribeRequest subscription = SubscribeRequest.parse(body, service.topicKeys(tenant.id()));
        ApiProblem.throwIfAny(body.violations());
        Instant now = clock.instant();
        String ip = request.sourceIp();
        // Limits shared by every instance (counters in the table); over one, a 429. The counters are keyed
        // by pseudonyms under the tenant's key: no IP or address, nor an unkeyed hash of one, in a key.
        TenantSecrets secrets = tenant.secrets();
        RateLimit exceeded = service.admitSubscription(tenant.id(),
                secrets.pseudonym("subscribe-client", ip == null ? "unknown" : ip),
                secrets.pseudonym("subscribe-address", EmailAddress.normalize(subscription.email())), now);
        if (exceeded != null) {
            throw ApiProblem.of(ProblemType.RATE_LIMITED, "too many sign-ups from this " + (exceeded == RateLimit.SUBSCRIBE_PER_ADDRESS
                    ? "address" : "client") + "; retry later").header("Retry-After", Long.toString(exceeded.retryAfterSeconds(now)));
        }
        return idempotency.execute(request, tenant.id(), null, () -> {
            String wording = tenant.settings().consentWordingVersion();
            var result = service.subscribe(tenant.id(), subscription, ConsentEvidence.contact(
                    ConsentEvidence.SOURCE_SUBSCRIBE_FORM, wording, ip, request.userAgent()),
                    AddressSuppression.ofEmail(tenant.secrets(), subscription.email()));
            if (result != null && result.awaitsConfirmation()) {
                sendConfirmation(request, tenant, result.contactId(), subscription, wording);
            }
            // The same answer whether the address was known, new, already confirmed or being erased.
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", "accepted");
            out.put("detail", "if the address can receive email, a confirmation link is on its way");
            return ApiResponse.json(202, out);
        });
    }

    private void sendConfirmation(ApiRequest request, Tenant tenant, String contactId, SubscribeRequest subscription,
            String wording) {
        String token = PreferenceTokens.confirmation(tenant, contactId, subscription.channel(), subscription.topics(),
                wording, clock.instant());
        String url = links.confirm(links.base(request), token);
        String text = "Someone (we hope you) asked to receive email from " + tenant.name() + ".\n\n"
                + "To confirm, open this link and press the button:\n" + url + "\n\n"
                + "The link is valid for " + PreferenceTokens.CONFIRM_TTL.toDays() + " days. If you did not ask for"
                + " this, ignore this message and nothing will be sent to you.\n";
        String html = "<p>Someone (we hope you) asked to receive email from " + Pages.escape(tenant.name()) + ".</p>"
                + "<p><a href=\"" + Pages.escape(url) + "\">Confirm your subscription</a></p>"
                + "<p>The link is valid for " + PreferenceTokens.CONFIRM_TTL.toDays() + " days. If you did not ask for"
                + " this, ignore this message and nothing will be sent to you.</p>";
        try {
            sender.send(new EmailMessage(tenant.id().value(), subscription.email(),
                    "Please confirm your subscription to " + tenant.name(), text, html, Map.of(), "double_opt_in"));
        } catch (MessageSendException e) {
            Log.warn("confirmation not sent", Map.of("tenantId", tenant.id().value(), "reason", e.getMessage()));
            throw ApiProblem.of(ProblemType.SERVICE_UNAVAILABLE, "the confirmation email could not be sent; retry later")
                    .header("Retry-After", "60");
        }
    }

    // ---- confirm (double opt-in, step 2) ----

    /** The page the email links to. A GET changes nothing: mail scanners open links. */
    ApiResponse confirmationPage(ApiRequest request) {
        RouteParameters.onlyParameters(request, Set.of("token"));
        String raw = request.query("token");
        Token token = tokens.verify(request, raw, TokenPurpose.CONFIRM_SUBSCRIPTION);
        List<String> topics;
        try {
            topics = service.confirmationTopics(token.tenantId(), token.subject(), token.nonce(),
                    PreferenceTokens.topics(token));
        } catch (StoreException.NotFound e) {
            throw ApiProblem.notFound("the contact");
        } catch (TokenUsed e) {
            throw PublicTokens.tokenUsed();
        }
        return Pages.confirmation(tenants.get(token.tenantId()).name(), topics, raw);
    }

    ApiResponse confirm(ApiRequest request) {
        Map<String, String> form = Forms.read(request, Set.of("token"));
        Token token = tokens.verify(request, PublicTokens.tokenFrom(request, form), TokenPurpose.CONFIRM_SUBSCRIPTION);
        Channel channel = PreferenceTokens.channel(token);
        List<String> topics = PreferenceTokens.topics(token);
        ConsentEvidence evidence = ConsentEvidence.contact(ConsentEvidence.SOURCE_DOUBLE_OPT_IN,
                PreferenceTokens.wordingVersion(token), request.sourceIp(), request.userAgent());
        try {
            service.confirm(token.tenantId(), token.subject(), channel, topics,
                    new TokenUse(token.nonce(), token.expiresAt()), evidence, tenants.get(token.tenantId()).secrets());
        } catch (TokenUsed e) {
            throw PublicTokens.tokenUsed();
        } catch (StoreException.NotFound e) {
            throw ApiProblem.notFound("the contact");
        } catch (StoreException.Contention e) {
            throw PublicTokens.busy();
        }
        if (Forms.URLENCODED.equals(request.mediaType())) {
            return Pages.confirmed(tenants.get(token.tenantId()).name()); // the page's own form
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "confirmed");
        out.put("channel", channel.wire());
        out.put("topics", topics);
        return ApiResponse.ok(out);
    }
}
