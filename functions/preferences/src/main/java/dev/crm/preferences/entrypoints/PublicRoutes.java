package dev.crm.preferences.entrypoints;

import dev.crm.preferences.domain.Channel;
import dev.crm.preferences.domain.ConsentEvidence;
import dev.crm.preferences.domain.LegalBasis;
import dev.crm.preferences.domain.Preferences;
import dev.crm.preferences.domain.PreferencesService;
import dev.crm.preferences.domain.RateLimit;
import dev.crm.preferences.domain.SubscribeRequest;
import dev.crm.preferences.domain.Topic;
import dev.crm.preferences.outbound.MessageSendException;
import dev.crm.preferences.store.PreferencesRepository;
import dev.crm.shared.contact.AddressSuppression;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.log.Log;
import dev.crm.shared.outbound.EmailMessage;
import dev.crm.shared.outbound.MessageSender;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantRepository;
import dev.crm.shared.tokens.InvalidTokenException;
import dev.crm.shared.tokens.SignedTokens;
import dev.crm.shared.tokens.Token;
import dev.crm.shared.tokens.TokenPurpose;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The public routes (no API key): the tenant comes from the slug in the path or from the signed token,
 * and only once it is known do the tenant's CORS origins apply. A token that is forged, tampered,
 * expired, for another purpose or for a tenant that is gone is a 400 {@code invalid-token}; a
 * confirmation token used before is a 409 {@code token-used}; neither changes anything.
 */
final class PublicRoutes {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final int MAX_TOPICS_SHOWN = Topic.MAX_PER_TENANT;
    static final String ONE_CLICK_FIELD = "List-Unsubscribe";
    static final String ONE_CLICK_VALUE = "One-Click";

    private final PreferencesService service;
    private final TenantCache tenants;
    private final TenantRepository tenantRepository;
    private final IdempotentRequests idempotency;
    private final PublicLinks links;
    private final MessageSender sender;
    private final Clock clock;
    /** Slug to tenant id, briefly: every public sign-up resolves one, and slugs almost never change. */
    private final Map<String, SlugEntry> slugs = new ConcurrentHashMap<>();

    private record SlugEntry(TenantId tenantId, long loadedAt) {}

    PublicRoutes(PreferencesService service, TenantCache tenants, TenantRepository tenantRepository,
            IdempotentRequests idempotency, PublicLinks links, MessageSender sender, Clock clock) {
        this.service = service;
        this.tenants = tenants;
        this.tenantRepository = tenantRepository;
        this.idempotency = idempotency;
        this.links = links;
        this.sender = sender;
        this.clock = clock;
    }

    // ---- subscribe (double opt-in, step 1) ----

    ApiResponse subscribe(ApiRequest request) {
        Tenant tenant = tenantBySlug(request);
        JsonObject body = request.jsonObject();
        SubscribeRequest subscription = SubscribeRequest.parse(body, service.repository().topicKeys(tenant.id()));
        ApiProblem.throwIfAny(body.violations());
        Instant now = clock.instant();
        String ip = request.sourceIp();
        countAgainst(tenant.id(), RateLimit.SUBSCRIBE_PER_CLIENT, Hashes.sha256Hex("ip|" + (ip == null ? "unknown" : ip)), now);
        countAgainst(tenant.id(), RateLimit.SUBSCRIBE_PER_ADDRESS, EmailAddress.hash(subscription.email()), now);
        return idempotency.execute(request, tenant.id(), null, () -> {
            String wording = tenant.settings().consentWordingVersion();
            var result = service.subscribe(tenant.id(), subscription, ConsentEvidence.contact(
                    ConsentEvidence.SOURCE_SUBSCRIBE_FORM, wording, ip, request.userAgent()));
            // An address suppressed by an erasure is confirmed even when already opted in: only the
            // confirmation, by the address's owner, lifts the suppression.
            if (result != null && (result.awaitsConfirmation() || service.repository().isSuppressed(tenant.id(),
                    AddressSuppression.ofEmail(tenant.secrets(), subscription.email())))) {
                sendConfirmation(request, tenant, result.contactId(), subscription, wording);
            }
            // The same answer whether the address was known, new, already confirmed or being erased.
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", "accepted");
            out.put("detail", "if the address can receive email, a confirmation link is on its way");
            return ApiResponse.json(202, out);
        });
    }

