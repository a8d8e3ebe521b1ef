package org.mboxos.kernel.ipc;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Function;
import org.mboxos.api.Errno;
import org.mboxos.api.Message;
import org.mboxos.api.Recv;
import org.mboxos.kernel.dev.Clock;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.trace.Trace;

/**
 * A bounded FIFO mailbox: a named box, or a process's pid-addressed inbox (one implementation
 * for every flavour of the seeds).
 *
 * <p>The condition (the queue) and its waiters live here together. A send that finds the box
 * full, or a receive that finds nothing it may take, is stashed; after every change of state
 * the stashed requests are re-checked in arrival order until none can proceed, so no wake-up
 * is lost and waiters of the same kind are served first come, first served.
 *
 * <p>Every message gets an id ({@code msg}, numbered per box) when it enters the box and is
 * traced exactly once more: received ({@code recv}) or discarded ({@code discard}, with the
 * reason) when the box is freed. Messages from one sender are taken in the order sent.
 */
public final class Mailbox extends AbstractOnMessageBehavior<Mailbox.Command> {

    public sealed interface Command {}

    /** A send or a receive: what may have to wait in the box. */
    public sealed interface Request extends Command {
        long pid();

        String prog();

        ActorRef<Syscall.Result> replyTo();

        long timeoutMillis();
    }

    /** Enqueue {@code data}; with {@code rendezvous}, reply only once a receiver has taken it. */
    public record Send(long pid, String prog, byte[] data, boolean rendezvous, long timeoutMillis,
            ActorRef<Syscall.Result> replyTo) implements Request {}

    /** Take the first message {@code how} selects; {@code ifNone} says what to do when there is none. */
    public record Receive(long pid, String prog, Recv how, IfNone ifNone, ActorRef<Syscall.Result> replyTo)
            implements Request {
        @Override
        public long timeoutMillis() {
            return ifNone == IfNone.SENDER_GONE ? 0 : how.timeoutMillis();
        }
    }

    /** What a receive that finds no message it may take answers. */
    public enum IfNone {
        /** Wait as {@code how} says; a try-receive (timeout 0) fails with EAGAIN. */
        WAIT,
        /** Wait as {@code how} says; a try-receive answers {@link Syscall.Result.Empty} (a poll, not an error). */
        POLL,
        /** The only sender it may take from has ended: fail with ESRCH. */
        SENDER_GONE
    }

    public record IsFull(ActorRef<Syscall.Result> replyTo) implements Command {}

    /** Process {@code pid} is gone: drop whatever it waits for here, then tell {@code done} (if not null). */
    public record Withdraw(long pid, ActorRef<Withdrawn> done) implements Command {
        public Withdraw(long pid) {
            this(pid, null);
        }
    }

    /** {@code pid}'s calls have left this box. */
    public record Withdrawn(long pid) {}

    /** Process {@code pid} has ended: a receive that waits for a message from it alone fails (ESRCH). */
    public record SenderGone(long pid) implements Command {}

    /** The box is freed: discard what is queued, fail every waiter with {@code errno}, stop. */
    public record Free(String reason, Errno errno) implements Command {}

    /** Counts for the mailbox table. */
    public record Stat(ActorRef<Stats> replyTo) implements Command {}

    public record Stats(long box, int queued, int capacity, int blockedSenders, int blockedReceivers) {}

    /** A request that could not proceed yet, with its place in line. */
    private record Blocked(long ticket, Request request) implements Command {}

    private record Expired(long ticket) implements Command {}

    /** The Clock's key for a waiter's timeout: unique per box and ticket. */
    private record TimeoutKey(long box, long ticket) {}

    private record Queued(long id, long sender, byte[] data, ActorRef<Syscall.Result> rendezvous) {}

    private final long box;
    private final String name;
    private final long owner;
    private final boolean userWritable;
    private final int capacity;
    private final int maxMessageLength;
    private final Trace trace;
    private final StashBuffer<Command> waiting;
    private final ActorRef<Clock.Command> clock;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private long nextId = 1;
    private long nextTicket = 1;
    // set only while a re-check pass runs, for the requests it must drop
    private long withdrawing = 0;
    private long expiring = 0;
    private long goneSender = 0;
    private boolean progress;

    /** Who a box belongs to: a pid's inbox, a named box, or a device's buffer that only the device (pid 0) fills. */
    public record Owner(long pid, boolean userWritable) {
        public static Owner inboxOf(long pid) {
            return new Owner(pid, true);
        }

        public static final Owner NAMED = new Owner(0, true);
        public static final Owner DEVICE = new Owner(0, false);
    }

