package dev.crm.shared.store.dynamodb;

import dev.crm.shared.config.ProcessHttp;
import dev.crm.shared.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.defaultsmode.DefaultsMode;
import software.amazon.awssdk.awscore.endpoints.AccountIdEndpointMode;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointProvider;

/**
 * Builds the DynamoDB client once per process, the cheap way: URL-connection HTTP client, explicit
 * region and credentials provider (no provider-chain probing at cold start), and the endpoint from
 * {@code AWS_ENDPOINT_URL_DYNAMODB} or {@code AWS_ENDPOINT_URL} so the same code talks to DynamoDB
 * Local or LocalStack.
 */
public final class DynamoDbClients {
    private static final ProfileFile EMPTY_PROFILE = ProfileFile.aggregator().build();

    private DynamoDbClients() {}

    public static DynamoDbClient create(Settings settings) {
        return builder(settings, override -> { }).build();
    }

    /**
     * The production builder, with {@code tweak} applied to its override configuration last (tests add
     * fault injectors and shorten back-off there, keeping everything else as deployed).
     */
    public static DynamoDbClientBuilder builder(Settings settings, Consumer<ClientOverrideConfiguration.Builder> tweak) {
        String endpoint = settings.get("AWS_ENDPOINT_URL_DYNAMODB", settings.get("AWS_ENDPOINT_URL"));
        var override = ClientOverrideConfiguration.builder()
                .apiCallTimeout(Duration.ofSeconds(20))
                // The SDK's legacy DynamoDB default makes up to 9 attempts with back-off of up to 20 s,
                // past API Gateway's 29 s. Standard mode makes 3, and its token bucket stops retrying
                // under sustained throttling, so callers get a quick 503 with Retry-After instead.
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy());
        if (settings.get("AWS_LAMBDA_FUNCTION_NAME") != null) {
            // Region, credentials, retries and endpoint are explicit, yet the builder still looks for
            // ~/.aws/config (auth-scheme preference, SigV4a regions, defaults mode): on Lambda there is
            // none, so an empty profile file and an explicit defaults mode spare the look-ups.
            override.defaultProfileFileSupplier(() -> EMPTY_PROFILE).defaultProfileFile(EMPTY_PROFILE);
        }
        tweak.accept(override);
        String region = settings.get("AWS_REGION", "us-east-1");
        URI uri = URI.create(endpoint != null ? endpoint : regionalEndpoint(region));
        var builder = DynamoDbClient.builder()
                .httpClient(ProcessHttp.client())
                .region(Region.of(region))
                .credentialsProvider(credentials(settings, endpoint != null))
                // The endpoint is known: a fixed provider skips the rules engine (and the partitions
                // JSON it parses while the client is built), account-id endpoints need the caller's
                // account id resolved first, and endpoint discovery walks a provider chain.
                .endpointProvider(fixedEndpoint(uri))
                .accountIdEndpointMode(AccountIdEndpointMode.DISABLED)
                .endpointDiscoveryEnabled(false)
                .defaultsMode(DefaultsMode.LEGACY)
                .overrideConfiguration(override.build());
        if (endpoint != null) {
            builder.endpointOverride(uri);
        }
        return builder;
    }

    /** DynamoDB's regional endpoint (what the SDK's rules give without FIPS, dual-stack or account ids). */
    static String regionalEndpoint(String region) {
        return "https://dynamodb." + region + (region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com");
    }

    private static DynamoDbEndpointProvider fixedEndpoint(URI uri) {
        var resolved = CompletableFuture.completedFuture(Endpoint.builder().url(uri).build());
        return params -> resolved;
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
