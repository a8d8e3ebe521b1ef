package org.mboxos.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/** Renders {@link Stats} as two aligned tables, or as one JSON object (snake_case names). */
final class StatsReport {
    private StatsReport() {}

    static void json(Stats s, PrintStream out) {
        try {
            out.println(new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .writerWithDefaultPrettyPrinter().writeValueAsString(s));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void table(Stats s, PrintStream out) {
        out.printf(Locale.ROOT, "%d events over %s of kernel time%n%n", s.events(), millis(s.lastT() - s.firstT()));
        out.println("processes");
        Table procs = new Table("pid", "program", "parent", "sends", "recvs", "blocked", "blocked time", "errors", "end");
        for (Stats.Proc p : s.processes()) {
            procs.row(p.pid(), p.program(), p.parent() < 0 ? "?" : p.parent(), p.sends(), p.receives(), p.blocked(),
                    millis(p.blockedNanos()), p.errors(), p.end());
        }
        procs.print(out);
        out.println();
        out.println("boxes");
        Table boxes = new Table("box", "name", "sends", "recvs", "discards", "blocked sends", "max depth", "queued at end");
        for (Stats.Box b : s.boxes()) {
            boxes.row(b.box(), b.name(), b.sends(), b.receives(), b.discards(), b.blockedSends(), b.maxDepth(),
                    b.queuedAtEnd());
        }
        boxes.print(out);
        out.println();
        out.println("blocked: calls with a traced start and end (sleep, waitpid, cond_wait; their time is the blocked"
                + " time), plus sends that waited for room and semaphore downs that waited (untimed)");
    }

    /** A duration for people: milliseconds below a second, seconds from there. */
    static String millis(long nanos) {
        return nanos < 1_000_000_000L ? String.format(Locale.ROOT, "%.3f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }

    /** Text columns: numbers right-aligned, text left-aligned. */
    private static final class Table {
        private final List<String> header;
        private final List<List<Object>> rows = new java.util.ArrayList<>();

        Table(String... header) {
            this.header = List.of(header);
        }

        void row(Object... cells) {
            rows.add(List.of(cells));
        }

        void print(PrintStream out) {
            int[] width = new int[header.size()];
            for (int c = 0; c < width.length; c++) {
                width[c] = header.get(c).length();
                for (List<Object> r : rows) {
                    width[c] = Math.max(width[c], String.valueOf(r.get(c)).length());
                }
            }
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < width.length; c++) {
                line.append(c == 0 ? "  " : "  ").append(pad(header.get(c), width[c], c != 1 && c != width.length - 1));
            }
            out.println(line.toString().stripTrailing());
            for (List<Object> r : rows) {
                line.setLength(0);
                for (int c = 0; c < width.length; c++) {
                    line.append("  ").append(pad(String.valueOf(r.get(c)), width[c], !(r.get(c) instanceof String)
                            || String.valueOf(r.get(c)).matches("[0-9.]+ m?s")));
                }
                out.println(line.toString().stripTrailing());
            }
        }

        private static String pad(String s, int width, boolean right) {
            String fill = " ".repeat(width - s.length());
            return right ? fill + s : s + fill;
        }
    }
}
