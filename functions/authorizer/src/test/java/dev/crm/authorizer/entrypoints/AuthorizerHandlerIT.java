package dev.crm.authorizer.entrypoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.tenant.ApiKeyRecord;
import dev.crm.shared.tenant.ApiKeys;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.TestInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The REQUEST authorizer against DynamoDB Local. */
class AuthorizerHandlerIT {
    private static final String ARN = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/v1/tenant";
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final AuthorizerHandler authorizer = new AuthorizerHandler(infra);

    private IamPolicyResponse authorize(String authorization) {
        var e = new APIGatewayCustomAuthorizerEvent();
        e.setType("REQUEST");
        e.setMethodArn(ARN);
        e.setHeaders(authorization == null ? Map.of() : Map.of("authorization", authorization));
        return authorizer.handleRequest(e, new LambdaContext());
    }

    private void assertUnauthorized(String authorization) {
        var e = assertThrows(AuthorizerHandler.UnauthorizedException.class, () -> authorize(authorization));
        assertEquals("Unauthorized", e.getMessage());
    }

    @Test
    void aTenantKeyBecomesTenantScopeAndKeyIdInTheContext() {
        var tenant = TestInfrastructure.tenant(infra);
        var policy = authorize("Bearer " + tenant.adminKey());
        assertEquals(tenant.id().value(), policy.getContext().get("tenantId"));
        assertEquals("admin", policy.getContext().get("scope"));
        @SuppressWarnings("unchecked")
        var statements = (Object[]) policy.getPolicyDocument().get("Statement");
        @SuppressWarnings("unchecked")
        var statement = (Map<String, Object>) statements[0];
        assertEquals("Allow", statement.get("Effect"));
        // one cached decision covers every route of the stage
        assertEquals(List.of("arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*/*"), List.of((Object[]) statement.get("Resource")));
    }

    @Test
    void missingMalformedUnknownRevokedAndExpiredKeysAreUnauthorized() {
        var tenant = TestInfrastructure.tenant(infra);
        assertUnauthorized(null);
        assertUnauthorized("");
        assertUnauthorized("Basic dXNlcjpwYXNz");
        assertUnauthorized("Bearer ");
        assertUnauthorized("Bearer crm_live_' OR 1=1 --");
        assertUnauthorized("Bearer " + ApiKeys.generate());
        assertUnauthorized("Bearer " + tenant.adminKey() + "x");

        String secret = ApiKeys.generate();
        var key = new ApiKeyRecord(tenant.id(), Ids.random("key_", 20), "temp", Scope.READ, ApiKeys.displayPrefix(secret),
                Hashes.sha256Hex(secret), clock.instant(), clock.instant().plus(Duration.ofHours(1)), null);
        infra.tenants().createKey(key);
        assertEquals("read", authorize("Bearer " + secret).getContext().get("scope"));
        clock.advance(Duration.ofHours(2));
        assertUnauthorized("Bearer " + secret);

        String other = ApiKeys.generate();
        var revocable = new ApiKeyRecord(tenant.id(), Ids.random("key_", 20), "r", Scope.WRITE, ApiKeys.displayPrefix(other),
                Hashes.sha256Hex(other), clock.instant(), null, null);
        infra.tenants().createKey(revocable);
        assertEquals("write", authorize("Bearer " + other).getContext().get("scope"));
        infra.tenants().revokeKey(tenant.id(), revocable.keyId(), clock.instant());
        assertUnauthorized("Bearer " + other);
    }

    @Test
    void theOperatorKeyHasOperatorScopeAndNoTenant() {
        var policy = authorize("Bearer " + TestInfrastructure.OPERATOR_KEY);
        assertEquals("operator", policy.getContext().get("scope"));
        assertEquals("", policy.getContext().get("tenantId"));
        assertUnauthorized("Bearer crm_op_" + "x".repeat(40));
    }

    @Test
    void withoutAConfiguredOperatorKeyNoOperatorKeyIsAccepted() {
        var noOperator = new AuthorizerHandler(TestInfrastructure.create(clock, Map.of("CRM_OPERATOR_KEY", "")));
        var e = new APIGatewayCustomAuthorizerEvent();
        e.setMethodArn(ARN);
        e.setHeaders(Map.of("Authorization", "Bearer " + TestInfrastructure.OPERATOR_KEY));
        assertThrows(AuthorizerHandler.UnauthorizedException.class, () -> noOperator.handleRequest(e, new LambdaContext()));
    }

    @Test
    void theWildcardResourceKeepsApiAndStage() {
        assertEquals("arn:aws:execute-api:us-east-1:1:api/stage/*/*",
                AuthorizerHandler.apiWildcard("arn:aws:execute-api:us-east-1:1:api/stage/POST/v1/contacts/abc"));
    }
}
