package org.mboxos.kernel.proc;

import akka.actor.typed.ActorRef;
import org.mboxos.api.Errno;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.kernel.dev.Clock;
import org.mboxos.kernel.dev.Console;
import org.mboxos.kernel.ipc.Mailbox;
import org.mboxos.kernel.ipc.Registry;
import org.mboxos.kernel.sync.Barrier;
import org.mboxos.kernel.sync.Condition;
import org.mboxos.kernel.sync.Lock;
import org.mboxos.kernel.sync.Semaphore;
import org.mboxos.kernel.sync.SyncObject;

/**
 * The system-call table of one PCB (xv6's syscall.c and sysproc.c): each call either completes
 * on the PCB's turn or goes, with the PCB as its reply address, to the one kernel actor that
 * owns the state it needs, and {@link Pcb#blockedAt} records where. Runs only on the PCB's turns.
 */
final class Syscalls {
    private final Pcb pcb;
    /** Where the last call into a box waited (immutable, so reused while calls go to the same box). */
    private Pcb.Waiting.InBox lastBox;

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
            case Syscall.GetChar c -> toBox(pcb.services.keyboardBuffer(), 0,
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
            case Syscall.MboxSend c -> toBox(c.fd(), new Mailbox.Send(pid, prog, c.data(), false, c.timeoutMillis(), replies));
            case Syscall.MboxRecv c -> toBox(c.fd(), new Mailbox.Receive(pid, prog, c.how(), Mailbox.IfNone.WAIT, replies));
            case Syscall.MboxIsFull c -> toBox(c.fd(), new Mailbox.IsFull(replies));
            case Syscall.SyncOp c -> syncOp(c);
            case Syscall.CondWait c -> condWait(c);
            case Syscall.MySend c -> mysend(c);
            case Syscall.MyReceive c -> myreceive(c);
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
        pcb.blockedAt = new Pcb.Waiting.InClock();
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
        pcb.blockedAt = new Pcb.Waiting.InSync();
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
        pcb.blockedAt = new Pcb.Waiting.InSync();
        ((SyncObject.OfLock) lock).ref().tell(new Lock.ReleaseForWait(pcb.pid, pcb.program,
                ((SyncObject.OfCondition) cond).ref(), pcb.replies));
    }

    /** To {@code to}'s inbox: straight there once the process table has introduced {@code to}. */
    private void mysend(Syscall.MySend c) {
        if (c.pid() <= 0) {
            pcb.complete(Syscall.Result.fail(Errno.EINVAL, "pid must be positive, not " + c.pid()));
            return;
        }
        ActorRef<Mailbox.Command> inbox = c.pid() == pcb.pid ? pcb.inbox() : peerInbox(c.pid());
        if (inbox != null) {
            toBox(inbox, c.pid(), new Mailbox.Send(pcb.pid, pcb.program, c.data(), c.rendezvous(), Sys.FOREVER, pcb.replies));
        }
    }

    /**
     * From this process's own inbox. A receive from one other process needs to know that it
     * lives, so that process is introduced first (see {@link #introduced}).
     */
    private void myreceive(Syscall.MyReceive c) {
        long from = c.how().from();
        if (from == 0) {
            pcb.complete(Syscall.Result.fail(Errno.EINVAL, "pid 0 names no process (negative: any sender)"));
        } else if (from > 0 && from != pcb.pid && !pcb.peers.containsKey(from)) {
            introduce(from);
        } else {
            receive(c, c.poll() ? Mailbox.IfNone.POLL : Mailbox.IfNone.WAIT);
        }
    }

    private void receive(Syscall.MyReceive c, Mailbox.IfNone ifNone) {
        long from = c.how().from();
        toBox(pcb.inbox(), from > 0 && from != pcb.pid ? from : 0,
                new Mailbox.Receive(pcb.pid, pcb.program, c.how(), ifNone, pcb.replies));
    }

    /** {@code pid}'s inbox if it has been introduced; else asks the process table and returns null. */
    private ActorRef<Mailbox.Command> peerInbox(long pid) {
        Syscall.Result.Peer peer = pcb.peers.get(pid);
        if (peer != null) {
            return peer.inbox();
        }
        introduce(pid);
        return null;
    }

    private void introduce(long pid) {
        pcb.blockedAt = new Pcb.Waiting.Introducing(pid);
        pcb.services.processTable().tell(new Kernel.Introduce(pcb.pid, pid, pcb.replies));
    }

    /**
     * The process table's answer to the introduction the call in progress asked for: the call
     * goes on, or fails. A receive from a process that has ended still takes what it sent
     * before, and only then fails with ESRCH instead of waiting forever.
     */
    void introduced(Syscall.Result r) {
        switch (r) {
            case Syscall.Result.Peer p -> {
                pcb.meet(p);
                dispatch(pcb.inProgress);
            }
            case Syscall.Result.Failed f when f.errno() == Errno.ESRCH && pcb.inProgress instanceof Syscall.MyReceive c ->
                    receive(c, Mailbox.IfNone.SENDER_GONE);
            default -> pcb.complete(r);
        }
    }

    private void toTable(Kernel.Command request) {
        pcb.blockedAt = new Pcb.Waiting.InKernel();
        pcb.services.processTable().tell(request);
    }

    private void toRegistry(Registry.Command request) {
        pcb.blockedAt = new Pcb.Waiting.InKernel();
        pcb.services.registry().tell(request);
    }

    private void toBox(int fd, Mailbox.Command request) {
        ActorRef<Mailbox.Command> box = pcb.fds.box(fd);
        if (box == null) {
            pcb.complete(pcb.fds.notA(fd, "a mailbox"));
            return;
        }
        toBox(box, 0, request);
    }

    private void toBox(ActorRef<Mailbox.Command> box, long peer, Mailbox.Command request) {
        Pcb.Waiting.InBox at = lastBox;
        if (at == null || at.box() != box || at.peer() != peer) { // a loop on one box allocates this once
            at = lastBox = new Pcb.Waiting.InBox(box, peer);
        }
        pcb.blockedAt = at;
        box.tell(request);
    }
}
