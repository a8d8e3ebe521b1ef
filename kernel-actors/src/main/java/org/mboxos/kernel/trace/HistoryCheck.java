package org.mboxos.kernel.trace;

import static org.mboxos.kernel.trace.EventFields.num;
import static org.mboxos.kernel.trace.EventFields.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.mboxos.kernel.trace.Messages.MsgKey;

/**
 * The history checker: reads a recorded trace once and reports every violation of the
 * {@link Rule}s, in trace order. The same checker serves the kernel's tests, {@code ./mboxos
 * trace check} and the chaos campaign. What it needs to know about the kernel, and why:
 * <ul>
 *   <li>A box's {@code mbox-free} is traced by the Kernel, and its queued messages'
 *       {@code discard}s just after by the box itself, with the free's reason. The box serves
 *       what reached it before the free (a send, a rendezvous taken back) until its first
 *       discard with that reason: no send or receive may follow it. A message neither received nor discarded
 *       in a freed box is lost, unless the free came once pid 1 had exited: the system is then
 *       shutting down and the box may stop before it traces its discards.</li>
 *   <li>The Kernel traces a process's {@code exit} and then, on its behalf, the closing of
 *       what it held ({@code mbox-close}, {@code sync-close} with how {@code exit} or
 *       {@code killed}); boxes and locks trace later {@code discard}, {@code withdraw} and
 *       {@code lock-owner-died} for it. Those may follow its exit; nothing else of it may.</li>
 *   <li>A killed process's pending receive may still be served while it is being killed, so
 *       only processes that exited by themselves are held to "no send or receive after exit"
 *       by {@link Rule#AFTER_END}; {@link Rule#CAUSALITY} holds every process to it.</li>
 * </ul>
 * Use: {@code HistoryCheck.of(events)} gives a {@link Verdict}.
 */
public final class HistoryCheck {

    /** A (box, sender, priority) stream: the unit FIFO is promised for (priority 0 in a plain box). */
    private record Stream(long box, long sender, long priority) {
        static Stream of(long box, Trace.Event send) {
            return new Stream(box, send.pid(), send.get("priority") instanceof Number p ? p.longValue() : 0);
        }
    }

    /** Events a process may have recorded for it after its exit: the kernel cleaning up. */
    private static final Set<String> AFTER_EXIT = Set.of("discard", "withdraw", "lock-owner-died");

    private final List<Violation> violations = new ArrayList<>();
    private final List<Violation> atEnd = new ArrayList<>();

    // messages
    private final Map<MsgKey, Trace.Event> sends = new LinkedHashMap<>();
    private final Map<MsgKey, Trace.Event> receives = new LinkedHashMap<>();
    private final Map<MsgKey, Trace.Event> discards = new LinkedHashMap<>();
    private final Map<MsgKey, Integer> sendIndex = new HashMap<>();
    private final Map<Long, Long> lastIdPerBox = new HashMap<>();
    private final Map<Stream, List<Long>> sentPerStream = new LinkedHashMap<>();
    private final Map<Stream, List<Long>> receivedPerStream = new HashMap<>();
    private final Map<Stream, List<Long>> discardedPerStream = new HashMap<>();
    private final Set<String> withdrawn = new HashSet<>(); // "pid/box"
    private final Map<Long, Trace.Event> frees = new HashMap<>(); // box -> its mbox-free
    private final Set<Long> closedBoxes = new HashSet<>(); // discarded their queue after the free

    // processes
    private final Map<Long, Long> spawnedAt = new HashMap<>(); // pid -> seq
    private final Map<Long, Trace.Event> exits = new LinkedHashMap<>();
    private long shutdownSeq = Long.MAX_VALUE; // pid 1's exit

    private final UsageLedger usage = new UsageLedger();

    private HistoryCheck() {}

    /** Checks {@code events}, in the order they were traced (seq order). */
    public static Verdict of(List<Trace.Event> events) {
        HistoryCheck c = new HistoryCheck();
        long lastSeq = 0;
        for (Trace.Event e : events) {
            if (e.seq() <= lastSeq) {
                c.violation(Rule.ORDER, e, "seq " + e.seq() + " does not increase (previous " + lastSeq + ")");
            }
            lastSeq = Math.max(lastSeq, e.seq());
            try {
                c.causality(e);
                c.check(e);
            } catch (EventFields.Malformed m) {
                c.violation(Rule.SCHEMA, e, m.getMessage());
            }
        }
        c.finish();
        c.violations.addAll(c.atEnd);
        return new Verdict(events.size(), c.violations,
                new Messages(c.sends, c.receives, c.discards, c.sendIndex));
    }

    private static MsgKey key(Trace.Event e) {
        return new MsgKey(num(e, "box"), num(e, "msg"));
    }

