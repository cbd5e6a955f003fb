package dev.crm.authorizer.store.secrets;

import dev.crm.authorizer.domain.KeyAuthentication;
import dev.crm.authorizer.domain.OperatorKeyForm;
import dev.crm.authorizer.domain.OperatorKeyRepository;
import dev.crm.shared.config.Settings;
import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.log.Log;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * The product operator's key, {@code crm_op_…}. Locally it is {@code CRM_OPERATOR_KEY}; on AWS it is
 * the Secrets Manager secret named by {@code OPERATOR_KEY_SECRET_ARN} (the template generates it;
 * the key is {@code crm_op_} followed by the secret's value). It is fetched the first time an
 * operator key is presented, so tenant requests never pay for the Secrets Manager client, and
 * refreshed every few minutes so a rotation takes effect without a deployment.
 *
 * <p>A configured key that is not well-formed ({@link OperatorKeyForm}) could never be presented, so
 * it denies every operator request; that is logged once (until a well-formed key is loaded), naming
 * the source and what is wrong, never the value.
 */
public final class ConfiguredOperatorKeyRepository implements OperatorKeyRepository {
    private static final String PREFIX = KeyAuthentication.OPERATOR_PREFIX;
    private static final long REFRESH_MILLIS = 300_000;

    private final Settings settings;
    private final Clock clock;
    private final Supplier<SecretsManagerClient> secretsClient;
    private byte[] hash;
    private long loadedAt = Long.MIN_VALUE;
    private boolean malformedLogged;
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
        Map<String, Object> fields = new LinkedHashMap<>();
        String problem;
        if (key == null && settings.get("OPERATOR_KEY_SECRET_ARN") != null) {
            String arn = settings.get("OPERATOR_KEY_SECRET_ARN");
            String value = fetchSecret(arn);
            key = value == null || value.isEmpty() ? null : value.startsWith(PREFIX) ? value : PREFIX + value;
            fields.put("source", "OPERATOR_KEY_SECRET_ARN");
            fields.put("secretArn", arn);
            problem = key == null ? "the secret has no value" : OperatorKeyForm.problem(key);
        } else {
            fields.put("source", "CRM_OPERATOR_KEY");
            // unset or empty: deliberately no operator key; anything else must be well-formed
            problem = key == null || key.isEmpty() ? null : OperatorKeyForm.problem(key);
        }
        if (problem != null && !malformedLogged) {
            // once, until a well-formed key is loaded: what is wrong and where it came from, never the value
            fields.put("problem", problem);
            fields.put("required", OperatorKeyForm.FORM);
            Log.error("the configured operator key is malformed: every operator request will be denied", fields);
        }
        malformedLogged = problem != null;
        hash = key == null || OperatorKeyForm.problem(key) != null ? null : Hashes.sha256(key.getBytes(StandardCharsets.UTF_8));
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
