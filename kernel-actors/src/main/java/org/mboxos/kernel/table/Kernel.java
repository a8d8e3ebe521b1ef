package org.mboxos.kernel.table;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.List;
import java.util.function.Function;
import org.mboxos.api.Down;
import org.mboxos.api.Errno;
import org.mboxos.api.Program;
import org.mboxos.api.Sys;
import org.mboxos.kernel.LongMap;
import org.mboxos.kernel.Ramdisk;
import org.mboxos.kernel.Services;
import org.mboxos.kernel.ipc.Registry;
import org.mboxos.kernel.proc.Pcb;
import org.mboxos.kernel.proc.Syscall;

/**
 * The kernel supervisor of the design: the process table. It arbitrates spawn, exit, kill and
 * wait, keeps the exit log, answers ps, and introduces processes to each other (so that
 * pid-addressed messages then flow from PCB to inbox without passing through here). The PCBs
 * are its children.
 *
 * <p>Invariants:
 * <ul>
 *   <li>A pid is in {@link #table} from spawn until its end is complete; pids are never
 *       reused, and at most {@code kernel.num-pcbs} entries exist at once.</li>
 *   <li>An entry is RUNNING, DYING (kill sent to its PCB, which withdraws its blocked call and
 *       closes its inbox) or ENDING (its PCB is done; the registry is releasing what it held).
 *       Requests from a process that is not RUNNING are dropped: its thread is unwinding.</li>
 *   <li>An end is complete when the registry has released the process's descriptors (at once
 *       if it never asked the registry anything). Only then are its waiters woken and its
 *       killers answered, so that once kill or wait returns, the process is out of the table,
 *       out of every queue, and holds nothing.</li>
 * </ul>
 */
public final class Kernel extends AbstractOnMessageBehavior<Kernel.Command> {

    public sealed interface Command {}

    /** Starts {@code program} as pid 1; {@code replyTo} gets its exit status when it ends. */
    public record Boot(String program, List<String> args, ActorRef<Syscall.Result> replyTo) implements Command {}

    public record Spawn(long caller, String program, List<String> args, ActorRef<Syscall.Result> replyTo)
            implements Command {}

    public record KillPid(long caller, long victim, ActorRef<Syscall.Result> replyTo) implements Command {}

    public record Wait(long caller, long pid, ActorRef<Syscall.Result> replyTo) implements Command {}

    public record Ps(ActorRef<Syscall.Result> replyTo) implements Command {}

    /** Asks for {@code target}'s PCB and inbox; the target's PCB answers {@code replyTo} itself. */
    public record Introduce(long caller, long target, ActorRef<Syscall.Result> replyTo) implements Command {}

    /** monitor ({@code on}) or demonitor {@code target} for {@code caller}. */
    public record Monitor(long caller, long target, boolean on, ActorRef<Syscall.Result> replyTo) implements Command {}

    /**
     * From a PCB: its process exited or was killed, its thread is unwound and its inbox closed;
     * {@code named}: it asked the registry something (else the registry holds nothing of it).
     */
    public record Ended(long pid, int status, String how, boolean named) implements Command {}

    private record Released(long pid) implements Command {}

    private record PcbStopped(long pid) implements Command {}

    /** From the deadlock detector (kernel.deadlock = refuse): {@code pid}'s waitpid would close a cycle. */
    public record Refuse(long pid) implements Command {}

    private final Services services;
    private final Ramdisk ramdisk;
    private final ActorRef<Long> released;
    private final LongMap<Slot> table = new LongMap<>();
    private final ExitLog exitLog;
    private final WaitpidQueue waiters;
    private long nextPid = 1;
    private ActorRef<Syscall.Result> initWatcher;

    /** The process table; {@code services} completes the kernel's services with its reference. */
    public static Behavior<Command> create(Function<ActorRef<Command>, Services> services, Ramdisk ramdisk) {
        return Behaviors.setup(ctx -> new Kernel(ctx, services.apply(ctx.getSelf()), ramdisk));
    }

