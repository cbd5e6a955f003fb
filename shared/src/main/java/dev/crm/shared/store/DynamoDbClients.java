package dev.crm.shared.store;

import dev.crm.shared.config.Settings;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the DynamoDB client once per process, the cheap way: URL-connection HTTP client, explicit
 * region and credentials provider (no provider-chain probing at cold start), and the endpoint from
 * {@code AWS_ENDPOINT_URL_DYNAMODB} or {@code AWS_ENDPOINT_URL} so the same code talks to DynamoDB
 * Local or LocalStack.
 */
public final class DynamoDbClients {
    private DynamoDbClients() {}

    public static DynamoDbClient create(Settings settings) {
        String endpoint = settings.get("AWS_ENDPOINT_URL_DYNAMODB", settings.get("AWS_ENDPOINT_URL"));
        var builder = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(10))
                        .build())
                .region(Region.of(settings.get("AWS_REGION", "us-east-1")))
                .credentialsProvider(credentials(settings, endpoint != null))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(Duration.ofSeconds(20))
                        .build());
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    /**
     * The provider the environment calls for, chosen without probing: SnapStart functions get
     * container credentials (environment keys would be stale after a restore), other Lambdas the
     * environment keys, DynamoDB Local and LocalStack any static pair.
     */
    public static AwsCredentialsProvider credentials(Settings settings, boolean customEndpoint) {
        if (settings.isProcessEnvironment() && settings.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null) {
            return ContainerCredentialsProvider.builder().build();
        }
        if (settings.get("AWS_ACCESS_KEY_ID") != null) {
            if (settings.isProcessEnvironment()) {
                return EnvironmentVariableCredentialsProvider.create();
            }
            String token = settings.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token == null
                    ? AwsBasicCredentials.create(settings.get("AWS_ACCESS_KEY_ID"), settings.require("AWS_SECRET_ACCESS_KEY"))
                    : AwsSessionCredentials.create(settings.get("AWS_ACCESS_KEY_ID"),
                            settings.require("AWS_SECRET_ACCESS_KEY"), token));
        }
        if (customEndpoint) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
