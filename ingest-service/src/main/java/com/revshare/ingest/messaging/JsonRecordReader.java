package com.revshare.ingest.messaging;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.revshare.ingest.domain.RecordReader;
import com.revshare.ingest.domain.RecordValue;
import com.revshare.ingest.domain.UnreadableRecordException;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The domain's {@link RecordReader} on Jackson's streaming parser: RFC 8259 syntax, duplicate member names
 * refused ({@link StreamReadFeature#STRICT_DUPLICATE_DETECTION}), nesting bounded by
 * {@link StreamReadConstraints}, numbers kept as their source text (never read as a double), byte offsets
 * from the parser's location. What Jackson does not refuse itself (a BOM, overlong or surrogate UTF-8) is
 * checked first by {@link StrictUtf8}.
 */
@ApplicationScoped
public class JsonRecordReader implements RecordReader {
    /**
     * Deeper nesting is refused rather than risking the stack. An event needs a depth of 3 (4 in a batch);
     * 128 leaves ignored fields room while keeping the recursion far from any thread's stack (the fault
     * suite found service threads that overflowed before a former limit of 1000).
     */
    public static final int DEPTH_LIMIT = 128;

    private static final int MESSAGE_LENGTH_LIMIT = 200;

    private final JsonFactory factory;

    /**
     * @param lengthLimit the longest string, number or member name read: the largest input the service
     *        accepts (the HTTP body limit), so that no value the contract allows is refused for its length
     *        alone; a longer field is by itself a record over the size limit
     */
    public JsonRecordReader(int lengthLimit) {
        this.factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(DEPTH_LIMIT)
                        .maxStringLength(lengthLimit)
                        .maxNumberLength(lengthLimit)
                        .maxNameLength(lengthLimit)
                        .build())
                .build();
    }

    @Inject
    public JsonRecordReader(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this((int) Math.min(Integer.MAX_VALUE - 8, maxBodySize.asLongValue()));
    }

    @Override
    public RecordValue read(byte[] bytes, int start, int end) throws UnreadableRecordException {
        StrictUtf8.check(bytes, start, end);
        try (JsonParser p = factory.createParser(bytes, start, end - start)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new UnreadableRecordException("empty input");
            }
            RecordValue value = value(p, first);
            endOfInput(p);
            return value;
        } catch (JsonProcessingException e) {
            throw unreadable(e);
        } catch (IOException e) {
            throw new UnreadableRecordException(e.getMessage());
        }
    }

    @Override
    public Outline outline(byte[] bytes) throws UnreadableRecordException {
        StrictUtf8.check(bytes, 0, bytes.length);
        try (JsonParser p = factory.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new UnreadableRecordException("empty input");
            }
            List<Span> spans = new ArrayList<>();
            if (first == JsonToken.START_ARRAY) {
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    spans.add(new Span(start, (int) p.currentLocation().getByteOffset(), typeName(t)));
                }
            } else {
                p.skipChildren();
            }
            endOfInput(p);
            return new Outline(typeName(first), first == JsonToken.START_ARRAY ? spans : List.of());
        } catch (JsonProcessingException e) {
            throw unreadable(e);
        } catch (IOException e) {
            throw new UnreadableRecordException(e.getMessage());
        }
    }

    /** Builds the value of the token just read; the depth constraint bounds this recursion. */
    private static RecordValue value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, RecordValue> members = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    members.put(name, value(p, p.nextToken()));
                }
                return new RecordValue.Members(members);
            }
            case START_ARRAY -> {
                List<RecordValue> elements = new ArrayList<>();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    elements.add(value(p, next));
                }
                return new RecordValue.Elements(elements);
            }
            case VALUE_STRING -> {
                return new RecordValue.Text(p.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                // the source text, exactly as written: never getDecimalValue/getDoubleValue
                return new RecordValue.Numeral(p.getText());
            }
            case VALUE_TRUE -> {
                return new RecordValue.Flag(true);
            }
            case VALUE_FALSE -> {
                return new RecordValue.Flag(false);
            }
            case VALUE_NULL -> {
                return RecordValue.Nil.INSTANCE;
            }
            default -> throw new IllegalStateException("unexpected token " + t);
        }
    }

    /** Jackson reads a stream of root values; a record is exactly one. */
    private static void endOfInput(JsonParser p) throws IOException, UnreadableRecordException {
        if (p.nextToken() != null) {
            throw new UnreadableRecordException("unexpected data after the JSON value at byte "
                    + p.currentTokenLocation().getByteOffset());
        }
    }

    private static UnreadableRecordException unreadable(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getByteOffset() < 0 ? "" : " at byte " + at.getByteOffset();
        return new UnreadableRecordException(abbreviate(e.getOriginalMessage()) + where);
    }

    /** Jackson's message can quote a whole member name; a rejection's detail stays short. */
    private static String abbreviate(String message) {
        String oneLine = message == null ? "unreadable" : message.replaceAll("\\s+", " ");
        return oneLine.length() <= MESSAGE_LENGTH_LIMIT ? oneLine : oneLine.substring(0, MESSAGE_LENGTH_LIMIT) + "...";
    }

    private static String typeName(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }
}