    private void violation(Rule rule, Trace.Event e, String what) {
        violations.add(new Violation(rule, e.seq(), what, e.toJson()));
    }

    private void atEnd(Rule rule, String what) {
        atEnd.add(new Violation(rule, 0, what, ""));
    }

    private void check(Trace.Event e) {
        switch (e.ev()) {
            case "spawn" -> spawn(e);
            case "exit" -> exit(e);
            case "send" -> send(e);
            case "recv" -> recv(e);
            case "discard" -> discard(e);
            case "withdraw" -> withdrawn.add(e.pid() + "/" + num(e, "box"));
            case "mbox-free" -> frees.putIfAbsent(num(e, "box"), e);
            case "mbox-open" -> usage.open(e, "box " + num(e, "box"), num(e, "usage"), this::violation);
            case "mbox-close" -> usage.close(e, "box " + num(e, "box"), num(e, "usage"), this::violation);
            case "sync-open" -> usage.open(e, text(e, "kind") + " " + num(e, "id"), num(e, "usage"), this::violation);
            case "sync-close" -> usage.close(e, text(e, "kind") + " " + num(e, "id"), num(e, "usage"), this::violation);
            case "kill" -> num(e, "killer");
            case "wait-begin", "wait-end" -> num(e, "waited_for");
            default -> {}
        }
    }

    private void spawn(Trace.Event e) {
        long child = num(e, "child");
        Long before = spawnedAt.putIfAbsent(child, e.seq());
        if (before != null) {
            violation(Rule.LIFECYCLE, e, "pid " + child + " spawned again (first at seq " + before + ")");
        }
    }

    private void exit(Trace.Event e) {
        Trace.Event before = exits.putIfAbsent(e.pid(), e);
        if (before != null) {
            violation(Rule.LIFECYCLE, e, "process " + e.pid() + " exits a second time (first at seq "
                    + before.seq() + ")");
        }
        if (!spawnedAt.containsKey(e.pid())) {
            violation(Rule.LIFECYCLE, e, "process " + e.pid() + " exits but was never spawned");
        }
        if (e.pid() == 1) {
            shutdownSeq = Math.min(shutdownSeq, e.seq());
        }
    }

    /** A process's events lie between its spawn and its exit, save the kernel's clean-up. */
    private void causality(Trace.Event e) {
        long pid = e.pid();
        if (pid <= 0) {
            return;
        }
        if (!spawnedAt.containsKey(pid)) {
            violation(Rule.CAUSALITY, e, "process " + pid + " has a '" + e.ev() + "' event before its spawn");
            return;
        }
        Trace.Event exit = exits.get(pid);
        boolean cleanUp = AFTER_EXIT.contains(e.ev())
                || (e.ev().equals("mbox-close") || e.ev().equals("sync-close")) && !"close".equals(e.get("how"));
        if (exit != null && !cleanUp && !e.ev().equals("exit")) { // a second exit: LIFECYCLE
            violation(Rule.CAUSALITY, e, "process " + pid + " has a '" + e.ev() + "' event after its exit at seq "
                    + exit.seq());
        }
    }

    private void afterEnd(Trace.Event e, long box) {
        if (withdrawn.contains(e.pid() + "/" + box)) {
            violation(Rule.AFTER_END, e, "process " + e.pid() + " " + e.ev() + " in box " + box
                    + " after it was withdrawn from it");
        }
        Trace.Event exit = exits.get(e.pid());
        if (exit != null && "exit".equals(exit.get("how"))) {
            violation(Rule.AFTER_END, e, "process " + e.pid() + " " + e.ev() + " after it exited");
        }
        if (closedBoxes.contains(box)) {
            violation(Rule.AFTER_END, e, e.ev() + " in box " + box + " after it discarded its queue");
        }
    }

    private void send(Trace.Event e) {
        MsgKey k = key(e);
        num(e, "bytes");
        afterEnd(e, k.box());
        if (sends.containsKey(k)) {
            violation(Rule.MESSAGES, e, "message " + k + " sent twice");
            return;
        }
        long expected = lastIdPerBox.getOrDefault(k.box(), 0L) + 1;
        if (k.msg() != expected) {
            violation(Rule.MESSAGES, e, "box " + k.box() + " numbered a message " + k.msg() + ", expected " + expected);
        }
        lastIdPerBox.merge(k.box(), k.msg(), Math::max);
        sends.put(k, e);
        List<Long> sent = sentPerStream.computeIfAbsent(Stream.of(k.box(), e), s -> new ArrayList<>());
        sendIndex.put(k, sent.size());
        sent.add(k.msg());
    }

