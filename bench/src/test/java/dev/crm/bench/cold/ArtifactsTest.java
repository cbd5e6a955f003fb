package dev.crm.bench.cold;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ArtifactsTest {
    @Test
    void entriesAreAttributedToTheirLibrary() {
        assertEquals("awssdk dynamodb", Artifacts.part("software/amazon/awssdk/services/dynamodb/model/GetItemRequest.class"));
        assertEquals("awssdk core (sdk-core, auth, http, regions, …)", Artifacts.part("software/amazon/awssdk/core/SdkBytes.class"));
        assertEquals("aws-lambda-java-events",
                Artifacts.part("com/amazonaws/services/lambda/runtime/events/APIGatewayProxyRequestEvent.class"));
        assertEquals("aws-lambda-java-core", Artifacts.part("com/amazonaws/services/lambda/runtime/Context.class"));
        assertEquals("jackson-core", Artifacts.part("com/fasterxml/jackson/core/JsonFactory.class"));
        assertEquals("dev.crm.shared", Artifacts.part("dev/crm/shared/json/Json.class"));
        assertEquals("org.slf4j", Artifacts.part("org/slf4j/Logger.class"));
        assertEquals("META-INF", Artifacts.part("META-INF/MANIFEST.MF"));
    }
}
