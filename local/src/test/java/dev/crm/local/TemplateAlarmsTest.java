package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.crm.devkit.SamTemplate;
import dev.crm.shared.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What an operator relies on from template.yaml (docs/operations.md): nothing asynchronous gives up
 * without a queue that holds what failed and an alarm on that queue; every function's errors and
 * throttles, the API's 5xx rate, the table's and every index's throttles and the product's failure
 * metrics are alarmed; every alarm reaches AlarmTopic; tracing is on; the dashboard shows the same
 * figures. Each rule runs over everything the template holds (every function, event, index, alarm),
 * so a function added without its alarms fails here.
 */
class TemplateAlarmsTest {
    private static final String ALARM = "AWS::CloudWatch::Alarm";
    private static final String ALARM_TOPIC = "AlarmTopic";

    private final SamTemplate template = SamTemplate.load();

    private Map<String, Map<String, Object>> alarms() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        template.resources().forEach((id, r) -> {
            if (ALARM.equals(r.get("Type"))) {
                out.put(id, SamTemplate.map(r.get("Properties")));
            }
        });
        return out;
    }

    /** The metrics an alarm watches: its own metric, or every MetricStat of its metric math. */
    private static List<Map<String, Object>> watched(Map<String, Object> alarm) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (alarm.get("MetricName") != null) {
            out.add(alarm);
        }
        for (Object query : SamTemplate.list(alarm.get("Metrics"))) {
            Map<String, Object> metric = SamTemplate.map(SamTemplate.map(SamTemplate.map(query).get("MetricStat")).get("Metric"));
            if (!metric.isEmpty()) {
                out.add(metric);
            }
        }
        return out;
    }

    /** Whether an alarm watches namespace/metric with exactly these dimensions (name to value, template form). */
    private boolean alarmed(String namespace, String metricName, Map<String, Object> dimensions) {
        for (Map<String, Object> alarm : alarms().values()) {
            for (Map<String, Object> m : watched(alarm)) {
                if (namespace.equals(m.get("Namespace")) && metricName.equals(m.get("MetricName"))
                        && dimensions(m).equals(dimensions)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Map<String, Object> dimensions(Map<String, Object> metric) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object d : SamTemplate.list(metric.get("Dimensions"))) {
            out.put((String) SamTemplate.map(d).get("Name"), SamTemplate.map(d).get("Value"));
        }
        return out;
    }

    private static Map<String, Object> ref(String logicalId) {
        return Map.of("Ref", logicalId);
    }

    private static Map<String, Object> getAtt(String logicalId, String attribute) {
        return Map.of("Fn::GetAtt", List.of(logicalId, attribute));
    }

    @Test
    void everyFunctionHasAnErrorsAndAThrottlesAlarm() {
        List<String> missing = new ArrayList<>();
        for (SamTemplate.Function f : template.functions()) {
            for (String metric : List.of("Errors", "Throttles")) {
                if (!alarmed("AWS/Lambda", metric, Map.of("FunctionName", ref(f.logicalId())))) {
                    missing.add(f.logicalId() + " " + metric);
                }
            }
        }
        assertTrue(template.functions().size() > 1);
        assertEquals(List.of(), missing, "functions without an alarm on AWS/Lambda <metric> (FunctionName: !Ref <function>)");
    }

    /**
     * Every event that invokes a function without a caller waiting (a stream, a schedule, SNS, a queue,
     * any asynchronous invocation) names a queue for what its retries gave up on, and that queue has
     * an alarm on its depth. Api events are synchronous: their caller gets the error.
     */
    @Test
    void everyAsynchronousTriggerHasAFailureQueueWithAnAlarm() {
        Map<String, String> queueOf = new LinkedHashMap<>(); // trigger -> queue logical id
        for (SamTemplate.Function f : template.functions()) {
            Map<String, Object> props = f.properties();
            for (var ev : f.events().entrySet()) {
                String type = String.valueOf(ev.getValue().get("Type"));
                Map<String, Object> p = SamTemplate.map(ev.getValue().get("Properties"));
                String where = f.logicalId() + "." + ev.getKey() + " (" + type + ")";
                switch (type) {
                    case "Api", "HttpApi" -> { }
                    case "DynamoDB", "Kinesis", "MSK", "SelfManagedKafka" -> queueOf.put(where,
                            queue(SamTemplate.map(SamTemplate.map(p.get("DestinationConfig")).get("OnFailure")).get("Destination"), where));
                    case "Schedule", "ScheduleV2" -> queueOf.put(where, queue(SamTemplate.map(p.get("DeadLetterConfig")).get("Arn"), where));
                    case "SQS" -> {
                        String source = queue(p.get("Queue"), where);
                        Map<String, Object> redrive = SamTemplate.map(SamTemplate.map(template.resources().get(source).get("Properties")).get("RedrivePolicy"));
                        queueOf.put(where, queue(redrive.get("deadLetterTargetArn"), where + ": the source queue's RedrivePolicy"));
                    }
                    // invoked asynchronously: Lambda retries twice, then the function's own destination
                    case "SNS", "S3", "EventBridgeRule", "CloudWatchEvent", "CloudWatchLogs", "IoTRule", "Cognito", "SES" -> {
                        Object onFailure = SamTemplate.map(SamTemplate.map(SamTemplate.map(props.get("EventInvokeConfig"))
                                .get("DestinationConfig")).get("OnFailure")).get("Destination");
                        Object dlq = SamTemplate.map(props.get("DeadLetterQueue")).get("TargetArn");
                        queueOf.put(where, queue(onFailure != null ? onFailure : dlq,
                                where + ": EventInvokeConfig.DestinationConfig.OnFailure or DeadLetterQueue"));
                    }
                    default -> fail(where + ": an event type this test does not know; say where its failures go");
                }
            }
        }
        template.resources().forEach((id, r) -> {
            Map<String, Object> p = SamTemplate.map(r.get("Properties"));
            if ("AWS::Pipes::Pipe".equals(r.get("Type"))) {
                Map<String, Object> source = SamTemplate.map(p.get("SourceParameters"));
                for (String kind : List.of("DynamoDBStreamParameters", "KinesisStreamParameters")) {
                    if (source.containsKey(kind)) {
                        queueOf.put(id, queue(SamTemplate.map(SamTemplate.map(source.get(kind)).get("DeadLetterConfig")).get("Arn"), id));
                    }
                }
            } else if ("AWS::Lambda::EventSourceMapping".equals(r.get("Type"))) {
                queueOf.put(id, queue(SamTemplate.map(SamTemplate.map(p.get("DestinationConfig")).get("OnFailure")).get("Destination"), id));
            }
        });
        assertTrue(!queueOf.isEmpty(), "no asynchronous trigger found: the test reads the wrong template");
        Set<String> unalarmed = new TreeSet<>();
        for (var e : queueOf.entrySet()) {
            String queue = e.getValue();
            assertEquals("AWS::SQS::Queue", template.resources().get(queue).get("Type"), e.getKey() + " → " + queue);
            boolean alarmed = alarms().values().stream().anyMatch(a -> "AWS/SQS".equals(a.get("Namespace"))
                    && "ApproximateNumberOfMessagesVisible".equals(a.get("MetricName"))
                    && dimensions(a).equals(Map.of("QueueName", getAtt(queue, "QueueName")))
                    && "GreaterThanThreshold".equals(a.get("ComparisonOperator"))
                    && ((Number) a.get("Threshold")).doubleValue() == 0);
            if (!alarmed) {
                unalarmed.add(queue + " (from " + e.getKey() + ")");
            }
        }
        assertEquals(Set.of(), unalarmed, "failure queues without an alarm on ApproximateNumberOfMessagesVisible > 0");
    }

    /** The queue a destination names: !GetAtt Queue.Arn of a queue in this template. */
    private String queue(Object arn, String where) {
        assertNotNull(arn, where + " has no failure destination");
        List<Object> att = SamTemplate.list(SamTemplate.map(arn).get("Fn::GetAtt"));
        assertEquals(2, att.size(), where + ": the destination must be !GetAtt <queue>.Arn, not " + arn);
        assertEquals("Arn", att.get(1), where);
        String queue = (String) att.get(0);
        assertNotNull(template.resources().get(queue), where + ": no resource " + queue);
        return queue;
    }

    @Test
    void everyAlarmNotifiesTheAlarmTopic() {
        Map<String, Map<String, Object>> alarms = alarms();
        assertTrue(alarms.size() > 2 * template.functions().size(), "fewer alarms than two per function");
        List<String> wrong = new ArrayList<>();
        alarms.forEach((id, a) -> {
            if (!List.of(ref(ALARM_TOPIC)).equals(a.get("AlarmActions"))) {
                wrong.add(id + ": " + a.get("AlarmActions"));
            }
        });
        assertEquals(List.of(), wrong, "alarms whose AlarmActions is not exactly [!Ref " + ALARM_TOPIC + "]");
        assertEquals("AWS::SNS::Topic", template.resources().get(ALARM_TOPIC).get("Type"));
        boolean subscribed = template.resources().values().stream()
                .filter(r -> "AWS::SNS::Subscription".equals(r.get("Type")))
                .map(r -> SamTemplate.map(r.get("Properties")))
                .anyMatch(p -> ref(ALARM_TOPIC).equals(p.get("TopicArn")) && ref("AlarmEmail").equals(p.get("Endpoint")));
        assertTrue(subscribed, "the AlarmEmail parameter subscribes nobody to " + ALARM_TOPIC);
    }

    @Test
    void theTableAndEveryIndexHaveThrottleAlarms() {
        String table = tableId();
        List<Map<String, Object>> scopes = new ArrayList<>();
        scopes.add(Map.of("TableName", ref(table)));
        for (Object gsi : SamTemplate.list(template.tableProperties().get("GlobalSecondaryIndexes"))) {
            Map<String, Object> dims = new LinkedHashMap<>();
            dims.put("TableName", ref(table));
            dims.put("GlobalSecondaryIndexName", SamTemplate.map(gsi).get("IndexName"));
            scopes.add(dims);
        }
        List<String> missing = new ArrayList<>();
        for (Map<String, Object> scope : scopes) {
            for (String metric : List.of("ReadThrottleEvents", "WriteThrottleEvents")) {
                if (!alarmed("AWS/DynamoDB", metric, scope)) {
                    missing.add(metric + " " + scope.values());
                }
            }
        }
        assertEquals(List.of(), missing, "table or index throttles without an alarm");
    }

    private String tableId() {
        return template.resources().entrySet().stream().filter(e -> "AWS::DynamoDB::Table".equals(e.getValue().get("Type")))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    @Test
    void theApisServerErrorsAndTheProductsFailureMetricsAreAlarmed() {
        Object apiName = template.apiProperties().get("Name");
        assertNotNull(apiName, "the API's metrics are per name: the alarm needs the name the API has");
        Map<String, Object> api = Map.of("ApiName", apiName);
        assertTrue(alarmed("AWS/ApiGateway", "5XXError", api) && alarmed("AWS/ApiGateway", "Count", api),
                "no alarm on the API's 5xx rate (5XXError over Count)");
        assertTrue(alarmed("AWS/Lambda", "Errors", Map.of("FunctionName", ref(authorizerId()))), "no alarm on the authorizer's errors");
        // the product's own metrics (EMF, no dimensions)
        assertTrue(alarmed("ServerlessCrm", "JobsFailed", Map.of()), "no alarm on failed jobs");
        assertTrue(alarmed("ServerlessCrm", "WebhookDeliveriesExhausted", Map.of()), "no alarm on exhausted webhook deliveries");
    }

    private String authorizerId() {
        Map<String, Object> authorizers = SamTemplate.map(SamTemplate.map(template.apiProperties().get("Auth")).get("Authorizers"));
        Map<String, Object> arn = SamTemplate.map(SamTemplate.map(authorizers.values().iterator().next()).get("FunctionArn"));
        return ((String) arn.get("Ref")).split("\\.")[0]; // !Ref AuthorizerFunction.Alias
    }

    @Test
    void tracingIsOnForTheApiAndEveryFunction() {
        assertEquals("Active", template.globalsFunction().get("Tracing"));
        for (SamTemplate.Function f : template.functions()) {
            Object own = f.properties().get("Tracing");
            assertTrue(own == null || "Active".equals(own), f.logicalId() + " turns tracing off: " + own);
        }
        assertEquals(true, template.apiProperties().get("TracingEnabled"));
    }

    /** The dashboard is valid JSON once CloudFormation substitutes it, and shows every function's errors and throttles. */
    @Test
    void theDashboardShowsWhatTheAlarmsWatch() {
        Map<String, Object> dashboard = template.resources().values().stream()
                .filter(r -> "AWS::CloudWatch::Dashboard".equals(r.get("Type"))).map(r -> SamTemplate.map(r.get("Properties")))
                .findFirst().orElseThrow(() -> new AssertionError("no AWS::CloudWatch::Dashboard"));
        String body = (String) SamTemplate.map(dashboard.get("DashboardBody")).get("Fn::Sub");
        assertNotNull(body, "DashboardBody is a !Sub of the dashboard's JSON");
        // ${Resource} and ${Resource.Attribute} become the logical id, as a stand-in for the value
        Map<?, ?> json = (Map<?, ?>) Json.parse(body.replaceAll("\\$\\{([^}]+)}", "$1"));
        Set<List<?>> rows = new java.util.HashSet<>();
        for (Object widget : (List<?>) json.get("widgets")) {
            Object metrics = ((Map<?, ?>) ((Map<?, ?>) widget).get("properties")).get("metrics");
            for (Object row : metrics instanceof List<?> l ? l : List.of()) {
                List<?> r = (List<?>) row;
                rows.add(r.size() >= 4 ? r.subList(0, 4) : r);
            }
        }
        List<String> missing = new ArrayList<>();
        for (SamTemplate.Function f : template.functions()) {
            for (String metric : List.of("Errors", "Throttles")) {
                if (!rows.contains(List.of("AWS/Lambda", metric, "FunctionName", f.logicalId()))) {
                    missing.add(f.logicalId() + " " + metric);
                }
            }
        }
        assertEquals(List.of(), missing, "functions the dashboard does not show");
        for (String figure : List.of("5XXError", "ApproximateNumberOfMessagesVisible", "ReadThrottleEvents", "WriteThrottleEvents",
                "JobsFailed", "WebhookDeliveriesExhausted")) {
            assertTrue(body.contains("\"" + figure + "\""), "the dashboard does not show " + figure);
        }
    }
}
