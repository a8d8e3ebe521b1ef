package org.mboxos.kernel.ipc;

import akka.actor.typed.ActorRef;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import org.mboxos.api.Errno;
import org.mboxos.api.Message;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.trace.Trace;

/**
 * The messages one {@link Mailbox} holds: a bounded FIFO, plain state of the mailbox actor and
 * touched only on its turns. Every message gets an id ({@code msg}, numbered per box) when it
 * enters, and is traced exactly once more: received ({@code recv}) or discarded ({@code discard},
 * with the reason). Messages from one sender are taken in the order sent. Who waits here for
 * good is reported to the deadlock detector ({@link BoxWaits}).
 */
final class MessageQueue {

    /** A queued message; a rendezvous sender waits at {@code rendezvous} until it is taken, and is then told {@code taken}. */
    private record Queued(long id, long sender, byte[] data, int priority, ActorRef<Syscall.Result> rendezvous,
            Syscall.Result taken) {}

    private final long box;
    private final String name;
    private final int capacity;
    /** Whether receives take the highest priority first (else: strict FIFO, every message priority 0). */
    private final boolean priorities;
    private final Trace trace;
    private final BoxWaits waits;
    /** Grows as messages come: a box that holds none (most of them, most of the time) keeps two slots. */
    private final ArrayDeque<Queued> queue = new ArrayDeque<>(1);
    private long nextId = 1;

    MessageQueue(long box, String name, int capacity, boolean priorities, Trace trace, BoxWaits waits) {
        this.box = box;
        this.name = name;
        this.capacity = capacity;
        this.priorities = priorities;
        this.trace = trace;
        this.waits = waits;
    }

    int size() {
        return queue.size();
    }

    int capacity() {
        return capacity;
    }

    boolean full() {
        return queue.size() >= capacity;
    }

    /** Senders waiting for a receiver to take their rendezvous message. */
    int rendezvousCount() {
        return (int) queue.stream().filter(m -> m.rendezvous() != null).count();
    }

    /** Enqueues {@code s}'s message if there is room (true), fails a try-send (true), or leaves it to wait (false). */
    boolean offer(Mailbox.Send s, boolean wasBlocked) {
        if (s.pid() == 0) {
            waits.keyArrived();
        }
        if (full()) {
            if (s.timeoutMillis() == 0) {
                s.replyTo().tell(Syscall.Result.fail(Errno.EAGAIN, "box " + name + " is full"));
                return true;
            }
            waits.waiting(s);
            return false;
        }
        if (s.rendezvous() && wasBlocked) {
            waits.awaitingRendezvous(s.pid()); // it waited for room, now for a receiver
        } else {
            waits.left(s.pid());
        }
        Queued m = new Queued(nextId++, s.pid(), s.data(), s.priority(), s.rendezvous() ? s.replyTo() : null,
                s.handoff() == Mailbox.Handoff.CALL ? Syscall.Result.TAKEN : Syscall.Result.OK);
        queue.add(m);
        if (trace.detailed()) { // per message: no varargs array or boxing when nobody listens
            traceSend(s, m.id(), wasBlocked);
        }
        if (!s.rendezvous()) {
            s.replyTo().tell(Syscall.Result.OK);
        }
        return true;
    }

    private void traceSend(Mailbox.Send s, long id, boolean wasBlocked) {
        if (priorities) {
            trace.detail("send", s.pid(), s.prog(), "box", box, "name", name, "msg", id, "bytes", s.data().length,
                    "blocked", wasBlocked, "rendezvous", s.rendezvous(), "priority", s.priority());
        } else if (s.handoff() == Mailbox.Handoff.CALL) {
            trace.detail("send", s.pid(), s.prog(), "box", box, "name", name, "msg", id, "bytes", s.data().length,
                    "blocked", wasBlocked, "rendezvous", true, "call", true);
        } else {
            trace.detail("send", s.pid(), s.prog(), "box", box, "name", name, "msg", id, "bytes", s.data().length,
                    "blocked", wasBlocked, "rendezvous", s.rendezvous());
        }
    }

