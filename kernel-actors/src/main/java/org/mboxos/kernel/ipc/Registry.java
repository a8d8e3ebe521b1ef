package org.mboxos.kernel.ipc;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mboxos.api.Errno;
import org.mboxos.api.MboxInfo;
import org.mboxos.api.Sys;
import org.mboxos.kernel.KernelSettings;
import org.mboxos.kernel.dev.Clock;
import org.mboxos.kernel.dev.Keyboard;
import org.mboxos.kernel.proc.Census;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.sync.SyncObject;
import org.mboxos.kernel.trace.Trace;

/**
 * The name registry: every named kernel object, mailboxes and synchronisation objects alike.
 * It creates an object at its first open, counts its uses, and frees it at its last close
 * (a box opened with KEEP stays until destroyed). The objects are its children.
 *
 * <p>Invariants:
 * <ul>
 *   <li>An object's {@code usage} is the number of descriptors open on it across all
 *       processes; each process's share is in {@link #held}, in the order it opened them.</li>
 *   <li>When a process ends ({@link ProcessEnded}) its descriptors are released in that order,
 *       and every synchronisation object it ever opened hears of it ({@link SyncObject.Gone}),
 *       also in opening order, so that a lottery run traces the same events every time.</li>
 *   <li>Boxes and synchronisation objects have separate namespaces; within one, a name names
 *       one object. Ids are unique across both.</li>
 * </ul>
 */
public final class Registry extends AbstractOnMessageBehavior<Registry.Command> {

    /** Names starting with this are the kernel's: they are how traces name a process's inbox. */
    public static final String INBOX_PREFIX = "inbox:";

    /** The keyboard device's buffer: a kept box that the device fills and processes may read. */
    public static final long KEYBOARD_BOX = 1;

    public sealed interface Command {}

    /** Opens (creating if {@code spec} allows) the object {@code name}; replies Opened or OpenedSync. */
    public record Open(long pid, String prog, String name, Spec spec, ActorRef<Syscall.Result> replyTo)
            implements Command {}

    /** What to open: a mailbox, or a synchronisation object of one kind. */
    public sealed interface Spec {
        record Box(int capacity, Set<Sys.Open> flags) implements Spec {}

        record Sync(SyncObject.Kind kind, int value) implements Spec {}
    }

    /** Drops one of {@code pid}'s descriptors on object {@code id}. */
    public record Close(long pid, String prog, long id, ActorRef<Syscall.Result> replyTo) implements Command {}

    public record Destroy(long pid, String prog, String name, ActorRef<Syscall.Result> replyTo) implements Command {}

    /** The mailbox table (mboxes). */
    public record ListBoxes(ActorRef<Syscall.Result> replyTo) implements Command {}

    /** From the process table: {@code pid} ended; release what it held, then reply {@code done}. */
    public record ProcessEnded(long pid, String prog, String how, ActorRef<Long> done) implements Command {}

    private record Stopped(long id) implements Command {}

    private static final class Entry {
        final long id;
        final String key;
        final String name;
        final ActorRef<Mailbox.Command> box;
        final SyncObject sync;
        int usage;
        boolean keep;

        Entry(long id, String key, String name, ActorRef<Mailbox.Command> box, SyncObject sync) {
            this.id = id;
            this.key = key;
            this.name = name;
            this.box = box;
            this.sync = sync;
        }

        String kind() {
            return box != null ? "mailbox" : sync.kind().label();
        }
    }

    private final KernelSettings settings;
    private final ActorRef<Clock.Command> clock;
    private final Trace trace;
    private final Map<String, Entry> byKey = new HashMap<>();
    private final TreeMap<Long, Entry> byId = new TreeMap<>();
    private final Map<Long, List<Entry>> held = new HashMap<>();
    /** Every synchronisation object a process opened, closed or not: it may own a lock it closed. */
    private final Map<Long, Set<Entry>> syncsOpened = new HashMap<>();
    private int boxCount;
    private int syncCount;
    private long nextId = KEYBOARD_BOX + 1;

    /** The registry, with the keyboard's {@code buffer} (box {@link #KEYBOARD_BOX}) already in it. */
    public static Behavior<Command> create(KernelSettings settings, ActorRef<Mailbox.Command> buffer,
            ActorRef<Clock.Command> clock, Trace trace) {
        return Behaviors.setup(ctx -> new Registry(ctx, settings, buffer, clock, trace));
    }

