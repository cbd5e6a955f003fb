package dev.crm.bench.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MiniJsonTest {
    @Test
    void readsEveryKindOfValue() {
        Object v = MiniJson.parse(" {\"a\": [1, -2.5e1, true, false, null], \"s\": \"x\\\"\\u00e9\\n\", \"o\": {}} ");
        assertEquals(Map.of("a", Arrays.asList(1L, -25.0, true, false, null), "s", "x\"é\n", "o", Map.of()), v);
        assertEquals(List.of(), MiniJson.parse("[]"));
        assertThrows(IllegalArgumentException.class, () -> MiniJson.parse("{\"a\":1} x"));
        assertThrows(IllegalArgumentException.class, () -> MiniJson.parse("{\"a\" 1}"));
    }

    @Test
    void decodesAProxyEventLikeTheSampleReader() {
        var e = (APIGatewayProxyRequestEvent) EventDecoder.decode("""
                {"resource":"/v1/tenant","path":"/v1/tenant","httpMethod":"GET",
                 "headers":{"Authorization":"Bearer k"},"multiValueHeaders":{"Authorization":["Bearer k"]},
                 "queryStringParameters":null,"body":null,"isBase64Encoded":false,
                 "requestContext":{"requestId":"r1","stage":"prod","identity":{"sourceIp":"203.0.113.10"},
                   "authorizer":{"tenantId":"t_1","scope":"admin"}}}""", APIGatewayProxyRequestEvent.class);
        assertEquals("GET", e.getHttpMethod());
        assertEquals("Bearer k", e.getHeaders().get("Authorization"));
        assertEquals(List.of("Bearer k"), e.getMultiValueHeaders().get("Authorization"));
        assertEquals(null, e.getQueryStringParameters());
        assertEquals("t_1", e.getRequestContext().getAuthorizer().get("tenantId"));
        assertEquals("203.0.113.10", e.getRequestContext().getIdentity().getSourceIp());
    }

    @Test
    void decodesAStreamRecord() {
        var e = (DynamodbEvent) EventDecoder.decode("""
                {"Records":[{"eventName":"INSERT","eventSource":"aws:dynamodb","dynamodb":{
                  "Keys":{"PK":{"S":"OPS#JOB#x"}},"NewImage":{"done":{"N":"3"},"flag":{"BOOL":true}}}}]}""",
                DynamodbEvent.class);
        var r = e.getRecords().get(0);
        assertEquals("OPS#JOB#x", r.getDynamodb().getKeys().get("PK").getS());
        assertEquals("3", r.getDynamodb().getNewImage().get("done").getN());
        assertEquals(true, r.getDynamodb().getNewImage().get("flag").getBOOL());
    }
}
