package org.mboxos.kernel.proc;

import akka.actor.typed.ActorRef;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mboxos.api.Errno;
import org.mboxos.api.Selected;
import org.mboxos.api.Sys;
import org.mboxos.kernel.dev.Clock;
import org.mboxos.kernel.ipc.Mailbox;

/**
 * One select in progress, for one PCB. Every box asked answers once at once (ready or not), and
 * a box that was not ready answers once more when it becomes so; the select completes when
 * every box has answered and one is ready, or at the first ready answer after that, or at the
 * timeout. A box's state and its watchers live in the box, so no wake-up is lost and nobody
 * polls. Runs only on the PCB's turns.
 */
final class Selection {
    /** The Clock's key for a select's timeout. */
    private record TimeoutKey(long pid, long token) {}

    private final Pcb pcb;
    private final long token;
    /** Box id to the descriptor the caller named it by, for reading and for writing. */
    private final Map<Long, Integer> readFds = new LinkedHashMap<>();
    private final Map<Long, Integer> writeFds = new LinkedHashMap<>();
    private final Map<Long, ActorRef<Mailbox.Command>> boxes = new LinkedHashMap<>();
    private final Set<Long> answered = new LinkedHashSet<>();
    private final Set<Integer> readable = new LinkedHashSet<>();
    private final Set<Integer> writable = new LinkedHashSet<>();
    private final long timeoutMillis;

    private Selection(Pcb pcb, long token, long timeoutMillis) {
        this.pcb = pcb;
        this.token = token;
        this.timeoutMillis = timeoutMillis;
    }

    /** Starts {@code c}; returns the selection, or null when the call was refused (the PCB has answered it). */
    static Selection start(Pcb pcb, long token, Syscall.Select c) {
        Selection s = new Selection(pcb, token, c.timeoutMillis());
        if (c.timeoutMillis() < Sys.FOREVER) {
            pcb.complete(Syscall.Result.fail(Errno.EINVAL, "timeout " + c.timeoutMillis() + " ms: -1 waits forever"));
            return null;
        }
        if (c.read().length + c.write().length == 0) {
            pcb.complete(Syscall.Result.fail(Errno.EINVAL, "select needs at least one descriptor"));
            return null;
        }
        if (!s.add(c.read(), s.readFds, true) || !s.add(c.write(), s.writeFds, false)) {
            return null;
        }
        pcb.blockedAt = new Waiting.InSelect(List.copyOf(s.boxes.values()), s.alarmKey());
        s.boxes.forEach((id, box) -> box.tell(new Mailbox.Watch(pcb.pid, token, s.readFds.containsKey(id),
                s.writeFds.containsKey(id), pcb.replies)));
        if (c.timeoutMillis() > 0) {
            pcb.services.clock().tell(new Clock.Alarm<>(s.alarmKey(), c.timeoutMillis(), pcb.replies,
                    new Syscall.Result.SelectTimeout(token)));
        }
        return s;
    }

    private boolean add(int[] fds, Map<Long, Integer> into, boolean read) {
        for (int fd : fds) {
            ActorRef<Mailbox.Command> box;
            long id;
            if (fd == Sys.INBOX && read) {
                box = pcb.peerCalls.inbox();
                id = -pcb.pid;
            } else if (pcb.fds.get(fd) instanceof Descriptors.Fd.OfBox b) {
                box = b.ref();
                id = b.id();
            } else {
                pcb.complete(fd == Sys.INBOX ? Syscall.Result.fail(Errno.EINVAL, "the inbox can only be read")
                        : pcb.fds.notA(fd, "a mailbox"));
                return false;
            }
            into.put(id, fd);
            boxes.put(id, box);
        }
        return true;
    }

    Object alarmKey() {
        return new TimeoutKey(pcb.pid, token);
    }

    /** A box's answer, or the timeout; returns the result once the select is over, else null. */
    Syscall.Result onAnswer(Syscall.Result r) {
        switch (r) {
            case Syscall.Result.Readiness x when x.token() == token -> {
                answered.add(x.box());
                if (x.readable() && readFds.containsKey(x.box())) {
                    readable.add(readFds.get(x.box()));
                }
                if (x.writable() && writeFds.containsKey(x.box())) {
                    writable.add(writeFds.get(x.box()));
                }
                boolean any = !readable.isEmpty() || !writable.isEmpty();
                return answered.size() == boxes.size() && (any || timeoutMillis == 0) ? finish() : null;
            }
            case Syscall.Result.SelectTimeout t when t.token() == token -> {
                return finish();
            }
            case Syscall.Result.Failed f -> {
                cancel();
                return f;
            }
            default -> {
                return null; // an answer to an earlier select
            }
        }
    }

    private Syscall.Result finish() {
        cancel();
        pcb.services.trace().detail("select", pcb.pid, pcb.program, "readable", List.copyOf(readable),
                "writable", List.copyOf(writable));
        return new Syscall.Result.Ready(new Selected(readable.stream().mapToInt(Integer::intValue).toArray(),
                writable.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** Forgets the watches (boxes drop them on Withdraw) and the timeout. */
    void cancel() {
        boxes.values().forEach(box -> box.tell(new Mailbox.Withdraw(pcb.pid, null)));
        if (timeoutMillis > 0) {
            pcb.services.clock().tell(new Clock.CancelAlarm(alarmKey()));
        }
    }
}
