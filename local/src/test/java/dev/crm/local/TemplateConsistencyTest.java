package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.http.Route;
import dev.crm.shared.http.RoutedHandler;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.TestInfrastructure;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * template.yaml is the one source of truth for what is deployed and what the local runner serves;
 * this test fails when the code and the template disagree.
 */
class TemplateConsistencyTest {
    private final SamTemplate template = SamTemplate.load();

    @Test
    void everyHandlerClassExistsAndCanBeBuiltBothWays() throws Exception {
        for (SamTemplate.Function f : template.functions()) {
            Class<?> type = Class.forName(f.handlerClass());
            assertTrue(RequestHandler.class.isAssignableFrom(type), f.handlerClass() + " is not a RequestHandler");
            assertEquals("handleRequest", f.handlerMethod());
            assertNotNull(type.getConstructor(), f.handlerClass() + " needs a no-argument constructor for Lambda");
            assertNotNull(type.getConstructor(Infrastructure.class), f.handlerClass() + " needs an (Infrastructure) constructor");
        }
    }

    @Test
    void theTemplatesRoutesAreExactlyTheHandlersRoutes() throws Exception {
        Infrastructure infra = TestInfrastructure.create();
        Set<String> inTemplate = new TreeSet<>();
        Set<String> inCode = new TreeSet<>();
        Set<String> functionsWithRoutes = new HashSet<>();
        for (SamTemplate.ApiRoute r : template.apiRoutes()) {
            inTemplate.add(r.functionId() + " " + r.method() + " " + r.path() + (r.isPublic() ? " public" : ""));
            functionsWithRoutes.add(r.functionId());
        }
        for (SamTemplate.Function f : template.functions()) {
            Object handler = Class.forName(f.handlerClass()).getConstructor(Infrastructure.class).newInstance(infra);
            if (handler instanceof RoutedHandler routed) {
                for (Route route : routed.router().routes()) {
                    inCode.add(f.logicalId() + " " + route.method() + " " + route.path() + (route.isPublic() ? " public" : ""));
                }
            } else if (functionsWithRoutes.contains(f.logicalId())) {
                fail(f.logicalId() + " has Api events but its handler declares no routes");
            }
        }
        assertEquals(inCode, inTemplate);
    }

    @Test
    void everyRoutePathFollowsTheConventions() {
        for (SamTemplate.ApiRoute r : template.apiRoutes()) {
            assertTrue(r.path().startsWith("/v1/"), r.path());
            assertTrue(!r.path().contains("{proxy+}") && !r.method().equals("ANY"), r.path());
            if (r.isPublic()) {
                assertTrue(r.path().startsWith("/v1/public/"), "public routes live under /v1/public/: " + r.path());
            } else {
                assertTrue(!r.path().startsWith("/v1/public/"), "routes under /v1/public/ must skip the authorizer: " + r.path());
            }
        }
    }

    @Test
    void theTableIsTheOneTheCodeUses() {
        Map<String, Object> t = template.tableProperties();
        assertEquals(List.of(Map.of("AttributeName", Table.PK, "KeyType", "HASH"), Map.of("AttributeName", Table.SK, "KeyType", "RANGE")),
                t.get("KeySchema"));
        Map<String, Object> gsis = new java.util.HashMap<>();
        for (Object o : SamTemplate.list(t.get("GlobalSecondaryIndexes"))) {
            gsis.put((String) SamTemplate.map(o).get("IndexName"), SamTemplate.map(o).get("KeySchema"));
        }
        assertEquals(List.of(Map.of("AttributeName", Table.GSI1PK, "KeyType", "HASH"), Map.of("AttributeName", Table.GSI1SK, "KeyType", "RANGE")),
                gsis.get(Table.GSI1));
        assertEquals(List.of(Map.of("AttributeName", Table.GSI2PK, "KeyType", "HASH"), Map.of("AttributeName", Table.GSI2SK, "KeyType", "RANGE")),
                gsis.get(Table.GSI2));
        assertEquals(Table.TTL, SamTemplate.map(t.get("TimeToLiveSpecification")).get("AttributeName"));
        assertEquals(true, SamTemplate.map(t.get("TimeToLiveSpecification")).get("Enabled"));
        assertEquals("NEW_AND_OLD_IMAGES", SamTemplate.map(t.get("StreamSpecification")).get("StreamViewType"),
                "job workers filter on the new image; event decoders compare it with the old one");
        assertEquals("PAY_PER_REQUEST", t.get("BillingMode"));
        assertEquals(true, t.get("DeletionProtectionEnabled"));
        assertEquals(true, SamTemplate.map(t.get("PointInTimeRecoverySpecification")).get("PointInTimeRecoveryEnabled"));
    }

