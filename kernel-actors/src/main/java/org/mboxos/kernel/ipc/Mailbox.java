package org.mboxos.kernel.ipc;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.mboxos.api.Errno;
import org.mboxos.api.Recv;
import org.mboxos.kernel.Contained;
import org.mboxos.kernel.deadlock.Detector;
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
 * <p>The messages themselves, and how each is traced, are in {@link MessageQueue}.
 */
public final class Mailbox extends AbstractOnMessageBehavior<Mailbox.Command> implements Contained.Faultable<Mailbox.Command> {

    public sealed interface Command {}

    /** A send or a receive: what may have to wait in the box. */
    public sealed interface Request extends Command {
        long pid();

        String prog();

        ActorRef<Syscall.Result> replyTo();

        long timeoutMillis();
    }

    /**
     * Enqueue {@code data} with {@code priority} (0 unless the box has priorities); {@code
     * handoff} says when the sender is answered.
     */
    public record Send(long pid, String prog, byte[] data, Handoff handoff, int priority, long timeoutMillis,
            ActorRef<Syscall.Result> replyTo) implements Request {

        /** A plain send: queued, or with {@code rendezvous} answered once a receiver has taken it. */
        public Send(long pid, String prog, byte[] data, boolean rendezvous, long timeoutMillis,
                ActorRef<Syscall.Result> replyTo) {
            this(pid, prog, data, rendezvous ? Handoff.RENDEZVOUS : Handoff.QUEUED, 0, timeoutMillis, replyTo);
        }

        /** The sender waits until a receiver has taken the message. */
        public boolean rendezvous() {
            return handoff != Handoff.QUEUED;
        }
    }

    /** When a sender is answered: once queued (OK), once taken (OK), or once taken by a server (TAKEN). */
    public enum Handoff { QUEUED, RENDEZVOUS, CALL }

    /** How big a box is: messages, bytes per message, and priority levels (1: plain FIFO). */
    public record Shape(int capacity, int maxMessageLength, int priorities) {}

    /**
     * For a select: answer {@code replyTo} with this box's readiness now and, if neither what
     * {@code read} nor what {@code write} asks for holds, once more when it does (then forget it).
     */
    public record Watch(long pid, long token, boolean read, boolean write, ActorRef<Syscall.Result> replyTo)
            implements Command {}

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

    /**
     * Drop whatever {@code pid} waits for here (a call, a watch), then tell {@code done} (if not
     * null). With {@code fail} (the deadlock detector's refusal) only its blocked call is dropped,
     * failed with {@code fail}; its watches stay.
     */
    public record Withdraw(long pid, ActorRef<Withdrawn> done, Errno fail) implements Command {
        public Withdraw(long pid, ActorRef<Withdrawn> done) {
            this(pid, done, null);
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

    private final long box;
    private final String name;
    private final Owner owner;
    private final Shape shape;
    /** Selects waiting for this box to become readable or writable. */
    private final List<Watch> watchers = new ArrayList<>();
    private final Trace trace;
    private final StashBuffer<Command> waiting;
    private final ActorRef<Clock.Command> clock;
    private final MessageQueue queue;
    private long nextTicket = 1;
    // set only while a re-check pass runs, for the requests it must drop
    private long withdrawing = 0;
    private Errno withdrawFail;
    private long expiring = 0;
    private long goneSender = 0;
    private boolean progress;

    /**
     * A box numbered {@code box}. {@code maxWaiters} bounds the stash: every process can wait in
     * at most one call.
     */
    public static Behavior<Command> create(long box, String name, Owner owner, Shape shape, int maxWaiters,
            ActorRef<Clock.Command> clock, Trace trace, ActorRef<Detector.Command> deadlocks) {
        return Contained.of(trace, Behaviors.setup(ctx -> Behaviors.withStash(maxWaiters, stash -> new Mailbox(ctx,
                stash, clock, box, name, owner, shape, trace, new BoxWaits(deadlocks, owner, ctx.getSelf())))));
    }

    private Mailbox(ActorContext<Command> ctx, StashBuffer<Command> waiting, ActorRef<Clock.Command> clock,
            long box, String name, Owner owner, Shape shape, Trace trace, BoxWaits waits) {
        super(ctx);
        this.waiting = waiting;
        this.clock = clock;
        this.box = box;
        this.name = name;
        this.owner = owner;
        this.queue = new MessageQueue(box, name, shape.capacity(), shape.priorities() > 1, trace, waits);
        this.shape = shape;
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
            case Watch w -> onWatch(w);
            case Blocked b -> onBlocked(b);
            case Expired e -> onExpired(e);
        };
    }