    /**
     * Hands {@code r} the first message it may take (true), answers it when it may not wait
     * (true, see {@link Mailbox.IfNone}), or leaves it to wait (false).
     */
    boolean take(Mailbox.Receive r) {
        long from = r.how().from();
        int best = priorities ? highestPriority(from) : 0;
        for (Iterator<Queued> it = queue.iterator(); it.hasNext(); ) {
            Queued m = it.next();
            if (from >= 0 && m.sender() != from || m.priority() < best) {
                continue;
            }
            boolean truncated = m.data().length > r.how().max();
            if (truncated && !r.how().truncate()) {
                r.replyTo().tell(Syscall.Result.fail(Errno.E2BIG, "next message has " + m.data().length
                        + " bytes, more than the " + r.how().max() + " asked for; it stays queued"));
                waits.left(r.pid());
                return true;
            }
            it.remove();
            waits.left(r.pid());
            byte[] data = truncated ? Arrays.copyOf(m.data(), r.how().max()) : m.data();
            if (trace.detailed()) {
                trace.detail("recv", r.pid(), r.prog(), "box", box, "name", name, "msg", m.id(), "from", m.sender(),
                        "bytes", data.length, "truncated", truncated);
            }
            if (m.rendezvous() != null) { // first: a server's answer to a call must find its caller waiting for it
                waits.left(m.sender());
                m.rendezvous().tell(m.taken());
            }
            r.replyTo().tell(new Syscall.Result.Received(new Message(m.sender(), data)));
            return true;
        }
        if (r.timeoutMillis() != 0) {
            waits.waiting(r);
            return false;
        }
        waits.left(r.pid());
        r.replyTo().tell(switch (r.ifNone()) {
            case WAIT -> Syscall.Result.fail(Errno.EAGAIN, from >= 0
                    ? "no message from " + from + " in box " + name : "box " + name + " is empty");
            case POLL -> Syscall.Result.EMPTY;
            case SENDER_GONE -> Syscall.Result.fail(Errno.ESRCH, "process " + from + " has ended");
        });
        return true;
    }

    /** The highest priority among the messages a receive from {@code from} may take (-1 if none). */
    private int highestPriority(long from) {
        int best = -1;
        for (Queued m : queue) {
            if ((from < 0 || m.sender() == from) && m.priority() > best) {
                best = m.priority();
            }
        }
        return best;
    }

    /**
     * A withdrawn sender's rendezvous message nobody took is taken back: the transfer never
     * happened. The sender was killed ({@code fail} null), or its wait is refused (the sender is
     * told {@code fail}). Either way nothing of the sender waits here any more.
     */
    void takeBackRendezvous(long sender, Errno fail) {
        waits.left(sender);
        for (Iterator<Queued> it = queue.iterator(); it.hasNext(); ) {
            Queued m = it.next();
            if (m.sender() == sender && m.rendezvous() != null) {
                it.remove();
                trace.event("discard", m.sender(), "", "box", box, "name", name, "msg", m.id(),
                        "reason", fail == null ? "sender killed before the rendezvous" : "it would deadlock");
                if (fail != null) {
                    m.rendezvous().tell(Syscall.Result.fail(fail, (m.taken() == Syscall.Result.TAKEN ? "call" : "mysend")
                            + " to " + name + " would deadlock"));
                }
            }
        }
    }

    /** After a rendezvous send was handled: if its message is still queued, the sender waits for a receiver. */
    void sent(Mailbox.Request request) {
        if (request instanceof Mailbox.Send s && s.rendezvous()) {
            for (Iterator<Queued> it = queue.descendingIterator(); it.hasNext(); ) {
                Queued m = it.next();
                if (m.sender() == s.pid() && m.rendezvous() != null) {
                    waits.awaitingRendezvous(s.pid());
                    return;
                }
            }
        }
    }

    /** The box is freed: everything queued is discarded, and rendezvous senders fail with {@code errno}. */
    void discardAll(String reason, Errno errno) {
        for (Queued m : queue) {
            trace.event("discard", m.sender(), "", "box", box, "name", name, "msg", m.id(), "reason", reason);
            if (m.rendezvous() != null) {
                m.rendezvous().tell(Syscall.Result.fail(errno, "box " + name + " " + reason));
            }
        }
        queue.clear();
    }
}
