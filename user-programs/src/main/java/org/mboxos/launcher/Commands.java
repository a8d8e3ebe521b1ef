package org.mboxos.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.mboxos.api.Program;
import org.mboxos.api.SysError;
import org.mboxos.kernel.Machine;
import org.mboxos.kernel.dev.Console;
import org.mboxos.kernel.trace.Trace;

/** The launcher's commands. */
final class Commands {
    /** Exit status when the kernel itself stopped before pid 1 ended (sysexits' EX_SOFTWARE). */
    static final int KERNEL_STOPPED = 70;

    private Commands() {}

    static int help(PrintStream out) {
        out.print("""
                usage:
                  mboxos list                          the programs on the ramdisk
                  mboxos run PROGRAM [ARGS] [OPTIONS]  boot the kernel with PROGRAM as pid 1
                                       (options may stand anywhere; after -- all goes to PROGRAM);
                                       exits with pid 1's status, or 3 if every process deadlocks
                  mboxos bench [--quick] [--json] [--anchors]
                                       measure the kernel against virtual threads + queues
                                       and plain Akka actors (docs/benchmarks.md); progress on
                                       stderr, the table on stdout. --quick: a short smoke run;
                                       --json: one JSON object for tools; --anchors: also build
                                       and run the C (POSIX mq) and Erlang programs for W1;
                                       --only W1,W3: some workloads (W1..W9); --messages N (W1),
                                       --rounds N (W1, W6, W8), --scale N (W5),
                                       --histogram LINES (W5: the kernel's heap by class),
                                       --set KEY=VALUE (a kernel setting, e.g. kernel.dispatcher)
                  mboxos trace check FILE.jsonl [--all]   check a --trace file's history: prints a verdict
                                       and the first violation; exit 0 clean, 1 violated, 2 bad usage
                  mboxos trace stats FILE.jsonl [--json]  per process and per box counts, blocked time,
                                       queue depth high-water marks
                  mboxos trace export FILE.jsonl --format perfetto -o OUT.json
                                       Chrome/Perfetto trace-event JSON (open in ui.perfetto.dev)
                  mboxos trace draw FILE.jsonl -o OUT.svg|OUT.png|OUT.puml [--pids 1,2] [--boxes NAME,...]
                                       [--from T] [--to T] [--limit N]   a sequence diagram (PlantUML)
                  mboxos chaos [--seeds A..B] [--mode parallel|lottery|both]
                                       seeded random workloads with kills and bad arguments, each
                                       trace checked; prints failing seeds and a summary
                                       (docs/reliability.md); default --seeds 1..20 --mode both
                options for run:
                  --for DURATION     stop after DURATION (10s, 5m) and exit 0
                  --trace FILE       write the trace as JSON lines (docs/trace.md)
                  --config FILE      a HOCON file over config/application.conf (repeatable)
                  --set KEY=VALUE    one setting, e.g. --set kernel.num-pcbs=64 (repeatable)
                  --seed N           the kernel's random seed (printed at start of every run)
                  --programs JAR     add the programs a jar lists under META-INF/services
                  --keys TEXT        type TEXT on the keyboard (escapes: \\n \\r \\t \\b \\e \\\\ \\xHH)
                  --keys-file FILE   type the bytes of FILE
                  --key-interval D   time between scripted keys (default kernel.key-interval)
                  --tty              keys from the terminal in raw mode (the default when stdin is one)
                  --log stderr|FILE  where the log goes (default: a new file when stdout is a terminal,
                                       named at startup, so the screen stays readable; else stderr)
                """);
        return 0;
    }

    static int list(Options o, PrintStream out) {
        int width = o.ramdisk().programs().stream().mapToInt(p -> p.name().length()).max().orElse(0);
        for (Program p : o.ramdisk().programs()) {
            out.printf("%-" + width + "s  %s%n", p.name(), p.description());
        }
        return 0;
    }

    static int run(Options o, PrintStream out, PrintStream err) {
        if (o.ramdisk().find(o.program()).isEmpty()) {
            throw new Main.UsageError("no program named '" + o.program() + "' (see: mboxos list)");
        }
        List<Trace.Sink> sinks = new ArrayList<>();
        if (o.trace().isPresent()) {
            try {
                sinks.add(Trace.jsonLines(Files.newBufferedWriter(o.trace().get())));
            } catch (IOException e) {
                throw new Main.UsageError("--trace: cannot write " + o.trace().get() + ": " + e.getMessage());
            }
        }
        Consumer<String> stdout = text -> {
            out.print(text);
            out.flush();
        };
        boolean terminal = Boolean.getBoolean("mboxos.stdout.tty");
        Path logFile = LogDestination.apply(o.log().orElse(null), terminal);
        if (logFile != null) {
            err.println("mboxos: log in " + logFile + " (--log stderr to see it here)");
        }
        int height = Integer.getInteger("mboxos.stdout.rows", 24);
        Console.Screen screen = terminal ? Console.Screen.ansi(stdout, height) : Console.Screen.lines(stdout);
        try {
            return boot(o, sinks, screen, err);
        } finally {
            if (terminal) {
                out.print(Console.Screen.restoreTerminal(height));
                out.flush();
            }
        }
    }

    private static int boot(Options o, List<Trace.Sink> sinks, Console.Screen screen, PrintStream err) {
        try (Machine m = Machine.boot(o.config(), o.ramdisk(), screen, sinks.toArray(Trace.Sink[]::new));
                Terminal terminal = o.tty() ? Terminal.raw(m::press) : Terminal.NONE) {
            err.println("mboxos: seed " + m.settings().seed() + ", scheduler "
                    + m.settings().scheduler().name().toLowerCase() + " (replay with --seed " + m.settings().seed() + ")");
            // the keyboard's future is known before pid 1 runs, so that no wait for a key looks hopeless too early
            o.keys().ifPresent(keys -> m.type(keys, o.keyInterval().orElse(null)));
            if (!o.tty()) {
                m.closeKeyboard();
            }
            var stuck = m.deadlocked().toCompletableFuture();
            var stopped = m.terminated().toCompletableFuture();
            var status = m.run(o.program(), o.args()).toCompletableFuture();
            try {
                List<CompletableFuture<?>> ends = new ArrayList<>(List.of(status, stopped, stuck));
                o.forTime().ifPresent(t -> ends.add(m.deadline(t).toCompletableFuture())); // kernel time
                CompletableFuture.anyOf(ends.toArray(CompletableFuture[]::new)).get();
                if (!status.isDone() && stopped.isDone()) {
                    err.println("mboxos: the kernel stopped: " + stopped.get());
                    return KERNEL_STOPPED;
                }
                if (!status.isDone() && stuck.isDone()) {
                    err.println("mboxos: deadlock: every process is blocked and nothing can wake any of them:");
                    stuck.get().forEach(w -> err.println("mboxos:   " + w));
                    return Main.DEADLOCK;
                }
                if (!status.isDone()) {
                    err.println("mboxos: stopped after " + o.forTime().orElseThrow() + " of kernel time");
                    return 0;
                }
                return status.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SysError s) {
                    err.println("mboxos: " + s.getMessage());
                    return Main.USAGE;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
    }
}
