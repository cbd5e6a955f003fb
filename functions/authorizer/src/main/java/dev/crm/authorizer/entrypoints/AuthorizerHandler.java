package dev.crm.authorizer.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import dev.crm.authorizer.config.AuthorizerComponents;
import dev.crm.authorizer.domain.KeyAuthentication;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Priming;
import dev.crm.shared.log.Log;
import dev.crm.shared.tenant.ApiKeys;
import dev.crm.shared.tenant.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The REQUEST authorizer in front of every authenticated route. It turns a bearer API key into the
 * tenant id, scope and key id that handlers read from the request context, and nothing else: the
 * scope a route needs is checked by the route. Unknown, malformed, revoked or expired keys answer
 * "Unauthorized", which API Gateway turns into a 401 (its UNAUTHORIZED gateway response).
 */
public final class AuthorizerHandler implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponse> {
    /** The exact message API Gateway maps to 401. */
    public static final String UNAUTHORIZED = "Unauthorized";

    private final KeyAuthentication authentication;

    public AuthorizerHandler() {
        this(Infrastructure.lambda());
        // SnapStart priming: a well-formed key nobody holds is looked up and denied; nothing is written.
        Priming.register(() -> {
            var event = new APIGatewayCustomAuthorizerEvent();
            event.setType("REQUEST");
            event.setHeaders(Map.of("Authorization", "Bearer " + ApiKeys.generate()));
            try {
                handleRequest(event, null);
            } catch (RuntimeException denied) {
                // expected: Unauthorized
            }
        });
    }

    public AuthorizerHandler(Infrastructure infra) {
        this.authentication = AuthorizerComponents.keyAuthentication(infra);
    }

    @Override
    public IamPolicyResponse handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        Principal principal;
        try {
            principal = authentication.authenticate(ApiKeys.fromAuthorizationHeader(authorizationHeader(event)));
        } catch (KeyAuthentication.Refused refused) {
            throw deny(refused.reason());
        }
        return IamPolicyResponse.builder()
                .withPrincipalId(principal.keyId())
                .withPolicyDocument(IamPolicyResponse.PolicyDocument.builder()
                        .withVersion(IamPolicyResponse.VERSION_2012_10_17)
                        .withStatement(List.of(IamPolicyResponse.allowStatement(apiWildcard(event.getMethodArn()))))
                        .build())
                .withContext(principal.toAuthorizerContext())
                .build();
    }

    private static String authorizationHeader(APIGatewayCustomAuthorizerEvent event) {
        if (event.getHeaders() == null) {
            return null;
        }
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(event.getHeaders());
        return h.get("Authorization");
    }

    /**
     * The policy allows every route of the API: API Gateway caches it per key (identity source), so
     * a policy for one method ARN would wrongly deny the next route called with the same key.
     */
    static String apiWildcard(String methodArn) {
        if (methodArn == null) {
            return "*";
        }
        // arn:aws:execute-api:region:account:apiId/stage/METHOD/path…
        String[] arn = methodArn.split(":", 6);
        if (arn.length < 6) {
            return "*";
        }
        String[] path = arn[5].split("/", 3);
        if (path.length < 2) {
            return "*";
        }
        return String.join(":", arn[0], arn[1], arn[2], arn[3], arn[4], path[0] + "/" + path[1] + "/*/*");
    }

    private static RuntimeException deny(String reason) {
        Log.info("authorization denied", Map.of("reason", reason));
        return new UnauthorizedException();
    }

    /** Carries only the message API Gateway expects; no stack trace is ever logged or returned. */
    public static final class UnauthorizedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnauthorizedException() {
            super(UNAUTHORIZED, null, false, false);
        }
    }
}
