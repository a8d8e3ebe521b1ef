package org.mboxos.kernel.proc;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.mboxos.api.Errno;
import org.mboxos.api.MboxInfo;
import org.mboxos.api.ProcInfo;
import org.mboxos.api.Program;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.kernel.KernelSettings;
import org.mboxos.kernel.Ramdisk;
import org.mboxos.kernel.dev.Clock;
import org.mboxos.kernel.dev.Console;
import org.mboxos.kernel.dev.KernelClock;
import org.mboxos.kernel.dev.Keyboard;
import org.mboxos.kernel.ipc.Mailbox;
import org.mboxos.kernel.sched.KernelCpu;
import org.mboxos.kernel.sched.Scheduler;
import org.mboxos.kernel.sync.Barrier;
import org.mboxos.kernel.sync.Condition;
import org.mboxos.kernel.sync.Lock;
import org.mboxos.kernel.sync.Semaphore;
import org.mboxos.kernel.sync.SyncObject;
import org.mboxos.kernel.trace.Trace;

/**
 * The kernel supervisor. It owns the process table and the mailbox registry, and arbitrates
 * spawn, exit, kill and wait, and mailbox open, close and destroy. Its devices (console,
 * clock), the PCBs and the mailboxes are its children.
 *
 * <p>Invariants:
 * <ul>
 *   <li>A pid is in {@link #table} exactly while its process is alive; pids are never reused,
 *       table slots are (at most {@code kernel.num-pcbs} entries).</li>
 *   <li>A box's usage count is the number of descriptors open on it across all processes; the
 *       count per process is in {@link #holdings}. A process's holdings are released when it
 *       exits or is killed, and a box whose count drops to zero is freed unless it was created
 *       with KEEP.</li>
 *   <li>Waiters for a pid live in {@link #waiters} and are woken when that pid leaves the
 *       table, whatever the reason.</li>
 *   <li>Kill is two-phase: the victim is marked dying (its requests are dropped from then on),
 *       its PCB withdraws the call it is blocked in and answers {@link Killed}; only then is it
 *       taken out of the table and its killers released. So once kill returns, the victim is
 *       gone from the table and from every queue it waited in.</li>
 *   <li>Requests from a pid that is not alive are dropped: its thread is being told it was
 *       killed.</li>
 * </ul>
 */
public final class Kernel extends AbstractOnMessageBehavior<Kernel.Command> {

    /** Inboxes for pid-addressed messages are named after their owner. */
    static final String INBOX_PREFIX = "inbox:";

    /** Named boxes the kernel keeps for itself (the keyboard buffer); not counted in kernel.max-mboxen. */
    private static final int KERNEL_BOXES = 1;

    public sealed interface Command {}

    /** Starts {@code program} as pid 1; {@code replyTo} gets its exit status when it ends. */
    public record Boot(String program, List<String> args, ActorRef<Syscall.Result> replyTo) implements Command {}

    public record Spawn(long caller, String program, List<String> args, ActorRef<Syscall.Result> replyTo)
            implements Command {}

    public record Exited(long pid, int status) implements Command {}

    public record Kill(long caller, long victim, ActorRef<Syscall.Result> replyTo) implements Command {}

    public record Wait(long caller, long pid, ActorRef<Syscall.Result> replyTo) implements Command {}

    public record Ps(ActorRef<Syscall.Result> replyTo) implements Command {}

    public record OpenBox(long caller, String name, int capacity, Set<Sys.Open> flags,
            ActorRef<Syscall.Result> replyTo) implements Command {}

    public record CloseBox(long caller, long box, ActorRef<Syscall.Result> replyTo) implements Command {}

    public record DestroyBox(long caller, String name, ActorRef<Syscall.Result> replyTo) implements Command {}

    public record Mboxes(ActorRef<Syscall.Result> replyTo) implements Command {}

    public record MySend(long caller, String prog, long to, byte[] data, boolean rendezvous,
            ActorRef<Syscall.Result> replyTo) implements Command {}

