package org.mboxos.tools;

import java.util.Set;
import org.mboxos.kernel.trace.Trace;

/**
 * What {@code trace draw} shows: processes ({@code pids}, empty for all), boxes ({@code boxes},
 * by number or name, empty for all; only messages are filtered by box), a time window on the
 * kernel clock ({@code from}..{@code to} ns, inclusive) and at most {@code limit} drawn items.
 */
record DiagramFilter(Set<Long> pids, Set<String> boxes, long from, long to, int limit) {
    static final int DEFAULT_LIMIT = 400;

    static DiagramFilter all() {
        return new DiagramFilter(Set.of(), Set.of(), 0, Long.MAX_VALUE, DEFAULT_LIMIT);
    }

    boolean inWindow(Trace.Event e) {
        return e.t() >= from && e.t() <= to;
    }

    boolean shows(long pid) {
        return pid > 0 && (pids.isEmpty() || pids.contains(pid));
    }

    boolean showsBox(Trace.Event e) {
        return boxes.isEmpty() || boxes.contains(String.valueOf(e.get("box"))) || boxes.contains(String.valueOf(e.get("name")));
    }
}
