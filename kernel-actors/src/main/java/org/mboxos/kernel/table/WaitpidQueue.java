package org.mboxos.kernel.table;

import akka.actor.typed.ActorRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mboxos.api.Errno;
import org.mboxos.kernel.Services;
import org.mboxos.kernel.deadlock.Wait;
import org.mboxos.kernel.deadlock.Waits;
import org.mboxos.kernel.proc.Pcb;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.trace.Trace;

/**
 * The processes blocked in waitpid, by the pid they wait for: the one home of waitpid waiters,
 * plain state of the process table ({@link Kernel}), touched only on its turns. Each wait is a
 * wait for its pid's end, and is reported to the deadlock detector when it begins and when it
 * ends (the pid ended, the waiter ended, or the detector refused it); the table's births and
 * deaths go to the detector from here too, so that the detector knows which pids exist.
 */
final class WaitpidQueue {
    /** A process in waitpid. */
    private record Waiter(long pid, String program, ActorRef<Syscall.Result> replyTo) {}

    /** Waited pid to its waiters, in the order they began to wait. */
    private final Map<Long, List<Waiter>> waitersOf = new HashMap<>();
    /** Waiter pid to the pid it waits for: a process waits for at most one pid at a time. */
    private final Map<Long, Long> waitingFor = new HashMap<>();
    private final Trace trace;
    private final Waits waits;
    private final ActorRef<Kernel.Command> table;

    WaitpidQueue(Services services, ActorRef<Kernel.Command> table) {
        this.trace = services.trace();
        this.waits = new Waits(services.deadlocks());
        this.table = table;
    }

    /** {@code pid} was spawned: told before its PCB can report anything, so the detector knows it. */
    void spawned(long pid, String program, ActorRef<Pcb.Command> pcb) {
        waits.spawned(pid, program, pcb);
    }

    /** {@code waiter} waits for {@code pid} to end. */
    void add(long waiter, String program, long pid, ActorRef<Syscall.Result> replyTo) {
        trace.event("wait-begin", waiter, program, "waited_for", pid);
        waitersOf.computeIfAbsent(pid, p -> new ArrayList<>()).add(new Waiter(waiter, program, replyTo));
        waitingFor.put(waiter, pid);
        waits.blocked(waiter, new Wait.ForEnd(pid), table, new Kernel.Refuse(waiter));
    }

    /** {@code pid} has ended with {@code status}: it leaves the detector's graph, and its waiters wake. */
    void ended(long pid, int status) {
        waits.ended(pid);
        List<Waiter> woken = waitersOf.remove(pid);
        if (woken != null) {
            for (Waiter w : woken) {
                waitingFor.remove(w.pid());
                waits.unblocked(w.pid());
                trace.event("wait-end", w.pid(), w.program(), "waited_for", pid, "status", status);
                w.replyTo().tell(new Syscall.Result.Value(status));
            }
        }
    }

    /** {@code waiter} waits no more (it is ending); with {@code reply}, it is told that. */
    void drop(long waiter, Syscall.Result reply) {
        waits.unblocked(waiter);
        Long pid = waitingFor.remove(waiter);
        List<Waiter> list = pid == null ? null : waitersOf.get(pid);
        if (list == null) {
            return;
        }
        for (Waiter w : list) {
            if (w.pid() == waiter && reply != null) {
                w.replyTo().tell(reply);
            }
        }
        list.removeIf(w -> w.pid() == waiter);
        if (list.isEmpty()) {
            waitersOf.remove(pid);
        }
    }

    /** Refuse mode: {@code waiter}'s waitpid would close a cycle of definite waits; it fails with EDEADLK. */
    void refuse(long waiter) {
        drop(waiter, Syscall.Result.fail(Errno.EDEADLK,
                "the wait would close a cycle of processes waiting for each other (kernel.deadlock = refuse)"));
    }
}