    public record MyReceive(long caller, String prog, Recv how, ActorRef<Syscall.Result> replyTo)
            implements Command {}

    /** From a victim's PCB: it has withdrawn its blocked call; end it and release the killers. */
    public record Killed(long victim) implements Command {}

    public record OpenSync(long caller, String name, SyncObject.Kind kind, int value,
            ActorRef<Syscall.Result> replyTo) implements Command {}

    public record CloseSync(long caller, long id, ActorRef<Syscall.Result> replyTo) implements Command {}

    /** A killed process withdraws what it waits for in {@code ofPid}'s inbox. */
    public record WithdrawInbox(long caller, long ofPid) implements Command {}

    private record ProcessStopped(long pid) implements Command {}

    private record BoxStopped(long box) implements Command {}

    private record SyncStopped(long id) implements Command {}

    /** What every PCB needs to reach the rest of the kernel. */
    public record Services(ActorRef<Command> kernel, ActorRef<Console.Command> console,
            ActorRef<Clock.Command> clock, ActorRef<Mailbox.Command> keyboard, ActorRef<Scheduler.Command> scheduler,
            Trace trace, KernelSettings settings) {

        /** One simulated CPU with a lottery scheduler (else: processes run in parallel). */
        boolean lottery() {
            return scheduler != null;
        }
    }

    /** An interrupt or a script for the keyboard device. */
    public record Keys(Keyboard.Command keys) implements Command {}

    /** Reply once the console has written everything printed so far. */
    public record FlushConsole(ActorRef<Syscall.Result> replyTo) implements Command {}

    /** Reply once kernel time reaches {@code at} (simulated time in lottery mode). */
    public record Deadline(java.time.Duration at, ActorRef<Syscall.Result> replyTo) implements Command {}

    private record Proc(long pid, String program, long parent, ActorRef<Pcb.Command> ref) {}

    private static final class Box {
        final long id;
        final String name;
        final ActorRef<Mailbox.Command> ref;
        int usage;
        boolean keep;

        Box(long id, String name, ActorRef<Mailbox.Command> ref) {
            this.id = id;
            this.name = name;
            this.ref = ref;
        }
    }

    private static final class Sync {
        final long id;
        final String name;
        final SyncObject object;
        int usage;

        Sync(long id, String name, SyncObject object) {
            this.id = id;
            this.name = name;
            this.object = object;
        }
    }

    private record Waiter(long pid, ActorRef<Syscall.Result> replyTo) {}

    private final KernelSettings settings;
    private final Ramdisk ramdisk;
    private final Trace trace;
    private final Services services;
    private final ActorRef<Keyboard.Command> keyboard;
    private final ActorRef<Clock.Command> clock;
    private final TreeMap<Long, Proc> table = new TreeMap<>();
    /** Processes being killed, with every killer waiting for the kill to complete. */
    private final Map<Long, List<ActorRef<Syscall.Result>>> dying = new HashMap<>();
    private final Map<Long, List<Waiter>> waiters = new HashMap<>();
    private final LinkedHashMap<Long, Integer> exitLog;
    private final Map<String, Box> boxes = new HashMap<>();
    private final Map<Long, Box> boxesById = new HashMap<>();
    private final Map<Long, List<Box>> holdings = new HashMap<>();
    private final Map<Long, Box> inboxes = new HashMap<>();
    private final Map<String, Sync> syncs = new HashMap<>();
    private final Map<Long, Sync> syncsById = new HashMap<>();
    private final Map<Long, List<Sync>> syncHoldings = new HashMap<>();
    /**
     * Every object a process has opened, closed or not: it may hold a lock it no longer has a
     * descriptor for, and every one of them must hear that it ended.
     */
    private final Map<Long, Set<Sync>> syncOpened = new HashMap<>();
    private long nextSync = 1;
    private long nextPid = 1;
    private long nextBox = 1;
    private ActorRef<Syscall.Result> initWatcher;

