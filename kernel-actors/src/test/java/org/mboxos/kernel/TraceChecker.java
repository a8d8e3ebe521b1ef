package org.mboxos.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mboxos.kernel.trace.Trace;

/**
 * Checks a recorded trace for the mailbox invariants every run must keep, whatever the timing:
 *
 * <ul>
 *   <li>every message ({@code box}, {@code msg}) is sent once, and per box the ids are 1, 2, 3...
 *       in trace order;</li>
 *   <li>every {@code recv} and {@code discard} names a message that was sent before it, from
 *       the sender the {@code send} names, and each message is received or discarded at most
 *       once, never both; a receive is no longer than the message and marked truncated exactly
 *       when it is shorter;</li>
 *   <li>per (box, sender) the received messages are a prefix of the sent ones, taken in order
 *       (FIFO per sender; no message overtakes an earlier one of the same sender), and any
 *       discarded ones come after that prefix;</li>
 *   <li>after a {@code withdraw} of process p in box b (p was killed while it waited there), p
 *       neither sends nor receives in b; after a process's {@code exit} with how=exit, it
 *       neither sends nor receives anywhere; after a box's first {@code discard} (it was freed)
 *       nothing more is sent to or received from it.</li>
 * </ul>
 *
 * <p>What is neither received nor discarded is still queued; {@link #assertAccountedFor}
 * compares that with the queue lengths the caller saw (e.g. in {@code sys.mboxes()}).
 *
 * <p>Use: {@code TraceChecker.of(harness.events()).assertConsistent().assertAccountedFor(queued)}.
 */
public final class TraceChecker {

    /** A message's identity: its box and its number in that box. */
    public record MsgKey(long box, long msg) {
        @Override
        public String toString() {
            return "(box " + box + ", msg " + msg + ")";
        }
    }

    /** A (box, sender) stream: the unit FIFO is promised for. */
    public record Stream(long box, long sender) {}

    private final Map<MsgKey, Trace.Event> sends = new LinkedHashMap<>();
    private final Map<MsgKey, Trace.Event> receives = new LinkedHashMap<>();
    private final Map<MsgKey, Trace.Event> discards = new LinkedHashMap<>();
    private final Map<MsgKey, Integer> sendIndex = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private TraceChecker(List<Trace.Event> events) {
        check(events);
    }

    /** Checks {@code events} (in seq order, as a {@link Trace.Recorder} keeps them). */
    public static TraceChecker of(List<Trace.Event> events) {
        return new TraceChecker(events);
    }

    // ---- results ---------------------------------------------------------------------------

