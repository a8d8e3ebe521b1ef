package org.mboxos.kernel.sync;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;
import org.mboxos.kernel.Contained;
import org.mboxos.kernel.deadlock.Detector;
import org.mboxos.kernel.deadlock.Wait;
import org.mboxos.kernel.deadlock.Waits;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.trace.Trace;

/**
 * A reusable barrier of {@code parties} processes: the n-th arrival releases all, and the
 * barrier starts over. A process that ends while waiting withdraws its arrival.
 */
public final class Barrier extends AbstractOnMessageBehavior<Barrier.Command>
        implements Contained.Faultable<Barrier.Command> {

    public sealed interface Command permits Arrive, SyncObject.Control {}

    public record Arrive(long pid, String prog, ActorRef<Syscall.Result> replyTo) implements Command, SyncObject.Waiter {}

    private final long id;
    private final String name;
    private final int parties;
    private final Trace trace;
    /** Who waits here, for the deadlock detector. */
    private final Waits waits;
    private final List<Arrive> arrived = new ArrayList<>();
    private long round = 1;

    public static Behavior<Command> create(long id, String name, int parties, Trace trace,
            ActorRef<Detector.Command> deadlocks) {
        return Contained.of(trace, Behaviors.setup(ctx -> new Barrier(ctx, id, name, parties, trace, deadlocks)));
    }

    private Barrier(ActorContext<Command> ctx, long id, String name, int parties, Trace trace,
            ActorRef<Detector.Command> deadlocks) {
        super(ctx);
        this.id = id;
        this.name = name;
        this.parties = parties;
        this.trace = trace;
        this.waits = new Waits(deadlocks);
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case Arrive a -> onArrive(a);
            case SyncObject.Gone g -> onGone(g);
            case SyncObject.Free f -> Behaviors.stopped();
        };
    }

    private Behavior<Command> onArrive(Arrive a) {
        arrived.add(a);
        trace.event("barrier-arrive", a.pid(), a.prog(), "barrier", id, "name", name, "arrived", arrived.size(),
                "parties", parties, "round", round);
        if (arrived.size() == parties) {
            trace.event("barrier-release", a.pid(), a.prog(), "barrier", id, "name", name, "round", round);
            arrived.forEach(w -> {
                waits.unblocked(w.pid());
                w.replyTo().tell(Syscall.Result.OK);
            });
            arrived.clear();
            round++;
        } else {
            waits.blocked(a.pid(), Wait.ANYONE, null, null); // any process may open it and arrive
        }
        return this;
    }

    private Behavior<Command> onGone(SyncObject.Gone g) {
        arrived.removeIf(w -> w.pid() == g.pid());
        waits.unblocked(g.pid());
        g.confirm();
        return this;
    }

    /** A fault: every waiter fails with EIO. */
    @Override
    public void failWaiters(Syscall.Result.Failed failure) {
        SyncObject.failAll(arrived, waits, failure);
    }

    /** After a fault: every call fails with EIO. */
    @Override
    public Behavior<Command> whenFailed(Command msg, Syscall.Result.Failed failure) {
        switch (msg) {
            case Arrive a -> a.replyTo().tell(failure);
            case SyncObject.Control c -> {
                return SyncObject.whenFailed(c);
            }
        }
        return Behaviors.same();
    }
}
