package org.mboxos.kernel.ipc;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
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

    /**
     * What a receive that finds no message it may take answers: WAIT as {@code how} says (a
     * try-receive fails with EAGAIN); POLL likewise, but a try-receive answers {@link
     * Syscall.Result.Empty} (not an error); SENDER_GONE: the only sender it may take from has
     * ended, so ESRCH.
     */
    public enum IfNone { WAIT, POLL, SENDER_GONE }

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

    /** A request that could not proceed yet, with its place in line ({@link Waiters}). */
    record Blocked(long ticket, Request request) implements Command {}

    /** The timeout of the waiter with {@code ticket} has come. */
    record Expired(long ticket) implements Command {}

    private final long box;
    private final String name;
    private final Owner owner;
    private final Shape shape;
    private final Watchers watchers;
    private final MessageQueue queue;
    private final Waiters waiters;

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
        this.box = box;
        this.name = name;
        this.owner = owner;
        this.queue = new MessageQueue(box, name, shape.capacity(), shape.priorities() > 1, trace, waits);
        this.watchers = new Watchers(box, queue);
        this.waiters = new Waiters(box, name, queue, waiting, clock, ctx.getSelf(), trace);
        this.shape = shape;
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

    private Behavior<Command> arrive(Request request) {
        waiters.arrive(request, this);
        watchers.answerReady();
        return this;
    }

    private Behavior<Command> onWatch(Watch w) {
        if (w.write() && !owner.userWritable()) {
            w.replyTo().tell(Syscall.Result.fail(Errno.EPERM, "only the device writes into " + name));
        } else {
            watchers.watch(w);
        }
        return this;
    }

    /**
     * A killed process leaves: its stashed requests are dropped, and a rendezvous message of
     * its that nobody has taken yet is taken back (the transfer never happened), traced as a
     * discard. Its other queued messages were sent and stay.
     */
    private Behavior<Command> onWithdraw(Withdraw w) {
        if (w.fail() == null) {
            watchers.drop(w.pid());
        }
        queue.takeBackRendezvous(w.pid(), w.fail());
        waiters.withdraw(w.pid(), w.fail(), this);
        watchers.answerReady();
        if (w.done() != null) {
            w.done().tell(new Withdrawn(w.pid()));
        }
        return this;
    }

    /** Receives waiting for {@code pid} alone re-check once more, knowing it will never send again. */
    private Behavior<Command> onSenderGone(SenderGone g) {
        waiters.senderGone(g.pid(), this);
        watchers.answerReady();
        return this;
    }

    private Behavior<Command> onExpired(Expired e) {
        waiters.expired(e.ticket(), this);
        watchers.answerReady();
        return this;
    }

    private Behavior<Command> onFree(Free f) {
        queue.discardAll(f.reason(), f.errno());
        waiters.failAll(new Syscall.Result.Failed(f.errno(), "box " + name + " " + f.reason()));
        return Behaviors.stopped();
    }

    private Behavior<Command> onStat(Stat s) {
        int[] blocked = waiters.counts();
        s.replyTo().tell(new Stats(box, queue.size(), queue.capacity(), blocked[0] + queue.rendezvousCount(), blocked[1]));
        return this;
    }

    /** A fault: what is queued is discarded (traced, its rendezvous senders failed), every waiter and watch fails. */
    @Override
    public void failWaiters(Syscall.Result.Failed failure) {
        waiters.failAll(failure);
        watchers.failAll(failure);
        queue.discardAll("kernel fault", Errno.EIO);
    }

    /** After a fault: every call fails with EIO; withdraws are confirmed and a free stops the box. */
    @Override
    public Behavior<Command> whenFailed(Command msg, Syscall.Result.Failed failure) {
        switch (msg) {
            case Request r -> r.replyTo().tell(failure);
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

    private Behavior<Command> onBlocked(Blocked b) {
        waiters.onBlocked(b);
        return this;
    }
}
