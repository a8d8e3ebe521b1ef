package org.mboxos.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.mboxos.kernel.trace.HistoryCheck;
import org.mboxos.kernel.trace.Rule;
import org.mboxos.kernel.trace.Trace;
import org.mboxos.kernel.trace.TraceFile;
import org.mboxos.kernel.trace.Verdict;
import org.mboxos.kernel.trace.Violation;

/**
 * {@code ./mboxos trace TOOL FILE.jsonl [OPTIONS]}: the tools that read a {@code --trace} file.
 * Exit status: 0 done (for {@code check}: no violation), 1 {@code check} found a violation (or
 * {@code draw} could not render), 2 a bad command line or a file that is not a trace (one line
 * on stderr, never a stack trace).
 */
public final class TraceCommand {
    public static final int OK = 0;
    public static final int VIOLATION = 1;
    public static final int USAGE = 2;

    static final String USAGE_TEXT = "usage: mboxos trace check FILE.jsonl [--all]"
            + " | stats FILE.jsonl [--json]"
            + " | export FILE.jsonl --format perfetto -o OUT.json"
            + " | draw FILE.jsonl -o OUT.svg|OUT.png|OUT.puml [--pids 1,2] [--boxes NAME,...] [--from T] [--to T] [--limit N]";

    private TraceCommand() {}

    /** Runs {@code trace ARGS...}; returns the exit status. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println("mboxos: " + USAGE_TEXT);
            return USAGE;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (args.get(0)) {
                case "check" -> check(ToolArgs.parse("check", rest, Set.of("--all")), out);
                case "stats" -> stats(ToolArgs.parse("stats", rest, Set.of("--json")), out, err);
                case "export" -> export(ToolArgs.parse("export", rest, Set.of("--format", "-o")), out, err);
                case "draw" -> draw(ToolArgs.parse("draw", rest,
                        Set.of("-o", "--pids", "--boxes", "--from", "--to", "--limit")), out, err);
                default -> throw new ToolArgs.UsageError("unknown trace tool '" + args.get(0) + "'; " + USAGE_TEXT);
            };
        } catch (ToolArgs.UsageError | TraceFile.Unreadable e) {
            err.println("mboxos: " + e.getMessage());
            return USAGE;
        }
    }

    // ---- check -----------------------------------------------------------------------------

    private static int check(ToolArgs a, PrintStream out) {
        List<Trace.Event> events = TraceFile.read(a.file());
        Verdict v = HistoryCheck.of(events);
        long ended = events.stream().filter(e -> e.ev().equals("exit")).count();
        long spawned = events.stream().filter(e -> e.ev().equals("spawn")).count();
        int queued = v.messages().unresolved().size();
        out.printf(Locale.ROOT, "%s: %d events, %d processes spawned (%d exited), %d messages sent"
                        + " (%d received, %d discarded, %d left in boxes)%n",
                a.file(), v.events(), spawned, ended, v.messages().sends().size(), v.messages().receives().size(),
                v.messages().discards().size(), queued);
        out.println("rules: " + java.util.Arrays.stream(Rule.values()).map(Rule::label).collect(Collectors.joining(", ")));
        if (v.clean()) {
            out.println("verdict: OK, no violation");
            return OK;
        }
        Map<Rule, Integer> counts = v.countByRule();
        out.println("verdict: VIOLATED, " + v.violations().size() + " violation(s): " + counts.entrySet().stream()
                .map(en -> en.getKey().label() + " " + en.getValue()).collect(Collectors.joining(", ")));
        Violation first = v.first().orElseThrow();
        out.println("first violation: " + first);
        out.println("  rule " + first.rule().label() + ": " + first.rule().description());
        if (a.flag("--all")) {
            out.println("all violations:");
            v.violations().forEach(x -> out.println("  " + x));
        }
        return VIOLATION;
    }

    // ---- stats, export, draw ---------------------------------------------------------------

    /** The trace's events, refused if some event lacks the fields the tools rely on. */
    private static List<Trace.Event> readWellFormed(Path file) {
        List<Trace.Event> events = TraceFile.read(file);
        HistoryCheck.of(events).only(Set.of(Rule.SCHEMA)).first().ifPresent(v -> {
            throw new TraceFile.Unreadable(file + ": seq " + v.seq() + ": " + v.what());
        });
        return events;
    }

