package org.mboxos.kernel.ipc;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mboxos.api.Errno;
import org.mboxos.api.MboxInfo;
import org.mboxos.kernel.Census;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.sync.SyncObject;
import org.mboxos.kernel.trace.Trace;

/**
 * One entry of the {@link Registry}: a mailbox or a synchronisation object, its name, and how
 * many descriptors are open on it. Plain state of the registry, touched only on its turns.
 */
final class NamedObject {
    final long id;
    /** The name within its namespace: boxes and synchronisation objects have one each ({@link #isBox}). */
    final String name;
    /** Exactly one of {@code box} and {@code sync} is set. */
    private final ActorRef<Mailbox.Command> box;
    private final SyncObject sync;
    /** A box that orders its messages by priority. */
    final boolean priorities;
    int usage;
    boolean keep;

    private NamedObject(long id, String name, boolean priorities, ActorRef<Mailbox.Command> box, SyncObject sync) {
        this.id = id;
        this.name = name;
        this.priorities = priorities;
        this.box = box;
        this.sync = sync;
    }

    static NamedObject ofBox(long id, String name, boolean priorities, ActorRef<Mailbox.Command> box) {
        return new NamedObject(id, name, priorities, box, null);
    }

    static NamedObject ofSync(long id, String name, SyncObject sync) {
        return new NamedObject(id, name, false, null, sync);
    }

    boolean isBox() {
        return box != null;
    }

    ActorRef<Mailbox.Command> box() {
        return box;
    }

    /** The kind of a synchronisation object; null for a box. */
    SyncObject.Kind syncKind() {
        return sync == null ? null : sync.kind();
    }

    /** The actor behind the name, for watching. */
    ActorRef<?> actor() {
        return box != null ? box : sync.control();
    }

    /** The reply to an open: what the PCB turns into a descriptor. */
    Syscall.Result opened() {
        return box != null ? new Syscall.Result.Opened(id, name, box) : new Syscall.Result.OpenedSync(id, name, sync);
    }

    void traceOpen(Trace trace, long pid, String prog, boolean created) {
        if (box != null) {
            trace.event("mbox-open", pid, prog, "box", id, "name", name, "usage", usage, "created", created, "keep", keep,
                    "priorities", priorities);
        } else {
            trace.event("sync-open", pid, prog, "kind", kind(), "id", id, "name", name, "usage", usage, "created", created);
        }
    }

    void traceClose(Trace trace, long pid, String prog, String how) {
        if (box != null) {
            trace.event("mbox-close", pid, prog, "box", id, "name", name, "usage", usage, "how", how);
        } else {
            trace.event("sync-close", pid, prog, "kind", kind(), "id", id, "name", name, "usage", usage, "how", how);
        }
    }

    /** Process {@code pid}, which opened this synchronisation object, has ended; {@code done} hears when it has let go. */
    void gone(long pid, ActorRef<SyncObject.Gone> done) {
        sync.control().tell(new SyncObject.Gone(pid, done));
    }

    /** Tells the actor it is freed: a box discards what it holds and fails its waiters; every kind stops. */
    void free(Trace trace, String reason) {
        if (box != null) {
            trace.event("mbox-free", 0, "kernel", "box", id, "name", name, "reason", reason);
            box.tell(new Mailbox.Free(reason, Errno.EBADF));
        } else {
            trace.event("sync-free", 0, "kernel", "kind", kind(), "id", id, "name", name);
            sync.control().tell(new SyncObject.Free());
        }
    }

    private String kind() {
        return sync.kind().label();
    }

    /**
     * A short-lived census for the mailbox table (mboxes): every box among {@code objects}
     * is asked for its counts; {@code replyTo} gets the rows in id order.
     */
    static Behavior<Object> boxTable(Collection<NamedObject> objects, Duration timeout, ActorRef<Syscall.Result> replyTo) {
        Map<Long, MboxInfo> rows = new HashMap<>(); // the registry's part of each row, copied on its turn
        List<Census.Question<Mailbox.Stats>> asks = new ArrayList<>();
        for (NamedObject e : objects) {
            if (e.isBox()) {
                rows.put(e.id, new MboxInfo(e.name, e.id, e.usage, 0, 0, 0, 0, e.keep));
                asks.add(new Census.Question<>(e.id, e.box, r -> e.box.tell(new Mailbox.Stat(r))));
            }
        }
        return Census.create(asks, Mailbox.Stats.class, Mailbox.Stats::box, timeout, replyTo,
                stats -> new Syscall.Result.Boxes(stats.stream()
                        .map(s -> {
                            MboxInfo r = rows.get(s.box());
                            return new MboxInfo(r.name(), r.id(), r.usage(), s.queued(), s.capacity(),
                                    s.blockedSenders(), s.blockedReceivers(), r.keep());
                        })
                        .sorted((a, b) -> Long.compare(a.id(), b.id()))
                        .toList()));
    }
}
