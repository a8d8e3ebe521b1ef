package org.mboxos.kernel.trace;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code --trace FILE} (JSON lines, docs/trace.md) back into {@link Trace.Event}s,
 * the inverse of the kernel's writer: an event read back has the same seq, t, ev, pid, prog and
 * fields, in the same order. Integral numbers become {@code Long}, others {@code Double};
 * arrays become {@code List}s, nested objects {@code Map}s, JSON null {@code null}.
 *
 * <p>Blank lines are skipped. Anything else that is not one JSON object per line with the five
 * common fields ({@code seq}, {@code t}, {@code pid} integers; {@code ev}, {@code prog}
 * strings) fails with {@link Unreadable}, whose message names the file and line.
 */
public final class TraceFile {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private TraceFile() {}

    /** A trace that cannot be read: the message says where and why, for users. */
    public static final class Unreadable extends RuntimeException {
        public Unreadable(String message) {
            super(message);
        }
    }

    /** Every event of {@code file}, in file order. */
    public static List<Trace.Event> read(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new Unreadable(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new Unreadable(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new Unreadable(file + ": " + e.getMessage());
        }
    }

    /** Every event read from {@code in}; {@code name} is the file name for error messages. */
    public static List<Trace.Event> read(Reader in, String name) throws IOException {
        BufferedReader lines = in instanceof BufferedReader b ? b : new BufferedReader(in);
        List<Trace.Event> events = new ArrayList<>();
        int lineNo = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(parse(line));
            } catch (IllegalArgumentException e) {
                throw new Unreadable(name + ":" + lineNo + ": " + e.getMessage());
            }
        }
        return events;
    }

    /** One line: one event. */
    public static Trace.Event parse(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        long seq = integer(node, "seq");
        long t = integer(node, "t");
        String ev = string(node, "ev");
        long pid = integer(node, "pid");
        String prog = string(node, "prog");
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            switch (f.getKey()) {
                case "seq", "t", "ev", "pid", "prog" -> {}
                default -> fields.put(f.getKey(), value(f.getValue()));
            }
        }
        return new Trace.Event(seq, t, ev, pid, prog, Collections.unmodifiableMap(fields));
    }

    private static long integer(JsonNode event, String field) {
        JsonNode v = event.get(field);
        if (v == null) {
            throw new IllegalArgumentException("no '" + field + "' field");
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("'" + field + "' is not an integer: " + v);
        }
        return v.longValue();
    }

    private static String string(JsonNode event, String field) {
        JsonNode v = event.get(field);
        if (v == null) {
            throw new IllegalArgumentException("no '" + field + "' field");
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' is not a string: " + v);
        }
        return v.textValue();
    }

    private static Object value(JsonNode v) {
        return switch (v.getNodeType()) {
            case NULL, MISSING -> null;
            case BOOLEAN -> v.booleanValue();
            case STRING -> v.textValue();
            case NUMBER -> v.isIntegralNumber() && v.canConvertToLong() ? (Object) v.longValue() : (Object) v.doubleValue();
            case ARRAY -> {
                List<Object> list = new ArrayList<>(v.size());
                v.forEach(x -> list.add(value(x)));
                yield Collections.unmodifiableList(list);
            }
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                v.properties().forEach(f -> map.put(f.getKey(), value(f.getValue())));
                yield Collections.unmodifiableMap(map);
            }
            case BINARY, POJO -> v.toString();
        };
    }
}
