package dev.crm.authorizer.config;

import dev.crm.shared.config.ProcessHttp;
import dev.crm.shared.config.Settings;
import dev.crm.shared.store.dynamodb.DynamoDbClients;
import java.net.URI;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Builds the authorizer's Secrets Manager client on the process's one HTTP client (the DynamoDB client's). */
public final class SecretsManagerClients {
    private SecretsManagerClients() {}

    public static SecretsManagerClient create(Settings settings) {
        String endpoint = settings.get("AWS_ENDPOINT_URL_SECRETS_MANAGER", settings.get("AWS_ENDPOINT_URL"));
        var b = SecretsManagerClient.builder()
                .httpClient(ProcessHttp.client())
                .region(Region.of(settings.get("AWS_REGION", "us-east-1")))
                .credentialsProvider(DynamoDbClients.credentials(settings, endpoint != null));
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint));
        }
        return b.build();
    }
}
