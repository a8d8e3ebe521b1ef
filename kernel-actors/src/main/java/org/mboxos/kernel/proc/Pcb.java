package org.mboxos.kernel.proc;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.List;
import org.mboxos.api.Down;
import org.mboxos.api.Errno;
import org.mboxos.api.Program;
import org.mboxos.api.Sys;
import org.mboxos.kernel.Contained;
import org.mboxos.kernel.Services;
import org.mboxos.kernel.dev.Clock;
import org.mboxos.kernel.ipc.Mailbox;
import org.mboxos.kernel.ipc.Registry;
import org.mboxos.kernel.sched.Scheduler;
import org.mboxos.kernel.table.Kernel;

/**
 * A process control block. It owns the program's virtual thread, its descriptor table and its
 * pid-addressed inbox, and is the only door between that thread and the kernel: the thread
 * traps ({@link Trap}), the PCB answers ({@link Syscalls}) or passes the call to the kernel
 * actor that owns the state, and hands the reply back.
 *
 * <p>Invariants:
 * <ul>
 *   <li>At most one call is in progress; {@link #blockedAt} says where it waits.</li>
 *   <li>The PCB knows the other processes it has talked to ({@link PeerCalls}) and watches their
 *       PCBs: a send still waiting on a peer's inbox when the peer is gone fails with ESRCH, and
 *       a receive from that peer alone is told the sender will never send again.</li>
 *   <li>Ending (exit or kill) is complete when the thread is unwound, the call in progress is
 *       withdrawn along the path it took, and the inbox has discarded what it held; only then
 *       is the process table told ({@link Kernel.Ended}). The PCB stays, answering nothing, until
 *       the table reaps it, so that any introduction the table sent before gets an answer.</li>
 * </ul>
 */
public final class Pcb extends AbstractOnMessageBehavior<Pcb.Command> implements Contained.Faultable<Pcb.Command> {

    /** The PCB's protocol: its thread's traps, the process table's orders, and kernel actors' replies. */
    public sealed interface Command permits Trapped, Die, Reap, Describe, Introduce, Dispatch, Answer, Notify,
            PeerGone, Confirmed, Syscall.Result {}

    /** A system call from the program's own thread. */
    record Trapped(Syscall call) implements Command {}

    /** From the process table: withdraw the call in progress, close the inbox, end. */
    public record Die(long killer) implements Command {}

    /** From the process table: the end is complete; stop. */
    public record Reap() implements Command {}

    /** From the process table (ps): what this process is doing. */
    public record Describe(ActorRef<Status> replyTo) implements Command {}

    public record Status(long pid, String state, String blockedIn) {}

    /** From the process table: another process asks for this one's PCB and inbox. */
    public record Introduce(ActorRef<Syscall.Result> replyTo) implements Command {}

    /** From the Scheduler (lottery mode): the CPU is yours; return from the call. */
    public record Dispatch() implements Command {}

    /** From a server this process called: its answer; {@code replyTo} learns whether it was awaited. */
    public record Answer(long from, byte[] data, ActorRef<Syscall.Result> replyTo) implements Command {}

    /** From the process table: a process this one monitors has ended. */
    public record Notify(Down down) implements Command {}

    /**
     * From the process table: process {@code pid} has ended (told to every PCB, in pid order,
     * so that a lottery run replays; a death watch would notify in an order of its own).
     */
    public record PeerGone(long pid) implements Command {}

    /** While ending: the inbox has closed ({@code inbox}), or the call in progress has left its box. */
    private record Confirmed(boolean inbox) implements Command {}

    final long pid;
    final String program;
    final Services services;
    final Descriptors fds;
    final ActorRef<Syscall.Result> replies;
    private final Trap trap;
    final Syscalls syscalls;
    final PeerCalls peerCalls;
    /** This process's inbox, opened at first use ({@link PeerCalls#inbox}); null until then. */
    ActorRef<Mailbox.Command> inbox;
    Syscall inProgress;
    Waiting blockedAt = Waiting.NOWHERE;
    int tickets = 1;
    /** Lottery mode: the result that waits for the CPU. */
    private Syscall.Result pending;
    /** Set once the process has sent the registry a request: it may hold something there when it ends. */
    boolean named;
    /** Set once the process has begun to end. */
    private Ending ending;

