package org.mboxos.kernel.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The kernel's single tracing component. Every kernel decision is one {@link Event}: numbered
 * ({@code seq}, strictly increasing in emission order), timed on the kernel clock ({@code t},
 * nanoseconds since boot), and written to the {@code mboxos.trace} logger (pid and program in
 * the MDC) and to every attached {@link Sink} (the {@code --trace} JSON-lines file, test
 * recorders); schema: docs/trace.md.
 *
 * <p>Lifecycle events log at INFO; per-message and per-character events ({@link #detail}:
 * send, recv, print, key, dispatch) at DEBUG, so that the console stays readable and the fast
 * path costs nothing when nobody listens ({@link #detailed}). Sinks get every event.
 */
public final class Trace {
    private static final Logger LOG = LoggerFactory.getLogger("mboxos.trace");

    /** One trace event; {@code fields} keeps the order they were given in. */
    public record Event(long seq, long t, String ev, long pid, String prog, Map<String, Object> fields) {
        public Object get(String field) {
            return fields.get(field);
        }

        public long getLong(String field) {
            return ((Number) fields.get(field)).longValue();
        }

        /**
         * The event as one line of JSON (no line break): valid JSON for every value, and free of
         * unpaired UTF-16 surrogates (a lone one is written as its escape, e.g. {@code \uD800}),
         * so that it always encodes as UTF-8.
         */
        public String toJson() {
            return Json.write(g -> {
                g.writeStartObject();
                g.writeNumberField("seq", seq);
                g.writeNumberField("t", t);
                g.writeStringField("ev", ev);
                g.writeNumberField("pid", pid);
                g.writeStringField("prog", prog);
                for (Map.Entry<String, Object> f : fields.entrySet()) {
                    g.writeFieldName(f.getKey());
                    Json.value(g, f.getValue());
                }
                g.writeEndObject();
            });
        }
    }

    /** Where events go besides the logger. Called under the trace lock, in seq order. */
    public interface Sink extends AutoCloseable {
        void write(Event event);

        @Override
        default void close() {}
    }

    private final LongSupplier clock;
    private final List<Sink> sinks = new CopyOnWriteArrayList<>();
    private long seq;

    public Trace(LongSupplier nanosSinceBoot) {
        this.clock = nanosSinceBoot;
    }

    public void attach(Sink sink) {
        sinks.add(sink);
    }

    /** Flushes and closes every sink. */
    public synchronized void close() {
        for (Sink s : sinks) {
            s.close();
        }
        sinks.clear();
    }

    /** A lifecycle event: spawn, exit, kill, wait, sleep, mailbox open/close, errors. */
    public void event(String ev, long pid, String prog, Object... keyValues) {
        if (!sinks.isEmpty() || LOG.isInfoEnabled()) {
            emit(false, ev, pid, prog, keyValues);
        }
    }

    /** A per-message or per-character event: send, recv, print, key. Costs nothing unless someone listens. */
    public void detail(String ev, long pid, String prog, Object... keyValues) {
        if (detailed()) {
            emit(true, ev, pid, prog, keyValues);
        }
    }

    /**
     * Whether {@link #detail} events go anywhere (a sink, or the logger at DEBUG). Hot paths test
     * it before calling {@code detail}, so that, when nobody listens, they do not even build the
     * argument array and box its numbers.
     */
    public boolean detailed() {
        return !sinks.isEmpty() || LOG.isDebugEnabled();
    }

    private synchronized void emit(boolean detail, String ev, long pid, String prog, Object[] kv) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            fields.put((String) kv[i], kv[i + 1]);
        }
        Event e = new Event(++seq, clock.getAsLong(), ev, pid, prog, Collections.unmodifiableMap(fields));
        for (Sink s : sinks) {
            try {
                s.write(e);
            } catch (RuntimeException failure) { // tracing never throws into the kernel actor that traces
                sinks.remove(s);
                LOG.error("trace sink {} failed and is detached; the trace goes on without it", s, failure);
            }
        }
        if (detail ? LOG.isDebugEnabled() : LOG.isInfoEnabled()) {
            log(detail, e);
        }
    }

    private static void log(boolean detail, Event e) {
        MDC.put("pid", Long.toString(e.pid()));
        MDC.put("prog", e.prog());
        try {
            StringBuilder b = new StringBuilder(e.ev());
            e.fields().forEach((k, v) -> {
                b.append(' ').append(k).append('=').append(Json.write(g -> Json.value(g, v)));
            });
            if (detail) {
                LOG.debug(b.toString());
            } else {
                LOG.info(b.toString());
            }
        } finally {
            MDC.remove("pid");
            MDC.remove("prog");
        }
    }

    /**
     * The {@code --trace FILE} sink: one JSON object per line ({@link Event#toJson}). It hands
     * {@code out} whole lines only, each once. When {@code out} fails, the sink reports it once
     * (logger {@code mboxos.trace}, ERROR) and writes nothing more: the file keeps the lines
     * written before the failure, and the kernel runs on.
     */
    public static Sink jsonLines(Writer out) {
        return new JsonLines(out);
    }

    private static final class JsonLines implements Sink {
        /** How much text the sink gathers before handing it to its writer. */
        private static final int BATCH_CHARS = 1 << 16;

        private final Writer out;
        private final StringBuilder batch = new StringBuilder(BATCH_CHARS);
        private boolean failed;

        JsonLines(Writer out) {
            this.out = out;
        }

        @Override
        public void write(Event event) {
            if (failed) {
                return;
            }
            batch.append(event.toJson()).append('\n');
            if (batch.length() >= BATCH_CHARS) {
                drain();
            }
        }

        /** Hands the batch (whole lines) to the writer; on failure stops the sink for good. */
        private void drain() {
            try {
                out.write(batch.toString());
            } catch (IOException | RuntimeException e) {
                fail(e);
            } finally {
                batch.setLength(0);
            }
        }

        private void fail(Exception e) {
            failed = true;
            LOG.error("trace file write failed: {}; the trace file stops here, the kernel runs on", e.toString());
        }

        @Override
        public void close() {
            if (!failed) {
                drain();
            }
            try {
                if (!failed) {
                    out.flush();
                }
                out.close();
            } catch (IOException | RuntimeException e) {
                if (!failed) {
                    fail(e);
                }
            }
        }
    }

    /** Keeps every event in memory; for tests and tools that check a run. */
    public static final class Recorder implements Sink {
        private final List<Event> events = new ArrayList<>();
        /** By kind too: asking for one kind must not copy a long run's every event. */
        private final Map<String, List<Event>> byKind = new HashMap<>();

        @Override
        public synchronized void write(Event event) {
            events.add(event);
            byKind.computeIfAbsent(event.ev(), k -> new ArrayList<>()).add(event);
        }

        public synchronized List<Event> events() {
            return List.copyOf(events);
        }

        public synchronized List<Event> events(String ev) {
            return List.copyOf(byKind.getOrDefault(ev, List.of()));
        }
    }

    /** JSON output for trace values: numbers, booleans, strings, lists, null; anything else as its string. */
    static final class Json {
        /**
         * Writes UTF-8, which makes Jackson escape unpaired surrogates ({@code \uD800}); paired
         * ones are combined into their code point, as UTF-8 wants.
         */
        private static final JsonFactory FACTORY = JsonFactory.builder()
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .build();

        private Json() {}

        interface Content {
            void writeTo(JsonGenerator g) throws IOException;
        }

        /** The JSON text {@code content} writes: well-formed UTF-16, whatever strings it holds. */
        static String write(Content content) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            try (JsonGenerator g = FACTORY.createGenerator(bytes, JsonEncoding.UTF8)) {
                content.writeTo(g);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot happen: JSON into memory", e);
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }

        static void value(JsonGenerator g, Object v) throws IOException {
            switch (v) {
                case null -> g.writeNull();
                case Boolean b -> g.writeBoolean(b);
                case Long n -> g.writeNumber(n);
                case Integer n -> g.writeNumber(n);
                case Short n -> g.writeNumber(n);
                case Byte n -> g.writeNumber(n);
                case Double n -> g.writeNumber(n);
                case Float n -> g.writeNumber(n);
                case BigInteger n -> g.writeNumber(n);
                case BigDecimal n -> g.writeNumber(n);
                case List<?> list -> {
                    g.writeStartArray();
                    for (Object element : list) {
                        value(g, element);
                    }
                    g.writeEndArray();
                }
                default -> g.writeString(v.toString());
            }
        }
    }
}