    /** Every violation found, one line each; empty when the trace is consistent. */
    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** Fails with every violation listed, or returns this. */
    public TraceChecker assertConsistent() {
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " trace violation(s):\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(40, problems.size()))));
        }
        return this;
    }

    /**
     * Fails unless the messages neither received nor discarded are exactly {@code queuedByBox}
     * (box id to count; boxes with nothing queued may be left out).
     */
    public TraceChecker assertAccountedFor(Map<Long, Integer> queuedByBox) {
        Map<Long, Integer> expected = new TreeMap<>();
        queuedByBox.forEach((box, n) -> {
            if (n != 0) {
                expected.put(box, n);
            }
        });
        Map<Long, Integer> actual = new TreeMap<>(unresolvedByBox());
        if (!expected.equals(actual)) {
            throw new AssertionError("messages sent but neither received nor discarded, per box: " + actual
                    + "; still queued per box: " + expected + "; unresolved: " + unresolved());
        }
        return this;
    }

    /** Sent, but neither received nor discarded: per box, how many. */
    public Map<Long, Integer> unresolvedByBox() {
        Map<Long, Integer> counts = new TreeMap<>();
        for (MsgKey k : unresolved()) {
            counts.merge(k.box(), 1, Integer::sum);
        }
        return counts;
    }

    /** Sent, but neither received nor discarded, in send order. */
    public List<MsgKey> unresolved() {
        return sends.keySet().stream().filter(k -> !receives.containsKey(k) && !discards.containsKey(k)).toList();
    }

    public Map<MsgKey, Trace.Event> sends() {
        return Collections.unmodifiableMap(sends);
    }

    public Map<MsgKey, Trace.Event> receives() {
        return Collections.unmodifiableMap(receives);
    }

    public Map<MsgKey, Trace.Event> discards() {
        return Collections.unmodifiableMap(discards);
    }

    /**
     * The position (0, 1, 2...) of message {@code key} among the messages its sender sent to
     * the same box. A sender that numbers its messages per box from 0 and sends one at a time
     * put exactly this number in the payload.
     */
    public int sendIndex(MsgKey key) {
        Integer i = sendIndex.get(key);
        if (i == null) {
            throw new IllegalArgumentException("no send of " + key);
        }
        return i;
    }

    // ---- the checks ------------------------------------------------------------------------

    private static MsgKey key(Trace.Event e) {
        return new MsgKey(e.getLong("box"), e.getLong("msg"));
    }

    private void problem(String what, Trace.Event e) {
        problems.add(what + " at " + e.toJson());
    }

    private void check(List<Trace.Event> events) {
        Map<Long, Long> lastIdPerBox = new HashMap<>();
        Map<Stream, List<Long>> sentPerStream = new HashMap<>();
        Map<Stream, List<Long>> receivedPerStream = new HashMap<>();
        Map<Stream, List<Long>> discardedPerStream = new HashMap<>();
        Set<String> withdrawn = new HashSet<>(); // "pid/box"
        Set<Long> exited = new HashSet<>();
        Set<Long> freedBoxes = new HashSet<>();
        long lastSeq = 0;

        for (Trace.Event e : events) {
            if (e.seq() <= lastSeq) {
                problem("seq " + e.seq() + " does not increase (previous " + lastSeq + ")", e);
            }
            lastSeq = e.seq();
            switch (e.ev()) {
                case "send" -> {
                    MsgKey k = key(e);
                    checkActive(e, k.box(), withdrawn, exited, freedBoxes);
                    if (sends.containsKey(k)) {
                        problem("message " + k + " sent twice", e);
                        continue;
                    }
                    long expectedId = lastIdPerBox.getOrDefault(k.box(), 0L) + 1;
                    if (k.msg() != expectedId) {
                        problem("box " + k.box() + " numbered a message " + k.msg() + ", expected " + expectedId, e);
                    }
                    lastIdPerBox.put(k.box(), Math.max(k.msg(), lastIdPerBox.getOrDefault(k.box(), 0L)));
                    sends.put(k, e);
                    List<Long> sent = sentPerStream.computeIfAbsent(new Stream(k.box(), e.pid()), s -> new ArrayList<>());
                    sendIndex.put(k, sent.size());
                    sent.add(k.msg());
                }
                case "recv" -> {
                    MsgKey k = key(e);
                    checkActive(e, k.box(), withdrawn, exited, freedBoxes);
                    Trace.Event sent = sends.get(k);
                    if (sent == null) {
                        problem("message " + k + " received but never sent", e);
                        continue;
                    }
                    if (receives.containsKey(k)) {
                        problem("message " + k + " received twice (first " + receives.get(k).toJson() + ")", e);
                        continue;
                    }
                    if (discards.containsKey(k)) {
                        problem("message " + k + " received after it was discarded", e);
                    }
                    if (e.getLong("from") != sent.pid()) {
                        problem("message " + k + " received as from " + e.getLong("from") + " but sent by " + sent.pid(), e);
                    }
                    long sentBytes = sent.getLong("bytes");
                    long gotBytes = e.getLong("bytes");
                    if (gotBytes > sentBytes) {
                        problem("message " + k + " received with " + gotBytes + " bytes, sent with " + sentBytes, e);
                    }
                    if (Boolean.TRUE.equals(e.get("truncated")) != (gotBytes < sentBytes)) {
                        problem("message " + k + " truncated flag " + e.get("truncated") + " but " + gotBytes + " of "
                                + sentBytes + " bytes", e);
                    }
                    receives.put(k, e);
                    Stream s = new Stream(k.box(), sent.pid());
                    if (discardedPerStream.containsKey(s)) {
                        problem("message " + k + " received after an earlier message of the same sender was discarded", e);
                    }
                    receivedPerStream.computeIfAbsent(s, x -> new ArrayList<>()).add(k.msg());
                }
                case "discard" -> {
                    MsgKey k = key(e);
                    freedBoxes.add(k.box());
                    Trace.Event sent = sends.get(k);
                    if (sent == null) {
                        problem("message " + k + " discarded but never sent", e);
                        continue;
                    }
                    if (discards.containsKey(k)) {
                        problem("message " + k + " discarded twice", e);
                        continue;
                    }
                    if (receives.containsKey(k)) {
                        problem("message " + k + " discarded after it was received", e);
                    }
                    if (e.pid() != sent.pid()) {
                        problem("discard of " + k + " names sender " + e.pid() + " but it was sent by " + sent.pid(), e);
                    }
                    discards.put(k, e);
                    discardedPerStream.computeIfAbsent(new Stream(k.box(), sent.pid()), x -> new ArrayList<>())
                            .add(k.msg());
                }
                case "withdraw" -> withdrawn.add(e.pid() + "/" + e.getLong("box"));
                case "exit" -> {
                    if ("exit".equals(e.get("how"))) {
                        exited.add(e.pid());
                    }
                }
                default -> {}
            }
        }

        // FIFO per (box, sender): received = a prefix of sent, in order; discarded = the rest.
        for (Map.Entry<Stream, List<Long>> en : sentPerStream.entrySet()) {
            Stream s = en.getKey();
            List<Long> sent = en.getValue();
            List<Long> received = receivedPerStream.getOrDefault(s, List.of());
            if (received.size() > sent.size() || !received.equals(sent.subList(0, received.size()))) {
                problems.add("box " + s.box() + ", sender " + s.sender() + ": received " + received
                        + " is not the sent order " + sent + " (FIFO per sender broken)");
                continue;
            }
            List<Long> discarded = discardedPerStream.getOrDefault(s, List.of());
            List<Long> rest = sent.subList(received.size(), sent.size());
            if (!discarded.isEmpty() && !discarded.equals(rest.subList(0, Math.min(rest.size(), discarded.size())))) {
                problems.add("box " + s.box() + ", sender " + s.sender() + ": discarded " + discarded
                        + " is not what followed the received ones " + rest);
            }
        }
    }

    private void checkActive(Trace.Event e, long box, Set<String> withdrawn, Set<Long> exited, Set<Long> freedBoxes) {
        if (withdrawn.contains(e.pid() + "/" + box)) {
            problem("process " + e.pid() + " " + e.ev() + " in box " + box + " after it was withdrawn from it", e);
        }
        if (exited.contains(e.pid())) {
            problem("process " + e.pid() + " " + e.ev() + " after it exited", e);
        }
        if (freedBoxes.contains(box)) {
            problem(e.ev() + " in box " + box + " after it discarded its queue", e);
        }
    }
}