    private Tenant tenantBySlug(ApiRequest request) {
        Tenant tenant = activeTenantOfSlug(request.pathParameter("tenantSlug"));
        if (tenant == null) {
            throw ApiProblem.notFound("the tenant");
        }
        request.corsOrigins(tenant.settings().allowedOrigins());
        return tenant;
    }

    /** @return the active tenant with this slug, or null */
    private Tenant activeTenantOfSlug(String slug) {
        if (slug == null || slug.length() < 3 || slug.length() > 63 || !SLUG.matcher(slug).matches()) {
            return null;
        }
        long now = clock.millis();
        SlugEntry cached = slugs.get(slug);
        TenantId id;
        if (cached != null && now >= cached.loadedAt() && now - cached.loadedAt() < TenantCache.TTL_MILLIS) {
            id = cached.tenantId();
        } else {
            id = tenantRepository.findBySlug(slug);
            if (id != null) {
                if (slugs.size() > 10_000) {
                    slugs.clear();
                }
                slugs.put(slug, new SlugEntry(id, now));
            }
        }
        // A deprovisioned tenant loses its slug at once; a cached mapping still finds it, not active.
        Tenant tenant = id == null ? null : tenants.get(id);
        return tenant == null || tenant.status() != Tenant.Status.ACTIVE ? null : tenant;
    }

    /**
     * The origins a public request may come from, resolved before anything else (the router answers
     * preflights itself): the slug's tenant's, or the tenant a token in the query string names. The
     * token is not verified here: the origins a tenant allows are not secret, and the route verifies the
     * token before it does anything. Anything unrecognised allows no origin.
     */
    Collection<String> allowedOrigins(ApiRequest request) {
        Tenant tenant;
        if (request.pathParameter("tenantSlug") != null) {
            tenant = activeTenantOfSlug(request.pathParameter("tenantSlug"));
        } else {
            TenantId named = PreferenceTokens.tenantNamedBy(request.queryParameters().get("token"));
            tenant = named == null ? null : tenants.get(named);
        }
        return tenant == null || tenant.status() != Tenant.Status.ACTIVE ? List.of() : tenant.settings().allowedOrigins();
    }

    /** One request against a limit shared by every instance (a counter in the table); over it, a 429. */
    private void countAgainst(TenantId t, RateLimit limit, String subjectHash, Instant now) {
        long count = service.repository().countRequest(t, limit.name(), subjectHash, limit.windowStart(now),
                limit.windowEnd(now).plus(limit.window()));
        if (limit.exceededBy(count)) {
            throw ApiProblem.of(ProblemType.RATE_LIMITED, "too many sign-ups from this " + (limit == RateLimit.SUBSCRIBE_PER_ADDRESS
                    ? "address" : "client") + "; retry later").header("Retry-After", Long.toString(limit.retryAfterSeconds(now)));
        }
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
        PreferencesHandler.onlyParameters(request, Set.of("token"));
        String raw = request.query("token");
        Token token = verify(request, raw, TokenPurpose.CONFIRM_SUBSCRIPTION);
        TenantId t = token.tenantId();
        if (service.repository().findContact(t, token.subject()) == null) {
            throw ApiProblem.notFound("the contact");
        }
        if (service.repository().isTokenUsed(t, token.subject(), token.nonce())) {
            throw tokenUsed();
        }
        Map<String, String> names = topicNames(t);
        List<String> topics = new ArrayList<>();
        for (String key : PreferenceTokens.topics(token)) {
            topics.add(names.getOrDefault(key, key));
        }
        return Pages.confirmation(tenants.get(t).name(), topics, raw);
    }

