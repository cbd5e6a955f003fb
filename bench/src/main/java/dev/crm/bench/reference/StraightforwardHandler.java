package dev.crm.bench.reference;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Reference (a): GET /v1/tenant written the usual way, to compare the product's cold start with.
 * The SDK client with the URL-connection HTTP client and otherwise its defaults (region, credentials
 * and endpoint from the default provider chains), a reflective bean schema from dynamodb-enhanced,
 * a new Jackson ObjectMapper, one consistent GetItem.
 */
public final class StraightforwardHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final TableSchema<TenantBean> SCHEMA = TableSchema.fromBean(TenantBean.class);

    private final ObjectMapper mapper = new ObjectMapper();
    private final DynamoDbTable<TenantBean> table;

    public StraightforwardHandler() {
        DynamoDbClient client = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(client).build();
        String tableName = System.getenv().getOrDefault("TABLE_NAME", "CrmTable");
        this.table = enhanced.table(tableName, SCHEMA);
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        Object tenantId = event.getRequestContext().getAuthorizer().get("tenantId");
        TenantBean tenant = table.getItem(r -> r.consistentRead(true)
                .key(Key.builder().partitionValue(tenantId + "#TENANT").sortValue("#").build()));
        try {
            return new APIGatewayProxyResponseEvent()
                    .withStatusCode(tenant == null ? 404 : 200)
                    .withHeaders(Map.of("Content-Type", "application/json"))
                    .withBody(tenant == null ? "{}" : mapper.writeValueAsString(tenant));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