    private Kernel(ActorContext<Command> ctx, Services services, Ramdisk ramdisk) {
        super(ctx);
        this.services = services;
        this.ramdisk = ramdisk;
        this.released = ctx.messageAdapter(Long.class, Released::new);
        this.waiters = new WaitpidQueue(services, ctx.getSelf());
        this.exitLog = new ExitLog(services.settings().exitLogSize());
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case Boot b -> onBoot(b);
            case Spawn s -> onSpawn(s);
            case KillPid k -> onKill(k);
            case Wait w -> onWait(w);
            case Ps p -> onPs(p);
            case Introduce i -> onIntroduce(i);
            case Monitor m -> onMonitor(m);
            case Ended e -> onEnded(e);
            case Released r -> onReleased(r);
            case PcbStopped p -> onPcbStopped(p);
            case Refuse r -> onRefuse(r);
        };
    }

    private Behavior<Command> onBoot(Boot b) {
        initWatcher = b.replyTo();
        Syscall.Result r = spawn(0, "kernel", b.program(), b.args());
        if (r instanceof Syscall.Result.Failed) {
            b.replyTo().tell(r);
        }
        return this;
    }

    private Behavior<Command> onSpawn(Spawn s) {
        Slot parent = running(s.caller());
        if (parent != null) {
            s.replyTo().tell(spawn(s.caller(), parent.program, s.program(), s.args()));
        }
        return this;
    }

    private Syscall.Result spawn(long parent, String parentProg, String name, List<String> args) {
        Program program = ramdisk.find(name).orElse(null);
        if (program == null) {
            return Syscall.Result.fail(Errno.ENOENT, "no program named '" + name + "' on the ramdisk");
        }
        int max = services.settings().numPcbs();
        if (table.size() >= max) {
            return Syscall.Result.fail(Errno.EAGAIN, "process table full (kernel.num-pcbs = " + max + ")");
        }
        long pid = nextPid++;
        // traced before the PCB exists, so that nothing the child does can come before it in the trace
        services.trace().event("spawn", parent, parentProg, "child", pid, "program", name, "args", args);
        ActorRef<Pcb.Command> ref = getContext().spawn(Pcb.create(pid, program, args, services), "pid-" + pid);
        getContext().watchWith(ref, new PcbStopped(pid));
        waiters.spawned(pid, name, ref);
        table.put(pid, new Slot(pid, name, parent, ref));
        return new Syscall.Result.Value(pid);
    }

    /** The process {@code pid} if it is alive and not being killed, else null. */
    private Slot running(long pid) {
        Slot p = table.get(pid);
        return p != null && p.state == Slot.State.RUNNING ? p : null;
    }

    private Behavior<Command> onKill(KillPid k) {
        if (running(k.caller()) == null) {
            return this;
        }
        Slot victim = table.get(k.victim());
        if (k.victim() <= 0) {
            k.replyTo().tell(Syscall.Result.fail(Errno.EINVAL, "pid must be positive, not " + k.victim()));
        } else if (victim == null) {
            k.replyTo().tell(Syscall.Result.fail(Errno.ESRCH, "no process " + k.victim()));
        } else {
            // every killer waits for the same, single end
            victim.killedBy(k.replyTo());
            if (victim.state == Slot.State.RUNNING) {
                victim.state = Slot.State.DYING;
                victim.ref.tell(new Pcb.Die(k.caller()));
            }
        }
        return this;
    }

    private Behavior<Command> onWait(Wait w) {
        Slot caller = running(w.caller());
        if (caller == null) {
            return this;
        }
        Slot target = table.get(w.pid());
        if (w.pid() <= 0) {
            w.replyTo().tell(Syscall.Result.fail(Errno.EINVAL, "pid must be positive, not " + w.pid()));
        } else if (w.pid() == w.caller()) {
            w.replyTo().tell(Syscall.Result.fail(Errno.EDEADLK, "a process cannot wait for itself"));
        } else if (target != null) {
            waiters.add(w.caller(), caller.program, w.pid(), w.replyTo());
        } else if (exitLog.containsKey(w.pid())) {
            int status = exitLog.get(w.pid());
            services.trace().event("wait-begin", w.caller(), caller.program, "waited_for", w.pid());
            services.trace().event("wait-end", w.caller(), caller.program, "waited_for", w.pid(), "status", status);
            w.replyTo().tell(new Syscall.Result.Value(status));
        } else {
            w.replyTo().tell(Syscall.Result.fail(Errno.ESRCH, "no process " + w.pid()
                    + (w.pid() < nextPid ? " (it ended too long ago to remember its status)" : "")));
        }
        return this;
    }

    private Behavior<Command> onPs(Ps p) {
        getContext().spawnAnonymous(Slot.psTable(table, services.settings().censusTimeout(), p.replyTo()));
        return this;
    }

    private Behavior<Command> onIntroduce(Introduce i) {
        if (running(i.caller()) == null) {
            return this;
        }
        Slot target = running(i.target());
        if (i.target() <= 0) {
            i.replyTo().tell(Syscall.Result.fail(Errno.EINVAL, "pid must be positive, not " + i.target()));
        } else if (target == null) {
            i.replyTo().tell(Syscall.Result.fail(Errno.ESRCH, "no process " + i.target()));
        } else {
            target.introducedTo(i.caller());
            target.ref.tell(new Pcb.Introduce(i.replyTo()));
        }
        return this;
    }

    private Behavior<Command> onMonitor(Monitor m) {
        Slot caller = running(m.caller());
        if (caller == null) {
            return this;
        }
        Slot target = table.get(m.target());
        if (m.target() <= 0 || m.target() == m.caller()) {
            m.replyTo().tell(Syscall.Result.fail(Errno.EINVAL, "cannot monitor pid " + m.target()));
        } else if (target != null || !m.on()) {
            services.trace().event(m.on() ? "monitor" : "demonitor", m.caller(), caller.program, "target", m.target());
            if (target != null) {
                target.monitoredBy(caller, m.on());
            }
            m.replyTo().tell(Syscall.Result.OK);
        } else if (exitLog.containsKey(m.target())) {
            services.trace().event("monitor", m.caller(), caller.program, "target", m.target());
            caller.ref.tell(new Pcb.Notify(new Down(m.target(), exitLog.get(m.target()))));
            m.replyTo().tell(Syscall.Result.OK);
        } else {
            m.replyTo().tell(Syscall.Result.fail(Errno.ESRCH, "no process " + m.target()));
        }
        return this;
    }

    /** Its PCB is done: the registry releases what it held; the end completes (and is traced) when it answers. */
    private Behavior<Command> onEnded(Ended e) {
        Slot p = table.get(e.pid());
        if (p != null && p.state != Slot.State.ENDING) {
            end(p, e.status(), e.how(), e.named());
        }
        return this;
    }

    /** With {@code named}, the registry releases what the process held first; else the end completes now. */
    private void end(Slot p, int status, String how, boolean named) {
        p.state = Slot.State.ENDING;
        p.status = status;
        p.how = how;
        p.leave(table, waiters); // its own waitpid and monitors are over
        if (named) {
            services.registry().tell(new Registry.ProcessEnded(p.pid, p.program, how, released));
        } else {
            complete(p);
        }
    }

    private Behavior<Command> onReleased(Released r) {
        Slot p = table.get(r.pid());
        if (p != null) {
            complete(p);
        }
        return this;
    }

    /** The end of {@code p} is complete: it leaves the table, and its waiters, killers and monitors hear of it. */
    private void complete(Slot p) {
        table.remove(p.pid);
        exitLog.put(p.pid, p.status);
        // traced once everything of the process is released, so nothing of it comes after its exit
        services.trace().event("exit", p.pid, p.program, "status", p.status, "how", p.how);
        waiters.ended(p.pid, p.status);
        p.killers().forEach(killer -> killer.tell(Syscall.Result.OK));
        p.monitors().forEach(m -> m.tell(new Pcb.Notify(new Down(p.pid, p.status))));
        for (long known : p.introducedTo()) { // in pid order: replayable
            Slot other = table.get(known);
            if (other != null) {
                other.ref.tell(new Pcb.PeerGone(p.pid));
            }
        }
        if (p.pid == 1 && initWatcher != null) {
            initWatcher.tell(new Syscall.Result.Value(p.status));
        }
        p.ref.tell(new Pcb.Reap());
    }

    private Behavior<Command> onPcbStopped(PcbStopped s) {
        Slot p = table.get(s.pid());
        if (p != null && p.state != Slot.State.ENDING) { // stopped without ending: a kernel fault in the PCB
            end(p, Sys.CRASHED, "lost", true);
        }
        return this;
    }

    private Behavior<Command> onRefuse(Refuse r) {
        waiters.refuse(r.pid());
        return this;
    }
}