    private void recv(Trace.Event e) {
        MsgKey k = key(e);
        long from = num(e, "from");
        long gotBytes = num(e, "bytes");
        afterEnd(e, k.box());
        Trace.Event sent = sends.get(k);
        if (sent == null) {
            violation(Rule.MESSAGES, e, "message " + k + " received but never sent");
            return;
        }
        if (receives.containsKey(k)) {
            violation(Rule.MESSAGES, e, "message " + k + " received twice (first at seq " + receives.get(k).seq() + ")");
            return;
        }
        if (discards.containsKey(k)) {
            violation(Rule.MESSAGES, e, "message " + k + " received after it was discarded");
        }
        if (from != sent.pid()) {
            violation(Rule.MESSAGES, e, "message " + k + " received as from " + from + " but sent by " + sent.pid());
        }
        long sentBytes = num(sent, "bytes");
        if (gotBytes > sentBytes) {
            violation(Rule.MESSAGES, e, "message " + k + " received with " + gotBytes + " bytes, sent with " + sentBytes);
        }
        if (Boolean.TRUE.equals(e.get("truncated")) != (gotBytes < sentBytes)) {
            violation(Rule.MESSAGES, e, "message " + k + " truncated flag " + e.get("truncated") + " but " + gotBytes
                    + " of " + sentBytes + " bytes");
        }
        receives.put(k, e);
        Stream s = Stream.of(k.box(), sent);
        int index = sendIndex.get(k);
        for (long d : discardedPerStream.getOrDefault(s, List.of())) {
            if (sendIndex.get(new MsgKey(k.box(), d)) < index) {
                violation(Rule.FIFO, e, "message " + k + " received after an earlier message of the same sender ("
                        + d + ") was discarded");
                break;
            }
        }
        receivedPerStream.computeIfAbsent(s, x -> new ArrayList<>()).add(k.msg());
    }

    private void discard(Trace.Event e) {
        MsgKey k = key(e);
        Object reason = e.get("reason");
        if (!(reason instanceof String r) || r.isBlank()) {
            violation(Rule.DELIVERY, e, "message " + k + " discarded without a reason");
        }
        Trace.Event free = frees.get(k.box());
        if (free != null && Objects.equals(reason, free.get("reason"))) {
            closedBoxes.add(k.box()); // not a rendezvous taken back meanwhile: the free's own discards
        }
        Trace.Event sent = sends.get(k);
        if (sent == null) {
            violation(Rule.MESSAGES, e, "message " + k + " discarded but never sent");
            return;
        }
        if (discards.containsKey(k)) {
            violation(Rule.MESSAGES, e, "message " + k + " discarded twice");
            return;
        }
        if (receives.containsKey(k)) {
            violation(Rule.MESSAGES, e, "message " + k + " discarded after it was received");
        }
        if (e.pid() != sent.pid()) {
            violation(Rule.MESSAGES, e, "discard of " + k + " names sender " + e.pid() + " but it was sent by " + sent.pid());
        }
        discards.put(k, e);
        discardedPerStream.computeIfAbsent(Stream.of(k.box(), sent), x -> new ArrayList<>()).add(k.msg());
    }

    private void finish() {
        // FIFO per (box, sender): received = a prefix of sent, in order; discarded = what follows.
        for (Map.Entry<Stream, List<Long>> en : sentPerStream.entrySet()) {
            Stream s = en.getKey();
            List<Long> sent = en.getValue();
            List<Long> received = receivedPerStream.getOrDefault(s, List.of());
            if (received.size() > sent.size() || !received.equals(sent.subList(0, received.size()))) {
                atEnd(Rule.FIFO, "box " + s.box() + ", sender " + s.sender() + ": received " + received
                        + " is not the sent order " + sent);
                continue;
            }
            // in any order: a killed sender's rendezvous message is taken back before its older queued ones
            List<Long> discarded = discardedPerStream.getOrDefault(s, List.of());
            List<Long> rest = sent.subList(received.size(), sent.size());
            if (!rest.containsAll(discarded)) {
                atEnd(Rule.FIFO, "box " + s.box() + ", sender " + s.sender() + ": discarded " + discarded
                        + " are not all among what followed the received ones " + rest);
            }
        }
        // DELIVERY: what is neither received nor discarded must still be queued: its box not freed.
        for (Map.Entry<MsgKey, Trace.Event> en : sends.entrySet()) {
            MsgKey k = en.getKey();
            Trace.Event free = frees.get(k.box());
            if (free != null && free.seq() < shutdownSeq && !receives.containsKey(k) && !discards.containsKey(k)) {
                atEnd.add(new Violation(Rule.DELIVERY, en.getValue().seq(), "message " + k
                        + " was lost: its box was freed at seq " + free.seq() + " but it was neither received nor discarded",
                        en.getValue().toJson()));
            }
        }
        usage.checkReleased(exits, this::atEnd);
    }
}
