package dev.crm.preferences.entrypoints;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tokens.InvalidTokenException;
import dev.crm.shared.tokens.SignedTokens;
import dev.crm.shared.tokens.Token;
import dev.crm.shared.tokens.TokenPurpose;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The signed tokens of the public routes. A token that is forged, tampered, expired, for another
 * purpose or for a tenant that is gone is a 400 {@code invalid-token}; a confirmation token used
 * before is a 409 {@code token-used}; neither changes anything.
 */
final class PublicTokens {
    private final TenantCache tenants;
    private final Clock clock;

    PublicTokens(TenantCache tenants, Clock clock) {
        this.tenants = tenants;
        this.clock = clock;
    }

    /** The token from the query string or a form field; both may be given only if they agree. */
    static String tokenFrom(ApiRequest request, Map<String, String> form) {
        String query = request.query("token");
        String field = form.get("token");
        if (query != null && field != null && !query.equals(field)) {
            throw ApiProblem.parameter("token", "the query string and the form name different tokens");
        }
        return query != null ? query : field;
    }

    /** The verified token of this purpose, its subject a contact id; knowing its tenant, its CORS origins apply. */
    Token verify(ApiRequest request, String raw, TokenPurpose purpose) {
        try {
            return verifyOrThrow(request, raw, purpose);
        } catch (InvalidTokenException e) {
            throw invalidToken(e);
        }
    }

    /** A token of either purpose: the first is tried, and the second when the token is of another purpose. */
    Token verifyEither(ApiRequest request, String raw, TokenPurpose first, TokenPurpose second) {
        try {
            return verifyOrThrow(request, raw, first);
        } catch (InvalidTokenException e) {
            if (e.reason() == InvalidTokenException.Reason.WRONG_PURPOSE) {
                return verify(request, raw, second);
            }
            throw invalidToken(e);
        }
    }

    private Token verifyOrThrow(ApiRequest request, String raw, TokenPurpose purpose) throws InvalidTokenException {
        if (raw == null || raw.isEmpty()) {
            throw ApiProblem.parameter("token", "required: the token from the link");
        }
        Token token = SignedTokens.verify(raw, purpose, id -> secretsFor(request, id), clock.instant());
        if (!Ids.isValid(Contact.ID_PREFIX, token.subject())) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED);
        }
        return token;
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

    static ApiProblem invalidToken(InvalidTokenException e) {
        return ApiProblem.of(ProblemType.INVALID_TOKEN, e.getMessage())
                .with("errors", List.of(Map.of("parameter", "token", "detail", e.getMessage())));
    }

    static ApiProblem tokenUsed() {
        return ApiProblem.of(ProblemType.TOKEN_USED, "this confirmation link was used already; nothing was changed");
    }

    static ApiProblem busy() {
        return ApiProblem.of(ProblemType.SERVICE_UNAVAILABLE, "the preferences are being changed by others; retry")
                .header("Retry-After", "1");
    }
}
