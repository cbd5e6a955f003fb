package dev.crm.authorizer;

import dev.crm.shared.config.Settings;
import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.store.dynamodb.DynamoDbClients;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * The product operator's key, {@code crm_op_…}. Locally it is {@code CRM_OPERATOR_KEY}; on AWS it is
 * the Secrets Manager secret named by {@code OPERATOR_KEY_SECRET_ARN} (the template generates it;
 * the key is {@code crm_op_} followed by the secret's value). It is fetched the first time an
 * operator key is presented, so tenant requests never pay for the Secrets Manager client, and
 * refreshed every few minutes so a rotation takes effect without a deployment.
 */
final class OperatorKey {
    static final String PREFIX = "crm_op_";
    private static final long REFRESH_MILLIS = 300_000;

    private final Settings settings;
    private byte[] hash;
    private long loadedAt = Long.MIN_VALUE;
    private SecretsManagerClient secrets;

    OperatorKey(Settings settings) {
        this.settings = settings;
    }

    static boolean looksLikeOperatorKey(String key) {
        return key.startsWith(PREFIX);
    }

    boolean matches(String presented, long nowMillis) {
        byte[] expected = expectedHash(nowMillis);
        return expected != null && Hashes.equal(expected, Hashes.sha256(presented.getBytes(StandardCharsets.UTF_8)));
    }

    private synchronized byte[] expectedHash(long now) {
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
            String endpoint = settings.get("AWS_ENDPOINT_URL_SECRETS_MANAGER", settings.get("AWS_ENDPOINT_URL"));
            var b = SecretsManagerClient.builder()
                    .httpClient(UrlConnectionHttpClient.builder().build())
                    .region(Region.of(settings.get("AWS_REGION", "us-east-1")))
                    .credentialsProvider(DynamoDbClients.credentials(settings, endpoint != null));
            if (endpoint != null) {
                b.endpointOverride(URI.create(endpoint));
            }
            secrets = b.build();
        }
        return secrets.getSecretValue(GetSecretValueRequest.builder().secretId(arn).build()).secretString();
    }
}
