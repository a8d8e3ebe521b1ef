package org.mboxos.kernel.proc;

import akka.actor.typed.ActorRef;
import java.util.TreeMap;
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

    private final long pid;
    private final TreeMap<Integer, Fd> table = new TreeMap<>();

    Descriptors(long pid) {
        this.pid = pid;
    }

    /** Adds {@code open}; returns its descriptor. */
    int add(Fd open) {
        int fd = 0;
        while (table.containsKey(fd)) {
            fd++;
        }
        table.put(fd, open);
        return fd;
    }

    Fd get(int fd) {
        return table.get(fd);
    }

    Fd remove(int fd) {
        return table.remove(fd);
    }

    /** The box open at {@code fd}, or null. */
    ActorRef<Mailbox.Command> box(int fd) {
        return table.get(fd) instanceof Fd.OfBox b ? b.ref() : null;
    }

    /** The object open at {@code fd} if it is a {@code kind}, or null. */
    SyncObject sync(int fd, SyncObject.Kind kind) {
        return table.get(fd) instanceof Fd.OfSync s && s.object().kind() == kind ? s.object() : null;
    }

    /** Why {@code fd} is not a {@code wanted} ("a mailbox", "a lock"): the EBADF a call gets. */
    Syscall.Result.Failed notA(int fd, String wanted) {
        Fd open = table.get(fd);
        return new Syscall.Result.Failed(Errno.EBADF, "descriptor " + fd
                + (open == null ? " is not open" : " is " + describe(open) + ", not " + wanted) + " in process " + pid);
    }

    /** What {@code fd} names, as ps shows it: the object's name, or "fd N" if it is not open. */
    String name(int fd) {
        Fd open = table.get(fd);
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
