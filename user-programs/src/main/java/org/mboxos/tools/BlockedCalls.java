package org.mboxos.tools;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mboxos.kernel.trace.Trace;

/**
 * The blocked calls whose beginning and end the trace records: {@code sleep} to {@code wake},
 * {@code wait-begin} to {@code wait-end}, {@code cond-wait} to the waiter's next
 * {@code lock-acquire}; each may instead end with the process's {@code kill} or {@code exit}, or
 * still be going on when the trace ends. Mailbox calls are traced only when they complete
 * (a {@code send} marked {@code blocked} waited for room, for an unknown time), so they are
 * counted by the tools, not timed.
 */
final class BlockedCalls {
    private BlockedCalls() {}

    /** How a blocked call ended. */
    enum End { RETURNED, KILLED, EXITED, TRACE_ENDED }

    /** One blocked call of {@code pid}, from {@code start} to {@code end} (ns on the kernel clock). */
    record Call(long pid, String call, long start, long end, End how) {
        long nanos() {
            return end - start;
        }
    }

    /** Every timed blocked call in {@code events}, in the order they began. */
    static List<Call> of(List<Trace.Event> events) {
        record Open(String call, long start, String endsWith) {}
        Map<Long, Open> open = new HashMap<>();
        List<Call> calls = new ArrayList<>();
        long lastT = 0;
        for (Trace.Event e : events) {
            lastT = Math.max(lastT, e.t());
            Open o = open.get(e.pid());
            if (o != null) {
                End how = switch (e.ev()) {
                    case "kill" -> End.KILLED;
                    case "exit" -> End.EXITED;
                    default -> e.ev().equals(o.endsWith()) ? End.RETURNED : null;
                };
                if (how != null) {
                    open.remove(e.pid());
                    calls.add(new Call(e.pid(), o.call(), o.start(), e.t(), how));
                }
            }
            String begins = switch (e.ev()) {
                case "sleep" -> "sleep(" + e.get("ms") + " ms)";
                case "wait-begin" -> "waitpid(" + e.get("waited_for") + ")";
                case "cond-wait" -> "cond_wait(" + e.get("name") + ")";
                default -> null;
            };
            if (begins != null) {
                String endsWith = switch (e.ev()) {
                    case "sleep" -> "wake";
                    case "wait-begin" -> "wait-end";
                    default -> "lock-acquire";
                };
                open.put(e.pid(), new Open(begins, e.t(), endsWith));
            }
        }
        for (Map.Entry<Long, Open> en : open.entrySet()) {
            calls.add(new Call(en.getKey(), en.getValue().call(), en.getValue().start(), lastT, End.TRACE_ENDED));
        }
        calls.sort((a, b) -> Long.compare(a.start(), b.start()));
        return calls;
    }
}
