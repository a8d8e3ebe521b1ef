package org.mboxos.tools;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PlantUML lines of a {@link SequenceDiagram} as it is written: a lifeline declared once
 * for each process the filter shows, ended once; arrows and notes, the items counted by
 * {@link #drawn()}; and activation bars, kept where PlantUML accepts them. Nothing here reads
 * trace events.
 */
final class DiagramWriter {
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
    private int drawn;

    /** A writer for the processes {@code f} shows, lifelines titled by {@code names} (pid to program). */
    DiagramWriter(DiagramFilter f, Map<Long, String> names) {
        this.f = f;
        this.names = names;
    }

    /** How many items have been drawn so far. */
    int drawn() {
        return drawn;
    }

    /** The PlantUML source written so far, a line each, without the lines taken out again. */
    String text() {
        StringBuilder text = new StringBuilder();
        out.stream().filter(java.util.Objects::nonNull).forEach(l -> text.append(l).append('\n'));
        return text.toString();
    }

    /** A line that is not an item (declarations, bars, the frame). */
    void raw(String s) {
        out.add(s);
    }

    /** The PlantUML name of pid's lifeline. */
    String p(long pid) {
        return "P" + pid;
    }

    private String title(long pid) {
        return (names.getOrDefault(pid, "pid") + " (" + pid + ")").replace('"', '\'').replaceAll("\\p{Cntrl}", " ");
    }

    /** Visible and on a lifeline that has not ended: an arrow can start or end there. */
    boolean live(long pid) {
        return f.shows(pid) && !ended.contains(pid);
    }

    /** Declares pid's lifeline, the first time only. */
    void declare(long pid) {
        if (declared.add(pid)) {
            raw("participant \"" + title(pid) + "\" as " + p(pid));
        }
    }

    /**
     * Creates child's lifeline here, at its spawn by {@code parent} (declared first when live),
     * unless the child is not shown or already declared.
     */
    void create(long parent, long child) {
        if (f.shows(child) && !declared.contains(child)) {
            if (live(parent)) {
                declare(parent);
            }
            raw("create \"" + title(child) + "\" as " + p(child));
            declared.add(child);
        }
    }

    /** Ends pid's lifeline: no arrow starts or ends there from now on. */
    void end(long pid) {
        ended.add(pid);
    }

    /** An item: a line that counts towards the filter's limit. */
    void line(String s) {
        out.add(s);
        drawn++;
    }

    /** An item that is a message, written as it is (an arrow to the edge, say). */
    void message(String s) {
        line(s);
        messages++;
    }

    /** An arrow between two pids, from or to the edge for the end that is not shown. */
    void arrow(long from, long to, String arrow, String label) {
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

    /** A note in {@code color} over pid, if it is live. */
    void note(long pid, String color, String text) {
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
    void activate(long pid, String color) {
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

    /** Ends pid's activation bar, if it has one (see {@link #activate}). */
    void deactivate(long pid) {
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
}
