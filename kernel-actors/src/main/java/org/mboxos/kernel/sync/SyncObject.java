package org.mboxos.kernel.sync;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.Collection;
import org.mboxos.kernel.Contained;
import org.mboxos.kernel.deadlock.Detector;
import org.mboxos.kernel.deadlock.Waits;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.trace.Trace;

/**
 * A named synchronisation object of the kernel: a lock, a semaphore, a condition variable or
 * a barrier, each its own actor with its own protocol. This is what the name registry and a
 * process's descriptor table hold. Every kind shares one lifecycle ({@link Control}): it hears
 * when a process that opened it ends ({@link Gone}) and when it is freed at its last close
 * ({@link Free}).
 */
public sealed interface SyncObject {

    enum Kind {
        LOCK,
        SEMAPHORE,
        CONDITION,
        BARRIER;

        public String label() {
            return name().toLowerCase();
        }
    }

    /** The part of every kind's protocol that the name registry speaks. */
    sealed interface Control extends Lock.Command, Semaphore.Command, Condition.Command, Barrier.Command {}

    /**
     * Process {@code pid} ended (exit or kill) after opening this object: drop what it waits for
     * here; a lock it owns is released and its next owner told that the owner died. Then
     * {@link #confirm()}: {@code done} (if not null) learns that everything the process asked of
     * this object has been done and traced, so that its {@code exit} is traced after it.
     */
    record Gone(long pid, ActorRef<Gone> done) implements Control {
        /** Tells {@code done}, if anyone waits for it. */
        public void confirm() {
            if (done != null) {
                done.tell(this);
            }
        }
    }

    /** Freed at the last close: nobody holds it, so nobody can wait in it. The object stops. */
    record Free() implements Control {}

    Kind kind();

    /**
     * How every kind answers its lifecycle messages once it has failed ({@link Contained}): an
     * ended process is let go of at once, and a free stops the object.
     */
    static <T> Behavior<T> whenFailed(Control c) {
        return switch (c) {
            case Gone g -> {
                g.confirm();
                yield Behaviors.same();
            }
            case Free f -> Behaviors.stopped();
        };
    }

    /**
     * Spawns a new object of {@code kind} as a child of {@code parent}; {@code value} is a
     * semaphore's units or a barrier's parties. Waits in it are reported to {@code deadlocks}
     * (null: kernel.deadlock = off).
     */
    static SyncObject spawn(ActorContext<?> parent, long id, String name, Kind kind, int value, Trace trace,
            ActorRef<Detector.Command> deadlocks) {
        String actor = kind.label() + "-" + id;
        return switch (kind) {
            case LOCK -> new OfLock(parent.spawn(Lock.create(id, name, trace, deadlocks), actor));
            case SEMAPHORE -> new OfSemaphore(parent.spawn(Semaphore.create(id, name, value, trace, deadlocks), actor));
            case CONDITION -> new OfCondition(parent.spawn(Condition.create(id, name, trace, deadlocks), actor));
            case BARRIER -> new OfBarrier(parent.spawn(Barrier.create(id, name, value, trace, deadlocks), actor));
        };
    }

    /** The object's lifecycle door; also what the registry watches. */
    ActorRef<Control> control();

    /** A call waiting in an object: whose, and where its answer goes. */
    interface Waiter {
        long pid();

        ActorRef<Syscall.Result> replyTo();
    }

    /** A fault: every one of {@code waiters} stops waiting (the detector hears so) and fails with {@code failure}. */
    static void failAll(Collection<? extends Waiter> waiters, Waits waits, Syscall.Result.Failed failure) {
        waiters.forEach(w -> {
            waits.unblocked(w.pid());
            w.replyTo().tell(failure);
        });
        waiters.clear();
    }

    record OfLock(ActorRef<Lock.Command> ref) implements SyncObject {
        public Kind kind() {
            return Kind.LOCK;
        }

        public ActorRef<Control> control() {
            return ref.narrow();
        }
    }

    record OfSemaphore(ActorRef<Semaphore.Command> ref) implements SyncObject {
        public Kind kind() {
            return Kind.SEMAPHORE;
        }

        public ActorRef<Control> control() {
            return ref.narrow();
        }
    }

    record OfCondition(ActorRef<Condition.Command> ref) implements SyncObject {
        public Kind kind() {
            return Kind.CONDITION;
        }

        public ActorRef<Control> control() {
            return ref.narrow();
        }
    }

    record OfBarrier(ActorRef<Barrier.Command> ref) implements SyncObject {
        public Kind kind() {
            return Kind.BARRIER;
        }

        public ActorRef<Control> control() {
            return ref.narrow();
        }
    }
}