    private Behavior<Command> onSend(Send s) {
        if (!owner.userWritable() && s.pid() != 0) {
            s.replyTo().tell(Syscall.Result.fail(Errno.EPERM, "only the device writes into " + name));
            return this;
        }
        if (s.data().length > shape.maxMessageLength()) {
            s.replyTo().tell(Syscall.Result.fail(Errno.EMSGSIZE, s.data().length
                    + " bytes is longer than kernel.max-message-length (" + shape.maxMessageLength() + ")"));
            return this;
        }
        if (s.priority() < 0 || s.priority() >= shape.priorities()) {
            s.replyTo().tell(Syscall.Result.fail(Errno.EINVAL, shape.priorities() == 1
                    ? "box " + name + " was not opened with priorities: only priority 0"
                    : "priority " + s.priority() + " is outside 0.." + (shape.priorities() - 1) + " (kernel.mbox-priorities)"));
            return this;
        }
        if (s.rendezvous() && s.pid() == owner.pid()) {
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
        f.replyTo().tell(new Syscall.Result.Value(queue.full() ? 1 : 0));
        return this;
    }

    /** A fresh send or receive: serve it now, or stash it until the state allows. */
    private Behavior<Command> arrive(Request request) {
        if (serve(request, false)) {
            recheck();
            queue.sent(request);
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
            case Send s -> queue.offer(s, wasBlocked);
            case Receive r -> queue.take(r);
        };
    }

    /** Re-checks every waiter, in arrival order, until a whole pass serves nobody; then every watch. */
    private void recheck() {
        if (!watchers.isEmpty()) {
            watchers.removeIf(this::answered);
        }
        if (waiting.isEmpty()) {
            return;
        }
        do {
            progress = false;
            waiting.unstash(this, waiting.size(), Function.identity());
        } while (progress && waiting.nonEmpty());
        watchers.removeIf(this::answered);
    }

    private Behavior<Command> onWatch(Watch w) {
        if (w.write() && !owner.userWritable()) {
            w.replyTo().tell(Syscall.Result.fail(Errno.EPERM, "only the device writes into " + name));
        } else if (!answered(w)) {
            w.replyTo().tell(new Syscall.Result.Readiness(w.token(), box, false, false));
            watchers.add(w);
        }
        return this;
    }

    /** Tells {@code w} this box's readiness if it holds what {@code w} waits for; true if so. */
    private boolean answered(Watch w) {
        boolean readable = w.read() && queue.size() > 0;
        boolean writable = w.write() && !queue.full();
        if (readable || writable) {
            w.replyTo().tell(new Syscall.Result.Readiness(w.token(), box, readable, writable));
        }
        return readable || writable;
    }

    /** One waiter's turn in a re-check pass: dropped, served, or stashed again at the back. */
    private Behavior<Command> onBlocked(Blocked b) {
        Request r = b.request();
        if (r.pid() == withdrawing && withdrawFail != null) {
            cancelTimeout(b);
            r.replyTo().tell(Syscall.Result.fail(withdrawFail, callOf(r) + " on box " + name + " would deadlock"));
        } else if (r.pid() == withdrawing) {
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
        if (w.fail() == null) {
            watchers.removeIf(watch -> watch.pid() == w.pid());
        }
        queue.takeBackRendezvous(w.pid(), w.fail());
        withdrawing = w.pid();
        withdrawFail = w.fail();
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
        queue.discardAll(f.reason(), f.errno());
        waiting.forEach(c -> ((Blocked) c).request().replyTo()
                .tell(Syscall.Result.fail(f.errno(), "box " + name + " " + f.reason())));
        waiting.clear();
        return Behaviors.stopped();
    }

    private Behavior<Command> onStat(Stat s) {
        int[] blocked = new int[2];
        waiting.forEach(c -> blocked[((Blocked) c).request() instanceof Send ? 0 : 1]++);
        s.replyTo().tell(new Stats(box, queue.size(), queue.capacity(), blocked[0] + queue.rendezvousCount(), blocked[1]));
        return this;
    }

    /** A fault: what is queued is discarded (traced, its rendezvous senders failed), every waiter and watch fails. */
    @Override
    public void failWaiters(Syscall.Result.Failed failure) {
        waiting.forEach(c -> ((Blocked) c).request().replyTo().tell(failure));
        waiting.clear();
        watchers.forEach(w -> w.replyTo().tell(failure));
        watchers.clear();
        queue.discardAll("kernel fault", Errno.EIO);
    }

    /** After a fault: every call fails with EIO; withdraws are confirmed and a free stops the box. */
    @Override
    public Behavior<Command> whenFailed(Command msg, Syscall.Result.Failed failure) {
        switch (msg) {
            case Send s -> s.replyTo().tell(failure);
            case Receive r -> r.replyTo().tell(failure);
            case IsFull f -> f.replyTo().tell(failure);
            case Watch w -> w.replyTo().tell(failure);
            case Blocked b -> b.request().replyTo().tell(failure);
            case Withdraw w -> {
                if (w.done() != null) {
                    w.done().tell(new Withdrawn(w.pid()));
                }
            }
            case Stat s -> s.replyTo().tell(new Stats(box, 0, shape.capacity(), 0, 0));
            case Free f -> {
                return Behaviors.stopped();
            }
            case SenderGone g -> {}
            case Expired e -> {}
        }
        return Behaviors.same();
    }

    private static String callOf(Request request) {
        return request instanceof Send ? "send" : "recv";
    }
}
