package dev.crm.authorizer;

import dev.crm.shared.config.Settings;
import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.log.Log;
import dev.crm.shared.tenant.ApiKeys;
import dev.crm.shared.store.dynamodb.DynamoDbClients;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
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
 *
 * <p>Only a well-formed key ({@link #problem}) can ever be presented: the authorizer refuses any
 * other bearer value before it looks at it. A configured key that is not well-formed therefore
 * denies every operator request; that is logged once (until a well-formed key is loaded), naming
 * the source and what is wrong, never the value. The local runner refuses to start with one.
 */
public final class OperatorKey {
    public static final String PREFIX = "crm_op_";
    /** The length bounds of every key the authorizer reads ({@link ApiKeys#looksValid}). */
    public static final int MIN_LENGTH = 20;
    public static final int MAX_LENGTH = 128;
    /** The rule in words, for messages. */
    public static final String FORM = PREFIX + " followed by ASCII letters, digits or _, " + MIN_LENGTH + " to " + MAX_LENGTH
            + " characters in all";
    private static final long REFRESH_MILLIS = 300_000;

    private final Settings settings;
    private byte[] hash;
    private long loadedAt = Long.MIN_VALUE;
    private boolean malformedLogged;
    private SecretsManagerClient secrets;

    OperatorKey(Settings settings) {
        this.settings = settings;
    }

    /**
     * What keeps {@code key} from being an operator key the authorizer can accept, in words that do
     * not repeat it; null when it is well-formed.
     */
    public static String problem(String key) {
        if (key == null || key.isEmpty()) {
            return "it is empty";
        }
        if (!key.startsWith(PREFIX)) {
            return "it does not start with " + PREFIX;
        }
        if (key.length() < MIN_LENGTH || key.length() > MAX_LENGTH) {
            return "it has " + key.length() + " characters, not " + MIN_LENGTH + " to " + MAX_LENGTH;
        }
        if (!ApiKeys.looksValid(key)) {
            return "it has characters other than ASCII letters, digits and _";
        }
        return null;
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
        Map<String, Object> fields = new LinkedHashMap<>();
        String problem;
        if (key == null && settings.get("OPERATOR_KEY_SECRET_ARN") != null) {
            String arn = settings.get("OPERATOR_KEY_SECRET_ARN");
            String value = fetchSecret(arn);
            key = value == null || value.isEmpty() ? null : value.startsWith(PREFIX) ? value : PREFIX + value;
            fields.put("source", "OPERATOR_KEY_SECRET_ARN");
            fields.put("secretArn", arn);
            problem = key == null ? "the secret has no value" : problem(key);
        } else {
            fields.put("source", "CRM_OPERATOR_KEY");
            // unset or empty: deliberately no operator key; anything else must be well-formed
            problem = key == null || key.isEmpty() ? null : problem(key);
        }
        if (problem != null && !malformedLogged) {
            fields.put("problem", problem);
            fields.put("required", FORM);
            Log.error("the configured operator key is malformed: every operator request will be denied", fields);
        }
        malformedLogged = problem != null;
        hash = key == null || problem(key) != null ? null : Hashes.sha256(key.getBytes(StandardCharsets.UTF_8));
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
