package org.mboxos.kernel.proc;

import akka.actor.typed.ActorRef;
import java.util.List;
import java.util.Set;
import org.mboxos.api.Errno;
import org.mboxos.api.MboxInfo;
import org.mboxos.api.Message;
import org.mboxos.api.ProcInfo;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.kernel.ipc.Mailbox;
import org.mboxos.kernel.sync.SyncObject;

/**
 * The system-call table: one record per call, as {@link Usys} packs it and the process's PCB
 * ({@link Pcb}) dispatches it; and {@link Result}, what kernel actors reply.
 */
public sealed interface Syscall {

    /** The call's name, as traces, errors and ps show it. */
    default String callName() {
        return switch (this) {
            case GetPid c -> "getpid";
            case Spawn c -> "spawn";
            case Exit c -> "exit";
            case Kill c -> "kill";
            case Wait c -> "waitpid";
            case Sleep c -> "sleep";
            case Yield c -> "yield";
            case GetPriority c -> "getpriority";
            case SetPriority c -> "setpriority";
            case Ps c -> "ps";
            case Print c -> "print";
            case PrintAt c -> "print_at";
            case ClearRow c -> "clear_row";
            case GetChar c -> "get_char";
            case MboxOpen c -> "mbox_open";
            case MboxClose c -> "mbox_close";
            case MboxDestroy c -> "mbox_destroy";
            case MboxSend c -> "mbox_send";
            case MboxRecv c -> "mbox_recv";
            case MboxIsFull c -> "mbox_is_full";
            case Mboxes c -> "mboxes";
            case MySend c -> "mysend";
            case MyReceive c -> "myreceive";
            case Close c -> "close";
            case SyncOpen c -> switch (c.kind()) {
                case LOCK -> "lock_open";
                case SEMAPHORE -> "sem_open";
                case CONDITION -> "cond_open";
                case BARRIER -> "barrier_open";
            };
            case SyncOp c -> c.op().name().toLowerCase();
            case CondWait c -> "cond_wait";
            case Select c -> "select";
            case Call c -> "call";
            case Reply c -> "reply";
            case Monitor c -> c.on() ? "monitor" : "demonitor";
        };
    }

    /**
     * Why the kernel refuses this call's arguments with EINVAL before doing anything, or null if
     * it does not: a null reference (a name, a text, a message, options), or a timeout below
     * {@link Sys#FOREVER} (-1). Checks that depend on kernel state or settings are the kernel
     * actors' own.
     */
    default String badArgument() {
        return switch (this) {
            case Spawn c -> c.program() == null ? "program name is null"
                    : c.args() == null || c.args().contains(null) ? "argument list is null" : null;
            case Print c -> c.text() == null ? "text is null" : null;
            case PrintAt c -> c.text() == null ? "text is null" : null;
            case MboxOpen c -> c.name() == null ? "box name is null"
                    : c.flags() == null || c.flags().contains(null) ? "flags is null" : null;
            case MboxDestroy c -> c.name() == null ? "box name is null" : null;
            case MboxSend c -> c.data() == null ? "message is null" : badTimeout(c.timeoutMillis());
            case MboxRecv c -> c.how() == null ? "receive options is null" : badTimeout(c.how().timeoutMillis());
            case MySend c -> c.data() == null ? "message is null" : null;
            case MyReceive c -> c.how() == null ? "receive options is null" : badTimeout(c.how().timeoutMillis());
            case SyncOpen c -> c.name() == null ? "name is null" : null;
            case Select c -> c.read() == null || c.write() == null ? "descriptor list is null" : null;
            case Call c -> c.request() == null ? "request is null" : c.answer() == null ? "reply buffer is null" : null;
            case Reply c -> c.data() == null ? "reply is null" : null;
            case Monitor c -> null;
            case GetPid c -> null;
            case Exit c -> null;
            case Kill c -> null;
            case Wait c -> null;
            case Sleep c -> null;
            case Yield c -> null;
            case GetPriority c -> null;
            case SetPriority c -> null;
            case Ps c -> null;
            case ClearRow c -> null;
            case GetChar c -> null;
            case MboxClose c -> null;
            case MboxIsFull c -> null;
            case Mboxes c -> null;
            case Close c -> null;
            case SyncOp c -> null;
            case CondWait c -> null;
        };
    }

    /** A timeout is FOREVER (-1), 0 (do not wait) or positive; anything else is refused. */
    private static String badTimeout(long millis) {
        return millis < Sys.FOREVER ? "timeout " + millis + " ms: use -1 (forever), 0 (do not wait) or a positive time"
                : null;
    }

    record GetPid() implements Syscall {}