    @Test
    void theOpenJobsIndexIsTheOneTheSweeperQueries() {
        Map<String, Object> index = null;
        for (Object o : SamTemplate.list(template.tableProperties().get("GlobalSecondaryIndexes"))) {
            if (Table.OPEN_JOBS.equals(SamTemplate.map(o).get("IndexName"))) {
                index = SamTemplate.map(o);
            }
        }
        assertNotNull(index, "no index " + Table.OPEN_JOBS);
        assertEquals(List.of(Map.of("AttributeName", Table.OPEN_JOBS_PK, "KeyType", "HASH"),
                Map.of("AttributeName", Table.OPEN_JOBS_SK, "KeyType", "RANGE")), index.get("KeySchema"));
        // keys only: a checkpoint's write to the index stays one small item, whatever the job holds
        assertEquals("KEYS_ONLY", SamTemplate.map(index.get("Projection")).get("ProjectionType"));
        assertTrue(SamTemplate.list(template.tableProperties().get("AttributeDefinitions"))
                .contains(Map.of("AttributeName", Table.OPEN_JOBS_SK, "AttributeType", "N")), "dueBy is epoch milliseconds");
    }

    /**
     * Nothing asynchronous gives up silently: every stream event, schedule and pipe sends what its
     * retries could not deliver to a queue, and every such queue has an alarm.
     */
    @Test
    void everyAsynchronousTriggerHasAnOnFailureQueueWithAnAlarm() {
        Set<String> queues = new TreeSet<>();
        for (SamTemplate.Function f : template.functions()) {
            for (var ev : f.events().entrySet()) {
                Object type = ev.getValue().get("Type");
                Map<String, Object> p = SamTemplate.map(ev.getValue().get("Properties"));
                String where = f.logicalId() + "." + ev.getKey();
                if ("DynamoDB".equals(type)) {
                    Map<String, Object> onFailure = SamTemplate.map(SamTemplate.map(p.get("DestinationConfig")).get("OnFailure"));
                    assertEquals("SQS", onFailure.get("Type"), where + ": Type SQS makes SAM grant sqs:SendMessage");
                    queues.add(queueOf(onFailure.get("Destination"), where));
                } else if ("Schedule".equals(type) || "ScheduleV2".equals(type)) {
                    queues.add(queueOf(SamTemplate.map(p.get("DeadLetterConfig")).get("Arn"), where));
                } else {
                    assertTrue(List.of("Api", "SNS").contains(type), where + ": an event type this test does not know: " + type);
                }
            }
        }
        for (var r : template.resources().entrySet()) {
            if (!"AWS::Pipes::Pipe".equals(r.getValue().get("Type"))) {
                continue;
            }
            Map<String, Object> p = SamTemplate.map(r.getValue().get("Properties"));
            Map<String, Object> stream = SamTemplate.map(SamTemplate.map(p.get("SourceParameters")).get("DynamoDBStreamParameters"));
            String queue = queueOf(SamTemplate.map(stream.get("DeadLetterConfig")).get("Arn"), r.getKey());
            queues.add(queue);
            String role = (String) SamTemplate.list(SamTemplate.map(p.get("RoleArn")).get("Fn::GetAtt")).get(0);
            assertTrue(Json.write(template.resources().get(role)).contains("\"Action\":\"sqs:SendMessage\",\"Resource\":{\"Fn::GetAtt\":[\""
                    + queue + "\",\"Arn\"]}"), r.getKey() + ": its role may not send to " + queue);
        }
        assertTrue(!queues.isEmpty());
        for (String queue : queues) {
            assertEquals("AWS::SQS::Queue", template.resources().get(queue).get("Type"), queue);
            boolean alarmed = template.resources().values().stream()
                    .filter(res -> "AWS::CloudWatch::Alarm".equals(res.get("Type")))
                    .map(res -> SamTemplate.map(res.get("Properties")))
                    .anyMatch(a -> "ApproximateNumberOfMessagesVisible".equals(a.get("MetricName"))
                            && Json.write(a.get("Dimensions")).contains("\"Fn::GetAtt\":[\"" + queue + "\",\"QueueName\"]"));
            assertTrue(alarmed, queue + " has no alarm on ApproximateNumberOfMessagesVisible");
        }
    }