    public static Behavior<Command> create(long pid, Program program, List<String> args, Services services) {
        return Contained.of(services.trace(), Behaviors.setup(ctx -> new Pcb(ctx, pid, program, args, services)));
    }

    private Pcb(ActorContext<Command> ctx, long pid, Program program, List<String> args, Services services) {
        super(ctx);
        this.pid = pid;
        this.program = program.name();
        this.services = services;
        this.fds = new Descriptors(pid);
        this.trap = new Trap(pid, ctx.getSelf(), program, args, services);
        this.replies = ctx.getSelf().narrow();
        this.syscalls = new Syscalls(this);
        this.peerCalls = new PeerCalls(this);
        if (services.lottery()) { // enrolled here, in kernel order: the thread waits for its first dispatch
            pending = Syscall.Result.OK;
            services.scheduler().tell(new Scheduler.Ready(pid, this.program, tickets, ctx.getSelf()));
        }
        Thread.ofVirtual().name("pid-" + pid + "-" + program.name()).start(trap);
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        if (ending != null) {
            return onMessageWhileEnding(msg);
        }
        return switch (msg) {
            case Trapped t -> onTrapped(t.call());
            case Syscall.Result r -> onReturned(r);
            case Die d -> onDie(d);
            case Reap r -> Behaviors.stopped(); // not reached: the table reaps only what has ended
            case Describe d -> onDescribe(d);
            case Introduce i -> onIntroduce(i);
            case Dispatch d -> onDispatch();
            case Answer a -> onAnswer(a);
            case Notify n -> onNotify(n);
            case PeerGone g -> onPeerGone(g);
            case Confirmed c -> this;
        };
    }

    private Behavior<Command> onTrapped(Syscall call) {
        inProgress = call;
        if (services.lottery()) {
            services.scheduler().tell(new Scheduler.Released(pid));
        }
        String bad = call.badArgument();
        if (bad != null) {
            return complete(Syscall.Result.fail(Errno.EINVAL, bad));
        }
        if (call instanceof Syscall.Exit e) {
            if (e.crash() != null) { // traced here, not on the thread: a process killed meanwhile has no crash after its exit
                services.trace().event("crash", pid, program, "error", e.crash());
            }
            return beginEnd(e.status(), "exit", false, null);
        }
        syscalls.dispatch(call);
        return this;
    }

    private Behavior<Command> onReturned(Syscall.Result result) {
        if (blockedAt instanceof Waiting.Introducing) {
            peerCalls.introduced(result, syscalls);
            return this;
        }
        switch (result) {
            case Syscall.Result.Readiness r -> syscalls.answerSelect(r);
            case Syscall.Result.SelectTimeout t -> syscalls.answerSelect(t);
            case Syscall.Result.Failed f when syscalls.selecting() -> syscalls.answerSelect(f);
            case Syscall.Result.Taken t -> peerCalls.taken();
            case Syscall.Result.Opened o -> complete(new Syscall.Result.Value(
                    fds.add(new Descriptors.Fd.OfBox(o.box(), o.name(), o.ref()))));
            case Syscall.Result.OpenedSync o -> complete(new Syscall.Result.Value(
                    fds.add(new Descriptors.Fd.OfSync(o.id(), o.name(), o.object()))));
            default -> complete(result);
        }
        return this;
    }

    private Behavior<Command> onAnswer(Answer a) {
        peerCalls.answered(a);
        return this;
    }

    /** A monitored process ended: the kernel (sender 0) says so in this process's inbox. */
    private Behavior<Command> onNotify(Notify n) {
        peerCalls.inbox().tell(new Mailbox.Send(0, "kernel", n.down().encode(), false, Sys.FOREVER,
                getContext().getSystem().ignoreRef()));
        return this;
    }

    /** Spawns this process's inbox. */
    ActorRef<Mailbox.Command> spawnInbox(Behavior<Mailbox.Command> box) {
        return getContext().spawn(box, "inbox");
    }

    private Behavior<Command> onIntroduce(Introduce i) {
        i.replyTo().tell(new Syscall.Result.Peer(pid, getContext().getSelf(), peerCalls.inbox()));
        return this;
    }

    private Behavior<Command> onPeerGone(PeerGone g) {
        peerCalls.peerGone(g.pid());
        return this;
    }

