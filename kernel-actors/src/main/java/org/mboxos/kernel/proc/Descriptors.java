package org.mboxos.kernel.proc;

import akka.actor.typed.ActorRef;
import java.util.Arrays;
import org.mboxos.api.Errno;
import org.mboxos.kernel.ipc.Mailbox;
import org.mboxos.kernel.sync.SyncObject;

/**
 * A process's descriptor table: small integers naming the mailboxes and synchronisation
 * objects it opened and has not closed. A new descriptor is the lowest free number. Plain
 * state of the PCB, touched only on its turns.
 */
final class Descriptors {

    /** An open descriptor: a mailbox or a synchronisation object, with the registry's id for it. */
    sealed interface Fd {
        long id();

        String name();

        record OfBox(long id, String name, ActorRef<Mailbox.Command> ref) implements Fd {}

        record OfSync(long id, String name, SyncObject object) implements Fd {}
    }

    private static final Fd[] NONE = {};

    private final long pid;
    /** Indexed by descriptor; null: not open. Made at the first open, and grown as needed. */
    private Fd[] table = NONE;

    Descriptors(long pid) {
        this.pid = pid;
    }

    /** Adds {@code open}; returns its descriptor. */
    int add(Fd open) {
        int fd = 0;
        while (fd < table.length && table[fd] != null) {
            fd++;
        }
        if (fd == table.length) {
            table = Arrays.copyOf(table, Math.max(4, 2 * table.length));
        }
        table[fd] = open;
        return fd;
    }

    /** What {@code fd} names, or null if it is not open. */
    Fd get(int fd) {
        return fd >= 0 && fd < table.length ? table[fd] : null;
    }

    /** Closes {@code fd}; returns what it named, or null if it was not open. */
    Fd remove(int fd) {
        Fd open = get(fd);
        if (open != null) {
            table[fd] = null;
        }
        return open;
    }

    /** The box open at {@code fd}, or null. */
    ActorRef<Mailbox.Command> box(int fd) {
        return get(fd) instanceof Fd.OfBox b ? b.ref() : null;
    }

    /** The object open at {@code fd} if it is a {@code kind}, or null. */
    SyncObject sync(int fd, SyncObject.Kind kind) {
        return get(fd) instanceof Fd.OfSync s && s.object().kind() == kind ? s.object() : null;
    }

    /** Why {@code fd} is not a {@code wanted} ("a mailbox", "a lock"): the EBADF a call gets. */
    Syscall.Result.Failed notA(int fd, String wanted) {
        Fd open = get(fd);
        return new Syscall.Result.Failed(Errno.EBADF, "descriptor " + fd
                + (open == null ? " is not open" : " is " + describe(open) + ", not " + wanted) + " in process " + pid);
    }

    /** What {@code fd} names, as ps shows it: the object's name, or "fd N" if it is not open. */
    String name(int fd) {
        Fd open = get(fd);
        return open == null ? "fd " + fd : open.name();
    }

    private static String describe(Fd fd) {
        return switch (fd) {
            case Fd.OfBox b -> "the mailbox " + b.name();
            case Fd.OfSync s -> "the " + s.object().kind().label() + " " + s.name();
        };
    }

    /** The call in progress as ps and the kill trace show it, e.g. {@code mbox_recv(theMbox)}. */
    String describe(Syscall call) {
        return switch (call) {
            case null -> "";
            case Syscall.MboxSend c -> "mbox_send(" + name(c.fd()) + ")";
            case Syscall.MboxRecv c -> "mbox_recv(" + name(c.fd()) + ")";
            case Syscall.MboxIsFull c -> "mbox_is_full(" + name(c.fd()) + ")";
            case Syscall.Wait c -> "wait(" + c.pid() + ")";
            case Syscall.Sleep c -> "sleep(" + c.millis() + " ms)";
            case Syscall.MySend c -> "mysend(" + c.pid() + ")";
            case Syscall.MyReceive c -> "myreceive(" + (c.how().from() < 0 ? "any" : c.how().from()) + ")";
            case Syscall.Spawn c -> "spawn(" + c.program() + ")";
            case Syscall.Kill c -> "kill(" + c.pid() + ")";
            case Syscall.Call c -> "call(" + c.pid() + ")";
            case Syscall.Reply c -> "reply(" + c.pid() + ")";
            case Syscall.SyncOp c -> c.op().name().toLowerCase() + "(" + name(c.fd()) + ")";
            case Syscall.CondWait c -> "cond_wait(" + name(c.cond()) + ", " + name(c.lock()) + ")";
            default -> call.callName();
        };
    }
}
