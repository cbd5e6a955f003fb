package dev.crm.devkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event catalogue's schemas (docs/events/{type}.json, JSON Schema 2020-12): what an event's
 * {@code data} must look like. Tests validate the events they produce with it.
 */
public final class EventSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private EventSchemas() {}

    /** The schema file of an event type. */
    public static Path file(String type) {
        return SamTemplate.locate().toAbsolutePath().getParent().resolve("docs/events/" + type + ".json");
    }

    /**
     * What is wrong with an event's data (a parsed JSON object, or the envelope's {@code data}) by its
     * type's schema: empty when it conforms.
     *
     * @throws IllegalArgumentException when the catalogue has no schema for the type
     */
    public static List<String> violations(String type, Object data) {
        JsonSchema schema = SCHEMAS.computeIfAbsent(type, EventSchemas::load);
        return schema.validate(JSON.valueToTree(data)).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /** The violations of a whole envelope (its JSON text) by the schema of its own type. */
    public static List<String> envelopeViolations(String envelopeJson) {
        try {
            JsonNode envelope = JSON.readTree(envelopeJson);
            return violations(envelope.path("type").asText(), envelope.path("data"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema load(String type) {
        Path file = file(type);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no schema for event type " + type + " (" + file + ")");
        }
        try {
            return FACTORY.getSchema(JSON.readTree(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
