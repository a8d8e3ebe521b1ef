package org.mboxos.kernel.trace;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
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
 * recorders). The schema is docs/trace.md.
 *
 * <p>Lifecycle events log at INFO; per-message and per-character events ({@link #detail}:
 * send, recv, print, key, dispatch) at DEBUG, so that the console stays readable and the fast
 * path costs nothing when nobody listens. Sinks get every event.
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

        public String toJson() {
            StringBuilder b = new StringBuilder(96);
            b.append("{\"seq\":").append(seq).append(",\"t\":").append(t).append(",\"ev\":");
            Json.string(b, ev);
            b.append(",\"pid\":").append(pid).append(",\"prog\":");
            Json.string(b, prog);
            fields.forEach((k, v) -> {
                b.append(',');
                Json.string(b, k);
                b.append(':');
                Json.value(b, v);
            });
            return b.append('}').toString();
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
            s.write(e);
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
                b.append(' ').append(k).append('=');
                Json.value(b, v);
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

    /** The {@code --trace FILE} sink: one JSON object per line. */
    public static Sink jsonLines(Writer out) {
        BufferedWriter w = new BufferedWriter(out, 1 << 16);
        return new Sink() {
            @Override
            public void write(Event event) {
                try {
                    w.write(event.toJson());
                    w.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void close() {
                try {
                    w.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /** Keeps every event in memory; for tests and tools that check a run. */
    public static final class Recorder implements Sink {
        private final List<Event> events = new ArrayList<>();

        @Override
        public synchronized void write(Event event) {
            events.add(event);
        }

        public synchronized List<Event> events() {
            return List.copyOf(events);
        }

        public List<Event> events(String ev) {
            return events().stream().filter(e -> e.ev().equals(ev)).toList();
        }
    }

    /** Minimal JSON output for trace values: numbers, booleans, strings, lists, null. */
    static final class Json {
        private Json() {}

        static void value(StringBuilder b, Object v) {
            if (v == null) {
                b.append("null");
            } else if (v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else if (v instanceof List<?> list) {
                b.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    value(b, list.get(i));
                }
                b.append(']');
            } else {
                string(b, v.toString());
            }
        }

        static void string(StringBuilder b, String s) {
            b.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            b.append('"');
        }
    }
}
