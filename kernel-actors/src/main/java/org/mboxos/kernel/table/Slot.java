package org.mboxos.kernel.table;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mboxos.api.ProcInfo;
import org.mboxos.kernel.Census;
import org.mboxos.kernel.proc.Pcb;
import org.mboxos.kernel.proc.Syscall;

/**
 * One entry of the process table (xv6's struct proc, as the {@link Kernel} sees it): who the
 * process is, how far its end has come, and who monitors it (its waitpid waiters live in the
 * table's {@link WaitpidQueue}). Plain state of the process table, touched only on its turns.
 */
final class Slot {
    /** RUNNING; DYING once kill reached its PCB; ENDING once its PCB is done and the registry releases. */
    enum State { RUNNING, DYING, ENDING }

    final long pid;
    final String program;
    final long parent;
    final ActorRef<Pcb.Command> ref;
    State state = State.RUNNING;
    int status;
    String how;
    final List<ActorRef<Syscall.Result>> killers = new ArrayList<>();
    /** The processes that monitor this one, in the order they asked. */
    final Map<Long, ActorRef<Pcb.Command>> monitors = new LinkedHashMap<>();
    /** The pids this process monitors. */
    final Set<Long> monitoring = new LinkedHashSet<>();
    /** The processes this one was introduced to, which learn of its end from the table (in pid order). */
    final Set<Long> introducedTo = new TreeSet<>();

    Slot(long pid, String program, long parent, ActorRef<Pcb.Command> ref) {
        this.pid = pid;
        this.program = program;
        this.parent = parent;
        this.ref = ref;
    }

    /** Its own waitpid and monitors are over: {@code waiters} and the slots it named in {@code table} forget it. */
    void leave(Map<Long, Slot> table, WaitpidQueue waiters) {
        waiters.drop(pid, null);
        for (long t : monitoring) {
            Slot monitored = table.get(t);
            if (monitored != null) {
                monitored.monitors.remove(pid);
            }
        }
    }

    /** {@code watcher} monitors this process ({@code on}) or no longer does. */
    void monitoredBy(Slot watcher, boolean on) {
        if (on) {
            monitors.put(watcher.pid, watcher.ref);
            watcher.monitoring.add(pid);
        } else {
            monitors.remove(watcher.pid);
            watcher.monitoring.remove(pid);
        }
    }

    /**
     * A short-lived census for ps: every process among {@code slots} is asked what it is doing;
     * {@code replyTo} gets the rows in pid order (one that ends meanwhile is left out).
     */
    static Behavior<Object> psTable(Collection<Slot> slots, Duration timeout, ActorRef<Syscall.Result> replyTo) {
        Map<Long, Slot> rows = new TreeMap<>();
        List<Census.Question<Pcb.Status>> asks = new ArrayList<>();
        for (Slot s : slots) {
            rows.put(s.pid, s);
            asks.add(new Census.Question<>(s.pid, s.ref, r -> s.ref.tell(new Pcb.Describe(r))));
        }
        return Census.create(asks, Pcb.Status.class, Pcb.Status::pid, timeout, replyTo,
                statuses -> new Syscall.Result.Processes(statuses.stream()
                        .sorted((a, b) -> Long.compare(a.pid(), b.pid()))
                        .map(st -> {
                            Slot s = rows.get(st.pid());
                            return new ProcInfo(st.pid(), s.program, s.parent, st.state(), st.blockedIn());
                        })
                        .toList()));
    }
}
