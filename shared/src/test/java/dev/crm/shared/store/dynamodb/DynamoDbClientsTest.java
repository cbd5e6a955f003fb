package dev.crm.shared.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.shared.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class DynamoDbClientsTest {
    @Test
    void theFixedEndpointIsTheRegionalOneTheRulesWouldGive() {
        assertEquals("https://dynamodb.eu-west-1.amazonaws.com", DynamoDbClients.regionalEndpoint("eu-west-1"));
        assertEquals("https://dynamodb.cn-north-1.amazonaws.com.cn", DynamoDbClients.regionalEndpoint("cn-north-1"));
    }

    @Test
    void aLambdaClientBuildsWithoutAProfileFileAndKeepsItsRegion() {
        Settings lambda = new Settings(Map.of("AWS_REGION", "eu-central-1", "AWS_LAMBDA_FUNCTION_NAME", "f",
                "AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", "b"));
        try (DynamoDbClient client = DynamoDbClients.create(lambda)) {
            assertEquals("eu-central-1", client.serviceClientConfiguration().region().id());
        }
    }
}
