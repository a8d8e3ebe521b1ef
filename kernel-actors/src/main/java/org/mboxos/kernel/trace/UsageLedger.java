package org.mboxos.kernel.trace;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The usage counts a trace records ({@code mbox-open}/{@code mbox-close}, {@code sync-open}/
 * {@code sync-close}), replayed: each open or close moves an object's count by exactly one, and
 * what each process holds is kept so that one that ended can be seen to hold nothing.
 */
final class UsageLedger {
    /** How a finding is reported: the rule, the event, what is wrong. */
    interface Report {
        void violation(Rule rule, Trace.Event e, String what);
    }

    /** "box 3" or "lock 2": the last usage traced. */
    private final Map<String, Long> usage = new HashMap<>();
    /** pid: object: descriptors it holds on it. */
    private final Map<Long, Map<String, Integer>> held = new TreeMap<>();

    void open(Trace.Event e, String object, long after, Report report) {
        Long before = usage.get(object);
        if (Boolean.TRUE.equals(e.get("created")) && after != 1) {
            report.violation(Rule.USAGE, e, object + " created with usage " + after + ", not 1");
        } else if (before != null && after != before + 1) {
            report.violation(Rule.USAGE, e, object + " opened: usage " + after + " after " + before);
        }
        usage.put(object, after);
        held.computeIfAbsent(e.pid(), p -> new TreeMap<>()).merge(object, 1, Integer::sum);
    }

    void close(Trace.Event e, String object, long after, Report report) {
        Long before = usage.get(object);
        if (after < 0) {
            report.violation(Rule.USAGE, e, object + " closed to a negative usage " + after);
        } else if (before != null && after != before - 1) {
            report.violation(Rule.USAGE, e, object + " closed: usage " + after + " after " + before);
        }
        usage.put(object, after);
        Map<String, Integer> mine = held.computeIfAbsent(e.pid(), p -> new TreeMap<>());
        int handles = mine.getOrDefault(object, 0);
        if (handles <= 0) {
            report.violation(Rule.USAGE, e, "process " + e.pid() + " closes " + object + " that it does not hold");
        } else if (handles == 1) {
            mine.remove(object);
        } else {
            mine.put(object, handles - 1);
        }
    }

    /** RELEASE, at the end: a process that ended (in {@code exits}) holds nothing. */
    void checkReleased(Map<Long, Trace.Event> exits, BiConsumer<Rule, String> atEnd) {
        held.forEach((pid, objects) -> {
            if (exits.containsKey(pid) && !objects.isEmpty()) {
                atEnd.accept(Rule.RELEASE, "process " + pid + " ended (seq " + exits.get(pid).seq() + ") still holding "
                        + objects);
            }
        });
    }
}
