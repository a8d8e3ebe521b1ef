package org.mboxos.tools;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mboxos.kernel.trace.Trace;

/**
 * {@code trace stats}: per process and per box counts from a trace. Blocked calls are the timed
 * ones of {@link BlockedCalls} plus sends that waited for room and semaphore downs that waited;
 * blocked time covers only the timed ones. A box's depth is its messages sent but not yet
 * received or discarded, in trace order; {@code queuedAtEnd} is its depth when the trace ends.
 */
record Stats(int events, long firstT, long lastT, List<Proc> processes, List<Box> boxes) {

    /** One process; {@code end} is "running" while the trace shows no exit; parent -1: unknown. */
    record Proc(long pid, String program, long parent, long sends, long receives, long blocked, long blockedNanos,
            long errors, String end) {}

    record Box(long box, String name, long sends, long receives, long discards, long blockedSends, long maxDepth,
            long queuedAtEnd) {}

    private static final class P {
        String program = "";
        long parent = -1;
        long sends;
        long receives;
        long blocked;
        long blockedNanos;
        long errors;
        String end = "running";
    }

    private static final class B {
        String name = "";
        long sends;
        long receives;
        long discards;
        long blockedSends;
        long depth;
        long maxDepth;
    }

    static Stats of(List<Trace.Event> events) {
        Map<Long, P> procs = new TreeMap<>();
        Map<Long, B> boxes = new TreeMap<>();
        for (Trace.Event e : events) {
            // discard and lock-owner-died are recorded for a process by others, without its program
            boolean own = !e.ev().equals("discard") && !e.ev().equals("lock-owner-died");
            P p = procs.computeIfAbsent(e.pid(), k -> new P());
            if (own && p.program.isEmpty()) {
                p.program = e.prog();
            }
            switch (e.ev()) {
                case "spawn" -> {
                    P child = procs.computeIfAbsent(e.getLong("child"), k -> new P());
                    child.parent = e.pid();
                    child.program = String.valueOf(e.get("program"));
                }
                case "exit" -> p.end = "killed".equals(e.get("how")) ? "killed" : e.get("how") + " " + e.get("status");
                case "error" -> p.errors++;
                case "sem-down" -> p.blocked += Boolean.TRUE.equals(e.get("waited")) ? 1 : 0;
                case "send" -> {
                    B b = box(boxes, e);
                    p.sends++;
                    b.sends++;
                    b.maxDepth = Math.max(b.maxDepth, ++b.depth);
                    if (Boolean.TRUE.equals(e.get("blocked"))) {
                        p.blocked++;
                        b.blockedSends++;
                    }
                }
                case "recv" -> {
                    B b = box(boxes, e);
                    p.receives++;
                    b.receives++;
                    b.depth--;
                }
                case "discard" -> {
                    B b = box(boxes, e);
                    b.discards++;
                    b.depth--;
                }
                case "mbox-open", "mbox-close", "mbox-free", "mbox-destroy", "withdraw" -> box(boxes, e);
                default -> {}
            }
        }
        for (BlockedCalls.Call c : BlockedCalls.of(events)) {
            P p = procs.computeIfAbsent(c.pid(), k -> new P());
            p.blocked++;
            p.blockedNanos += c.nanos();
        }
        long first = events.isEmpty() ? 0 : events.get(0).t();
        long last = events.stream().mapToLong(Trace.Event::t).max().orElse(0);
        List<Proc> procList = procs.entrySet().stream()
                .filter(en -> en.getKey() > 0)
                .map(en -> {
                    P p = en.getValue();
                    return new Proc(en.getKey(), p.program, p.parent, p.sends, p.receives, p.blocked, p.blockedNanos,
                            p.errors, p.end);
                })
                .toList();
        List<Box> boxList = boxes.entrySet().stream()
                .map(en -> {
                    B b = en.getValue();
                    return new Box(en.getKey(), b.name, b.sends, b.receives, b.discards, b.blockedSends, b.maxDepth,
                            b.depth);
                })
                .toList();
        return new Stats(events.size(), first, last, procList, boxList);
    }

    private static B box(Map<Long, B> boxes, Trace.Event e) {
        B b = boxes.computeIfAbsent(e.getLong("box"), k -> new B());
        if (b.name.isEmpty() && e.get("name") instanceof String name) {
            b.name = name;
        }
        return b;
    }
}
