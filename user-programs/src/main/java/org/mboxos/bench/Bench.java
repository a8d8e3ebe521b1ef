package org.mboxos.bench;

import org.mboxos.launcher.Setting;
import ch.qos.logback.classic.Level;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * {@code ./mboxos bench [--quick] [--json] [--only W1,W3] [--messages N] [--rounds N] [--scale N]
 * [--histogram LINES] [--set KEY=VALUE]}:
 * runs every workload through the kernel and on the two baselines, progress on stderr, the
 * table (or with --json one JSON object) on stdout. Targets are reported, never asserted.
 */
public final class Bench {
    private Bench() {}

    static final String USAGE = "usage: mboxos bench [--quick] [--json] [--only W1,W2,W3,W4,W5] [--messages N]"
            + " [--rounds N] [--scale N] [--histogram LINES] [--set KEY=VALUE]";

    /** The command: returns the exit status (2 for a bad command line). */
    public static int run(List<String> argv, PrintStream out, PrintStream err) {
        boolean quick = false;
        boolean json = false;
        Set<String> only = new LinkedHashSet<>();
        Integer messages = null;
        Integer rounds = null;
        Integer scale = null;
        int histogram = 0;
        Config overrides = ConfigFactory.empty();
        List<String> sets = new ArrayList<>();
        try {
            for (int i = 0; i < argv.size(); i++) {
                String a = argv.get(i);
                switch (a) {
                    case "--quick" -> quick = true;
                    case "--json" -> json = true;
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--only" -> {
                        for (String w : value(argv, ++i, a).split(",")) {
                            String id = w.trim().toLowerCase(Locale.ROOT);
                            id = id.startsWith("w") ? id : "w" + id;
                            if (!Workloads.ALL.contains(id)) {
                                throw new IllegalArgumentException("--only: no workload '" + w + "' (W1..W5)");
                            }
                            only.add(id);
                        }
                    }
                    case "--messages" -> messages = positive(value(argv, ++i, a), a);
                    case "--rounds" -> rounds = positive(value(argv, ++i, a), a);
                    case "--scale" -> scale = positive(value(argv, ++i, a), a);
                    case "--histogram" -> histogram = positive(value(argv, ++i, a), a);
                    case "--set" -> {
                        String kv = value(argv, ++i, a);
                        overrides = Setting.parse(kv).withFallback(overrides);
                        sets.add(kv);
                    }
                    default -> throw new IllegalArgumentException("unknown bench option '" + a + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("mboxos: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        Sizes sizes = quick ? Sizes.quick() : Sizes.full();
        if (messages != null) {
            sizes = sizes.withW1Messages(messages);
        }
        if (rounds != null) {
            sizes = sizes.withRounds(rounds);
        }
        if (scale != null) {
            sizes = sizes.withW5Processes(scale);
        }
        Map<String, Object> machine = machine();
        Map<String, Object> kernel = kernel(KernelRuns.config(sizes, overrides));
        err.println("bench: " + machine.get("cores") + " cores, " + machine.get("jdk") + ", " + machine.get("gc")
                + ", max heap " + machine.get("max_heap_mb") + " MB" + (quick ? " (quick)" : ""));
        err.println("bench: kernel " + describe(kernel) + (sets.isEmpty() ? "" : " (--set " + String.join(" --set ", sets) + ")"));
        long t0 = System.nanoTime();
        Workloads workloads = new Workloads(sizes, line -> err.println("bench: " + line)).histogram(histogram)
                .settings(overrides);
        List<Row> rows;
        try {
            rows = quietly(() -> workloads.run(only));
        } catch (RuntimeException e) {
            err.println("bench: FAILED: " + e.getMessage());
            e.printStackTrace(err);
            return 1;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        err.printf(Locale.ROOT, "bench: done in %.0f s%n", seconds);
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("machine", machine);
            doc.put("quick", quick);
            doc.put("seconds", seconds);
            doc.put("sizes", sizes.asMap());
            doc.put("kernel", kernel);
            doc.put("set", sets);
            List<Object> list = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", r.id());
                m.put("workload", r.workload());
                m.put("unit", r.unit());
                m.put("kernel", r.kernel());
                m.put("abq", r.abq());
                m.put("akka", r.akka());
                m.put("kernel_over_abq", r.overAbq());
                m.put("kernel_over_akka", r.overAkka());
                m.put("target", r.target().isEmpty() ? null : r.target());
                m.put("met", r.met());
                list.add(m);
            }
            doc.put("rows", list);
            doc.put("extras", workloads.extras());
            out.println(Json.write(doc));
        } else {
            out.print(table(rows, machine, kernel, workloads.extras()));
        }
        out.flush();
        return 0;
    }

    private static String value(List<String> argv, int i, String opt) {
        if (i >= argv.size()) {
            throw new IllegalArgumentException(opt + " needs a value");
        }
        return argv.get(i);
    }

    private static int positive(String v, String opt) {
        try {
            int n = Integer.parseInt(v.replace("_", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(opt + " wants a positive number, not '" + v + "'");
    }

    /**
     * Runs with the kernel's trace log at WARN: at INFO every spawn, open and exit is a log line
     * on stderr, which would measure the console, not the kernel. Events still cost their check.
     */
    static <T> T quietly(java.util.function.Supplier<T> body) {
        var logger = LoggerFactory.getLogger("mboxos.trace");
        if (!(logger instanceof ch.qos.logback.classic.Logger trace)) {
            return body.get();
        }
        Level old = trace.getLevel();
        trace.setLevel(Level.WARN);
        try {
            return body.get();
        } finally {
            trace.setLevel(old);
        }
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("gc", ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining("+")));
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1 << 20));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return m;
    }

    /** The kernel settings a bench machine boots with (every kernel.* key). */
    static Map<String, Object> kernel(Config config) {
        Map<String, Object> m = new java.util.TreeMap<>();
        config.getConfig("kernel").entrySet().forEach(e -> m.put(e.getKey(), e.getValue().unwrapped()));
        return m;
    }

    private static String describe(Map<String, Object> kernel) {
        return "scheduler " + kernel.get("scheduler") + ", dispatcher " + kernel.getOrDefault("dispatcher", "?")
                + ", num-pcbs " + kernel.get("num-pcbs");
    }


    // ---- the table ----------------------------------------------------------------------------

    static String table(List<Row> rows, Map<String, Object> machine, Map<String, Object> kernel,
            Map<String, Object> extras) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "mboxos bench: %s cores, %s, %s; kernel %s%n", machine.get("cores"),
                machine.get("jdk"), machine.get("gc"), describe(kernel)));
        int w = Math.max(8, rows.stream().mapToInt(r -> r.workload().length()).max().orElse(0));
        String head = "%-" + w + "s  %-6s  %12s  %12s  %9s  %12s  %9s  %-26s  %s%n";
        b.append(String.format(Locale.ROOT, head, "workload", "unit", "kernel", "(a) VT+ABQ", "k/(a)", "(b) Akka",
                "k/(b)", "target", "met"));
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, head, r.workload(), r.unit(), num(r.kernel()), num(r.abq()),
                    ratio(r.overAbq()), num(r.akka()), ratio(r.overAkka()), r.target(),
                    r.met() == null ? "" : r.met() ? "met" : "NOT MET"));
        }
        b.append("k/(a), k/(b): the kernel's figure over the baseline's. For msg/s and proc/s above 1 is faster than"
                + " the baseline;\nfor ns, B/proc and MB above 1 is slower or heavier.\n");
        b.append("(a) virtual threads and ArrayBlockingQueues; W4: virtual thread start+join; W5: virtual threads"
                + " blocked in take().\n(b) Akka Typed actors, no kernel: W1 a credit window of the box's capacity,"
                + " W2 actor ping-pong,\n    W3 box actors with a bounded queue, W4 spawn+watch of a child that stops,"
                + " W5 idle actors.\n");
        b.append("W1: median of the measured rounds. W2: nanoseconds per call from batches timed with System.nanoTime."
                + "\nW5: used heap after System.gc() with all blocked; per process, its growth over the heap before"
                + " they started.\n");
        if (extras.get("w2_floor_vt_asks_actor_ns") instanceof Map<?, ?> floor) {
            b.append(String.format(Locale.ROOT, "W2 floor, a virtual thread telling an actor and parking for the"
                    + " answer (no kernel): p50 %s ns, p99 %s ns%n", num((Double) floor.get("p50")),
                    num((Double) floor.get("p99"))));
        }
        return b.toString();
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ratio(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, v >= 10 ? "%.0fx" : v >= 0.1 ? "%.2fx" : "%.3fx", v);
    }

    /** Just enough JSON for the report: maps, lists, numbers (NaN as null), strings, booleans. */
    static final class Json {
        private Json() {}

        static String write(Object v) {
            StringBuilder b = new StringBuilder();
            value(b, v);
            return b.toString();
        }

        private static void value(StringBuilder b, Object v) {
            switch (v) {
                case null -> b.append("null");
                case Double d when d.isNaN() || d.isInfinite() -> b.append("null");
                case Float f when f.isNaN() || f.isInfinite() -> b.append("null");
                case Number n -> b.append(n);
                case Boolean x -> b.append(x);
                case Map<?, ?> m -> {
                    b.append('{');
                    boolean first = true;
                    for (var e : m.entrySet()) {
                        if (!first) {
                            b.append(',');
                        }
                        first = false;
                        string(b, String.valueOf(e.getKey()));
                        b.append(':');
                        value(b, e.getValue());
                    }
                    b.append('}');
                }
                case List<?> l -> {
                    b.append('[');
                    for (int i = 0; i < l.size(); i++) {
                        if (i > 0) {
                            b.append(',');
                        }
                        value(b, l.get(i));
                    }
                    b.append(']');
                }
                default -> string(b, v.toString());
            }
        }

        private static void string(StringBuilder b, String s) {
            b.append('"');
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
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