    private static int stats(ToolArgs a, PrintStream out, PrintStream err) {
        Stats s = Stats.of(readWellFormed(a.file()));
        if (a.flag("--json")) {
            StatsReport.json(s, out);
        } else {
            StatsReport.table(s, out);
        }
        return OK;
    }

    private static int export(ToolArgs a, PrintStream out, PrintStream err) {
        String format = a.get("--format").orElseThrow(() -> new ToolArgs.UsageError("trace export: --format perfetto is needed"));
        if (!format.equals("perfetto")) {
            throw new ToolArgs.UsageError("trace export: unknown format '" + format + "' (known: perfetto)");
        }
        Path to = output(a, "export", Set.of(".json"));
        List<Trace.Event> events = readWellFormed(a.file());
        try (OutputStream o = Files.newOutputStream(to)) {
            PerfettoExport.write(events, o);
        } catch (IOException e) {
            throw new ToolArgs.UsageError("trace export: cannot write " + to + ": " + e.getMessage());
        }
        out.println("wrote " + to + ": open it at https://ui.perfetto.dev (Open trace file)");
        return OK;
    }

    private static int draw(ToolArgs a, PrintStream out, PrintStream err) {
        Path to = output(a, "draw", Set.of(".svg", ".png", ".puml"));
        Set<Long> pids = new HashSet<>(a.numbers("--pids").orElse(List.of()));
        Set<String> boxes = a.get("--boxes").map(b -> Set.of(b.split(","))).orElse(Set.of());
        long from = a.nanos("--from").orElse(0L);
        long until = a.nanos("--to").orElse(Long.MAX_VALUE);
        if (from > until) {
            throw new ToolArgs.UsageError("trace draw: --from is after --to");
        }
        DiagramFilter filter = new DiagramFilter(pids, boxes, from, until, a.positive("--limit", DiagramFilter.DEFAULT_LIMIT));
        SequenceDiagram.Source source = SequenceDiagram.of(readWellFormed(a.file()), filter);
        String name = to.getFileName().toString().toLowerCase(Locale.ROOT);
        byte[] bytes;
        try {
            bytes = name.endsWith(".puml") ? source.text().getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    : PlantUml.render(source.text(), name.endsWith(".png") ? PlantUml.Format.PNG : PlantUml.Format.SVG);
        } catch (IllegalStateException e) {
            err.println("mboxos: trace draw: " + e.getMessage() + " (write OUT.puml to see the source)");
            return VIOLATION;
        }
        try {
            Files.write(to, bytes);
        } catch (IOException e) {
            throw new ToolArgs.UsageError("trace draw: cannot write " + to + ": " + e.getMessage());
        }
        out.println("wrote " + to + ": " + source.drawn() + " items drawn");
        if (source.leftOut() > 0) {
            err.println("mboxos: trace draw: stopped after " + source.drawn() + " items; " + source.leftOut()
                    + " events not drawn (narrow with --pids, --boxes, --from, --to, or raise --limit)");
        }
        return OK;
    }

    private static Path output(ToolArgs a, String tool, Set<String> endings) {
        Path to = Path.of(a.get("-o").orElseThrow(() -> new ToolArgs.UsageError("trace " + tool + ": -o FILE is needed")));
        String name = to.getFileName().toString().toLowerCase(Locale.ROOT);
        if (endings.stream().noneMatch(name::endsWith)) {
            throw new ToolArgs.UsageError("trace " + tool + ": -o FILE must end in " + String.join(" or ", endings));
        }
        return to;
    }
}
