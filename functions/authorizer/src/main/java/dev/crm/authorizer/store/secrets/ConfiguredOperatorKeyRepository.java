package dev.crm.authorizer.store.secrets;

import dev.crm.authorizer.domain.KeyAuthentication;
import dev.crm.authorizer.domain.OperatorKeyRepository;
import dev.crm.shared.config.Settings;
import dev.crm.shared.crypto.Hashes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * The product operator's key, {@code crm_op_…}. Locally it is {@code CRM_OPERATOR_KEY}; on AWS it is
 * the Secrets Manager secret named by {@code OPERATOR_KEY_SECRET_ARN} (the template generates it;
 * the key is {@code crm_op_} followed by the secret's value). It is fetched the first time an
 * operator key is presented, so tenant requests never pay for the Secrets Manager client, and
 * refreshed every few minutes so a rotation takes effect without a deployment.
 */
public final class ConfiguredOperatorKeyRepository implements OperatorKeyRepository {
    private static final String PREFIX = KeyAuthentication.OPERATOR_PREFIX;
    private static final long REFRESH_MILLIS = 300_000;

    private final Settings settings;
    private final Clock clock;
    private final Supplier<SecretsManagerClient> secretsClient;
    private byte[] hash;
    private long loadedAt = Long.MIN_VALUE;
    private SecretsManagerClient secrets;

    /** @param secretsClient builds the client the first time the secret is needed */
    public ConfiguredOperatorKeyRepository(Settings settings, Clock clock, Supplier<SecretsManagerClient> secretsClient) {
        this.settings = settings;
        this.clock = clock;
        this.secretsClient = secretsClient;
    }

    @Override
    public synchronized byte[] currentKeyHash() {
        long now = clock.millis();
        if (loadedAt != Long.MIN_VALUE && now - loadedAt < REFRESH_MILLIS) {
            return hash;
        }
        String key = settings.get("CRM_OPERATOR_KEY");
        if (key == null && settings.get("OPERATOR_KEY_SECRET_ARN") != null) {
            String value = fetchSecret(settings.get("OPERATOR_KEY_SECRET_ARN"));
            key = value == null ? null : value.startsWith(PREFIX) ? value : PREFIX + value;
        }
        hash = key == null || !key.startsWith(PREFIX) ? null : Hashes.sha256(key.getBytes(StandardCharsets.UTF_8));
        loadedAt = now;
        return hash;
    }

    private String fetchSecret(String arn) {
        if (secrets == null) {
            secrets = secretsClient.get();
        }
        return secrets.getSecretValue(GetSecretValueRequest.builder().secretId(arn).build()).secretString();
    }
}
