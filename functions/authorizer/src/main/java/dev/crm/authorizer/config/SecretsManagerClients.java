package dev.crm.authorizer.config;

import dev.crm.shared.config.Settings;
import dev.crm.shared.store.dynamodb.DynamoDbClients;
import java.net.URI;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Builds the authorizer's Secrets Manager client (URL-connection HTTP, like the DynamoDB client). */
public final class SecretsManagerClients {
    private SecretsManagerClients() {}

    public static SecretsManagerClient create(Settings settings) {
        String endpoint = settings.get("AWS_ENDPOINT_URL_SECRETS_MANAGER", settings.get("AWS_ENDPOINT_URL"));
        var b = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().build())
                .region(Region.of(settings.get("AWS_REGION", "us-east-1")))
                .credentialsProvider(DynamoDbClients.credentials(settings, endpoint != null));
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint));
        }
        return b.build();
    }
}
