package org.mboxos.tools;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 * after {@link DiagramFilter#limit()} items, saying how many events were left out.
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
        private final Map<Long, String> names;
        private final List<String> out = new ArrayList<>(); // lines; null: taken out again
        private final Set<Long> declared = new HashSet<>();
        private final Set<Long> ended = new HashSet<>();
        /** An activation bar: the line that opens it and the message count then. */
        private record Bar(int line, int messages) {}

        /** A closed bar: the line that closed it, the message count then, and the bar. */
        private record Closed(int line, int messages, Bar bar) {}

        private final Map<Long, Bar> active = new HashMap<>();
        private final Map<Long, Closed> closed = new HashMap<>();
        private int messages;
        private final Set<Integer> consumed = new HashSet<>();
        private int drawn;

        Builder(List<Trace.Event> all, DiagramFilter f) {
            this.events = all.stream().filter(f::inWindow).toList();
            this.f = f;
            this.names = PerfettoExport.names(all);
        }

        Source build() {
            raw("@startuml");
            raw("skinparam shadowing false");
            raw("skinparam sequenceMessageAlign left");
            raw("skinparam responseMessageBelowArrow true");
            int i = 0;
            for (; i < events.size() && drawn < f.limit(); i++) {
                if (!consumed.contains(i)) {
                    draw(i, events.get(i));
                }
            }
            int leftOut = events.size() - i;
            if (leftOut > 0) {
                raw("== " + leftOut + " more events not drawn: narrow with --pids, --boxes, --from, --to or raise --limit ==");
            }
            raw("@enduml");
            StringBuilder text = new StringBuilder();
            out.stream().filter(java.util.Objects::nonNull).forEach(l -> text.append(l).append('\n'));
            return new Source(text.toString(), drawn, leftOut);
        }

        /** A line that is not an item (declarations, bars, the frame). */
        private void raw(String s) {
            out.add(s);
        }

        private String p(long pid) {
            return "P" + pid;
        }

        private String title(long pid) {
            return (names.getOrDefault(pid, "pid") + " (" + pid + ")").replace('"', '\'').replaceAll("\\p{Cntrl}", " ");
        }

        /** Visible and on a lifeline that has not ended: an arrow can start or end there. */
        private boolean live(long pid) {
            return f.shows(pid) && !ended.contains(pid);
        }

        private void declare(long pid) {
            if (declared.add(pid)) {
                raw("participant \"" + title(pid) + "\" as " + p(pid));
            }
        }

        private void line(String s) {
            out.add(s);
            drawn++;
        }

        /** An arrow between two pids, from or to the edge for the end that is not shown. */
        private void arrow(long from, long to, String arrow, String label) {
            boolean a = live(from);
            boolean b = live(to);
            if (a) {
                declare(from);
            }
            if (b) {
                declare(to);
            }
            if (a || b) {
                messages++;
            }
            if (a && b) {
                line(p(from) + " " + arrow + " " + p(to) + " : " + label);
            } else if (b) {
                line("[" + arrow + " " + p(to) + " : " + label + " (from " + from + ")");
            } else if (a) {
                line(p(from) + " " + arrow + "] : " + label + " (to " + to + ")");
            }
        }

        private void note(long pid, String color, String text) {
            if (live(pid)) {
                declare(pid);
                line("hnote over " + p(pid) + " " + color + " : " + text);
            }
        }

        /**
         * Starts pid's activation bar. PlantUML attaches bars to messages and refuses two bar
         * changes of one lifeline at the same message: a bar that would close with no message
         * since it opened is taken out, and one that would reopen where it closed goes on.
         */
        private void activate(long pid, String color) {
            if (!live(pid) || active.containsKey(pid)) {
                return;
            }
            declare(pid);
            Closed c = closed.remove(pid);
            if (c != null && c.messages() == messages) {
                out.set(c.line(), null);
                active.put(pid, c.bar());
                return;
            }
            active.put(pid, new Bar(out.size(), messages));
            raw("activate " + p(pid) + " " + color);
        }

        private void deactivate(long pid) {
            Bar bar = active.remove(pid);
            if (bar == null) {
                return;
            }
            if (bar.messages() == messages) {
                out.set(bar.line(), null);
            } else {
                closed.put(pid, new Closed(out.size(), messages, bar));
                raw("deactivate " + p(pid));
            }
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
                    if (f.shows(child) && !declared.contains(child)) {
                        if (live(pid)) {
                            declare(pid);
                        }
                        raw("create \"" + title(child) + "\" as " + p(child));
                        declared.add(child);
                    }
                    arrow(pid, child, "->", label);
                }
                case "recv" -> {
                    if (f.showsBox(e)) {
                        arrow(((Number) e.get("from")).longValue(), pid, "->", msg(e));
                    }
                }
                case "discard" -> {
                    if (f.showsBox(e) && live(pid)) {
                        declare(pid);
                        line(p(pid) + " ->x] : " + msg(e) + " discarded: " + esc(String.valueOf(e.get("reason"))));
                        messages++;
                    }
                }
                case "kill" -> {
                    String in = String.valueOf(e.get("blocked_in"));
                    arrow(((Number) e.get("killer")).longValue(), pid, "-[#red]>",
                            "kill" + (in.isEmpty() || in.equals("null") ? "" : " (in " + esc(in) + ")"));
                }
                case "exit" -> exit(i, e);
                case "wait-begin" -> {
                    note(pid, "#EEEEEE", "waitpid(" + e.get("waited_for") + ")");
                    activate(pid, "#DDDDDD");
                }
                case "wait-end" -> {
                    arrow(((Number) e.get("waited_for")).longValue(), pid, "-->", "status " + e.get("status"));
                    deactivate(pid);
                }
                case "sleep" -> note(pid, "#CCE5FF", "sleep " + e.get("ms") + " ms");
                case "error" -> note(pid, "#FFF3B0", esc(e.get("call") + ": " + e.get("errno")));
                case "deadlock" -> deadlock(e);
                default -> {}
            }
        }

        private void exit(int i, Trace.Event e) {
            long pid = e.pid();
            if (!live(pid)) {
                ended.add(pid);
                return;
            }
            declare(pid);
            deactivate(pid);
            String how = String.valueOf(e.get("how"));
            note(pid, how.equals("exit") ? "#D5F5D5" : "#F5C6C6",
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
                    arrow(pid, w.pid(), "-->", "exit status " + w.get("status"));
                    deactivate(w.pid());
                    consumed.add(j);
                }
            }
            raw("destroy " + p(pid));
            ended.add(pid);
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
            List<Long> shown = members.stream().filter(this::live).toList();
            if (shown.isEmpty()) {
                line("== deadlock of " + members.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " ==");
                return;
            }
            shown.forEach(this::declare);
            line("hnote over " + shown.stream().map(this::p).collect(Collectors.joining(", ")) + " #FF8080 : " + text);
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
