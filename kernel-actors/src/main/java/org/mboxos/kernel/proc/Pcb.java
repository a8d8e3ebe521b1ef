package org.mboxos.kernel.proc;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.List;
import java.util.TreeMap;
import org.mboxos.api.Errno;
import org.mboxos.api.Killed;
import org.mboxos.api.Program;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.kernel.dev.Clock;
import org.mboxos.kernel.dev.Console;
import org.mboxos.kernel.ipc.Mailbox;
import org.mboxos.kernel.sched.Scheduler;
import org.mboxos.kernel.sync.Barrier;
import org.mboxos.kernel.sync.Condition;
import org.mboxos.kernel.sync.Lock;
import org.mboxos.kernel.sync.Semaphore;
import org.mboxos.kernel.sync.SyncObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process control block. It owns the program's virtual thread and is the only door between
 * that thread and the kernel: the thread traps ({@link Trap}), the PCB answers or forwards the
 * call to the kernel actor that owns the state, and hands the reply back.
 *
 * <p>Invariants:
 * <ul>
 *   <li>At most one call is in progress ({@link #blockedAt} says where it waits).</li>
 *   <li>The descriptor table holds exactly the mailboxes and synchronisation objects this
 *       process opened and has not closed; the Kernel's usage counts agree, because every open
 *       and close passes through here.</li>
 *   <li>Kill arrives from the Kernel. The PCB withdraws the call in progress along the same
 *       path the call took (so the withdrawal is ordered after the call), then tells the
 *       Kernel, which ends the process and only then releases the killer. Local sends enqueue
 *       synchronously, so nothing the killer does after kill returns can reach a box before
 *       the withdrawal.</li>
 * </ul>
 */
public final class Pcb extends AbstractOnMessageBehavior<Pcb.Command> {
    private static final Logger CRASHES = LoggerFactory.getLogger("mboxos.crash");

    /** The PCB's protocol: its thread's traps, the Kernel's orders, and every kernel actor's replies. */
    public sealed interface Command permits Trapped, Kill, Describe, Dispatch, Syscall.Result {}

    /** A system call from the program's own thread. */
    record Trapped(Syscall call) implements Command {}

    /** From the Kernel: withdraw the call in progress, tell the Kernel, stop. */
    public record Kill(long killer) implements Command {}

    /** From the Kernel (ps): what this process is doing. */
    public record Describe(ActorRef<Status> replyTo) implements Command {}

    public record Status(long pid, String state, String blockedIn) {}

    /** From the Scheduler (lottery mode): the CPU is yours; return from the call. */
    public record Dispatch() implements Command {}

    /** An open descriptor: a mailbox or a synchronisation object. */
    private sealed interface Fd {
        long id();

        String name();

        record BoxFd(long id, String name, ActorRef<Mailbox.Command> ref) implements Fd {}

        record SyncFd(long id, String name, SyncObject object) implements Fd {}
    }

    /** Where the call in progress waits, so that kill can withdraw it from there. */
    private sealed interface Waiting {
        record Nowhere() implements Waiting {}

        record InKernel() implements Waiting {}

        record InClock() implements Waiting {}

        record InBox(ActorRef<Mailbox.Command> box) implements Waiting {}

        record InInbox(long ofPid) implements Waiting {}

        /** In a lock, semaphore, condition or barrier: the Kernel withdraws it there (Gone). */
        record InSync() implements Waiting {}
    }

    private static final Waiting NOWHERE = new Waiting.Nowhere();

    private final long pid;
    private final String program;
    private final Kernel.Services kernel;
    private final Trap trap;
    private final ActorRef<Syscall.Result> replies;
    private final TreeMap<Integer, Fd> fds = new TreeMap<>();
    private Syscall inProgress;
    private int tickets = 1;
    /** Lottery mode: the result that waits for the CPU. */
    private Syscall.Result pending;
    private Waiting blockedAt = NOWHERE;

    public static Behavior<Command> create(long pid, Program program, List<String> args, Kernel.Services kernel) {
        return Behaviors.setup(ctx -> new Pcb(ctx, pid, program, args, kernel));
    }

    private Pcb(ActorContext<Command> ctx, long pid, Program program, List<String> args, Kernel.Services kernel) {
        super(ctx);
        this.pid = pid;
        this.program = program.name();
        this.kernel = kernel;
        this.trap = new Trap(pid, ctx.getSelf());
        this.replies = ctx.getSelf().narrow();
        if (kernel.lottery()) { // enrolled here, in kernel order: the thread waits for its first dispatch
            pending = Syscall.Result.OK;
            kernel.scheduler().tell(new Scheduler.Ready(pid, this.program, tickets, ctx.getSelf()));
        }
        Thread.ofVirtual().name("pid-" + pid + "-" + program.name()).start(() -> run(program, args));
    }

    /** The program's thread: main, then exit with its status. */
    private void run(Program p, List<String> args) {
        Usys sys = new Usys(trap, kernel.settings().seed(), pid);
        int status;
        try {
            if (kernel.lottery()) {
                trap.await(); // the CPU, for the first time
            }
            status = p.main(sys, args);
        } catch (Killed | Trap.Ended e) {
            return;
        } catch (Throwable t) {
            CRASHES.error("process {} ({}) crashed", pid, program, t);
            kernel.trace().event("crash", pid, program, "error", t.toString());
            status = Sys.CRASHED;
        }
        try {
            sys.exit(status);
        } catch (Killed | Trap.Ended e) {
            // the normal way out
        }
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case Trapped t -> onTrapped(t.call());
            case Syscall.Result r -> onReturned(r);
            case Kill k -> onKill(k);
            case Describe d -> onDescribe(d);
            case Dispatch d -> onDispatch();
        };
    }

    private Behavior<Command> onTrapped(Syscall call) {
        inProgress = call;
        if (kernel.lottery()) {
            kernel.scheduler().tell(new Scheduler.Released(pid));
        }
        String bad = call.badArgument();
        if (bad != null) {
            return fail(Errno.EINVAL, bad);
        }
        return switch (call) {
            case Syscall.GetPid c -> complete(new Syscall.Result.Value(pid));
            case Syscall.Yield c -> complete(Syscall.Result.OK);
            case Syscall.GetPriority c -> complete(new Syscall.Result.Value(tickets));
            case Syscall.SetPriority c -> onSetPriority(c);
            case Syscall.Print c -> onPrint(c);
            case Syscall.PrintAt c -> onPrintAt(c);
            case Syscall.ClearRow c -> onClearRow(c);
            case Syscall.GetChar c -> onGetChar();
            case Syscall.Exit c -> onExit(c);
            case Syscall.Spawn c -> toKernel(new Kernel.Spawn(pid, c.program(), c.args(), replies));
            case Syscall.Kill c -> toKernel(new Kernel.Kill(pid, c.pid(), replies));
            case Syscall.Wait c -> toKernel(new Kernel.Wait(pid, c.pid(), replies));
            case Syscall.Ps c -> toKernel(new Kernel.Ps(replies));
            case Syscall.Sleep c -> onSleep(c);
            case Syscall.MboxOpen c -> toKernel(new Kernel.OpenBox(pid, c.name(), c.capacity(), c.flags(), replies));
            case Syscall.MboxClose c -> close(c.fd(), true);
            case Syscall.Close c -> close(c.fd(), false);
            case Syscall.SyncOpen c -> toKernel(new Kernel.OpenSync(pid, c.name(), c.kind(), c.value(), replies));
            case Syscall.SyncOp c -> onSyncOp(c);
            case Syscall.CondWait c -> onCondWait(c);
            case Syscall.MboxDestroy c -> toKernel(new Kernel.DestroyBox(pid, c.name(), replies));
            case Syscall.Mboxes c -> toKernel(new Kernel.Mboxes(replies));
            case Syscall.MboxSend c -> toBox(c.fd(), new Mailbox.Send(pid, program, c.data(), false, c.timeoutMillis(), replies));
            case Syscall.MboxRecv c -> toBox(c.fd(), new Mailbox.Recv(pid, program, c.how(), replies));
            case Syscall.MboxIsFull c -> toBox(c.fd(), new Mailbox.IsFull(replies));
            case Syscall.MySend c -> onMySend(c);
            case Syscall.MyReceive c -> onMyReceive(c);
        };
    }

    private Behavior<Command> onSetPriority(Syscall.SetPriority c) {
        if (c.tickets() < 1) {
            return fail(Errno.EINVAL, "a process needs at least 1 ticket, not " + c.tickets());
        }
        tickets = c.tickets();
        kernel.trace().event("setpriority", pid, program, "tickets", tickets);
        return complete(Syscall.Result.OK);
    }

    private Behavior<Command> onPrint(Syscall.Print c) {
        kernel.trace().detail("print", pid, program, "text", c.text());
        kernel.console().tell(new Console.Print(c.text()));
        return complete(Syscall.Result.OK);
    }

    private Behavior<Command> onPrintAt(Syscall.PrintAt c) {
        if (offScreen(c.row(), c.col())) {
            return fail(Errno.EINVAL, "(" + c.row() + ", " + c.col() + ") is off the "
                    + kernel.settings().screenRows() + "x" + kernel.settings().screenCols() + " screen");
        }
        kernel.trace().detail("print-at", pid, program, "row", c.row(), "col", c.col(), "text", c.text());
        kernel.console().tell(new Console.PrintAt(c.row(), c.col(), c.text()));
        return complete(Syscall.Result.OK);
    }

    private Behavior<Command> onClearRow(Syscall.ClearRow c) {
        if (offScreen(c.row(), 0)) {
            return fail(Errno.EINVAL, "row " + c.row() + " is off the screen (" + kernel.settings().screenRows() + " rows)");
        }
        kernel.trace().detail("clear-row", pid, program, "row", c.row());
        kernel.console().tell(new Console.ClearRow(c.row()));
        return complete(Syscall.Result.OK);
    }

    private boolean offScreen(int row, int col) {
        return row < 0 || row >= kernel.settings().screenRows() || col < 0 || col >= kernel.settings().screenCols();
    }

    /** get_char is a one-byte receive on the keyboard buffer, which every process may read. */
    private Behavior<Command> onGetChar() {
        blockedAt = new Waiting.InBox(kernel.keyboard());
        kernel.keyboard().tell(new Mailbox.Recv(pid, program, Recv.upTo(1), replies));
        return this;
    }

    private Behavior<Command> onExit(Syscall.Exit c) {
        kernel.kernel().tell(new Kernel.Exited(pid, c.status()));
        if (kernel.lottery()) {
            kernel.scheduler().tell(new Scheduler.Gone(pid));
        }
        trap.end();
        return Behaviors.stopped();
    }

    private Behavior<Command> onSleep(Syscall.Sleep c) {
        blockedAt = new Waiting.InClock();
        kernel.clock().tell(new Clock.Sleep(pid, program, c.millis(), replies));
        return this;
    }

    private Behavior<Command> close(int fd, boolean boxOnly) {
        Fd open = fds.get(fd);
        if (open == null || boxOnly && !(open instanceof Fd.BoxFd)) {
            return fail(Errno.EBADF, "descriptor " + fd + " is not " + (boxOnly ? "a mailbox" : "open")
                    + " in process " + pid);
        }
        fds.remove(fd);
        return toKernel(switch (open) {
            case Fd.BoxFd b -> new Kernel.CloseBox(pid, b.id(), replies);
            case Fd.SyncFd s -> new Kernel.CloseSync(pid, s.id(), replies);
        });
    }

    private Behavior<Command> onSyncOp(Syscall.SyncOp c) {
        SyncObject object = syncObject(c.fd(), c.op().kind);
        if (object == null) {
            return this;
        }
        blockedAt = new Waiting.InSync();
        switch (c.op()) {
            case LOCK_ACQUIRE -> ((SyncObject.OfLock) object).ref().tell(new Lock.Acquire(pid, program, replies));
            case LOCK_RELEASE -> ((SyncObject.OfLock) object).ref().tell(new Lock.Release(pid, program, replies));
            case SEM_UP -> ((SyncObject.OfSemaphore) object).ref().tell(new Semaphore.Up(pid, program, replies));
            case SEM_DOWN -> ((SyncObject.OfSemaphore) object).ref().tell(new Semaphore.Down(pid, program, replies));
            case COND_SIGNAL -> ((SyncObject.OfCondition) object).ref().tell(new Condition.Signal(pid, program, replies));
            case COND_BROADCAST -> ((SyncObject.OfCondition) object).ref()
                    .tell(new Condition.Broadcast(pid, program, replies));
            case BARRIER_WAIT -> ((SyncObject.OfBarrier) object).ref().tell(new Barrier.Arrive(pid, program, replies));
        }
        return this;
    }

    private Behavior<Command> onCondWait(Syscall.CondWait c) {
        SyncObject cond = syncObject(c.cond(), SyncObject.Kind.CONDITION);
        SyncObject lock = cond == null ? null : syncObject(c.lock(), SyncObject.Kind.LOCK);
        if (lock == null) {
            return this;
        }
        blockedAt = new Waiting.InSync();
        ((SyncObject.OfLock) lock).ref().tell(new Lock.ReleaseForWait(pid, program,
                ((SyncObject.OfCondition) cond).ref(), replies));
        return this;
    }

    /** The object open at {@code fd} if it is a {@code kind}; else fails the call (EBADF) and returns null. */
    private SyncObject syncObject(int fd, SyncObject.Kind kind) {
        if (fds.get(fd) instanceof Fd.SyncFd s && s.object().kind() == kind) {
            return s.object();
        }
        Fd open = fds.get(fd);
        fail(Errno.EBADF, "descriptor " + fd + (open == null ? " is not open" : " is " + describeFd(open)
                + ", not a " + kind.label()) + " in process " + pid);
        return null;
    }

    private static String describeFd(Fd fd) {
        return switch (fd) {
            case Fd.BoxFd b -> "the mailbox " + b.name();
            case Fd.SyncFd s -> "the " + s.object().kind().label() + " " + s.name();
        };
    }

    private Behavior<Command> onMySend(Syscall.MySend c) {
        blockedAt = new Waiting.InInbox(c.pid());
        kernel.kernel().tell(new Kernel.MySend(pid, program, c.pid(), c.data(), c.rendezvous(), replies));
        return this;
    }

    private Behavior<Command> onMyReceive(Syscall.MyReceive c) {
        blockedAt = new Waiting.InInbox(pid);
        kernel.kernel().tell(new Kernel.MyReceive(pid, program, c.how(), replies));
        return this;
    }

    private Behavior<Command> toKernel(Kernel.Command request) {
        blockedAt = new Waiting.InKernel();
        kernel.kernel().tell(request);
        return this;
    }

    private Behavior<Command> toBox(int fd, Mailbox.Command request) {
        if (!(fds.get(fd) instanceof Fd.BoxFd open)) {
            return fail(Errno.EBADF, "descriptor " + fd + (fds.containsKey(fd) ? " is " + describeFd(fds.get(fd))
                    + ", not a mailbox" : " is not open") + " in process " + pid);
        }
        blockedAt = new Waiting.InBox(open.ref());
        open.ref().tell(request);
        return this;
    }

    private Behavior<Command> onReturned(Syscall.Result result) {
        Fd opened = switch (result) {
            case Syscall.Result.Opened o -> new Fd.BoxFd(o.box(), o.name(), o.ref());
            case Syscall.Result.OpenedSync o -> new Fd.SyncFd(o.id(), o.name(), o.object());
            default -> null;
        };
        if (opened == null) {
            return complete(result);
        }
        int fd = lowestFreeFd();
        fds.put(fd, opened);
        return complete(new Syscall.Result.Value(fd));
    }

    private int lowestFreeFd() {
        int fd = 0;
        while (fds.containsKey(fd)) {
            fd++;
        }
        return fd;
    }

    private Behavior<Command> fail(Errno errno, String message) {
        return complete(Syscall.Result.fail(errno, message));
    }

    /** Hands the result to the program's thread; every failed call is traced here, once. */
    private Behavior<Command> complete(Syscall.Result result) {
        if (result instanceof Syscall.Result.Failed f) {
            kernel.trace().event("error", pid, program, "call", inProgress.callName(), "errno", f.errno().name(),
                    "message", f.message());
        }
        inProgress = null;
        blockedAt = NOWHERE;
        if (kernel.lottery()) {
            pending = result;
            kernel.scheduler().tell(new Scheduler.Ready(pid, program, tickets, getContext().getSelf()));
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
        d.replyTo().tell(new Status(pid, inProgress == null ? "running" : "blocked", describe(inProgress)));
        return this;
    }

    /** The call in progress as ps and the kill trace show it, e.g. {@code mbox_recv(theMbox)}. */
    private String describe(Syscall call) {
        return switch (call) {
            case null -> "";
            case Syscall.MboxSend c -> "mbox_send(" + boxName(c.fd()) + ")";
            case Syscall.MboxRecv c -> "mbox_recv(" + boxName(c.fd()) + ")";
            case Syscall.MboxIsFull c -> "mbox_is_full(" + boxName(c.fd()) + ")";
            case Syscall.Wait c -> "wait(" + c.pid() + ")";
            case Syscall.Sleep c -> "sleep(" + c.millis() + " ms)";
            case Syscall.MySend c -> "mysend(" + c.pid() + ")";
            case Syscall.MyReceive c -> "myreceive(" + (c.how().from() < 0 ? "any" : c.how().from()) + ")";
            case Syscall.Spawn c -> "spawn(" + c.program() + ")";
            case Syscall.Kill c -> "kill(" + c.pid() + ")";
            case Syscall.SyncOp c -> c.op().name().toLowerCase() + "(" + boxName(c.fd()) + ")";
            case Syscall.CondWait c -> "cond_wait(" + boxName(c.cond()) + ", " + boxName(c.lock()) + ")";
            default -> call.callName();
        };
    }

    private String boxName(int fd) {
        Fd open = fds.get(fd);
        return open == null ? "fd " + fd : open.name();
    }

    private Behavior<Command> onKill(Kill k) {
        kernel.trace().event("kill", pid, program, "killer", k.killer(), "blocked_in", describe(inProgress));
        switch (blockedAt) {
            case Waiting.InBox b -> b.box().tell(new Mailbox.Withdraw(pid));
            case Waiting.InInbox i -> kernel.kernel().tell(new Kernel.WithdrawInbox(pid, i.ofPid()));
            case Waiting.InClock c -> kernel.clock().tell(new Clock.Cancel(pid));
            case Waiting.InKernel c -> {} // the Kernel dropped this process's requests itself
            case Waiting.InSync c -> {} // the Kernel tells every object the process held (Gone)
            case Waiting.Nowhere n -> {}
        }
        kernel.kernel().tell(new Kernel.Killed(pid));
        if (kernel.lottery()) {
            kernel.scheduler().tell(new Scheduler.Gone(pid));
        }
        trap.kill();
        return Behaviors.stopped();
    }
}
