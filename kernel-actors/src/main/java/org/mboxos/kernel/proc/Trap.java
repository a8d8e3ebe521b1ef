package org.mboxos.kernel.proc;

import akka.actor.typed.ActorRef;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.mboxos.api.Killed;
import org.mboxos.api.Program;
import org.mboxos.api.Sys;
import org.mboxos.kernel.Services;
import org.mboxos.kernel.sched.KernelMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The program's thread and its side of a system call: tell the PCB, park until it hands back
 * the result.
 *
 * <p>Contract: one thread calls {@link #call} at a time (a program is sequential); the PCB
 * calls {@link #complete} exactly once per call, or ends the process once ever ({@link #kill}
 * or {@link #end}). After that, the parked call and every later call unwind the thread.
 */
final class Trap implements Runnable {
    private static final Logger CRASHES = LoggerFactory.getLogger("mboxos.crash");

    /** Unwinds a thread whose process has exited; caught by the thread's runner. */
    static final class Ended extends Error {
        Ended() {
            super("process exited", null, false, false);
        }
    }

    /** How the process ended, seen by its own thread. */
    private enum Fate { KILLED, EXITED }

    private final long pid;
    private final ActorRef<Pcb.Command> pcb;
    private final Program program;
    private final List<String> args;
    private final Services services;
    private volatile Thread caller;
    private volatile Syscall.Result result;
    private volatile Fate fate;

    Trap(long pid, ActorRef<Pcb.Command> pcb, Program program, List<String> args, Services services) {
        this.pid = pid;
        this.pcb = pcb;
        this.program = program;
        this.args = args;
        this.services = services;
    }

    /** The program's thread, started with the trap as its task (no lambda frames on a parked stack): main, then exit. */
    @Override
    public void run() {
        Usys sys = new Usys(this, services.settings().seed(), pid);
        Syscall.Exit end;
        try {
            if (services.lottery()) {
                await(); // the CPU, for the first time
            }
            end = new Syscall.Exit(program.main(sys, args), null);
        } catch (Killed | Ended e) {
            return;
        } catch (Throwable t) {
            CRASHES.error("process {} ({}) crashed", pid, program.name(), t);
            end = new Syscall.Exit(Sys.CRASHED, t.toString());
        }
        try {
            call(end);
        } catch (Killed | Ended e) {
            // the normal way out
        }
    }

    /**
     * Tells the PCB, in kernel mode ({@link KernelMode}): with {@code kernel.dispatcher =
     * kernel-mode}, the PCB's turn and the turns it causes may run right here, inside the tell,
     * and the result may be there before this thread would park; then it does not park.
     */
    Syscall.Result call(Syscall call) {
        unwindIfEnded();
        caller = Thread.currentThread();
        KernelMode.Lane lane = KernelMode.enter();
        try {
            pcb.tell(new Pcb.Trapped(call));
        } finally {
            lane.leave();
        }
        return awaitResult();
    }

    /** Parks until the PCB hands over a result (the reply to a call, or a first dispatch) or ends the process. */
    Syscall.Result await() {
        caller = Thread.currentThread();
        return awaitResult();
    }

    /** Returns the result at once if it is already there (a call served in kernel mode), else parks for it. */
    private Syscall.Result awaitResult() {
        Syscall.Result r;
        while ((r = result) == null && fate == null) {
            LockSupport.park(this);
        }
        unwindIfEnded();
        result = null;
        return r;
    }

    private void unwindIfEnded() {
        Fate f = fate;
        if (f == Fate.KILLED) {
            throw new Killed(pid);
        }
        if (f == Fate.EXITED) {
            throw new Ended();
        }
    }

    /** Called by the PCB: hands the result to the parked caller. */
    void complete(Syscall.Result r) {
        result = r;
        wake();
    }

    /** Called by the PCB when the process exits: the caller unwinds with {@link Ended}. */
    void end() {
        fate = Fate.EXITED;
        wake();
    }

    /** Called by the PCB when the process is killed: the caller throws {@link Killed}. */
    void kill() {
        fate = Fate.KILLED;
        wake();
    }

    /**
     * Unparks the caller, unless this is the caller itself, running the PCB's turn in kernel
     * mode: it has not parked, and a permit left over would only cut its next park short.
     */
    private void wake() {
        Thread t = caller;
        if (t != Thread.currentThread()) {
            LockSupport.unpark(t);
        }
    }
}
