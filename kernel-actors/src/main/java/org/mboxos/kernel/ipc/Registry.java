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
import org.mboxos.api.Errno;
import org.mboxos.api.Sys;
import org.mboxos.kernel.Contained;
import org.mboxos.kernel.KernelSettings;
import org.mboxos.kernel.LongMap;
import org.mboxos.kernel.deadlock.Detector;
import org.mboxos.kernel.dev.Clock;
import org.mboxos.kernel.dev.Keyboard;
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
public final class Registry extends AbstractOnMessageBehavior<Registry.Command>
        implements Contained.Faultable<Registry.Command> {

    /** Names starting with this are the kernel's: they are how traces name a process's inbox. */
    public static final String INBOX_PREFIX = "inbox:";
    /** The keyboard device's buffer: a kept box that the device fills and processes may read. */
    public static final long KEYBOARD_BOX = 1;

    public sealed interface Command {}

    /** Opens (creating if {@code spec} allows) {@code name}; replies Opened or OpenedSync. */
    public record Open(long pid, String prog, String name, Spec spec, ActorRef<Syscall.Result> replyTo) implements Command {}

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

    /** A synchronisation object has let go of an ended process ({@link SyncObject.Gone#confirm()}). */
    private record LetGo(long pid) implements Command {}

    private final KernelSettings settings;
    private final ActorRef<Clock.Command> clock;
    private final Trace trace;
    /** The deadlock detector, for the boxes and objects it creates; null when kernel.deadlock = off. */
    private final ActorRef<Detector.Command> deadlocks;
    /** The boxes by name, and the synchronisation objects by name: the two namespaces. */
    private final Map<String, NamedObject> boxes = new HashMap<>();
    private final Map<String, NamedObject> syncs = new HashMap<>();
    private final LongMap<NamedObject> byId = new LongMap<>();
    private final LongMap<List<NamedObject>> held = new LongMap<>();
    /** Every synchronisation object a process opened, closed or not: it may own a lock it closed. */
    private final LongMap<Set<NamedObject>> syncsOpened = new LongMap<>();
    /** The shapes of the boxes made so far, each kept once: boxes of one shape share it. */
    private final Map<Shape, Shape> shapes = new HashMap<>();
    /** Ends answered once every synchronisation object the process opened has let go of it. */
    private final Releases releases = new Releases();
    private final ActorRef<SyncObject.Gone> letGo;
    private int boxCount;
    private int syncCount;
    private long nextId = KEYBOARD_BOX + 1;

    /** The registry, with the keyboard's {@code buffer} (box {@link #KEYBOARD_BOX}) already in it. */
    public static Behavior<Command> create(KernelSettings settings, ActorRef<Mailbox.Command> buffer,
            ActorRef<Clock.Command> clock, Trace trace, ActorRef<Detector.Command> deadlocks) {
        return Contained.of(trace, Behaviors.setup(ctx -> new Registry(ctx, settings, buffer, clock, trace, deadlocks)));
    }

    private Registry(ActorContext<Command> ctx, KernelSettings settings, ActorRef<Mailbox.Command> buffer,
            ActorRef<Clock.Command> clock, Trace trace, ActorRef<Detector.Command> deadlocks) {
        super(ctx);
        this.settings = settings;
        this.clock = clock;
        this.trace = trace;
        this.deadlocks = deadlocks;
        this.letGo = ctx.messageAdapter(SyncObject.Gone.class, g -> new LetGo(g.pid()));
        NamedObject keyboard = NamedObject.ofBox(KEYBOARD_BOX, Keyboard.BOX, false, buffer);
        keyboard.keep = true;
        boxes.put(keyboard.name, keyboard);
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
            case LetGo l -> onLetGo(l.pid());
        };
    }

    private Behavior<Command> onOpen(Open o) {
        NamedObject e = namespace(o.spec() instanceof Spec.Box).get(o.name());
        Syscall.Result refused = Names.refusal(o.name(), o.spec(), e, boxCount, syncCount, settings);
        if (refused != null) {
            o.replyTo().tell(refused);
            return this;
        }
        boolean created = e == null;
        if (created) {
            e = create(o.name(), o.spec());
        }
        e.usage++;
        held.computeIfAbsent(o.pid(), p -> new ArrayList<>(2)).add(e); // most processes hold one or two
        switch (o.spec()) {
            case Spec.Box b -> e.keep |= b.flags().contains(Sys.Open.KEEP);
            case Spec.Sync s -> syncsOpened.computeIfAbsent(o.pid(), p -> new LinkedHashSet<>()).add(e);
        }
        e.traceOpen(trace, o.pid(), o.prog(), created);
        o.replyTo().tell(e.opened());
        return this;
    }

    private NamedObject create(String name, Spec spec) {
        long id = nextId++;
        NamedObject e = switch (spec) {
            case Spec.Box b -> {
                int capacity = b.capacity() == 0 ? settings.maxMboxLength() : b.capacity();
                boxCount++;
                boolean priorities = b.flags().contains(Sys.Open.PRIORITY);
                Shape shape = shapes.computeIfAbsent(new Shape(capacity, settings.maxMessageLength(),
                        priorities ? settings.mboxPriorities() : 1), s -> s);
                yield NamedObject.ofBox(id, name, priorities, getContext().spawn(Mailbox.create(id, name,
                        Owner.NAMED, shape, 2 * settings.numPcbs(), clock, trace, deadlocks), "box-" + id));
            }
            case Spec.Sync s -> {
                syncCount++;
                yield NamedObject.ofSync(id, name, SyncObject.spawn(getContext(), id, name, s.kind(), s.value(), trace,
                        deadlocks));
            }
        };
        getContext().watchWith(e.actor(), new Stopped(id));
        namespace(e.isBox()).put(e.name, e);
        byId.put(id, e);
        return e;
    }

    private Behavior<Command> onClose(Close c) {
        NamedObject e = byId.get(c.id());
        List<NamedObject> mine = held.get(c.pid());
        if (e == null || mine == null || !mine.remove(e)) {
            c.replyTo().tell(Syscall.Result.fail(Errno.EBADF, "process " + c.pid() + " does not hold object " + c.id()));
            return this;
        }
        release(e, c.pid(), c.prog(), "close");
        c.replyTo().tell(Syscall.Result.OK);
        return this;
    }

    /** Drops one use of {@code e}; frees it at zero unless it is kept. */
    private void release(NamedObject e, long pid, String prog, String how) {
        e.usage--;
        e.traceClose(trace, pid, prog, how);
        if (e.usage == 0 && !e.keep) {
            free(e, "freed at last close");
        }
    }

    /** Takes {@code e} out of the registry and tells its actor to stop; a box discards what it holds. */
    private void free(NamedObject e, String reason) {
        forget(e);
        e.free(trace, reason);
    }

    private Behavior<Command> onDestroy(Destroy d) {
        NamedObject e = boxes.get(d.name());
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
        List<NamedObject> objects = new ArrayList<>(byId.size());
        byId.forEachValue(objects::add);
        objects.sort((a, b) -> Long.compare(a.id, b.id));
        getContext().spawnAnonymous(NamedObject.boxTable(objects, settings.censusTimeout(), l.replyTo()));
        return this;
    }

    private Behavior<Command> onProcessEnded(ProcessEnded p) {
        List<NamedObject> mine = held.remove(p.pid());
        Set<NamedObject> syncs = syncsOpened.remove(p.pid());
        if (mine != null) {
            for (NamedObject e : mine) {
                if (e.isBox()) {
                    release(e, p.pid(), p.prog(), p.how());
                }
            }
        }
        releases.begin(p);
        if (syncs != null) {
            for (NamedObject e : syncs) {
                if (byId.get(e.id) == e) {
                    e.gone(p.pid(), letGo);
                    releases.waitFor(p.pid(), e.id);
                }
            }
        }
        if (mine != null) {
            for (NamedObject e : mine) {
                if (!e.isBox()) {
                    release(e, p.pid(), p.prog(), p.how());
                }
            }
        }
        releases.started(p.pid());
        return this;
    }

    private Behavior<Command> onLetGo(long pid) {
        releases.letGo(pid);
        return this;
    }

    private Behavior<Command> onStopped(Stopped s) {
        NamedObject e = byId.get(s.id());
        if (e != null) { // stopped without being freed: a kernel fault in the object
            forget(e);
            trace.event(e.isBox() ? "mbox-free" : "sync-free", 0, "kernel", e.isBox() ? "box" : "id", e.id, "name", e.name,
                    "reason", "lost");
            releases.lost(s.id());
        }
        return this;
    }

    /** The names of boxes ({@code box}), or of synchronisation objects. */
    private Map<String, NamedObject> namespace(boolean box) {
        return box ? boxes : syncs;
    }

    /** Takes {@code e} out of the tables. */
    private void forget(NamedObject e) {
        namespace(e.isBox()).remove(e.name);
        byId.remove(e.id);
        if (e.isBox() && e.id != KEYBOARD_BOX) {
            boxCount--;
        } else if (!e.isBox()) {
            syncCount--;
        }
    }

    /** A fault: ends waiting for objects to let go complete now, so that kill and exit still return. */
    @Override
    public void failWaiters(Syscall.Result.Failed failure) {
        releases.completeAll();
    }

    /** After a fault: every request fails with EIO; an ended process is answered at once. */
    @Override
    public Behavior<Command> whenFailed(Command msg, Syscall.Result.Failed failure) {
        switch (msg) {
            case Open o -> o.replyTo().tell(failure);
            case Close c -> c.replyTo().tell(failure);
            case Destroy d -> d.replyTo().tell(failure);
            case ListBoxes l -> l.replyTo().tell(failure);
            case ProcessEnded p -> p.done().tell(p.pid());
            case Stopped s -> {}
            case LetGo l -> {}
        }
        return Behaviors.same();
    }
}
