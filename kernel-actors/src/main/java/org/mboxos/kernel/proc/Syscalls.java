package org.mboxos.kernel.proc;

import akka.actor.typed.ActorRef;
import java.util.function.Supplier;
import org.mboxos.api.Errno;
import org.mboxos.api.Recv;
import org.mboxos.kernel.dev.Clock;
import org.mboxos.kernel.dev.Console;
import org.mboxos.kernel.ipc.Mailbox;
import org.mboxos.kernel.ipc.Registry;
import org.mboxos.kernel.sync.Barrier;
import org.mboxos.kernel.sync.Condition;
import org.mboxos.kernel.sync.Lock;
import org.mboxos.kernel.sync.Semaphore;
import org.mboxos.kernel.sync.SyncObject;
import org.mboxos.kernel.table.Kernel;

/**
 * The system-call table of one PCB (xv6's syscall.c and sysproc.c): each call either completes
 * on the PCB's turn or goes, with the PCB as its reply address, to the one kernel actor that
 * owns the state it needs, and {@link Pcb#blockedAt} records where. Runs only on the PCB's turns.
 */
final class Syscalls {
    private final Pcb pcb;
    /** The select in progress, if the call in progress is one. */
    private Selection selection;
    private long selects;
    /** Where the last call into a box waited (immutable, so reused while calls go to the same box). */
    private Waiting.InBox lastBox;

    Syscalls(Pcb pcb) {
        this.pcb = pcb;
    }

    /** Carries out {@code call}, or sends it on its way. Exit is the PCB's own business. */
    void dispatch(Syscall call) {
        long pid = pcb.pid;
        String prog = pcb.program;
        ActorRef<Syscall.Result> replies = pcb.replies;
        switch (call) {
            case Syscall.GetPid c -> pcb.complete(new Syscall.Result.Value(pid));
            case Syscall.Yield c -> pcb.complete(Syscall.Result.OK);
            case Syscall.GetPriority c -> pcb.complete(new Syscall.Result.Value(pcb.tickets));
            case Syscall.SetPriority c -> setPriority(c);
            case Syscall.Print c -> print(c);
            case Syscall.PrintAt c -> printAt(c);
            case Syscall.ClearRow c -> clearRow(c);
            case Syscall.GetChar c -> waitIn(pcb.services.keyboardBuffer(), 0,
                    new Mailbox.Receive(pid, prog, Recv.upTo(1), Mailbox.IfNone.WAIT, replies));
            case Syscall.Exit c -> throw new IllegalStateException("exit is the PCB's own");
            case Syscall.Sleep c -> sleep(c);
            case Syscall.Spawn c -> toTable(new Kernel.Spawn(pid, c.program(), c.args(), replies));
            case Syscall.Kill c -> toTable(new Kernel.KillPid(pid, c.pid(), replies));
            case Syscall.Wait c -> toTable(new Kernel.Wait(pid, c.pid(), replies));
            case Syscall.Ps c -> toTable(new Kernel.Ps(replies));
            case Syscall.MboxOpen c -> toRegistry(new Registry.Open(pid, prog, c.name(),
                    new Registry.Spec.Box(c.capacity(), c.flags()), replies));
            case Syscall.SyncOpen c -> toRegistry(new Registry.Open(pid, prog, c.name(),
                    new Registry.Spec.Sync(c.kind(), c.value()), replies));
            case Syscall.MboxClose c -> close(c.fd(), true);
            case Syscall.Close c -> close(c.fd(), false);
            case Syscall.MboxDestroy c -> toRegistry(new Registry.Destroy(pid, prog, c.name(), replies));
            case Syscall.Mboxes c -> toRegistry(new Registry.ListBoxes(replies));
            case Syscall.MboxSend c -> toBox(c.fd(), new Mailbox.Send(pid, prog, c.data(), Mailbox.Handoff.QUEUED,
                    c.priority(), c.timeoutMillis(), replies));
            case Syscall.MboxRecv c -> toBox(c.fd(), new Mailbox.Receive(pid, prog, c.how(), Mailbox.IfNone.WAIT, replies));
            case Syscall.MboxIsFull c -> toBox(c.fd(), new Mailbox.IsFull(replies));
            case Syscall.SyncOp c -> syncOp(c);
            case Syscall.CondWait c -> condWait(c);
            case Syscall.MySend c -> pcb.peerCalls.send(c.pid(), c.data(),
                    c.rendezvous() ? Mailbox.Handoff.RENDEZVOUS : Mailbox.Handoff.QUEUED);
            case Syscall.MyReceive c -> pcb.peerCalls.receive(c);
            case Syscall.Call c -> pcb.peerCalls.send(c.pid(), c.request(), Mailbox.Handoff.CALL);
            case Syscall.Reply c -> pcb.peerCalls.reply(c);
            case Syscall.Select c -> selection = Selection.start(pcb, ++selects, c);
            case Syscall.Monitor c -> toTable(new Kernel.Monitor(pid, c.pid(), c.on(), replies));
        }
    }