    private static String queueOf(Object arn, String where) {
        assertNotNull(arn, where + " has no on-failure destination");
        List<Object> att = SamTemplate.list(SamTemplate.map(arn).get("Fn::GetAtt"));
        assertEquals("Arn", att.get(1), where);
        return (String) att.get(0);
    }

    /** Event decoders (docs/events.md) read their own items' changes; the webhook outlets are checked on their own (below); every other stream reader is a job worker. */
    private static boolean isEventDecoder(SamTemplate.Function f) {
        return f.logicalId().endsWith("EventsFunction");
    }

    @Test
    void streamFiltersSelectJobItemsAsTheJobStoreWritesThem() {
        for (SamTemplate.Function f : template.functions()) {
            for (var ev : f.events().values()) {
                if (!"DynamoDB".equals(ev.get("Type")) || isEventDecoder(f)) {
                    continue;
                }
                for (Object filter : SamTemplate.list(SamTemplate.map(SamTemplate.map(ev.get("Properties")).get("FilterCriteria")).get("Filters"))) {
                    Map<?, ?> pattern = (Map<?, ?>) Json.parse((String) SamTemplate.map(filter).get("Pattern"));
                    Map<?, ?> image = (Map<?, ?>) ((Map<?, ?>) pattern.get("dynamodb")).get("NewImage");
                    if (!Map.of("S", List.of(dev.crm.shared.jobs.store.dynamodb.DynamoDbJobRepository.ENTITY)).equals(image.get(Table.ENTITY))) {
                        continue; // not a job worker's filter (the webhook filters are checked below)
                    }
                    assertEquals(Map.of("S", List.of("queued")), image.get("status"));
                }
            }
        }
    }