    /** Hands the result to the program's thread; every failed call is traced here, once. */
    Behavior<Command> complete(Syscall.Result result) {
        if (result instanceof Syscall.Result.Failed f) {
            services.trace().event("error", pid, program, "call", inProgress.callName(), "errno", f.errno().name(),
                    "message", f.message());
        }
        inProgress = null;
        blockedAt = Waiting.NOWHERE;
        peerCalls.callOver();
        if (services.lottery()) {
            pending = result;
            services.scheduler().tell(new Scheduler.Ready(pid, program, tickets, getContext().getSelf()));
        } else {
            trap.complete(result);
        }
        return this;
    }

    private Behavior<Command> onDispatch() {
        Syscall.Result r = pending;
        pending = null;
        trap.complete(r);
        return this;
    }

    private Behavior<Command> onDescribe(Describe d) {
        String state = ending != null ? "ending" : inProgress == null ? "running" : "blocked";
        d.replyTo().tell(new Status(pid, state, fds.describe(inProgress)));
        return this;
    }

    private Behavior<Command> onDie(Die d) {
        services.trace().event("kill", pid, program, "killer", d.killer(), "blocked_in", fds.describe(inProgress));
        return beginEnd(Sys.KILLED, "killed", true, withdrawCall());
    }

    /**
     * A fault in this PCB ({@link Contained}): the process ends as if main had crashed, status
     * CRASHED and how {@code fault}; its thread unwinds, its call is withdrawn and its inbox
     * closed as for a kill. A PCB already ending goes on ending.
     */
    @Override
    public void failWaiters(Syscall.Result.Failed failure) {
        if (ending == null) {
            beginEnd(Sys.CRASHED, "fault", false, withdrawCall());
        }
    }

    /** After a fault the PCB is ending: it answers as an ending PCB does. */
    @Override
    public Behavior<Command> whenFailed(Command msg, Syscall.Result.Failed failure) {
        return ending != null ? onMessageWhileEnding(msg) : Behaviors.stopped();
    }

    /** Withdraws the call in progress from where it waits; returns the box or clock that will confirm ({@link Confirmed}). */
    private Waiting withdrawCall() {
        return syscalls.withdraw(pid, blockedAt,
                () -> getContext().messageAdapter(Mailbox.Withdrawn.class, w -> new Confirmed(false)),
                () -> getContext().messageAdapter(Clock.Cancelled.class, c -> new Confirmed(false)));
    }

    /** Unwinds the thread and closes the inbox; the end completes as {@link Ending} says. */
    private Behavior<Command> beginEnd(int status, String how, boolean killed, Waiting withdrawing) {
        inProgress = null;
        blockedAt = Waiting.NOWHERE;
        if (killed) {
            trap.kill();
        } else {
            trap.end();
        }
        if (services.lottery()) {
            services.scheduler().tell(new Scheduler.Gone(pid));
        }
        if (inbox != null) {
            String reason = "owner " + how;
            services.trace().event("mbox-free", 0, "kernel", "box", -pid, "name", Registry.INBOX_PREFIX + pid, "reason", reason);
            getContext().watchWith(inbox, new Confirmed(true));
            inbox.tell(new Mailbox.Free(reason, Errno.ESRCH));
        }
        ending = new Ending(new Kernel.Ended(pid, status, how, named), services, withdrawing, inbox != null);
        return this;
    }

    private Behavior<Command> onMessageWhileEnding(Command msg) {
        switch (msg) {
            case Confirmed c -> ending.confirmed(c.inbox());
            case PeerGone g -> ending.peerGone(g.pid());
            case Reap r -> {
                return Behaviors.stopped();
            }
            case Introduce i -> i.replyTo().tell(Syscall.Result.fail(Errno.ESRCH, "process " + pid + " has ended"));
            case Answer a -> { // once the table knows, the server hears PeerGone: answering too would end its reply twice
                if (!ending.told()) {
                    a.replyTo().tell(Syscall.Result.fail(Errno.ESRCH, "process " + pid + " has ended"));
                }
            }
            case Describe d -> onDescribe(d);
            default -> {} // replies to a withdrawn call, a kill that came too late, a peer's end
        }
        return this;
    }
}
