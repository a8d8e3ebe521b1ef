package org.mboxos.kernel.proc;

import akka.actor.typed.ActorRef;
import java.util.concurrent.locks.LockSupport;
import org.mboxos.api.Killed;

/**
 * The user thread's side of a system call: tell the PCB, park until it hands back the result.
 *
 * <p>Contract: one thread calls {@link #call} at a time (a program is sequential); the PCB
 * calls {@link #complete} exactly once per call, or {@link #kill} once ever. After kill, the
 * parked call and every later call throw {@link Killed}.
 */
final class Trap {
    private static final Syscall.Result KILLED = new Syscall.Result.Dead();
    private static final Syscall.Result ENDED = new Syscall.Result.Dead();

    /** Unwinds a thread whose process has exited; caught by the thread's runner. */
    static final class Ended extends Error {
        Ended() {
            super("process exited", null, false, false);
        }
    }

    private final long pid;
    private final ActorRef<Pcb.Command> pcb;
    private volatile Thread caller;
    private volatile Syscall.Result result;
    private volatile boolean killed;

    Trap(long pid, ActorRef<Pcb.Command> pcb) {
        this.pid = pid;
        this.pcb = pcb;
    }

    Syscall.Result call(Syscall call) {
        if (killed) {
            throw new Killed(pid);
        }
        caller = Thread.currentThread();
        pcb.tell(new Pcb.Trapped(call));
        return await();
    }

    /** Parks until the PCB hands over a result: the reply to a call, or a first dispatch. */
    Syscall.Result await() {
        caller = Thread.currentThread();
        Syscall.Result r;
        while ((r = result) == null) {
            LockSupport.park(this);
        }
        result = null;
        if (r == KILLED) {
            throw new Killed(pid);
        }
        if (r == ENDED) {
            throw new Ended();
        }
        return r;
    }

    /** Called by the PCB: hands the result to the parked caller. */
    void complete(Syscall.Result r) {
        result = r;
        LockSupport.unpark(caller);
    }

    /** Called by the PCB when the process exits: the caller unwinds with {@link Ended}. */
    void end() {
        killed = true;
        complete(ENDED);
    }

    /** Called by the PCB when the process is killed: the caller throws {@link Killed}. */
    void kill() {
        killed = true;
        complete(KILLED);
    }


}
