package dev.crm.authorizer.config;

import dev.crm.authorizer.domain.KeyAuthentication;
import dev.crm.authorizer.store.secrets.ConfiguredOperatorKeyRepository;
import dev.crm.shared.config.Infrastructure;

/** The authorizer's composition root: the adapters behind {@link KeyAuthentication}'s ports. */
public final class AuthorizerComponents {
    private AuthorizerComponents() {}

    public static KeyAuthentication keyAuthentication(Infrastructure infra) {
        // The Secrets Manager client is built on first use: tenant keys never pay for it.
        var operatorKey = new ConfiguredOperatorKeyRepository(infra.settings(), infra.clock(),
                () -> SecretsManagerClients.create(infra.settings()));
        return new KeyAuthentication(infra.tenants(), operatorKey, infra.clock());
    }
}
