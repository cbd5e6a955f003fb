package dev.crm.cases.entrypoints;

import dev.crm.cases.domain.SupportCase;
import dev.crm.shared.config.Settings;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.publicaccess.PublicTenantLookup;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantRepository;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tokens.InvalidTokenException;
import dev.crm.shared.tokens.SignedTokens;
import dev.crm.shared.tokens.Token;
import dev.crm.shared.tokens.TokenPurpose;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * How a public case request finds its tenant: from the slug in the path (the contact form) or from the
 * signed case link the product emailed (status page, replies). Nothing else names a tenant. A case
 * link's subject is the case id, its claim {@code ct} the case's contact; it is signed with the tenant's
 * key and lasts {@link #LINK_TTL}.
 */
final class PublicCaseAccess {
    /** A case link works this long: long enough for a slow case, not for ever in a mailbox. */
    static final Duration LINK_TTL = Duration.ofDays(90);
    /** The status page of the web app, which calls GET /v1/public/cases with the token. */
    static final String STATUS_PAGE = "/case.html";
    private static final String CONTACT_CLAIM = "ct";

    /** The slug's or the token's tenant, shared with the preference centre's public routes. */
    private final PublicTenantLookup lookup;
    private final Clock clock;
    private final String configuredBase;

    /** A verified case link: the tenant, the case and its contact. */
    record CaseLink(Tenant tenant, String caseId, String contactId) {}

    PublicCaseAccess(TenantCache tenants, TenantRepository tenantRepository, Settings settings, Clock clock) {
        this.lookup = new PublicTenantLookup(tenants, tenantRepository, clock);
        this.clock = clock;
        String base = settings.get("PUBLIC_BASE_URL");
        this.configuredBase = base == null || base.isBlank() ? null : base.trim().replaceAll("/+$", "");
    }

    /** The active tenant of the slug in the path (else a 404), whose CORS origins apply from here on. */
    Tenant bySlug(ApiRequest request) {
        return lookup.bySlug(request);
    }

    String issue(Tenant tenant, SupportCase c, Instant now) {
        return SignedTokens.issue(tenant.id(), tenant.secrets(), TokenPurpose.CASE_ACCESS, c.id(),
                Map.of(CONTACT_CLAIM, c.contactId()), now, LINK_TTL);
    }

    /**
     * The verified link in the {@code token} query parameter. Forged, tampered, expired, of another
     * purpose or of a tenant that is gone: 400 {@code invalid-token}, and nothing is read.
     */
    CaseLink verify(ApiRequest request) {
        String raw = request.query("token");
        if (raw == null || raw.isEmpty()) {
            throw ApiProblem.parameter("token", "required: the token from the link");
        }
        Tenant[] holder = new Tenant[1];
        Token token;
        try {
            token = SignedTokens.verify(raw, TokenPurpose.CASE_ACCESS, id -> {
                holder[0] = lookup.activeTenant(id);
                return holder[0] == null ? null : holder[0].secrets();
            }, clock.instant());
            if (!Ids.isValid(SupportCase.ID_PREFIX, token.subject())
                    || !Ids.isValid(Contact.ID_PREFIX, token.claim(CONTACT_CLAIM))) {
                throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED);
            }
        } catch (InvalidTokenException e) {
            throw ApiProblem.of(ProblemType.INVALID_TOKEN, e.getMessage())
                    .with("errors", List.of(Map.of("parameter", "token", "detail", e.getMessage())));
        }
        // knowing the tenant, its CORS origins apply
        request.corsOrigins(holder[0].settings().allowedOrigins());
        return new CaseLink(holder[0], token.subject(), token.claim(CONTACT_CLAIM));
    }

    /**
     * The origins a public request may come from (the router answers preflights itself): the slug's
     * tenant's, or those of the tenant a token in the query string names, unverified (a tenant's origins
     * are not secret; the route verifies the token before it reads anything). Else none.
     */
    Collection<String> allowedOrigins(ApiRequest request) {
        return lookup.allowedOrigins(request);
    }

    /**
     * The status page's URL for a link, built on {@code PUBLIC_BASE_URL} (the template's
     * {@code PublicBaseUrl}; the local runner passes its own). When it is empty on AWS, the API's own
     * stage URL is used: {@code https://{Host}/{stage}}.
     */
    String statusPage(ApiRequest request, String token) {
        String base = configuredBase;
        if (base == null) {
            String host = request.header("Host");
            var ctx = request.event().getRequestContext();
            String stage = ctx == null ? null : ctx.getStage();
            if (host == null || host.isBlank()) {
                throw new IllegalStateException("PUBLIC_BASE_URL is not set and the request names no Host");
            }
            base = "https://" + host + (stage == null || stage.isBlank() ? "" : "/" + stage);
        }
        return base + STATUS_PAGE + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /** A pseudonym of the caller's address under the tenant's key: counters never hold an IP address. */
    static String clientPseudonym(ApiRequest request, TenantSecrets secrets, String purpose) {
        String ip = request.sourceIp() == null ? "unknown" : request.sourceIp();
        return secrets.pseudonym(purpose, ip);
    }
}