    /**
     * A box numbered {@code box}. {@code maxWaiters} bounds the stash: every process can wait in
     * at most one call.
     */
    public static Behavior<Command> create(long box, String name, Owner owner, int capacity, int maxMessageLength,
            int maxWaiters, ActorRef<Clock.Command> clock, Trace trace) {
        return Behaviors.setup(ctx -> Behaviors.withStash(maxWaiters,
                stash -> new Mailbox(ctx, stash, clock, box, name, owner, capacity, maxMessageLength, trace)));
    }

    private Mailbox(ActorContext<Command> ctx, StashBuffer<Command> waiting, ActorRef<Clock.Command> clock,
            long box, String name, Owner owner, int capacity, int maxMessageLength, Trace trace) {
        super(ctx);
        this.waiting = waiting;
        this.clock = clock;
        this.box = box;
        this.name = name;
        this.owner = owner.pid();
        this.userWritable = owner.userWritable();
        this.capacity = capacity;
        this.maxMessageLength = maxMessageLength;
        this.trace = trace;
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case Send s -> onSend(s);
            case Receive r -> onReceive(r);
            case IsFull f -> onIsFull(f);
            case Withdraw w -> onWithdraw(w);
            case SenderGone g -> onSenderGone(g);
            case Free f -> onFree(f);
            case Stat s -> onStat(s);
            case Blocked b -> onBlocked(b);
            case Expired e -> onExpired(e);
        };
    }

    private Behavior<Command> onSend(Send s) {
        if (!userWritable && s.pid() != 0) {
            s.replyTo().tell(Syscall.Result.fail(Errno.EPERM, "only the device writes into " + name));
            return this;
        }
        if (s.data().length > maxMessageLength) {
            s.replyTo().tell(Syscall.Result.fail(Errno.EMSGSIZE,
                    s.data().length + " bytes is longer than kernel.max-message-length (" + maxMessageLength + ")"));
            return this;
        }
        if (s.rendezvous() && s.pid() == owner) {
            s.replyTo().tell(Syscall.Result.fail(Errno.EDEADLK, "a rendezvous send to yourself would never return"));
            return this;
        }
        return arrive(s);
    }

    private Behavior<Command> onReceive(Receive r) {
        if (r.how().max() < 0) {
            r.replyTo().tell(Syscall.Result.fail(Errno.EINVAL, "negative receive size " + r.how().max()));
            return this;
        }
        return arrive(r);
    }

    private Behavior<Command> onIsFull(IsFull f) {
        f.replyTo().tell(new Syscall.Result.Value(queue.size() >= capacity ? 1 : 0));
        return this;
    }

    /** A fresh send or receive: serve it now, or stash it until the state allows. */
    private Behavior<Command> arrive(Request request) {
        if (serve(request, false)) {
            recheck();
            return this;
        }
        long ticket = nextTicket++;
        waiting.stash(new Blocked(ticket, request));
        if (request.timeoutMillis() > 0) { // on the kernel clock: simulated, and replayable, in lottery mode
            clock.tell(new Clock.Alarm<>(new TimeoutKey(box, ticket), request.timeoutMillis(), getContext().getSelf(),
                    new Expired(ticket)));
        }
        return this;
    }

    /**
     * Tries to complete a send or receive. Returns true when it is done (served or failed) and
     * false when it must wait.
     */
    private boolean serve(Request request, boolean wasBlocked) {
        return switch (request) {
            case Send s -> serveSend(s, wasBlocked);
            case Receive r -> serveReceive(r);
        };
    }

    private boolean serveSend(Send s, boolean wasBlocked) {
        if (queue.size() >= capacity) {
            if (s.timeoutMillis() == 0) {
                s.replyTo().tell(Syscall.Result.fail(Errno.EAGAIN, "box " + name + " is full"));
                return true;
            }
            return false;
        }
        Queued m = new Queued(nextId++, s.pid(), s.data(), s.rendezvous() ? s.replyTo() : null);
        queue.add(m);
        if (trace.detailed()) { // per message: no varargs array or boxing when nobody listens
            trace.detail("send", s.pid(), s.prog(), "box", box, "name", name, "msg", m.id(), "bytes", s.data().length,
                    "blocked", wasBlocked, "rendezvous", s.rendezvous());
        }
        if (!s.rendezvous()) {
            s.replyTo().tell(Syscall.Result.OK);
        }
        return true;
    }

    private boolean serveReceive(Receive r) {
        long from = r.how().from();
        for (Iterator<Queued> it = queue.iterator(); it.hasNext(); ) {
            Queued m = it.next();
            if (from >= 0 && m.sender() != from) {
                continue;
            }
            boolean truncated = m.data().length > r.how().max();
            if (truncated && !r.how().truncate()) {
                r.replyTo().tell(Syscall.Result.fail(Errno.E2BIG, "next message has " + m.data().length
                        + " bytes, more than the " + r.how().max() + " asked for; it stays queued"));
                return true;
            }
            it.remove();
            byte[] data = truncated ? Arrays.copyOf(m.data(), r.how().max()) : m.data();
            if (trace.detailed()) {
                trace.detail("recv", r.pid(), r.prog(), "box", box, "name", name, "msg", m.id(), "from", m.sender(),
                        "bytes", data.length, "truncated", truncated);
            }
            r.replyTo().tell(new Syscall.Result.Received(new Message(m.sender(), data)));
            if (m.rendezvous() != null) {
                m.rendezvous().tell(Syscall.Result.OK);
            }
            return true;
        }
        if (r.timeoutMillis() != 0) {
            return false;
        }
        r.replyTo().tell(switch (r.ifNone()) {
            case WAIT -> Syscall.Result.fail(Errno.EAGAIN, from >= 0
                    ? "no message from " + from + " in box " + name : "box " + name + " is empty");
            case POLL -> Syscall.Result.EMPTY;
            case SENDER_GONE -> Syscall.Result.fail(Errno.ESRCH, "process " + from + " has ended");
        });
        return true;
    }

    /** Re-checks every waiter, in arrival order, until a whole pass serves nobody. */
    private void recheck() {
        if (waiting.isEmpty()) {
            return;
        }
        do {
            progress = false;
            waiting.unstash(this, waiting.size(), Function.identity());
        } while (progress && waiting.nonEmpty());
    }

    /** One waiter's turn in a re-check pass: dropped, served, or stashed again at the back. */
    private Behavior<Command> onBlocked(Blocked b) {
        Request r = b.request();
        if (r.pid() == withdrawing) {
            cancelTimeout(b);
            trace.event("withdraw", r.pid(), r.prog(), "box", box, "name", name, "call", callOf(r));
        } else if (b.ticket() == expiring) {
            r.replyTo().tell(Syscall.Result.fail(Errno.ETIMEDOUT, callOf(r) + " on box " + name + " timed out"));
        } else if (r instanceof Receive rcv && goneSender != 0 && rcv.how().from() == goneSender) {
            cancelTimeout(b);
            serve(new Receive(rcv.pid(), rcv.prog(), rcv.how(), IfNone.SENDER_GONE, rcv.replyTo()), true);
            progress = true;
        } else if (serve(b.request(), true)) {
            cancelTimeout(b);
            progress = true;
        } else {
            waiting.stash(b);
        }
        return this;
    }

    private void cancelTimeout(Blocked b) {
        if (b.request().timeoutMillis() > 0) {
            clock.tell(new Clock.CancelAlarm(new TimeoutKey(box, b.ticket())));
        }
    }

    /**
     * A killed process leaves: its stashed requests are dropped, and a rendezvous message of
     * its that nobody has taken yet is taken back (the transfer never happened), traced as a
     * discard. Its other queued messages were sent and stay.
     */
    private Behavior<Command> onWithdraw(Withdraw w) {
        for (Iterator<Queued> it = queue.iterator(); it.hasNext(); ) {
            Queued m = it.next();
            if (m.sender() == w.pid() && m.rendezvous() != null) {
                it.remove();
                trace.event("discard", m.sender(), "", "box", box, "name", name, "msg", m.id(),
                        "reason", "sender killed before the rendezvous");
            }
        }
        withdrawing = w.pid();
        recheck();
        withdrawing = 0;
        if (w.done() != null) {
            w.done().tell(new Withdrawn(w.pid()));
        }
        return this;
    }

    /** Receives waiting for {@code pid} alone re-check once more, knowing it will never send again. */
    private Behavior<Command> onSenderGone(SenderGone g) {
        goneSender = g.pid();
        recheck();
        goneSender = 0;
        return this;
    }

    private Behavior<Command> onExpired(Expired e) {
        expiring = e.ticket();
        recheck();
        expiring = 0;
        return this;
    }

    private Behavior<Command> onFree(Free f) {
        for (Queued m : queue) {
            trace.event("discard", m.sender(), "", "box", box, "name", name, "msg", m.id(), "reason", f.reason());
            if (m.rendezvous() != null) {
                m.rendezvous().tell(Syscall.Result.fail(f.errno(), "box " + name + " " + f.reason()));
            }
        }
        queue.clear();
        waiting.forEach(c -> ((Blocked) c).request().replyTo()
                .tell(Syscall.Result.fail(f.errno(), "box " + name + " " + f.reason())));
        waiting.clear();
        return Behaviors.stopped();
    }

    private Behavior<Command> onStat(Stat s) {
        int[] blocked = new int[2];
        waiting.forEach(c -> blocked[((Blocked) c).request() instanceof Send ? 0 : 1]++);
        int rendezvous = (int) queue.stream().filter(m -> m.rendezvous() != null).count();
        s.replyTo().tell(new Stats(box, queue.size(), capacity, blocked[0] + rendezvous, blocked[1]));
        return this;
    }

    private static String callOf(Request request) {
        return request instanceof Send ? "send" : "recv";
    }
}
