package org.mboxos.tools;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.mboxos.kernel.trace.Trace;

/**
 * {@code trace draw}: writes a trace as a PlantUML sequence diagram. A lifeline per process
 * shown, named "program (pid)", created at its spawn and ended (X) at its exit; then, in trace
 * order:
 *
 * <ul>
 *   <li>a message: an arrow from sender to receiver at its {@code recv}, labelled
 *       "NAME (box N) #MSG"; an arrow ending in x from the sender at its {@code discard};</li>
 *   <li>spawn: an arrow from parent to child; kill: a red arrow from killer to victim, naming
 *       the call the victim was blocked in; exit: a note with the status, then a dashed arrow
 *       to each process whose {@code waitpid} it ends;</li>
 *   <li>waitpid: a note and a grey activation bar until it returns; sleep: a blue note;</li>
 *   <li>a failed call: a yellow note; a deadlock: a red note over its members, listing what
 *       each waits for (a divider when none of them is shown).</li>
 * </ul>
 *
 * An event whose other end is not shown is drawn from or to the diagram's edge. Drawing stops
 * after {@link DiagramFilter#limit()} items, saying how many events were left out. This class
 * reads the events; {@link DiagramWriter} writes the lines.
 */
final class SequenceDiagram {
    private SequenceDiagram() {}

    /** The diagram's PlantUML source, how many items it draws and how many events it left out. */
    record Source(String text, int drawn, int leftOut) {}

    static Source of(List<Trace.Event> all, DiagramFilter f) {
        return new Builder(all, f).build();
    }

    private static final class Builder {
        private final List<Trace.Event> events;
        private final DiagramFilter f;
        private final DiagramWriter out;
        private final Set<Integer> consumed = new HashSet<>();

        Builder(List<Trace.Event> all, DiagramFilter f) {
            this.events = all.stream().filter(f::inWindow).toList();
            this.f = f;
            this.out = new DiagramWriter(f, PerfettoExport.names(all));
        }

        Source build() {
            out.raw("@startuml");
            out.raw("skinparam shadowing false");
            out.raw("skinparam sequenceMessageAlign left");
            out.raw("skinparam responseMessageBelowArrow true");
            int i = 0;
            for (; i < events.size() && out.drawn() < f.limit(); i++) {
                if (!consumed.contains(i)) {
                    draw(i, events.get(i));
                }
            }
            int leftOut = events.size() - i;
            if (leftOut > 0) {
                out.raw("== " + leftOut + " more events not drawn: narrow with --pids, --boxes, --from, --to or raise --limit ==");
            }
            out.raw("@enduml");
            return new Source(out.text(), out.drawn(), leftOut);
        }

        private static String msg(Trace.Event e) {
            return esc(String.valueOf(e.get("name"))) + " (box " + e.get("box") + ") #" + e.get("msg");
        }

        private void draw(int i, Trace.Event e) {
            long pid = e.pid();
            switch (e.ev()) {
                case "spawn" -> {
                    long child = ((Number) e.get("child")).longValue();
                    String label = "spawn " + esc(String.valueOf(e.get("program"))) + args(e.get("args"));
                    out.create(pid, child);
                    out.arrow(pid, child, "->", label);
                }
                case "recv" -> {
                    if (f.showsBox(e)) {
                        out.arrow(((Number) e.get("from")).longValue(), pid, "->", msg(e));
                    }
                }
                case "discard" -> {
                    if (f.showsBox(e) && out.live(pid)) {
                        out.declare(pid);
                        out.message(out.p(pid) + " ->x] : " + msg(e) + " discarded: " + esc(String.valueOf(e.get("reason"))));
                    }
                }
                case "kill" -> {
                    String in = String.valueOf(e.get("blocked_in"));
                    out.arrow(((Number) e.get("killer")).longValue(), pid, "-[#red]>",
                            "kill" + (in.isEmpty() || in.equals("null") ? "" : " (in " + esc(in) + ")"));
                }
                case "exit" -> exit(i, e);
                case "wait-begin" -> {
                    out.note(pid, "#EEEEEE", "waitpid(" + e.get("waited_for") + ")");
                    out.activate(pid, "#DDDDDD");
                }
                case "wait-end" -> {
                    out.arrow(((Number) e.get("waited_for")).longValue(), pid, "-->", "status " + e.get("status"));
                    out.deactivate(pid);
                }
                case "sleep" -> out.note(pid, "#CCE5FF", "sleep " + e.get("ms") + " ms");
                case "error" -> out.note(pid, "#FFF3B0", esc(e.get("call") + ": " + e.get("errno")));
                case "deadlock" -> deadlock(e);
                default -> {}
            }
        }

        private void exit(int i, Trace.Event e) {
            long pid = e.pid();
            if (!out.live(pid)) {
                out.end(pid);
                return;
            }
            out.declare(pid);
            out.deactivate(pid);
            String how = String.valueOf(e.get("how"));
            out.note(pid, how.equals("exit") ? "#D5F5D5" : "#F5C6C6",
                    (how.equals("exit") ? "exit " : how + " ") + e.get("status"));
            // The waits this exit ends are traced just after it by the same kernel step (other
            // processes' events may come between); a wait-end right after its own wait-begin is a
            // later waitpid of the already exited process, drawn where it is.
            for (int j = i + 1; j < Math.min(events.size(), i + 64); j++) {
                Trace.Event w = events.get(j);
                Trace.Event before = events.get(j - 1);
                boolean later = before.ev().equals("wait-begin") && before.pid() == w.pid();
                if (w.ev().equals("wait-end") && w.get("waited_for") instanceof Number n && n.longValue() == pid
                        && !later && !consumed.contains(j)) {
                    out.arrow(pid, w.pid(), "-->", "exit status " + w.get("status"));
                    out.deactivate(w.pid());
                    consumed.add(j);
                }
            }
            out.raw("destroy " + out.p(pid));
            out.end(pid);
        }

        private void deadlock(Trace.Event e) {
            List<Long> members = new ArrayList<>();
            if (e.get("members") instanceof List<?> list) {
                list.forEach(m -> {
                    if (m instanceof Number n) {
                        members.add(n.longValue());
                    }
                });
            }
            StringBuilder text = new StringBuilder("<b>deadlock</b>");
            if (e.get("waits") instanceof List<?> waits) {
                waits.forEach(w -> text.append("\\n").append(esc(String.valueOf(w))));
            }
            List<Long> shown = members.stream().filter(out::live).toList();
            if (shown.isEmpty()) {
                out.line("== deadlock of " + members.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " ==");
                return;
            }
            shown.forEach(out::declare);
            // a note spans at most two lifelines: from the first member's to the last one's
            String over = shown.size() == 1 ? out.p(shown.get(0))
                    : out.p(shown.get(0)) + ", " + out.p(shown.get(shown.size() - 1));
            out.line("hnote over " + over + " #FF8080 : " + text);
        }

        private static String args(Object args) {
            if (!(args instanceof List<?> list) || list.isEmpty()) {
                return "";
            }
            return " " + esc(list.stream().map(String::valueOf).collect(Collectors.joining(" ")));
        }
    }

    /** User text as literal PlantUML label text: creole markup and line breaks escaped. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                b.append("\\\\");
            } else if (Character.isISOControl(c)) {
                b.append(' ');
            } else if ("*_-/\"<[]#".indexOf(c) >= 0) { // creole markup: ~ makes the next character plain
                b.append('~').append(c);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