    ApiResponse confirm(ApiRequest request) {
        Map<String, String> form = Forms.read(request, Set.of("token"));
        Token token = verify(request, tokenFrom(request, form), TokenPurpose.CONFIRM_SUBSCRIPTION);
        Channel channel = PreferenceTokens.channel(token);
        List<String> topics = PreferenceTokens.topics(token);
        ConsentEvidence evidence = ConsentEvidence.contact(ConsentEvidence.SOURCE_DOUBLE_OPT_IN,
                PreferenceTokens.wordingVersion(token), request.sourceIp(), request.userAgent());
        Contact contact = service.repository().findContact(token.tenantId(), token.subject());
        String address = contact == null || contact.data().email() == null ? null
                : AddressSuppression.ofEmail(tenants.get(token.tenantId()).secrets(), contact.data().email());
        try {
            service.confirm(token.tenantId(), token.subject(), channel, topics,
                    new PreferencesRepository.TokenUse(token.nonce(), token.expiresAt()), evidence, address);
        } catch (PreferencesRepository.TokenUsed e) {
            throw tokenUsed();
        } catch (StoreException.NotFound e) {
            throw ApiProblem.notFound("the contact");
        } catch (PreferencesRepository.Contention e) {
            throw busy();
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

    // ---- preference centre ----

    ApiResponse getPreferences(ApiRequest request) {
        PreferencesHandler.onlyParameters(request, Set.of("token"));
        Token token = verify(request, request.query("token"), TokenPurpose.PREFERENCES);
        Preferences p = service.get(token.tenantId(), token.subject());
        if (p == null) {
            throw ApiProblem.notFound("the contact");
        }
        List<Object> topics = new ArrayList<>();
        for (Topic topic : service.repository().topics(token.tenantId(), MAX_TOPICS_SHOWN, null).items()) {
            topics.add(topic.toJson());
        }
        // The zone quiet hours are judged in (the contact's, else the company's), so the page can say so.
        Contact contact = service.repository().findContact(token.tenantId(), token.subject());
        var tenantZone = tenants.get(token.tenantId()).settings().zone();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("preferences", p.toJson());
        out.put("topics", topics);
        out.put("timeZone", (contact == null ? tenantZone : contact.zone(tenantZone)).getId());
        return ApiResponse.ok(out).etag(p.version()).header("Cache-Control", "no-store");
    }

    /**
     * The same body as the authenticated PUT. The contact is the actor and can only give or withdraw
     * consent from here: {@code legalBasis} may be omitted or {@code consent}, {@code source} omitted or
     * {@code preference_centre}.
     */
    ApiResponse putPreferences(ApiRequest request) {
        PreferencesHandler.onlyParameters(request, Set.of("token"));
        Token token = verify(request, request.query("token"), TokenPurpose.PREFERENCES);
        long expected = request.requireIfMatch();
        Object body = Json.parse(request.body());
        if (body instanceof Map<?, ?> m) {
            Violations v = new Violations();
            Object basis = m.get("legalBasis");
            if (basis != null && !LegalBasis.CONSENT.wire().equals(basis)) {
                v.pointer("/legalBasis", "a contact's own choice is recorded as consent; omit it or send consent");
            }
            Object source = m.get("source");
            if (source != null && !ConsentEvidence.SOURCE_PREFERENCE_CENTRE.equals(source)) {
                v.pointer("/source", "omit it or send " + ConsentEvidence.SOURCE_PREFERENCE_CENTRE);
            }
            ApiProblem.throwIfAny(v);
            @SuppressWarnings("unchecked")
            Map<String, Object> withDefaults = new LinkedHashMap<>((Map<String, Object>) m);
            withDefaults.put("legalBasis", LegalBasis.CONSENT.wire());
            withDefaults.put("source", ConsentEvidence.SOURCE_PREFERENCE_CENTRE);
            body = withDefaults;
        }
        Tenant tenant = tenants.get(token.tenantId());
        String wording = tenant.settings().consentWordingVersion();
        String ip = request.sourceIp();
        String userAgent = request.userAgent();
        return PreferencesHandler.replace(service, token.tenantId(), token.subject(), expected, body,
                u -> ConsentEvidence.contact(ConsentEvidence.SOURCE_PREFERENCE_CENTRE, wording, ip, userAgent))
                .header("Cache-Control", "no-store");
    }

    // ---- one-click unsubscribe (RFC 8058) ----

    /**
     * The POST a mail client sends for {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click}: a topic
     * token opts out of that topic only, a channel token out of the channel; nothing else changes.
     * Repeating it changes nothing more and answers 200 again.
     */
    ApiResponse unsubscribe(ApiRequest request) {
        Map<String, String> form = Forms.read(request, Set.of(ONE_CLICK_FIELD, "token"));
        String oneClick = form.get(ONE_CLICK_FIELD);
        if (oneClick != null && !ONE_CLICK_VALUE.equals(oneClick)) {
            throw ApiProblem.validation("/" + ONE_CLICK_FIELD, "must be " + ONE_CLICK_VALUE);
        }
        String raw = tokenFrom(request, form);
        Token token;
        try {
            token = verify(request, raw, TokenPurpose.UNSUBSCRIBE_TOPIC);
        } catch (WrongPurpose e) {
            token = verify(request, raw, TokenPurpose.UNSUBSCRIBE_ALL);
        }
        Channel channel = PreferenceTokens.channel(token);
        String topic = token.purpose() == TokenPurpose.UNSUBSCRIBE_TOPIC ? PreferenceTokens.topic(token) : null;
        if (token.purpose() == TokenPurpose.UNSUBSCRIBE_TOPIC && topic == null) {
            throw invalidToken(new InvalidTokenException(InvalidTokenException.Reason.MALFORMED));
        }
        ConsentEvidence evidence = ConsentEvidence.contact(ConsentEvidence.SOURCE_ONE_CLICK_UNSUBSCRIBE, null,
                request.sourceIp(), request.userAgent());
        try {
            service.unsubscribe(token.tenantId(), token.subject(), channel, topic, evidence);
        } catch (StoreException.NotFound e) {
            throw ApiProblem.notFound("the contact");
        } catch (PreferencesRepository.Contention e) {
            throw busy();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "opted_out");
        out.put("channel", channel.wire());
        out.put("topic", topic);
        return ApiResponse.ok(out);
    }

    // ---- tokens ----

    /** The token from the query string or a form field; both may be given only if they agree. */
    private static String tokenFrom(ApiRequest request, Map<String, String> form) {
        String query = request.query("token");
        String field = form.get("token");
        if (query != null && field != null && !query.equals(field)) {
            throw ApiProblem.parameter("token", "the query string and the form name different tokens");
        }
        return query != null ? query : field;
    }

    /** A token of another purpose, signalled separately so the unsubscribe route can try its other purpose. */
    private static final class WrongPurpose extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WrongPurpose() {
            super(null, null, false, false);
        }
    }

    private Token verify(ApiRequest request, String raw, TokenPurpose purpose) {
        if (raw == null || raw.isEmpty()) {
            throw ApiProblem.parameter("token", "required: the token from the link");
        }
        try {
            Token token = SignedTokens.verify(raw, purpose, id -> secretsFor(request, id), clock.instant());
            if (!Ids.isValid(Contact.ID_PREFIX, token.subject())) {
                throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED);
            }
            return token;
        } catch (InvalidTokenException e) {
            if (e.reason() == InvalidTokenException.Reason.WRONG_PURPOSE && purpose == TokenPurpose.UNSUBSCRIBE_TOPIC) {
                throw new WrongPurpose();
            }
            throw invalidToken(e);
        }
    }

