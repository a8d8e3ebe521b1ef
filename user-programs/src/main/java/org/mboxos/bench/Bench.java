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
 * {@code ./mboxos bench [--quick] [--json] [--anchors] [--only W1,W3] [--messages N] [--rounds N]
 * [--scale N] [--histogram LINES] [--set KEY=VALUE]}:
 * runs every workload through the kernel and on the two baselines, with --anchors also the
 * native anchors for W1 (C with POSIX message queues, Erlang); progress on stderr, the table (or
 * with --json one JSON object) on stdout. Targets are reported, never asserted.
 */
public final class Bench {
    private Bench() {}

    static final String USAGE = "usage: mboxos bench [--quick] [--json] [--anchors] [--only W1,...,W11] [--messages N]"
            + " [--rounds N] [--scale N] [--histogram LINES] [--set KEY=VALUE]";

    /** The command: returns the exit status (2 for a bad command line). */
    public static int run(List<String> argv, PrintStream out, PrintStream err) {
        boolean quick = false;
        boolean json = false;
        boolean anchors = false;
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
                    case "--anchors" -> anchors = true;
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--only" -> {
                        for (String w : value(argv, ++i, a).split(",")) {
                            String id = w.trim().toLowerCase(Locale.ROOT);
                            id = id.startsWith("w") ? id : "w" + id;
                            if (!Workloads.ALL.contains(id)) {
                                throw new IllegalArgumentException("--only: no workload '" + w + "' (W1..W" + Workloads.ALL.size() + ")");
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
        Map<String, Anchor> anchorFigures = new LinkedHashMap<>();
        if (anchors) {
            anchorFigures.putAll(new Anchors(sizes, line -> err.println("bench: " + line)).run());
        } else {
            anchorFigures.put("posix_mq", new Anchor.Skipped("not run: add --anchors"));
            anchorFigures.put("erlang", new Anchor.Skipped("not run: add --anchors"));
        }
        List<Target> targets = Targets.judge(rows, anchorFigures, sizes);
        double seconds = (System.nanoTime() - t0) / 1e9;
        err.printf(Locale.ROOT, "bench: done in %.0f s%n", seconds);
        if (json) {
            out.println(Json.write(new Report(machine, quick, seconds, sizes.asMap(), kernel, sets, rows, anchorFigures,
                    targets, workloads.extras())));
        } else {
            out.print(Table.render(rows, anchorFigures, targets, machine, describe(kernel), workloads.extras()));
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

    /** The --json document: one object, its keys in this order. */
    record Report(Map<String, Object> machine, boolean quick, double seconds, Map<String, Object> sizes,
            Map<String, Object> kernel, List<String> set, List<Row> rows, Map<String, Anchor> anchors,
            List<Target> targets, Map<String, Object> extras) {}

    /** The kernel settings a bench machine boots with (every kernel.* key). */
    static Map<String, Object> kernel(Config config) {
        Map<String, Object> m = new java.util.TreeMap<>();
        config.getConfig("kernel").entrySet().forEach(e -> m.put(e.getKey(), e.getValue().unwrapped()));
        return m;
    }

    static String describe(Map<String, Object> kernel) {
        return "scheduler " + kernel.get("scheduler") + ", dispatcher " + kernel.getOrDefault("dispatcher", "?")
                + ", num-pcbs " + kernel.get("num-pcbs");
    }
}
