package com.revshare.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Validates a service's real serialized payloads against the JSON Schemas in docs/events/, so a
 * drift between code and contract fails the build (contract tests).
 */
public final class ContractSchemas {
    /** Numbers read exactly (money is compared digit for digit, never through a double). */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private ContractSchemas() {
    }

    /** The schema violations of {@code json} against {@code docs/events/<schemaFile>}; empty when valid. */
    public static Set<String> violations(String schemaFile, String json) {
        try {
            Path file = ProjectFiles.root().resolve("docs/events").resolve(schemaFile);
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(Files.readString(file), config);
            JsonNode node = JSON.readTree(json);
            return schema.validate(node).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Throws an AssertionError listing the violations when {@code json} does not match the schema. */
    public static void assertValid(String schemaFile, String json) {
        Set<String> violations = violations(schemaFile, json);
        if (!violations.isEmpty()) {
            throw new AssertionError(schemaFile + " violated by " + json + ": " + violations);
        }
    }
}