    record Spawn(String program, List<String> args) implements Syscall {}

    /** The end of main: {@code crash} is what main threw (then status is CRASHED), null for an exit. */
    record Exit(int status, String crash) implements Syscall {}

    record Kill(long pid) implements Syscall {}

    record Wait(long pid) implements Syscall {}

    record Sleep(long millis) implements Syscall {}

    record Yield() implements Syscall {}

    record GetPriority() implements Syscall {}

    record SetPriority(int tickets) implements Syscall {}

    record Ps() implements Syscall {}

    record Print(String text) implements Syscall {}

    record PrintAt(int row, int col, String text) implements Syscall {}

    record ClearRow(int row) implements Syscall {}

    record GetChar() implements Syscall {}

    record MboxOpen(String name, int capacity, Set<Sys.Open> flags) implements Syscall {}

    record MboxClose(int fd) implements Syscall {}

    record MboxDestroy(String name) implements Syscall {}

    record MboxSend(int fd, byte[] data, int priority, long timeoutMillis) implements Syscall {}

    record MboxRecv(int fd, Recv how) implements Syscall {}

    record MboxIsFull(int fd) implements Syscall {}

    record Mboxes() implements Syscall {}

    record Close(int fd) implements Syscall {}

    record SyncOpen(String name, SyncObject.Kind kind, int value) implements Syscall {}

    /** The operations on synchronisation objects, each for one kind. */
    enum SyncOperation {
        LOCK_ACQUIRE(SyncObject.Kind.LOCK),
        LOCK_RELEASE(SyncObject.Kind.LOCK),
        SEM_UP(SyncObject.Kind.SEMAPHORE),
        SEM_DOWN(SyncObject.Kind.SEMAPHORE),
        COND_SIGNAL(SyncObject.Kind.CONDITION),
        COND_BROADCAST(SyncObject.Kind.CONDITION),
        BARRIER_WAIT(SyncObject.Kind.BARRIER);

        final SyncObject.Kind kind;

        SyncOperation(SyncObject.Kind kind) {
            this.kind = kind;
        }
    }

    record SyncOp(int fd, SyncOperation op) implements Syscall {}

    record CondWait(int cond, int lock) implements Syscall {}

    record MySend(long pid, byte[] data, boolean rendezvous) implements Syscall {}

    record Select(int[] read, int[] write, long timeoutMillis) implements Syscall {}

    /** {@code answer} bounds the answer's length (it is truncated to {@code answer.max()}). */
    record Call(long pid, byte[] request, Recv answer) implements Syscall {}

    record Reply(long pid, byte[] data) implements Syscall {}

    /** monitor ({@code on}) or demonitor. */
    record Monitor(long pid, boolean on) implements Syscall {}

    /** With {@code poll}, a try-receive that finds nothing answers {@link Result.Empty} instead of EAGAIN. */
    record MyReceive(Recv how, boolean poll) implements Syscall {}

    /**
     * What a kernel actor answers to a system call. Results go straight to the caller's PCB (they
     * are {@link Pcb.Command}s), with no adapter in between.
     */
    sealed interface Result extends Pcb.Command {

        Result OK = new Value(0);

        record Value(long value) implements Result {}

        record Received(Message message) implements Result {}

        record Failed(Errno errno, String message) implements Result {}

        /** The kernel opened a box for this process; the PCB turns it into a descriptor. */
        record Opened(long box, String name, ActorRef<Mailbox.Command> ref) implements Result {}

        /** The kernel opened a synchronisation object for this process. */
        record OpenedSync(long id, String name, SyncObject object) implements Result {}

        record Processes(List<ProcInfo> rows) implements Result {}

        record Boxes(List<MboxInfo> rows) implements Result {}

        /** A poll found nothing: not an error (the seed's non-blocking myreceive reads zero bytes). */
        record Empty() implements Result {}

        Result EMPTY = new Empty();

        /** A call's request was taken by the server: the caller now waits for its answer. */
        record Taken() implements Result {}

        Result TAKEN = new Taken();

        /** A box's answer to a select's watch ({@code token} names the select). */
        record Readiness(long token, long box, boolean readable, boolean writable) implements Result {}

        /** The select named {@code token} timed out. */
        record SelectTimeout(long token) implements Result {}

        record Ready(org.mboxos.api.Selected selected) implements Result {}

        /** Another process, as the process table introduces it: its PCB (to watch) and its inbox. */
        record Peer(long pid, ActorRef<Pcb.Command> pcb, ActorRef<Mailbox.Command> inbox) implements Result {}

        static Result fail(Errno errno, String message) {
            return new Failed(errno, message);
        }
    }
}
