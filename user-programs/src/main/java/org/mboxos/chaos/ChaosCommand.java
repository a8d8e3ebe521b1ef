package org.mboxos.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mboxos.kernel.trace.Trace;
import org.slf4j.LoggerFactory;

/**
 * {@code ./mboxos chaos [--seeds A..B] [--mode parallel|lottery|both] [--traces DIR]}: runs the
 * chaos workload for every seed from A to B in each mode ({@link Campaign}), prints every failing
 * seed with its problems and the command that reproduces it (and, with --traces, writes its
 * trace there), and a summary. Exit status: 0 when every run
 * passed, 1 when one failed, 2 for a bad command line.
 */
public final class ChaosCommand {
    static final String USAGE = "usage: mboxos chaos [--seeds A..B] [--mode parallel|lottery|both] [--traces DIR]";

    /** The command line, parsed; {@code traces} is where failing runs' traces go (null: nowhere). */
    record Options(long from, long to, List<Mode> modes, Path traces) {}

    /** Per mode: the outcomes' sums. */
    private static final class Sums {
        long runs;
        long messages;
        long kills;
        long badCalls;
        long failures;
        final Map<String, Long> states = new TreeMap<>();

        void add(Outcome o) {
            runs++;
            messages += o.messages();
            kills += o.kills();
            badCalls += o.badCalls();
            failures += o.passed() ? 0 : 1;
            o.killsByState().forEach((k, v) -> states.merge(k, v, Long::sum));
        }
    }

    private static final Set<String> OPTIONS = Set.of("--seeds", "--mode", "--traces");

    private ChaosCommand() {}

    /** Writes a failing run's trace as JSON lines (the --trace format) and returns the file, or why not. */
    private static String write(Path dir, Outcome o) {
        Path file = dir.resolve("chaos-" + o.seed() + "-" + o.mode().label() + ".jsonl");
        try {
            Files.createDirectories(dir);
            Files.write(file, o.trace().stream().map(Trace.Event::toJson).toList(), StandardCharsets.UTF_8);
            return file + " (./mboxos trace check " + file + " --all)";
        } catch (IOException e) {
            return "not written: " + e.getMessage();
        }
    }

    /** Runs the command; returns its exit status. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("mboxos: chaos: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        quietKernelLogs();
        long started = System.nanoTime();
        Map<Mode, Sums> sums = new TreeMap<>();
        for (long seed = o.from(); seed <= o.to(); seed++) {
            for (Mode mode : o.modes()) {
                Outcome outcome = Campaign.run(seed, mode);
                sums.computeIfAbsent(mode, m -> new Sums()).add(outcome);
                if (!outcome.passed()) {
                    out.println("FAIL seed " + seed + " " + mode.label() + ":");
                    outcome.problems().forEach(p -> out.println("  " + p));
                    if (o.traces() != null) {
                        out.println("  trace: " + write(o.traces(), outcome));
                    }
                    out.println("  reproduce: " + outcome.reproduce());
                    out.flush();
                }
            }
            if ((seed - o.from() + 1) % 50 == 0 && seed < o.to()) {
                err.println("mboxos: chaos: " + (seed - o.from() + 1) + " of " + (o.to() - o.from() + 1) + " seeds done");
            }
        }
        long failures = summary(o, sums, (System.nanoTime() - started) / 1_000_000_000.0, out);
        return failures == 0 ? 0 : 1;
    }

    private static long summary(Options o, Map<Mode, Sums> sums, double seconds, PrintStream out) {
        out.printf("chaos: seeds %d..%d (%d), mode %s%s, %.1f s%n", o.from(), o.to(), o.to() - o.from() + 1,
                String.join(" and ", o.modes().stream().map(Mode::label).toList()),
                o.modes().contains(Mode.LOTTERY) ? " (each lottery seed run twice, traces compared byte for byte)" : "",
                seconds);
        long failures = 0;
        for (Map.Entry<Mode, Sums> e : sums.entrySet()) {
            Sums s = e.getValue();
            failures += s.failures;
            out.printf("  %-8s %d runs, %d messages, %d kills, %d bad-argument calls, %d failures%n", e.getKey().label(),
                    s.runs, s.messages, s.kills, s.badCalls, s.failures);
            out.println("           kills by blocked state: " + s.states);
        }
        out.println(failures == 0 ? "chaos: 0 failures" : "chaos: " + failures + " failing run(s), listed above");
        return failures;
    }

    static Options parse(List<String> args) {
        long from = 1;
        long to = 20;
        List<Mode> modes = List.of(Mode.PARALLEL, Mode.LOTTERY);
        Path traces = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (i + 1 >= args.size() || !OPTIONS.contains(a)) {
                throw new IllegalArgumentException(OPTIONS.contains(a)
                        ? a + " needs a value" : "unknown argument '" + a + "'");
            }
            String v = args.get(++i);
            if (a.equals("--seeds")) {
                String[] ends = v.split("\\.\\.", -1);
                try {
                    from = Long.parseLong(ends[0]);
                    to = ends.length == 2 ? Long.parseLong(ends[1]) : from;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--seeds takes A..B (or one seed), not '" + v + "'");
                }
                if (ends.length > 2 || from > to || from < 0) {
                    throw new IllegalArgumentException("--seeds takes A..B with 0 <= A <= B, not '" + v + "'");
                }
            } else if (a.equals("--traces")) {
                traces = Path.of(v);
            } else {
                modes = switch (v) {
                    case "parallel" -> List.of(Mode.PARALLEL);
                    case "lottery" -> List.of(Mode.LOTTERY);
                    case "both" -> List.of(Mode.PARALLEL, Mode.LOTTERY);
                    default -> throw new IllegalArgumentException("--mode takes parallel, lottery or both, not '" + v + "'");
                };
            }
        }
        return new Options(from, to, new ArrayList<>(modes), traces);
    }

    /** Thousands of runs: the kernel's INFO trace and crash logs would drown the report (the campaign reads the trace itself). */
    private static void quietKernelLogs() {
        for (String name : List.of("mboxos.trace", "mboxos.crash")) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger l) {
                l.setLevel(ch.qos.logback.classic.Level.OFF);
            }
        }
    }
}
