package org.mboxos.kernel.sync;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayDeque;
import org.mboxos.kernel.Contained;
import org.mboxos.kernel.deadlock.Detector;
import org.mboxos.kernel.deadlock.Wait;
import org.mboxos.kernel.deadlock.Waits;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.trace.Trace;

/**
 * A counting semaphore. {@code up} hands its unit straight to the longest waiter, if any; a
 * waiter that ends before it gets a unit consumes none.
 *
 * <p>Invariant: {@link #value} is positive only while nobody waits.
 */
public final class Semaphore extends AbstractOnMessageBehavior<Semaphore.Command>
        implements Contained.Faultable<Semaphore.Command> {

    public sealed interface Command permits Up, Down, SyncObject.Control {}

    public record Up(long pid, String prog, ActorRef<Syscall.Result> replyTo) implements Command {}

    public record Down(long pid, String prog, ActorRef<Syscall.Result> replyTo) implements Command, SyncObject.Waiter {}

    private final long id;
    private final String name;
    private final Trace trace;
    /** Who waits here, for the deadlock detector. */
    private final Waits waits;
    private final ArrayDeque<Down> waiters = new ArrayDeque<>();
    private long value;

    public static Behavior<Command> create(long id, String name, int initial, Trace trace,
            ActorRef<Detector.Command> deadlocks) {
        return Contained.of(trace, Behaviors.setup(ctx -> new Semaphore(ctx, id, name, initial, trace, deadlocks)));
    }

    private Semaphore(ActorContext<Command> ctx, long id, String name, int initial, Trace trace,
            ActorRef<Detector.Command> deadlocks) {
        super(ctx);
        this.id = id;
        this.name = name;
        this.value = initial;
        this.trace = trace;
        this.waits = new Waits(deadlocks);
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case Up u -> onUp(u);
            case Down d -> onDown(d);
            case SyncObject.Gone g -> onGone(g);
            case SyncObject.Free f -> Behaviors.stopped();
        };
    }

    private Behavior<Command> onUp(Up u) {
        Down next = waiters.poll();
        if (next == null) {
            value++;
        } else {
            waits.unblocked(next.pid());
            trace.event("sem-down", next.pid(), next.prog(), "sem", id, "name", name, "value", value, "waited", true);
            next.replyTo().tell(Syscall.Result.OK);
        }
        trace.event("sem-up", u.pid(), u.prog(), "sem", id, "name", name, "value", value);
        u.replyTo().tell(Syscall.Result.OK);
        return this;
    }

    private Behavior<Command> onDown(Down d) {
        if (value > 0) {
            value--;
            trace.event("sem-down", d.pid(), d.prog(), "sem", id, "name", name, "value", value, "waited", false);
            d.replyTo().tell(Syscall.Result.OK);
        } else {
            waiters.add(d);
            waits.blocked(d.pid(), Wait.ANYONE, null, null); // any process may open it and up it
        }
        return this;
    }

    private Behavior<Command> onGone(SyncObject.Gone g) {
        waiters.removeIf(w -> w.pid() == g.pid());
        waits.unblocked(g.pid());
        g.confirm();
        return this;
    }

    /** A fault: every waiter fails with EIO. */
    @Override
    public void failWaiters(Syscall.Result.Failed failure) {
        SyncObject.failAll(waiters, waits, failure);
    }

    /** After a fault: every call fails with EIO. */
    @Override
    public Behavior<Command> whenFailed(Command msg, Syscall.Result.Failed failure) {
        switch (msg) {
            case Up u -> u.replyTo().tell(failure);
            case Down d -> d.replyTo().tell(failure);
            case SyncObject.Control c -> {
                return SyncObject.whenFailed(c);
            }
        }
        return Behaviors.same();
    }
}
