package org.mboxos.kernel.sync;

import akka.actor.typed.ActorRef;

/**
 * A named synchronisation object of the kernel: a lock, a semaphore, a condition variable or
 * a barrier, each its own actor with its own protocol. This is what the Kernel's registry and a
 * process's descriptor table hold, and the lifecycle every kind shares: a process that ends
 * ({@link #gone}) and the object freed at its last close ({@link #free}).
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

    Kind kind();

    /** The object's actor, for watching it. */
    ActorRef<?> ref();

    /**
     * Process {@code pid} ended (exit or kill) while holding this object open: drop what it waits
     * for here; a lock it owns is released and its next owner told that the owner died.
     */
    void gone(long pid);

    /** Freed at the last close: nobody holds it, so nobody can wait in it. */
    void free();

    record OfLock(ActorRef<Lock.Command> ref) implements SyncObject {
        public Kind kind() {
            return Kind.LOCK;
        }

        public void gone(long pid) {
            ref.tell(new Lock.Gone(pid));
        }

        public void free() {
            ref.tell(new Lock.Free());
        }
    }

    record OfSemaphore(ActorRef<Semaphore.Command> ref) implements SyncObject {
        public Kind kind() {
            return Kind.SEMAPHORE;
        }

        public void gone(long pid) {
            ref.tell(new Semaphore.Gone(pid));
        }

        public void free() {
            ref.tell(new Semaphore.Free());
        }
    }

    record OfCondition(ActorRef<Condition.Command> ref) implements SyncObject {
        public Kind kind() {
            return Kind.CONDITION;
        }

        public void gone(long pid) {
            ref.tell(new Condition.Gone(pid));
        }

        public void free() {
            ref.tell(new Condition.Free());
        }
    }

    record OfBarrier(ActorRef<Barrier.Command> ref) implements SyncObject {
        public Kind kind() {
            return Kind.BARRIER;
        }

        public void gone(long pid) {
            ref.tell(new Barrier.Gone(pid));
        }

        public void free() {
            ref.tell(new Barrier.Free());
        }
    }
}
