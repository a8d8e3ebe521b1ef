package org.mboxos.kernel.sync;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayDeque;
import org.mboxos.kernel.Contained;
import org.mboxos.kernel.deadlock.Detector;
import org.mboxos.kernel.deadlock.Waits;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.trace.Trace;

/**
 * A condition variable (Mesa semantics). A waiter arrives here from its {@link Lock}, which
 * has released the lock on its behalf; signal moves the longest waiter back to that lock's
 * queue, and its wait returns once it holds the lock again. A signal with nobody waiting is
 * lost, as in POSIX; a signaller holding the lock cannot miss a waiter, because the lock
 * enqueues the waiter here before anyone else can take the lock.
 */
public final class Condition extends AbstractOnMessageBehavior<Condition.Command>
        implements Contained.Faultable<Condition.Command> {

    public sealed interface Command permits Wait, Signal, Broadcast, SyncObject.Control {}

    /** From the lock: {@code pid} released it and now waits here. */
    public record Wait(long pid, String prog, ActorRef<Lock.Command> lock, ActorRef<Syscall.Result> replyTo)
            implements Command, SyncObject.Waiter {}

    public record Signal(long pid, String prog, ActorRef<Syscall.Result> replyTo) implements Command {}

    public record Broadcast(long pid, String prog, ActorRef<Syscall.Result> replyTo) implements Command {}

    private final long id;
    private final String name;
    private final Trace trace;
    /** Who waits here, for the deadlock detector. */
    private final Waits waits;
    private final ArrayDeque<Wait> waiters = new ArrayDeque<>();

    public static Behavior<Command> create(long id, String name, Trace trace, ActorRef<Detector.Command> deadlocks) {
        return Contained.of(trace, Behaviors.setup(ctx -> new Condition(ctx, id, name, trace, deadlocks)));
    }

    private Condition(ActorContext<Command> ctx, long id, String name, Trace trace,
            ActorRef<Detector.Command> deadlocks) {
        super(ctx);
        this.id = id;
        this.name = name;
        this.trace = trace;
        this.waits = new Waits(deadlocks);
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case Wait w -> onWait(w);
            case Signal s -> onSignal(s);
            case Broadcast b -> onBroadcast(b);
            case SyncObject.Gone g -> onGone(g);
            case SyncObject.Free f -> Behaviors.stopped();
        };
    }

    private Behavior<Command> onWait(Wait w) {
        trace.event("cond-wait", w.pid(), w.prog(), "cond", id, "name", name);
        waiters.add(w);
        waits.blocked(w.pid(), Waits.ANYONE, null, null); // any process may open it and signal
        return this;
    }

    private Behavior<Command> onSignal(Signal s) {
        trace.event("cond-signal", s.pid(), s.prog(), "cond", id, "name", name, "woken", waiters.isEmpty() ? 0 : 1);
        wake(waiters.poll());
        s.replyTo().tell(Syscall.Result.OK);
        return this;
    }

    private Behavior<Command> onBroadcast(Broadcast b) {
        trace.event("cond-broadcast", b.pid(), b.prog(), "cond", id, "name", name, "woken", waiters.size());
        while (!waiters.isEmpty()) {
            wake(waiters.poll());
        }
        b.replyTo().tell(Syscall.Result.OK);
        return this;
    }

    /** The waiter queues for its lock again; its wait returns when it holds it. */
    private void wake(Wait w) {
        if (w != null) {
            waits.unblocked(w.pid());
            w.lock().tell(new Lock.Acquire(w.pid(), w.prog(), w.replyTo()));
        }
    }

    /** A waiter that ended is dropped, and its lock told it will not come back. */
    private Behavior<Command> onGone(SyncObject.Gone g) {
        waiters.removeIf(w -> {
            if (w.pid() != g.pid()) {
                return false;
            }
            waits.unblocked(w.pid());
            w.lock().tell(new Lock.Forget(g.pid()));
            return true;
        });
        g.confirm();
        return this;
    }

    /** A fault: every waiter fails with EIO. */
    @Override
    public void failWaiters(Syscall.Result.Failed failure) {
        SyncObject.failAll(waiters, waits, failure); // they had released the lock: they return without it
    }

    /** After a fault: every call fails with EIO. */
    @Override
    public Behavior<Command> whenFailed(Command msg, Syscall.Result.Failed failure) {
        switch (msg) {
            case Wait w -> w.replyTo().tell(failure);
            case Signal s -> s.replyTo().tell(failure);
            case Broadcast b -> b.replyTo().tell(failure);
            case SyncObject.Control c -> {
                return SyncObject.whenFailed(c);
            }
        }
        return Behaviors.same();
    }
}