    private Registry(ActorContext<Command> ctx, KernelSettings settings, ActorRef<Mailbox.Command> buffer,
            ActorRef<Clock.Command> clock, Trace trace) {
        super(ctx);
        this.settings = settings;
        this.clock = clock;
        this.trace = trace;
        Entry keyboard = new Entry(KEYBOARD_BOX, boxKey(Keyboard.BOX), Keyboard.BOX, buffer, null);
        keyboard.keep = true;
        byKey.put(keyboard.key, keyboard);
        byId.put(keyboard.id, keyboard);
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case Open o -> onOpen(o);
            case Close c -> onClose(c);
            case Destroy d -> onDestroy(d);
            case ListBoxes l -> onListBoxes(l);
            case ProcessEnded e -> onProcessEnded(e);
            case Stopped s -> onStopped(s);
        };
    }

    private Behavior<Command> onOpen(Open o) {
        Syscall.Result refused = Names.check(o.name(), o.spec(), settings);
        if (refused != null) {
            o.replyTo().tell(refused);
            return this;
        }
        String key = o.spec() instanceof Spec.Box ? boxKey(o.name()) : syncKey(o.name());
        Entry e = byKey.get(key);
        boolean created = e == null;
        if (e != null) {
            refused = Names.checkExisting(o.name(), o.spec(), e.box != null ? null : e.sync.kind());
        } else {
            refused = Names.checkCreate(o.name(), o.spec(), boxCount, syncCount, settings);
            if (refused == null) {
                e = create(key, o.name(), o.spec());
            }
        }
        if (refused != null) {
            o.replyTo().tell(refused);
            return this;
        }
        e.usage++;
        held.computeIfAbsent(o.pid(), p -> new ArrayList<>()).add(e);
        switch (o.spec()) {
            case Spec.Box b -> {
                e.keep |= b.flags().contains(Sys.Open.KEEP);
                trace.event("mbox-open", o.pid(), o.prog(), "box", e.id, "name", e.name, "usage", e.usage,
                        "created", created, "keep", e.keep);
                o.replyTo().tell(new Syscall.Result.Opened(e.id, e.name, e.box));
            }
            case Spec.Sync s -> {
                syncsOpened.computeIfAbsent(o.pid(), p -> new LinkedHashSet<>()).add(e);
                trace.event("sync-open", o.pid(), o.prog(), "kind", e.kind(), "id", e.id, "name", e.name,
                        "usage", e.usage, "created", created);
                o.replyTo().tell(new Syscall.Result.OpenedSync(e.id, e.name, e.sync));
            }
        }
        return this;
    }

    private Entry create(String key, String name, Spec spec) {
        long id = nextId++;
        Entry e = switch (spec) {
            case Spec.Box b -> {
                int capacity = b.capacity() == 0 ? settings.maxMboxLength() : b.capacity();
                boxCount++;
                yield new Entry(id, key, name, getContext().spawn(Mailbox.create(id, name, Mailbox.Owner.NAMED,
                        capacity, settings.maxMessageLength(), 2 * settings.numPcbs(), clock, trace), "box-" + id), null);
            }
            case Spec.Sync s -> {
                syncCount++;
                yield new Entry(id, key, name, null, SyncObject.spawn(getContext(), id, name, s.kind(), s.value(), trace));
            }
        };
        ActorRef<?> actor = e.box != null ? e.box : e.sync.control();
        getContext().watchWith(actor, new Stopped(id));
        byKey.put(key, e);
        byId.put(id, e);
        return e;
    }

    private Behavior<Command> onClose(Close c) {
        Entry e = byId.get(c.id());
        List<Entry> mine = held.get(c.pid());
        if (e == null || mine == null || !mine.remove(e)) {
            c.replyTo().tell(Syscall.Result.fail(Errno.EBADF, "process " + c.pid() + " does not hold object " + c.id()));
            return this;
        }
        release(e, c.pid(), c.prog(), "close");
        c.replyTo().tell(Syscall.Result.OK);
        return this;
    }

    /** Drops one use of {@code e}; frees it at zero unless it is kept. */
    private void release(Entry e, long pid, String prog, String how) {
        e.usage--;
        if (e.box != null) {
            trace.event("mbox-close", pid, prog, "box", e.id, "name", e.name, "usage", e.usage, "how", how);
        } else {
            trace.event("sync-close", pid, prog, "kind", e.kind(), "id", e.id, "name", e.name, "usage", e.usage,
                    "how", how);
        }
        if (e.usage == 0 && !e.keep) {
            free(e, e.box != null ? "freed at last close" : null);
        }
    }

    /** Takes {@code e} out of the registry and tells its actor to stop; a box discards what it holds. */
    private void free(Entry e, String reason) {
        byKey.remove(e.key);
        byId.remove(e.id);
        if (e.box != null) {
            boxCount--;
            trace.event("mbox-free", 0, "kernel", "box", e.id, "name", e.name, "reason", reason);
            e.box.tell(new Mailbox.Free(reason, Errno.EBADF));
        } else {
            syncCount--;
            trace.event("sync-free", 0, "kernel", "kind", e.kind(), "id", e.id, "name", e.name);
            e.sync.control().tell(new SyncObject.Free());
        }
    }

    private Behavior<Command> onDestroy(Destroy d) {
        Entry e = byKey.get(boxKey(d.name()));
        if (e != null && e.id == KEYBOARD_BOX) {
            d.replyTo().tell(Syscall.Result.fail(Errno.EPERM, "the keyboard buffer belongs to the kernel"));
        } else if (e == null) {
            d.replyTo().tell(Syscall.Result.fail(Errno.ENOENT, "no box named '" + d.name() + "'"));
        } else if (e.usage > 0) {
            d.replyTo().tell(Syscall.Result.fail(Errno.EBUSY, "box '" + d.name() + "' is open " + e.usage + " time(s)"));
        } else {
            trace.event("mbox-destroy", d.pid(), d.prog(), "box", e.id, "name", e.name);
            free(e, "destroyed");
            d.replyTo().tell(Syscall.Result.OK);
        }
        return this;
    }

    private Behavior<Command> onListBoxes(ListBoxes l) {
        record Row(String name, long id, int usage, boolean keep) {}
        Map<Long, Row> rows = new HashMap<>();
        List<Census.Question<Mailbox.Stats>> asks = new ArrayList<>();
        for (Entry e : byId.values()) {
            if (e.box != null) {
                rows.put(e.id, new Row(e.name, e.id, e.usage, e.keep));
                asks.add(new Census.Question<>(e.id, e.box, replyTo -> e.box.tell(new Mailbox.Stat(replyTo))));
            }
        }
        getContext().spawnAnonymous(Census.create(asks, Mailbox.Stats.class, Mailbox.Stats::box,
                settings.censusTimeout(), l.replyTo(), stats -> new Syscall.Result.Boxes(stats.stream()
                        .map(s -> {
                            Row r = rows.get(s.box());
                            return new MboxInfo(r.name(), r.id(), r.usage(), s.queued(), s.capacity(),
                                    s.blockedSenders(), s.blockedReceivers(), r.keep());
                        })
                        .sorted((a, b) -> Long.compare(a.id(), b.id()))
                        .toList())));
        return this;
    }

    private Behavior<Command> onProcessEnded(ProcessEnded p) {
        List<Entry> mine = held.remove(p.pid());
        Set<Entry> syncs = syncsOpened.remove(p.pid());
        if (mine != null) {
            for (Entry e : mine) {
                if (e.box != null) {
                    release(e, p.pid(), p.prog(), p.how());
                }
            }
        }
        if (syncs != null) {
            for (Entry e : syncs) {
                if (byId.get(e.id) == e) {
                    e.sync.control().tell(new SyncObject.Gone(p.pid()));
                }
            }
        }
        if (mine != null) {
            for (Entry e : mine) {
                if (e.sync != null) {
                    release(e, p.pid(), p.prog(), p.how());
                }
            }
        }
        p.done().tell(p.pid());
        return this;
    }

    private Behavior<Command> onStopped(Stopped s) {
        Entry e = byId.get(s.id());
        if (e != null) { // stopped without being freed: a kernel fault in the object
            byKey.remove(e.key);
            byId.remove(e.id);
            if (e.box != null) {
                boxCount -= e.id == KEYBOARD_BOX ? 0 : 1;
                trace.event("mbox-free", 0, "kernel", "box", e.id, "name", e.name, "reason", "lost");
            } else {
                syncCount--;
            }
        }
        return this;
    }

    private static String boxKey(String name) {
        return "box/" + name;
    }

    private static String syncKey(String name) {
        return "sync/" + name;
    }
}
