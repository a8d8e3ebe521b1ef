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
import org.mboxos.kernel.LongMap;
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
    // Who monitors, kills or knows this process: most processes have none of these, so each
    // collection is made at its first entry (null: empty).
    private List<ActorRef<Syscall.Result>> killers;
    /** The processes that monitor this one, in the order they asked. */
    private Map<Long, ActorRef<Pcb.Command>> monitors;
    /** The pids this process monitors. */
    private Set<Long> monitoring;
    /** The processes this one was introduced to, which learn of its end from the table (in pid order). */
    private Set<Long> introducedTo;

    Slot(long pid, String program, long parent, ActorRef<Pcb.Command> ref) {
        this.pid = pid;
        this.program = program;
        this.parent = parent;
        this.ref = ref;
    }

    /** {@code killer} waits for this process's end (every killer waits for the same, single end). */
    void killedBy(ActorRef<Syscall.Result> killer) {
        if (killers == null) {
            killers = new ArrayList<>(1);
        }
        killers.add(killer);
    }

    /** The killers waiting for this process's end, in the order they asked. */
    List<ActorRef<Syscall.Result>> killers() {
        return killers == null ? List.of() : killers;
    }

    /** The PCBs of the processes that monitor this one, in the order they asked. */
    Collection<ActorRef<Pcb.Command>> monitors() {
        return monitors == null ? List.of() : monitors.values();
    }

    /** Process {@code other} was introduced to this one: it learns of this one's end. */
    void introducedTo(long other) {
        if (introducedTo == null) {
            introducedTo = new TreeSet<>();
        }
        introducedTo.add(other);
    }

    /** The processes introduced to this one, in pid order. */
    Set<Long> introducedTo() {
        return introducedTo == null ? Set.of() : introducedTo;
    }

    /** Its own waitpid and monitors are over: {@code waiters} and the slots it named in {@code table} forget it. */
    void leave(LongMap<Slot> table, WaitpidQueue waiters) {
        waiters.drop(pid, null);
        if (monitoring == null) {
            return;
        }
        for (long t : monitoring) {
            Slot monitored = table.get(t);
            if (monitored != null && monitored.monitors != null) {
                monitored.monitors.remove(pid);
            }
        }
    }

    /** {@code watcher} monitors this process ({@code on}) or no longer does. */
    void monitoredBy(Slot watcher, boolean on) {
        if (on) {
            if (monitors == null) {
                monitors = new LinkedHashMap<>();
            }
            if (watcher.monitoring == null) {
                watcher.monitoring = new LinkedHashSet<>();
            }
            monitors.put(watcher.pid, watcher.ref);
            watcher.monitoring.add(pid);
        } else {
            if (monitors != null) {
                monitors.remove(watcher.pid);
            }
            if (watcher.monitoring != null) {
                watcher.monitoring.remove(pid);
            }
        }
    }

    /**
     * A short-lived census for ps: every process among {@code slots} is asked what it is doing;
     * {@code replyTo} gets the rows in pid order (one that ends meanwhile is left out).
     */
    static Behavior<Object> psTable(LongMap<Slot> slots, Duration timeout, ActorRef<Syscall.Result> replyTo) {
        Map<Long, Slot> rows = new TreeMap<>();
        List<Census.Question<Pcb.Status>> asks = new ArrayList<>();
        slots.forEachValue(s -> {
            rows.put(s.pid, s);
            asks.add(new Census.Question<>(s.pid, s.ref, r -> s.ref.tell(new Pcb.Describe(r))));
        });
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