    /** The deliverer's filter selects exactly the changes its store marks to send now, and the due index is the one it queries. */
    @Test
    void theWebhookDeliveryTriggersAreTheOnesTheDeliveryStoreWrites() {
        var deliverer = SamTemplate.map(SamTemplate.map(template.resources().get("WebhookDeliveryFunction").get("Properties")).get("Events"));
        String pattern = (String) SamTemplate.map(SamTemplate.list(SamTemplate.map(SamTemplate.map(SamTemplate.map(
                deliverer.get("DeliveriesToSend")).get("Properties")).get("FilterCriteria")).get("Filters")).get(0)).get("Pattern");
        Map<?, ?> image = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) Json.parse(pattern)).get("dynamodb")).get("NewImage");
        var store = dev.crm.webhooks.store.dynamodb.DynamoDbDeliveryRepository.class;
        assertEquals(Map.of("S", List.of(dev.crm.webhooks.store.dynamodb.DynamoDbDeliveryRepository.ENTITY)), image.get(Table.ENTITY), store.getName());
        assertEquals(Map.of("S", List.of(dev.crm.webhooks.store.dynamodb.DynamoDbDeliveryRepository.SEND_NOW)),
                image.get(dev.crm.webhooks.store.dynamodb.DynamoDbDeliveryRepository.SEND));
        Map<String, Object> index = null;
        for (Object o : SamTemplate.list(template.tableProperties().get("GlobalSecondaryIndexes"))) {
            if (dev.crm.webhooks.store.dynamodb.WebhookKeys.DUE_DELIVERIES.equals(SamTemplate.map(o).get("IndexName"))) {
                index = SamTemplate.map(o);
            }
        }
        assertNotNull(index, "no index DueDeliveries");
        assertEquals(List.of(Map.of("AttributeName", dev.crm.webhooks.store.dynamodb.WebhookKeys.DUE_SHARD, "KeyType", "HASH"),
                Map.of("AttributeName", dev.crm.webhooks.store.dynamodb.WebhookKeys.DUE_AT, "KeyType", "RANGE")), index.get("KeySchema"));
        assertEquals("KEYS_ONLY", SamTemplate.map(index.get("Projection")).get("ProjectionType"));
        assertTrue(SamTemplate.list(template.tableProperties().get("AttributeDefinitions"))
                .contains(Map.of("AttributeName", dev.crm.webhooks.store.dynamodb.WebhookKeys.DUE_AT, "AttributeType", "N")));
    }

    /**
     * An event decoder is invoked for the changes that can mean an event only: each filter names the
     * kind of change and the entities it reads (a job only where a finished job is the event, never a
     * queued one), so no decoder gets the whole stream, and a batch is retried as long as a job's is.
     */
    @Test
    void eventDecodersFilterOnTheChangeAndTheirOwnItems() {
        int decoders = 0;
        for (SamTemplate.Function f : template.functions()) {
            if (!isEventDecoder(f)) {
                continue;
            }
            for (var ev : f.events().values()) {
                assertEquals("DynamoDB", ev.get("Type"), f.logicalId());
                Map<String, Object> p = SamTemplate.map(ev.get("Properties"));
                assertEquals("LATEST", p.get("StartingPosition"), f.logicalId());
                assertEquals(10, ((Number) p.get("MaximumRetryAttempts")).intValue(), f.logicalId());
                for (Object filter : SamTemplate.list(SamTemplate.map(p.get("FilterCriteria")).get("Filters"))) {
                    Map<?, ?> pattern = (Map<?, ?>) Json.parse((String) SamTemplate.map(filter).get("Pattern"));
                    List<?> names = (List<?>) pattern.get("eventName");
                    assertNotNull(names, f.logicalId() + ": a filter without eventName");
                    assertTrue(List.of("INSERT", "MODIFY", "REMOVE").containsAll(names), f.logicalId() + ": " + names);
                    Map<?, ?> image = (Map<?, ?>) ((Map<?, ?>) pattern.get("dynamodb")).get("NewImage");
                    List<?> entities = (List<?>) ((Map<?, ?>) image.get(Table.ENTITY)).get("S");
                    assertTrue(!entities.isEmpty(), f.logicalId() + ": no entity");
                    assertFalse(Json.write(image.get("status")).contains("queued"), f.logicalId() + ": reads job starts");
                }
            }
            decoders++;
        }
        assertTrue(decoders > 0, "no event decoder in the template");
    }

    @Test
    void everyFunctionBuildsThroughTheMakefile() throws Exception {
        String makefile = Files.readString(SamTemplate.locate().getParent().resolve("Makefile"));
        for (SamTemplate.Function f : template.functions()) {
            Map<String, Object> metadata = SamTemplate.map(template.resources().get(f.logicalId()).get("Metadata"));
            assertEquals("makefile", metadata.get("BuildMethod"), f.logicalId());
            assertTrue(makefile.contains("build-" + f.logicalId() + ":"), "Makefile has no target build-" + f.logicalId());
        }
    }

    /**
     * Lambda reads a stream handler's partial batch response only when its source sets
     * {@code ReportBatchItemFailures}; without it a reported failure is ignored and the batch counts as
     * done. So a handler returns failures exactly when every one of its stream sources sets it.
     */
    @Test
    void streamHandlersReturnFailuresExactlyWhenTheirSourcesReportThem() throws Exception {
        int reporting = 0;
        for (SamTemplate.Function f : template.functions()) {
            List<Map<String, Object>> streams = f.events().values().stream().filter(ev -> "DynamoDB".equals(ev.get("Type")))
                    .map(ev -> SamTemplate.map(ev.get("Properties"))).toList();
            boolean returnsFailures = java.util.Arrays.stream(Class.forName(f.handlerClass()).getMethods())
                    .filter(m -> m.getName().equals(f.handlerMethod()) && !m.isBridge())
                    .anyMatch(m -> m.getReturnType() == com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.class);
            if (returnsFailures) {
                reporting++;
                assertFalse(streams.isEmpty(), f.logicalId() + " returns batch item failures but reads no stream");
            }
            for (Map<String, Object> p : streams) {
                boolean reports = SamTemplate.list(p.get("FunctionResponseTypes")).contains("ReportBatchItemFailures");
                assertEquals(returnsFailures, reports, f.logicalId() + (returnsFailures
                        ? " returns batch item failures: its stream source must set ReportBatchItemFailures"
                        : " returns no batch item failures: ReportBatchItemFailures would take every batch as done"));
            }
        }
        assertTrue(reporting >= 3, "the fan-out, the journey enrolment and the case opener report failures: " + reporting);
    }
}