    private void setPriority(Syscall.SetPriority c) {
        if (c.tickets() < 1) {
            pcb.complete(Syscall.Result.fail(Errno.EINVAL, "a process needs at least 1 ticket, not " + c.tickets()));
            return;
        }
        pcb.tickets = c.tickets();
        pcb.services.trace().event("setpriority", pcb.pid, pcb.program, "tickets", pcb.tickets);
        pcb.complete(Syscall.Result.OK);
    }

    private void print(Syscall.Print c) {
        pcb.services.trace().detail("print", pcb.pid, pcb.program, "text", c.text());
        pcb.services.console().tell(new Console.Print(c.text()));
        pcb.complete(Syscall.Result.OK);
    }

    private void printAt(Syscall.PrintAt c) {
        if (offScreen(c.row(), c.col())) {
            pcb.complete(Syscall.Result.fail(Errno.EINVAL, "(" + c.row() + ", " + c.col() + ") is off the "
                    + pcb.services.settings().screenRows() + "x" + pcb.services.settings().screenCols() + " screen"));
            return;
        }
        pcb.services.trace().detail("print-at", pcb.pid, pcb.program, "row", c.row(), "col", c.col(), "text", c.text());
        pcb.services.console().tell(new Console.PrintAt(c.row(), c.col(), c.text()));
        pcb.complete(Syscall.Result.OK);
    }

    private void clearRow(Syscall.ClearRow c) {
        if (offScreen(c.row(), 0)) {
            pcb.complete(Syscall.Result.fail(Errno.EINVAL, "row " + c.row() + " is off the screen ("
                    + pcb.services.settings().screenRows() + " rows)"));
            return;
        }
        pcb.services.trace().detail("clear-row", pcb.pid, pcb.program, "row", c.row());
        pcb.services.console().tell(new Console.ClearRow(c.row()));
        pcb.complete(Syscall.Result.OK);
    }

    private boolean offScreen(int row, int col) {
        var s = pcb.services.settings();
        return row < 0 || row >= s.screenRows() || col < 0 || col >= s.screenCols();
    }

    private void sleep(Syscall.Sleep c) {
        pcb.blockedAt = new Waiting.InClock();
        pcb.services.clock().tell(new Clock.Sleep(pcb.pid, pcb.program, c.millis(), pcb.replies));
    }

    private void close(int fd, boolean boxOnly) {
        Descriptors.Fd open = pcb.fds.get(fd);
        if (open == null || boxOnly && !(open instanceof Descriptors.Fd.OfBox)) {
            pcb.complete(pcb.fds.notA(fd, boxOnly ? "a mailbox" : "open"));
            return;
        }
        pcb.fds.remove(fd);
        toRegistry(new Registry.Close(pcb.pid, pcb.program, open.id(), pcb.replies));
    }

    private void syncOp(Syscall.SyncOp c) {
        SyncObject object = pcb.fds.sync(c.fd(), c.op().kind);
        if (object == null) {
            pcb.complete(pcb.fds.notA(c.fd(), "a " + c.op().kind.label()));
            return;
        }
        long pid = pcb.pid;
        String prog = pcb.program;
        ActorRef<Syscall.Result> replies = pcb.replies;
        pcb.blockedAt = new Waiting.InSync();
        switch (c.op()) {
            case LOCK_ACQUIRE -> ((SyncObject.OfLock) object).ref().tell(new Lock.Acquire(pid, prog, replies));
            case LOCK_RELEASE -> ((SyncObject.OfLock) object).ref().tell(new Lock.Release(pid, prog, replies));
            case SEM_UP -> ((SyncObject.OfSemaphore) object).ref().tell(new Semaphore.Up(pid, prog, replies));
            case SEM_DOWN -> ((SyncObject.OfSemaphore) object).ref().tell(new Semaphore.Down(pid, prog, replies));
            case COND_SIGNAL -> ((SyncObject.OfCondition) object).ref().tell(new Condition.Signal(pid, prog, replies));
            case COND_BROADCAST -> ((SyncObject.OfCondition) object).ref().tell(new Condition.Broadcast(pid, prog, replies));
            case BARRIER_WAIT -> ((SyncObject.OfBarrier) object).ref().tell(new Barrier.Arrive(pid, prog, replies));
        }
    }

