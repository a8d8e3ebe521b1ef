package org.mboxos.kernel.sync;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.mboxos.api.Errno;
import org.mboxos.kernel.Contained;
import org.mboxos.kernel.deadlock.Detector;
import org.mboxos.kernel.deadlock.Wait;
import org.mboxos.kernel.deadlock.Waits;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.trace.Trace;

/**
 * A kernel lock (a robust mutex). Ownership passes to the next waiter in FIFO order. A lock
 * whose owner ends while holding it is released, and the next acquirer learns that the owner
 * died (POSIX's EOWNERDEAD): it holds the lock, but what the lock guarded may be inconsistent.
 *
 * <p>A condition wait leaves the lock in two hops (here, then the {@link Condition}) and comes
 * back as an {@link Acquire} from the condition, so a process that ends meanwhile could be lost
 * in transit. The lock therefore remembers whom it parked in which condition: when such a process
 * is {@link SyncObject.Gone}, it tells that condition (after the Wait it sent, so in order), and it drops a
 * re-acquire still in flight from it.
 *
 * <p>Invariant: {@link #owner} is 0 exactly when nobody holds the lock, and then nobody waits.
 */
public final class Lock extends AbstractOnMessageBehavior<Lock.Command>
        implements Contained.Faultable<Lock.Command> {

    public sealed interface Command permits Acquire, Release, ReleaseForWait, Forget, Refuse, SyncObject.Control {}

    /** Replies Value(1) if the previous owner died holding the lock, else Value(0). */
    public record Acquire(long pid, String prog, ActorRef<Syscall.Result> replyTo) implements Command, SyncObject.Waiter {}

    public record Release(long pid, String prog, ActorRef<Syscall.Result> replyTo) implements Command {}

    /** A condition wait: release on the caller's behalf, then park it in {@code condition}. */
    public record ReleaseForWait(long pid, String prog, ActorRef<Condition.Command> condition,
            ActorRef<Syscall.Result> replyTo) implements Command {}

    /** From a condition: {@code pid} ended while waiting there and will not come back. */
    public record Forget(long pid) implements Command {}

    /** From the deadlock detector (refuse mode): {@code pid}'s acquire would close a cycle; fail it with EDEADLK. */
    public record Refuse(long pid) implements Command {}

    private final long id;
    private final String name;
    private final Trace trace;
    /** Who waits here, for the deadlock detector. */
    private final Waits waits;
    private final ArrayDeque<Acquire> waiters = new ArrayDeque<>();
    /** Processes that released this lock to wait in a condition and have not re-acquired it. */
    private final Map<Long, ActorRef<Condition.Command>> inCondition = new HashMap<>();
    /** Of those, the ones that ended: a re-acquire from them is dropped. */
    private final Set<Long> diedInCondition = new HashSet<>();
    private long owner;
    private boolean ownerDied;

    public static Behavior<Command> create(long id, String name, Trace trace, ActorRef<Detector.Command> deadlocks) {
        return Contained.of(trace, Behaviors.setup(ctx -> new Lock(ctx, id, name, trace, deadlocks)));
    }

    private Lock(ActorContext<Command> ctx, long id, String name, Trace trace, ActorRef<Detector.Command> deadlocks) {
        super(ctx);
        this.id = id;
        this.name = name;
        this.trace = trace;
        this.waits = new Waits(deadlocks);
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case Acquire a -> onAcquire(a);
            case Release r -> onRelease(r);
            case ReleaseForWait r -> onReleaseForWait(r);
            case SyncObject.Gone g -> onGone(g);
            case Forget f -> onForget(f);
            case Refuse r -> onRefuse(r);
            case SyncObject.Free f -> Behaviors.stopped();
        };
    }

    private Behavior<Command> onAcquire(Acquire a) {
        if (diedInCondition.remove(a.pid())) {
            return this; // signalled after it ended: nobody to give the lock to
        }
        inCondition.remove(a.pid());
        if (owner == a.pid()) {
            a.replyTo().tell(Syscall.Result.fail(Errno.EDEADLK, "process " + a.pid() + " already holds lock " + name));
        } else if (owner == 0) {
            grant(a);
        } else {
            waiters.add(a);
            reportWaiting(a);
        }
        return this;
    }

    private Behavior<Command> onRelease(Release r) {
        if (owner != r.pid()) {
            r.replyTo().tell(notOwner(r.pid()));
            return this;
        }
        trace.event("lock-release", r.pid(), r.prog(), "lock", id, "name", name);
        handOver();
        r.replyTo().tell(Syscall.Result.OK);
        return this;
    }

    private Behavior<Command> onReleaseForWait(ReleaseForWait r) {
        if (owner != r.pid()) {
            r.replyTo().tell(Syscall.Result.fail(Errno.EPERM,
                    "waiting on a condition needs its lock held; process " + r.pid() + " does not hold lock " + name));
            return this;
        }
        trace.event("lock-release", r.pid(), r.prog(), "lock", id, "name", name, "for", "cond-wait");
        handOver();
        inCondition.put(r.pid(), r.condition());
        r.condition().tell(new Condition.Wait(r.pid(), r.prog(), getContext().getSelf(), r.replyTo()));
        return this;
    }

    private Behavior<Command> onGone(SyncObject.Gone g) {
        waiters.removeIf(w -> w.pid() == g.pid());
        waits.unblocked(g.pid());
        ActorRef<Condition.Command> condition = inCondition.remove(g.pid());
        if (condition != null) {
            diedInCondition.add(g.pid());
            condition.tell(new SyncObject.Gone(g.pid(), null));
        }
        if (owner == g.pid()) {
            trace.event("lock-owner-died", g.pid(), "", "lock", id, "name", name);
            ownerDied = true;
            handOver();
        }
        g.confirm();
        return this;
    }

    private Behavior<Command> onForget(Forget f) {
        inCondition.remove(f.pid());
        diedInCondition.remove(f.pid());
        return this;
    }

    private void grant(Acquire a) {
        waits.unblocked(a.pid());
        owner = a.pid();
        trace.event("lock-acquire", a.pid(), a.prog(), "lock", id, "name", name, "owner_died", ownerDied);
        a.replyTo().tell(new Syscall.Result.Value(ownerDied ? 1 : 0));
        ownerDied = false;
    }

    /** The lock passes to the longest waiter, or becomes free. */
    private void handOver() {
        owner = 0;
        Acquire next = waiters.poll();
        if (next != null) {
            grant(next);
            waiters.forEach(this::reportWaiting); // they wait for the new owner now
        }
    }

    /** {@code a} waits for the owner: a definite wait, which the deadlock detector may refuse. */
    private void reportWaiting(Acquire a) {
        waits.blocked(a.pid(), new Wait.ForPid(owner), getContext().getSelf(), new Refuse(a.pid()));
    }

    private Behavior<Command> onRefuse(Refuse r) {
        for (Acquire a : waiters) {
            if (a.pid() == r.pid()) {
                waiters.remove(a);
                waits.unblocked(a.pid());
                a.replyTo().tell(Syscall.Result.fail(Errno.EDEADLK, "lock_acquire(" + name + ") would deadlock: "
                        + "lock " + name + " is held by process " + owner + ", which waits for the caller"));
                break;
            }
        }
        return this;
    }

    private Syscall.Result notOwner(long pid) {
        return Syscall.Result.fail(Errno.EPERM, "process " + pid + " does not hold lock " + name
                + (owner == 0 ? " (nobody does)" : " (process " + owner + " does)"));
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
            case Acquire a -> a.replyTo().tell(failure);
            case Release r -> r.replyTo().tell(failure);
            case ReleaseForWait r -> r.replyTo().tell(failure);
            case Forget f -> {}
            case Refuse r -> {} // its acquire already failed with the fault
            case SyncObject.Control c -> {
                return SyncObject.whenFailed(c);
            }
        }
        return Behaviors.same();
    }
}