    /** The token's tenant's signing keys; knowing the tenant, its CORS origins apply from here on. */
    private TenantSecrets secretsFor(ApiRequest request, TenantId id) {
        Tenant tenant = tenants.get(id);
        if (tenant == null || tenant.status() != Tenant.Status.ACTIVE) {
            return null;
        }
        request.corsOrigins(tenant.settings().allowedOrigins());
        return tenant.secrets();
    }

    private static ApiProblem invalidToken(InvalidTokenException e) {
        return ApiProblem.of(ProblemType.INVALID_TOKEN, e.getMessage())
                .with("errors", List.of(Map.of("parameter", "token", "detail", e.getMessage())));
    }

    private static ApiProblem tokenUsed() {
        return ApiProblem.of(ProblemType.TOKEN_USED, "this confirmation link was used already; nothing was changed");
    }

    private static ApiProblem busy() {
        return ApiProblem.of(ProblemType.SERVICE_UNAVAILABLE, "the preferences are being changed by others; retry")
                .header("Retry-After", "1");
    }

    private Map<String, String> topicNames(TenantId t) {
        Map<String, String> names = new LinkedHashMap<>();
        for (Topic topic : service.repository().topics(t, MAX_TOPICS_SHOWN, null).items()) {
            names.put(topic.key(), topic.name());
        }
        return names;
    }
}
