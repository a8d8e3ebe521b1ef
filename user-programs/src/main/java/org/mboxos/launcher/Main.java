package org.mboxos.launcher;

import java.io.PrintStream;

/**
 * {@code ./mboxos COMMAND ...}: list the ramdisk, run a program under the kernel, benchmark, or
 * read a trace file ({@code trace check|stats|export|draw}).
 * Usage errors print one line on stderr and exit with status 2.
 */
public final class Main {
    static final int USAGE = 2;
    /** run: every process is deadlocked (docs/semantics.md, Deadlocks), so pid 1 can never end. */
    static final int DEADLOCK = 3;

    private Main() {}

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    /** The launcher without System.exit, for tests: returns the exit status. */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0) {
            err.println("usage: mboxos list | run [OPTIONS] PROGRAM [ARGS...] | bench [--quick] [--json] [--anchors] | trace TOOL FILE | chaos [--seeds A..B] [--mode M] | help");
            return USAGE;
        }
        try {
            return switch (argv[0]) {
                case "list" -> Commands.list(Options.parse(argv, 1, false), out);
                case "run" -> Commands.run(Options.parse(argv, 1, true), out, err);
                case "bench" -> org.mboxos.bench.Bench.run(java.util.List.of(argv).subList(1, argv.length), out, err);
                case "trace" -> org.mboxos.tools.TraceCommand.run(java.util.List.of(argv).subList(1, argv.length), out, err);
                case "chaos" -> org.mboxos.chaos.ChaosCommand.run(java.util.List.of(argv).subList(1, argv.length), out, err);
                case "help", "--help", "-h" -> Commands.help(out);
                default -> throw new UsageError("unknown command '" + argv[0] + "' (try: mboxos help)");
            };
        } catch (UsageError e) {
            err.println("mboxos: " + e.getMessage());
            return USAGE;
        }
    }

    /** A bad command line: reported as one line, exit status 2. */
    static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }
}
