package org.mboxos.tools;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mboxos.kernel.trace.Trace;

/**
 * {@code trace export --format perfetto}: the Chrome trace-event JSON format that
 * ui.perfetto.dev and chrome://tracing open. One track per process, named "program (pid)"
 * (Chrome pid and tid are both the mboxos pid; the kernel's own events go on "kernel (0)"):
 *
 * <ul>
 *   <li>a slice ({@code ph: "X"}, category {@code blocked}) per timed blocked call
 *       ({@link BlockedCalls});</li>
 *   <li>a short slice (category {@code message}, at most 1 µs, never past the process's next
 *       event) per {@code send} and per {@code recv}, joined by a flow arrow from send to
 *       receive ({@code bind_id}, {@code flow_out} on the send, {@code flow_in} on the receive);</li>
 *   <li>an instant event ({@code ph: "i"}) for every other event but {@code dispatch}, its
 *       fields as args; {@code deadlock} events are global instants.</li>
 * </ul>
 *
 * Timestamps are microseconds on the kernel clock.
 */
final class PerfettoExport {
    private static final long MESSAGE_SLICE_NANOS = 1_000;

    private PerfettoExport() {}

    /** One output event, placed by its time for sorting. */
    private record Out(long t, int order, Map<String, Object> json) {}

    static void write(List<Trace.Event> events, OutputStream stream) throws IOException {
        Map<Long, String> names = names(events);
        List<Out> out = new ArrayList<>();
        // the next event's time on the same track, to keep message slices from overlapping it
        long[] nextT = new long[events.size()];
        Map<Long, Long> seen = new HashMap<>();
        for (int i = events.size() - 1; i >= 0; i--) {
            Trace.Event e = events.get(i);
            nextT[i] = seen.getOrDefault(e.pid(), Long.MAX_VALUE);
            seen.put(e.pid(), e.t());
        }
        Set<String> received = new HashSet<>();
        for (Trace.Event e : events) {
            if (e.ev().equals("recv")) {
                received.add(e.get("box") + "/" + e.get("msg"));
            }
        }
        Map<String, Long> flowIds = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            Trace.Event e = events.get(i);
            switch (e.ev()) {
                case "dispatch" -> {}
                case "send", "recv" -> {
                    String msg = e.get("box") + "/" + e.get("msg");
                    Map<String, Object> j = slice(e.pid(), e.t(), Math.max(0, Math.min(MESSAGE_SLICE_NANOS,
                            nextT[i] - e.t())), e.ev() + " " + e.get("name") + " #" + e.get("msg"), "message", e);
                    boolean send = e.ev().equals("send");
                    if (!send || received.contains(msg)) {
                        j.put("bind_id", flowIds.computeIfAbsent(msg, k -> (long) flowIds.size() + 1));
                        j.put(send ? "flow_out" : "flow_in", true);
                    }
                    out.add(new Out(e.t(), i, j));
                }
                case "deadlock" -> {
                    Map<String, Object> j = instant(e);
                    j.put("s", "g");
                    out.add(new Out(e.t(), i, j));
                }
                default -> out.add(new Out(e.t(), i, instant(e)));
            }
        }
        for (BlockedCalls.Call c : BlockedCalls.of(events)) {
            Map<String, Object> j = slice(c.pid(), c.start(), c.nanos(), c.call(), "blocked", null);
            j.put("args", Map.of("ended", c.how().name().toLowerCase().replace('_', ' ')));
            out.add(new Out(c.start(), -1, j)); // before the events at its start: it encloses them
        }
        out.sort(Comparator.comparingLong(Out::t).thenComparingInt(Out::order));

        try (JsonGenerator g = new JsonFactory(new ObjectMapper()).createGenerator(stream, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("displayTimeUnit", "ms");
            g.writeArrayFieldStart("traceEvents");
            for (Map.Entry<Long, String> en : names.entrySet()) {
                long pid = en.getKey();
                String name = en.getValue() + " (" + pid + ")";
                g.writeObject(meta("process_name", pid, Map.of("name", name)));
                g.writeObject(meta("thread_name", pid, Map.of("name", name)));
                g.writeObject(meta("process_sort_index", pid, Map.of("sort_index", pid)));
            }
            for (Out o : out) {
                g.writeObject(o.json());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** Each pid's program: from its spawn, else from its first event that names one. */
    static Map<Long, String> names(List<Trace.Event> events) {
        Map<Long, String> names = new TreeMap<>();
        for (Trace.Event e : events) {
            if (e.ev().equals("spawn") && e.get("child") instanceof Number child) {
                names.put(child.longValue(), String.valueOf(e.get("program")));
            }
            if (!e.prog().isEmpty()) {
                names.putIfAbsent(e.pid(), e.prog());
            }
        }
        for (Trace.Event e : events) {
            names.putIfAbsent(e.pid(), e.pid() == 0 ? "kernel" : "pid");
        }
        return names;
    }

    private static Map<String, Object> meta(String name, long pid, Map<String, Object> args) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("name", name);
        j.put("ph", "M");
        j.put("pid", pid);
        j.put("tid", pid);
        j.put("args", args);
        return j;
    }

    private static Map<String, Object> slice(long pid, long t, long nanos, String name, String cat, Trace.Event e) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("name", name);
        j.put("cat", cat);
        j.put("ph", "X");
        j.put("ts", micros(t));
        j.put("dur", micros(nanos));
        j.put("pid", pid);
        j.put("tid", pid);
        if (e != null) {
            j.put("args", args(e));
        }
        return j;
    }

    private static Map<String, Object> instant(Trace.Event e) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("name", e.ev());
        j.put("cat", "event");
        j.put("ph", "i");
        j.put("s", "t");
        j.put("ts", micros(e.t()));
        j.put("pid", e.pid());
        j.put("tid", e.pid());
        j.put("args", args(e));
        return j;
    }

    private static Map<String, Object> args(Trace.Event e) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("seq", e.seq());
        args.putAll(e.fields());
        return args;
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }
}
