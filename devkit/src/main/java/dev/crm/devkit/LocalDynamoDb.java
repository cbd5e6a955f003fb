package dev.crm.devkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local (AWS's emulator) in this JVM, as a real HTTP server on a loopback port, so the
 * product's own client (URL-connection HTTP, SigV4) talks to it exactly as it talks to DynamoDB.
 * {@link #shared()} is the one instance per test JVM; {@link #start(Path)} makes a separate server
 * that a test may stop and restart on the same data directory.
 */
public final class LocalDynamoDb implements AutoCloseable {
    public static final String TABLE = "CrmTable";
    private static LocalDynamoDb shared;

    private final DynamoDBProxyServer server;
    private final int port;
    private final Path dataDir;

    private LocalDynamoDb(DynamoDBProxyServer server, int port, Path dataDir) {
        this.server = server;
        this.port = port;
        this.dataDir = dataDir;
    }

    public static synchronized LocalDynamoDb shared() {
        if (shared == null) {
            shared = start(null);
            shared.createTable(SamTemplate.load(), TABLE);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** @param dataDir null for in-memory */
    public static LocalDynamoDb start(Path dataDir) {
        return start(dataDir, freePort());
    }

    public static LocalDynamoDb start(Path dataDir, int port) {
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-disableTelemetry"));
        if (dataDir == null) {
            args.add("-inMemory");
        } else {
            args.addAll(List.of("-dbPath", dataDir.toString()));
        }
        try {
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            server.start();
            return new LocalDynamoDb(server, port, dataDir);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start", e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public DynamoDbClient client(ExecutionInterceptor... interceptors) {
        var override = ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(30));
        for (ExecutionInterceptor i : interceptors) {
            override.addExecutionInterceptor(i);
        }
        return DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().build())
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(override.build())
                .build();
    }

    /** Creates the table exactly as template.yaml defines it (keys, indexes, stream). */
    public void createTable(SamTemplate template, String name) {
        createTable(client(), template, name);
    }

    public static void createTable(DynamoDbClient client, SamTemplate template, String name) {
        Map<String, Object> p = template.tableProperties();
        var b = CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST);
        List<AttributeDefinition> attrs = new ArrayList<>();
        for (Object o : SamTemplate.list(p.get("AttributeDefinitions"))) {
            Map<String, Object> a = SamTemplate.map(o);
            attrs.add(AttributeDefinition.builder().attributeName((String) a.get("AttributeName"))
                    .attributeType(ScalarAttributeType.fromValue((String) a.get("AttributeType"))).build());
        }
        b.attributeDefinitions(attrs).keySchema(keySchema(p.get("KeySchema")));
        List<GlobalSecondaryIndex> gsis = new ArrayList<>();
        for (Object o : SamTemplate.list(p.get("GlobalSecondaryIndexes"))) {
            Map<String, Object> g = SamTemplate.map(o);
            Map<String, Object> proj = SamTemplate.map(g.get("Projection"));
            var pb = Projection.builder().projectionType(ProjectionType.fromValue((String) proj.get("ProjectionType")));
            if (proj.get("NonKeyAttributes") != null) {
                pb.nonKeyAttributes(SamTemplate.list(proj.get("NonKeyAttributes")).stream().map(String::valueOf).toList());
            }
            gsis.add(GlobalSecondaryIndex.builder().indexName((String) g.get("IndexName"))
                    .keySchema(keySchema(g.get("KeySchema"))).projection(pb.build()).build());
        }
        if (!gsis.isEmpty()) {
            b.globalSecondaryIndexes(gsis);
        }
        Map<String, Object> stream = SamTemplate.map(p.get("StreamSpecification"));
        if (stream.get("StreamViewType") != null) {
            b.streamSpecification(StreamSpecification.builder().streamEnabled(true)
                    .streamViewType(StreamViewType.fromValue((String) stream.get("StreamViewType"))).build());
        }
        try {
            client.createTable(b.build());
        } catch (ResourceInUseException e) {
            // already there (a persistent data directory): add the indexes the template gained since
            addMissingIndexes(client, name, attrs, gsis);
            if (stream.get("StreamViewType") != null) {
                matchStreamView(client, name, (String) stream.get("StreamViewType"));
            }
        }
    }

    /** A table kept from an earlier start whose stream shows other images: the stream is replaced. */
    private static void matchStreamView(DynamoDbClient client, String name, String view) {
        var spec = client.describeTable(b -> b.tableName(name)).table().streamSpecification();
        if (spec != null && Boolean.TRUE.equals(spec.streamEnabled()) && view.equals(spec.streamViewTypeAsString())) {
            return;
        }
        if (spec != null && Boolean.TRUE.equals(spec.streamEnabled())) {
            client.updateTable(b -> b.tableName(name).streamSpecification(s -> s.streamEnabled(false)));
        }
        client.updateTable(b -> b.tableName(name).streamSpecification(s -> s.streamEnabled(true)
                .streamViewType(StreamViewType.fromValue(view))));
    }

    /** As a deployment would: an index added to the template is created on the existing table, one at a time. */
    private static void addMissingIndexes(DynamoDbClient client, String name, List<AttributeDefinition> attrs,
            List<GlobalSecondaryIndex> gsis) {
        var existing = client.describeTable(d -> d.tableName(name)).table().globalSecondaryIndexes().stream()
                .map(software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription::indexName).toList();
        for (GlobalSecondaryIndex gsi : gsis) {
            if (existing.contains(gsi.indexName())) {
                continue;
            }
            client.updateTable(u -> u.tableName(name).attributeDefinitions(attrs).globalSecondaryIndexUpdates(
                    g -> g.create(c -> c.indexName(gsi.indexName()).keySchema(gsi.keySchema()).projection(gsi.projection()))));
            awaitIndexesActive(client, name);
        }
    }

    /** DynamoDB (Local too) builds one new index at a time: the next waits until this one is active. */
    private static void awaitIndexesActive(DynamoDbClient client, String name) {
        for (int i = 0; i < 600; i++) {
            boolean building = client.describeTable(d -> d.tableName(name)).table().globalSecondaryIndexes().stream()
                    .anyMatch(g -> g.indexStatus() != software.amazon.awssdk.services.dynamodb.model.IndexStatus.ACTIVE);
            if (!building) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while " + name + " built an index", e);
            }
        }
        throw new IllegalStateException(name + ": an index is still being built after 30 s");
    }

    private static List<KeySchemaElement> keySchema(Object o) {
        List<KeySchemaElement> out = new ArrayList<>();
        for (Object e : SamTemplate.list(o)) {
            Map<String, Object> k = SamTemplate.map(e);
            out.add(KeySchemaElement.builder().attributeName((String) k.get("AttributeName"))
                    .keyType(KeyType.fromValue((String) k.get("KeyType"))).build());
        }
        return out;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // shutting down anyway
        }
    }
}