    /**
     * The kernel of a machine. In lottery mode {@code cpuToken} names the {@link KernelCpu}
     * every kernel actor runs on (null in parallel mode).
     */
    public static Behavior<Command> create(KernelSettings settings, Ramdisk ramdisk, Trace trace, Console.Screen screen,
            KernelClock time, String cpuToken) {
        return Behaviors.setup(ctx -> new Kernel(ctx, settings, ramdisk, trace, screen, time, cpuToken));
    }

    private Kernel(ActorContext<Command> ctx, KernelSettings settings, Ramdisk ramdisk, Trace trace,
            Console.Screen screen, KernelClock time, String cpuToken) {
        super(ctx);
        this.settings = settings;
        this.ramdisk = ramdisk;
        this.trace = trace;
        this.exitLog = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
                return size() > settings.exitLogSize();
            }
        };
        ActorRef<Console.Command> console =
                ctx.spawn(Console.create(screen), "console", DispatcherSelector.blocking());
        this.clock = ctx.spawn(Clock.create(trace, time), "clock");
        ActorRef<Scheduler.Command> scheduler = cpuToken == null ? null
                : ctx.spawn(Scheduler.create(KernelCpu.processor(cpuToken), clock, trace, settings.seed(),
                        settings.quantum().toNanos()), "scheduler");
        Box buffer = newBox(Keyboard.BOX, 0, settings.keyboardBuffer());
        buffer.keep = true;
        boxes.put(Keyboard.BOX, buffer);
        this.keyboard = ctx.spawn(Keyboard.create(buffer.ref, clock, trace), "keyboard");
        this.services = new Services(ctx.getSelf(), console, clock, buffer.ref, scheduler, trace, settings);
        trace.event("boot", 0, "kernel", "seed", settings.seed(), "scheduler",
                settings.scheduler().name().toLowerCase(), "num_pcbs", settings.numPcbs());
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case Boot b -> onBoot(b);
            case Keys k -> onKeys(k);
            case Deadline d -> onDeadline(d);
            case FlushConsole f -> onFlushConsole(f);
            case Spawn s -> onSpawn(s);
            case Exited e -> onExited(e);
            case Kill k -> onKill(k);
            case Wait w -> onWait(w);
            case Ps p -> onPs(p);
            case OpenBox o -> onOpenBox(o);
            case CloseBox c -> onCloseBox(c);
            case DestroyBox d -> onDestroyBox(d);
            case Mboxes m -> onMboxes(m);
            case MySend s -> onMySend(s);
            case MyReceive r -> onMyReceive(r);
            case Killed k -> onKilled(k);
            case WithdrawInbox w -> onWithdrawInbox(w);
            case OpenSync o -> onOpenSync(o);
            case CloseSync c -> onCloseSync(c);
            case SyncStopped s -> onSyncStopped(s);
            case ProcessStopped p -> onProcessStopped(p);
            case BoxStopped b -> onBoxStopped(b);
        };
    }

    // ---- processes ------------------------------------------------------------------------

    private Behavior<Command> onBoot(Boot b) {
        initWatcher = b.replyTo();
        Syscall.Result r = spawn(0, "kernel", b.program(), b.args());
        if (r instanceof Syscall.Result.Failed) {
            b.replyTo().tell(r);
        }
        return this;
    }

    private Behavior<Command> onFlushConsole(FlushConsole f) {
        services.console().tell(new Console.Flush(f.replyTo()));
        return this;
    }

    private Behavior<Command> onDeadline(Deadline d) {
        services.clock().tell(new Clock.Deadline(d.at(), d.replyTo()));
        return this;
    }

    private Behavior<Command> onKeys(Keys k) {
        keyboard.tell(k.keys());
        return this;
    }

    private Behavior<Command> onSpawn(Spawn s) {
        Proc parent = caller(s.caller());
        if (parent != null) {
            s.replyTo().tell(spawn(s.caller(), parent.program(), s.program(), s.args()));
        }
        return this;
    }

    private Syscall.Result spawn(long parent, String parentProg, String name, List<String> args) {
        Program program = ramdisk.find(name).orElse(null);
        if (program == null) {
            return Syscall.Result.fail(Errno.ENOENT, "no program named '" + name + "' on the ramdisk");
        }
        if (table.size() >= settings.numPcbs()) {
            return Syscall.Result.fail(Errno.EAGAIN, "process table full (kernel.num-pcbs = " + settings.numPcbs() + ")");
        }
        long pid = nextPid++;
        ActorRef<Pcb.Command> ref = getContext().spawn(Pcb.create(pid, program, args, services), "pid-" + pid);
        getContext().watchWith(ref, new ProcessStopped(pid));
        trace.event("spawn", parent, parentProg, "child", pid, "program", name, "args", args);
        table.put(pid, new Proc(pid, name, parent, ref));
        return new Syscall.Result.Value(pid);
    }

    private Behavior<Command> onExited(Exited e) {
        Proc p = table.get(e.pid());
        if (p != null) {
            end(p, e.status(), "exit");
        }
        return this;
    }

    private Behavior<Command> onProcessStopped(ProcessStopped s) {
        Proc p = table.get(s.pid());
        if (p != null) { // stopped without exiting: a kernel fault in the PCB
            end(p, Sys.CRASHED, "lost");
        }
        return this;
    }

    /** The live process {@code pid}, or null if it ended or is being killed. */
    private Proc caller(long pid) {
        return dying.containsKey(pid) ? null : table.get(pid);
    }

    private Behavior<Command> onKill(Kill k) {
        if (caller(k.caller()) == null) {
            return this;
        }
        if (k.victim() <= 0) {
            k.replyTo().tell(Syscall.Result.fail(Errno.EINVAL, "pid must be positive, not " + k.victim()));
            return this;
        }
        Proc victim = table.get(k.victim());
        if (victim == null) {
            k.replyTo().tell(Syscall.Result.fail(Errno.ESRCH, "no process " + k.victim()));
            return this;
        }
        List<ActorRef<Syscall.Result>> killers = dying.get(victim.pid());
        if (killers != null) { // already being killed: this killer waits for the same end
            killers.add(k.replyTo());
            return this;
        }
        dying.put(victim.pid(), new ArrayList<>(List.of(k.replyTo())));
        // The PCB withdraws the victim's blocked call, then answers with Killed.
        victim.ref().tell(new Pcb.Kill(k.caller()));
        return this;
    }

    private Behavior<Command> onKilled(Killed k) {
        Proc victim = table.get(k.victim());
        if (victim != null) {
            end(victim, Sys.KILLED, "killed");
        }
        return this;
    }

    /**
     * Takes {@code p} out of the table: records its status, wakes its waiters, drops its own
     * waits, releases its mailboxes and frees its inbox.
     */
    private void end(Proc p, int status, String how) {
        table.remove(p.pid());
        List<ActorRef<Syscall.Result>> killers = dying.remove(p.pid());
        exitLog.put(p.pid(), status);
        trace.event("exit", p.pid(), p.program(), "status", status, "how", how);
        List<Waiter> woken = waiters.remove(p.pid());
        if (woken != null) {
            for (Waiter w : woken) {
                trace.event("wait-end", w.pid(), programOf(w.pid()), "waited_for", p.pid(), "status", status);
                w.replyTo().tell(new Syscall.Result.Value(status));
            }
        }
        for (Iterator<List<Waiter>> it = waiters.values().iterator(); it.hasNext(); ) {
            List<Waiter> list = it.next();
            list.removeIf(w -> w.pid() == p.pid());
            if (list.isEmpty()) {
                it.remove();
            }
        }
        List<Box> held = holdings.remove(p.pid());
        if (held != null) {
            for (Box b : held) {
                release(b, p.pid(), p.program(), how);
            }
        }
        for (Sync s : syncOpened.getOrDefault(p.pid(), Set.of())) {
            if (syncsById.get(s.id) == s) {
                s.object.gone(p.pid());
            }
        }
        syncOpened.remove(p.pid());
        List<Sync> objects = syncHoldings.remove(p.pid());
        if (objects != null) {
            for (Sync s : objects) {
                releaseSync(s, p.pid(), p.program(), how);
            }
        }
        Box inbox = inboxes.remove(p.pid());
        if (inbox != null) {
            free(inbox, "owner " + how, Errno.ESRCH);
        }
        if (killers != null) {
            killers.forEach(killer -> killer.tell(Syscall.Result.OK));
        }
        if (p.pid() == 1 && initWatcher != null) {
            initWatcher.tell(new Syscall.Result.Value(status));
        }
    }

    private String programOf(long pid) {
        Proc p = table.get(pid);
        return p == null ? "" : p.program();
    }

    private Behavior<Command> onWait(Wait w) {
        Proc caller = caller(w.caller());
        if (caller == null) {
            return this;
        }
        if (w.pid() <= 0) {
            w.replyTo().tell(Syscall.Result.fail(Errno.EINVAL, "pid must be positive, not " + w.pid()));
        } else if (w.pid() == w.caller()) {
            w.replyTo().tell(Syscall.Result.fail(Errno.EDEADLK, "a process cannot wait for itself"));
        } else if (table.containsKey(w.pid())) {
            trace.event("wait-begin", w.caller(), caller.program(), "waited_for", w.pid());
            waiters.computeIfAbsent(w.pid(), k -> new ArrayList<>()).add(new Waiter(w.caller(), w.replyTo()));
        } else if (exitLog.containsKey(w.pid())) {
            int status = exitLog.get(w.pid());
            trace.event("wait-begin", w.caller(), caller.program(), "waited_for", w.pid());
            trace.event("wait-end", w.caller(), caller.program(), "waited_for", w.pid(), "status", status);
            w.replyTo().tell(new Syscall.Result.Value(status));
        } else {
            w.replyTo().tell(Syscall.Result.fail(Errno.ESRCH, "no process " + w.pid()
                    + (w.pid() < nextPid ? " (it ended too long ago to remember its status)" : "")));
        }
        return this;
    }

    private Behavior<Command> onPs(Ps p) {
        Map<Long, Proc> rows = new HashMap<>(table);
        List<Consumer<ActorRef<Pcb.Status>>> asks = new ArrayList<>();
        for (Proc proc : table.values()) {
            asks.add(replyTo -> proc.ref().tell(new Pcb.Describe(replyTo)));
        }
        getContext().spawnAnonymous(Census.create(asks, Pcb.Status.class, settings.censusTimeout(), p.replyTo(),
                statuses -> new Syscall.Result.Processes(statuses.stream()
                        .sorted((a, b) -> Long.compare(a.pid(), b.pid()))
                        .map(st -> {
                            Proc proc = rows.get(st.pid());
                            return new ProcInfo(st.pid(), proc.program(), proc.parent(), st.state(), st.blockedIn());
                        })
                        .toList())));
        return this;
    }

    // ---- named mailboxes ------------------------------------------------------------------

    private Behavior<Command> onOpenBox(OpenBox o) {
        Proc caller = caller(o.caller());
        if (caller == null) {
            return this;
        }
        o.replyTo().tell(open(caller, o));
        return this;
    }

    private Syscall.Result open(Proc caller, OpenBox o) {
        String name = o.name();
        if (name.isEmpty()) {
            return Syscall.Result.fail(Errno.EINVAL, "a box name cannot be empty");
        }
        if (name.length() > settings.mboxNameLength()) {
            return Syscall.Result.fail(Errno.ENAMETOOLONG, "'" + name + "' is longer than kernel.mbox-name-length ("
                    + settings.mboxNameLength() + ")");
        }
        if (name.startsWith(INBOX_PREFIX)) {
            return Syscall.Result.fail(Errno.EINVAL, "names starting with '" + INBOX_PREFIX + "' are the kernel's");
        }
        if (o.capacity() < 0 || o.capacity() > settings.maxMboxLength()) {
            return Syscall.Result.fail(Errno.EINVAL, "capacity " + o.capacity() + " is outside 0.."
                    + settings.maxMboxLength() + " (kernel.max-mbox-length)");
        }
        boolean create = o.flags().contains(Sys.Open.CREATE);
        if (o.flags().contains(Sys.Open.EXCLUSIVE) && !create) {
            return Syscall.Result.fail(Errno.EINVAL, "EXCLUSIVE needs CREATE");
        }
        Box box = boxes.get(name);
        boolean created = box == null;
        if (box != null && create && o.flags().contains(Sys.Open.EXCLUSIVE)) {
            return Syscall.Result.fail(Errno.EEXIST, "box '" + name + "' already exists");
        }
        if (box == null) {
            if (!create) {
                return Syscall.Result.fail(Errno.ENOENT, "no box named '" + name + "'");
            }
            if (boxes.size() - KERNEL_BOXES >= settings.maxMboxen()) { // the keyboard's box is the kernel's
                return Syscall.Result.fail(Errno.ENFILE, "mailbox table full (kernel.max-mboxen = "
                        + settings.maxMboxen() + ")");
            }
            int capacity = o.capacity() == 0 ? settings.maxMboxLength() : o.capacity();
            box = newBox(name, 0, capacity);
            boxes.put(name, box);
        }
        box.keep |= o.flags().contains(Sys.Open.KEEP);
        box.usage++;
        holdings.computeIfAbsent(caller.pid(), k -> new ArrayList<>()).add(box);
        trace.event("mbox-open", caller.pid(), caller.program(), "box", box.id, "name", name, "usage", box.usage,
                "created", created, "keep", box.keep);
        return new Syscall.Result.Opened(box.id, name, box.ref);
    }

    private Box newBox(String name, long owner, int capacity) {
        long id = nextBox++;
        ActorRef<Mailbox.Command> ref = getContext().spawn(Mailbox.create(id, name, owner, capacity,
                settings.maxMessageLength(), 2 * settings.numPcbs(), clock, trace), "box-" + id);
        getContext().watchWith(ref, new BoxStopped(id));
        Box box = new Box(id, name, ref);
        boxesById.put(id, box);
        return box;
    }

    private Behavior<Command> onCloseBox(CloseBox c) {
        Proc caller = caller(c.caller());
        if (caller == null) {
            return this;
        }
        Box box = boxesById.get(c.box());
        List<Box> held = holdings.getOrDefault(c.caller(), List.of());
        if (box == null || !held.remove(box)) {
            c.replyTo().tell(Syscall.Result.fail(Errno.EBADF, "process " + c.caller() + " does not hold box " + c.box()));
            return this;
        }
        release(box, caller.pid(), caller.program(), "close");
        c.replyTo().tell(Syscall.Result.OK);
        return this;
    }

    /** Drops one use of {@code box}; frees it at zero unless it is kept. */
    private void release(Box box, long pid, String prog, String how) {
        box.usage--;
        trace.event("mbox-close", pid, prog, "box", box.id, "name", box.name, "usage", box.usage, "how", how);
        if (box.usage == 0 && !box.keep) {
            boxes.remove(box.name);
            free(box, "freed at last close", Errno.EBADF);
        }
    }

    private void free(Box box, String reason, Errno errno) {
        boxesById.remove(box.id);
        trace.event("mbox-free", 0, "kernel", "box", box.id, "name", box.name, "reason", reason);
        box.ref.tell(new Mailbox.Free(reason, errno));
    }

    private Behavior<Command> onDestroyBox(DestroyBox d) {
        Proc caller = caller(d.caller());
        if (caller == null) {
            return this;
        }
        Box box = boxes.get(d.name());
        if (Keyboard.BOX.equals(d.name())) {
            d.replyTo().tell(Syscall.Result.fail(Errno.EPERM, "the keyboard buffer belongs to the kernel"));
        } else if (box == null) {
            d.replyTo().tell(Syscall.Result.fail(Errno.ENOENT, "no box named '" + d.name() + "'"));
        } else if (box.usage > 0) {
            d.replyTo().tell(Syscall.Result.fail(Errno.EBUSY, "box '" + d.name() + "' is open " + box.usage
                    + " time(s)"));
        } else {
            boxes.remove(box.name);
            trace.event("mbox-destroy", caller.pid(), caller.program(), "box", box.id, "name", box.name);
            free(box, "destroyed", Errno.EBADF);
            d.replyTo().tell(Syscall.Result.OK);
        }
        return this;
    }

    private Behavior<Command> onMboxes(Mboxes m) {
        record Row(String name, long id, int usage, boolean keep) {}
        Map<Long, Row> rows = new HashMap<>();
        List<Consumer<ActorRef<Mailbox.Stats>>> asks = new ArrayList<>();
        for (Box b : boxes.values()) {
            rows.put(b.id, new Row(b.name, b.id, b.usage, b.keep));
            asks.add(replyTo -> b.ref.tell(new Mailbox.Stat(replyTo)));
        }
        getContext().spawnAnonymous(Census.create(asks, Mailbox.Stats.class, settings.censusTimeout(), m.replyTo(),
                stats -> new Syscall.Result.Boxes(stats.stream()
                        .map(s -> {
                            Row r = rows.get(s.box());
                            return new MboxInfo(r.name(), r.id(), r.usage(), s.queued(), s.capacity(),
                                    s.blockedSenders(), s.blockedReceivers(), r.keep());
                        })
                        .sorted((a, b) -> Long.compare(a.id(), b.id()))
                        .toList())));
        return this;
    }

    private Behavior<Command> onBoxStopped(BoxStopped b) {
        Box box = boxesById.remove(b.box());
        if (box != null) { // stopped without being freed: a kernel fault in the mailbox
            boxes.remove(box.name, box);
            trace.event("mbox-free", 0, "kernel", "box", box.id, "name", box.name, "reason", "lost");
        }
        return this;
    }

    // ---- synchronisation objects ----------------------------------------------------------

    private Behavior<Command> onOpenSync(OpenSync o) {
        Proc caller = caller(o.caller());
        if (caller != null) {
            o.replyTo().tell(openSync(caller, o));
        }
        return this;
    }

    private Syscall.Result openSync(Proc caller, OpenSync o) {
        String name = o.name();
        String kind = o.kind().label();
        if (name.isEmpty()) {
            return Syscall.Result.fail(Errno.EINVAL, "a " + kind + " name cannot be empty");
        }
        if (name.length() > settings.mboxNameLength()) {
            return Syscall.Result.fail(Errno.ENAMETOOLONG, "'" + name + "' is longer than kernel.mbox-name-length ("
                    + settings.mboxNameLength() + ")");
        }
        Sync sync = syncs.get(name);
        boolean created = sync == null;
        if (sync != null && sync.object.kind() != o.kind()) {
            return Syscall.Result.fail(Errno.EINVAL, "'" + name + "' is a " + sync.object.kind().label() + ", not a " + kind);
        }
        if (sync == null) {
            if (o.kind() == SyncObject.Kind.SEMAPHORE && o.value() < 0) {
                return Syscall.Result.fail(Errno.EINVAL, "a semaphore starts with 0 or more units, not " + o.value());
            }
            if (o.kind() == SyncObject.Kind.BARRIER && o.value() < 1) {
                return Syscall.Result.fail(Errno.EINVAL, "a barrier needs at least 1 party, not " + o.value());
            }
            if (syncs.size() >= settings.maxSyncObjects()) {
                return Syscall.Result.fail(Errno.ENFILE, "synchronisation object table full (kernel.max-sync-objects = "
                        + settings.maxSyncObjects() + ")");
            }
            sync = newSync(name, o.kind(), o.value());
        }
        sync.usage++;
        syncHoldings.computeIfAbsent(caller.pid(), k -> new ArrayList<>()).add(sync);
        syncOpened.computeIfAbsent(caller.pid(), k -> new HashSet<>()).add(sync);
        trace.event("sync-open", caller.pid(), caller.program(), "kind", kind, "id", sync.id, "name", name,
                "usage", sync.usage, "created", created);
        return new Syscall.Result.OpenedSync(sync.id, name, sync.object);
    }

    private Sync newSync(String name, SyncObject.Kind kind, int value) {
        long id = nextSync++;
        String actor = kind.label() + "-" + id;
        SyncObject object = switch (kind) {
            case LOCK -> new SyncObject.OfLock(getContext().spawn(Lock.create(id, name, trace), actor));
            case SEMAPHORE -> new SyncObject.OfSemaphore(getContext().spawn(Semaphore.create(id, name, value, trace), actor));
            case CONDITION -> new SyncObject.OfCondition(getContext().spawn(Condition.create(id, name, trace), actor));
            case BARRIER -> new SyncObject.OfBarrier(getContext().spawn(Barrier.create(id, name, value, trace), actor));
        };
        getContext().watchWith(object.ref(), new SyncStopped(id));
        Sync sync = new Sync(id, name, object);
        syncs.put(name, sync);
        syncsById.put(id, sync);
        return sync;
    }

    private Behavior<Command> onCloseSync(CloseSync c) {
        Proc caller = caller(c.caller());
        if (caller == null) {
            return this;
        }
        Sync sync = syncsById.get(c.id());
        if (sync == null || !syncHoldings.getOrDefault(c.caller(), new ArrayList<>()).remove(sync)) {
            c.replyTo().tell(Syscall.Result.fail(Errno.EBADF, "process " + c.caller() + " does not hold object " + c.id()));
            return this;
        }
        releaseSync(sync, caller.pid(), caller.program(), "close");
        c.replyTo().tell(Syscall.Result.OK);
        return this;
    }

    /** Drops one use of {@code sync}; frees it at zero. */
    private void releaseSync(Sync sync, long pid, String prog, String how) {
        sync.usage--;
        trace.event("sync-close", pid, prog, "kind", sync.object.kind().label(), "id", sync.id, "name", sync.name,
                "usage", sync.usage, "how", how);
        if (sync.usage == 0) {
            syncs.remove(sync.name);
            syncsById.remove(sync.id);
            trace.event("sync-free", 0, "kernel", "kind", sync.object.kind().label(), "id", sync.id, "name", sync.name);
            sync.object.free();
        }
    }

    private Behavior<Command> onSyncStopped(SyncStopped s) {
        Sync sync = syncsById.remove(s.id());
        if (sync != null) { // stopped without being freed: a kernel fault in the object
            syncs.remove(sync.name, sync);
        }
        return this;
    }

    // ---- messages addressed by pid --------------------------------------------------------

    private Behavior<Command> onMySend(MySend s) {
        if (caller(s.caller()) == null) {
            return this;
        }
        if (s.to() <= 0) {
            s.replyTo().tell(Syscall.Result.fail(Errno.EINVAL, "pid must be positive, not " + s.to()));
        } else if (!table.containsKey(s.to())) {
            s.replyTo().tell(Syscall.Result.fail(Errno.ESRCH, "no process " + s.to()));
        } else {
            inboxOf(s.to()).ref.tell(new Mailbox.Send(s.caller(), s.prog(), s.data(), s.rendezvous(), Sys.FOREVER,
                    s.replyTo()));
        }
        return this;
    }

    private Behavior<Command> onMyReceive(MyReceive r) {
        if (caller(r.caller()) != null) {
            inboxOf(r.caller()).ref.tell(new Mailbox.Recv(r.caller(), r.prog(), r.how(), r.replyTo()));
        }
        return this;
    }

    private Behavior<Command> onWithdrawInbox(WithdrawInbox w) {
        Box inbox = inboxes.get(w.ofPid());
        if (inbox != null) {
            inbox.ref.tell(new Mailbox.Withdraw(w.caller()));
        }
        return this;
    }

    private Box inboxOf(long pid) {
        return inboxes.computeIfAbsent(pid, p -> newBox(INBOX_PREFIX + p, p, settings.maxMboxLength()));
    }
}