    private void condWait(Syscall.CondWait c) {
        SyncObject cond = pcb.fds.sync(c.cond(), SyncObject.Kind.CONDITION);
        SyncObject lock = pcb.fds.sync(c.lock(), SyncObject.Kind.LOCK);
        if (cond == null || lock == null) {
            pcb.complete(cond == null ? pcb.fds.notA(c.cond(), "a condition") : pcb.fds.notA(c.lock(), "a lock"));
            return;
        }
        pcb.blockedAt = new Waiting.InSync();
        ((SyncObject.OfLock) lock).ref().tell(new Lock.ReleaseForWait(pcb.pid, pcb.program,
                ((SyncObject.OfCondition) cond).ref(), pcb.replies));
    }

    /** Sends {@code request} to {@code box} ({@code peer}'s inbox, or 0), where the call in progress now waits. */
    void waitIn(ActorRef<Mailbox.Command> box, long peer, Mailbox.Command request) {
        if (!(lastBox != null && lastBox.box() == box && lastBox.peer() == peer)) {
            lastBox = new Waiting.InBox(box, peer);
        }
        pcb.blockedAt = lastBox;
        box.tell(request);
    }

    /**
     * The call in progress of a process being killed leaves where it waits ({@code at}), along
     * the path it took. Returns where it waits until the box ({@code boxDone}) or the clock
     * ({@code clockDone}) confirms that it left, or null when there is nothing to wait for.
     */
    Waiting withdraw(long pid, Waiting at, Supplier<ActorRef<Mailbox.Withdrawn>> boxDone,
            Supplier<ActorRef<Clock.Cancelled>> clockDone) {
        switch (at) {
            case Waiting.InBox b -> {
                b.box().tell(new Mailbox.Withdraw(pid, boxDone.get()));
                return b;
            }
            case Waiting.InClock c -> {
                pcb.services.clock().tell(new Clock.Cancel(pid, clockDone.get()));
                return c;
            }
            case Waiting.InSelect s -> cancelSelect();
            case Waiting.InKernel c -> {} // the table and the registry drop a dying process's requests
            case Waiting.Introducing c -> {} // the answer will find the PCB ending
            case Waiting.InSync c -> {} // the registry tells every object the process opened (Gone)
            case Waiting.ForAnswer f -> {} // the server's answer will find the PCB ending
            case Waiting.Answering a -> {} // the caller's verdict will find the PCB ending
            case Waiting.Nowhere n -> {}
        }
        return null;
    }

    boolean selecting() {
        return selection != null;
    }

    /** A box's answer to the select in progress (or to one that is over: then it is dropped). */
    void answerSelect(Syscall.Result r) {
        Syscall.Result done = selection == null ? null : selection.onAnswer(r);
        if (done != null) {
            selection = null;
            pcb.complete(done);
        }
    }

    /** The selecting process is killed: its watches and timeout go. */
    private void cancelSelect() {
        selection.cancel();
        selection = null;
    }

    private void toTable(Kernel.Command request) {
        pcb.blockedAt = new Waiting.InKernel();
        pcb.services.processTable().tell(request);
    }

    private void toRegistry(Registry.Command request) {
        pcb.blockedAt = new Waiting.InKernel();
        pcb.named = true;
        pcb.services.registry().tell(request);
    }

    private void toBox(int fd, Mailbox.Command request) {
        ActorRef<Mailbox.Command> box = pcb.fds.box(fd);
        if (box == null) {
            pcb.complete(pcb.fds.notA(fd, "a mailbox"));
            return;
        }
        waitIn(box, 0, request);
    }
}
