package org.mboxos.kernel.deadlock;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mboxos.kernel.ipc.Mailbox;
import org.mboxos.kernel.proc.Pcb;
import org.mboxos.kernel.trace.Trace;

/**
 * The deadlock detector (kernel.deadlock = report or refuse): it keeps the {@link WaitForGraph}
 * from what the actors where waits happen report ({@link Waits}), and reports a deadlock when
 * one forms: a {@code deadlock} trace event and a warning on stderr (logger
 * {@code mboxos.deadlock}); when every process is in it, it tells the watchers ({@link Watch}),
 * so that the launcher can exit.
 *
 * <p>Reports reach it in causal order (a local tell enqueues at once), so its graph is always
 * the kernel's state at some consistent cut. A check ({@link Check}) runs after the reports
 * already queued, or, in parallel mode, {@code kernel.deadlock-check} after the first change
 * since the last check, and a candidate is confirmed before it is reported: every member's PCB must
 * still describe itself as blocked, and no report about a member may have come in meanwhile;
 * a deadlock is stable, so a real one passes, and a report for a set that is already reported
 * is never repeated. Everything runs on kernel turns in pid order, so a lottery run is replayed
 * with the same events.
 *
 * <p>Refuse mode: a {@link Wait.ForPid} report that closes a cycle of definite waits is not
 * recorded; the reporting actor is told to fail the call with EDEADLK. Every other member of the
 * cycle is blocked in a definite wait, so nothing but a kill can end the waits in between: the
 * refused call is still waiting when the refusal arrives (or has been killed).
 */
public final class Detector extends AbstractOnMessageBehavior<Detector.Command> {
    public sealed interface Command {}

    /** From the process table, before the PCB runs: {@code pid} exists. */
    public record Spawned(long pid, String program, ActorRef<Pcb.Command> pcb) implements Command {}

    /** From the process table: {@code pid}'s end is complete; it leaves the graph. */
    public record Ended(long pid) implements Command {}

    /** See {@link Waits#blocked}; {@code box} is the mailbox the process waits in, if it does. */
    public record Blocked<T>(long pid, Wait on, ActorRef<T> at, T refusal, ActorRef<Mailbox.Command> box) implements Command {}

    public record Unblocked(long pid) implements Command {}

    /** From the guardian, before it passes them on: {@code n} keys will reach the keyboard buffer. */
    public record KeysComing(long n) implements Command {}

    /** From the keyboard buffer: one of them arrived. */
    public record KeyArrived() implements Command {}

    /** From the guardian: no key will be pressed from outside any more, only scripts typed. */
    public record CloseKeyboard() implements Command {}

    /** Tell {@code replyTo} (once) when every process is deadlocked. */
    public record Watch(ActorRef<WholeSystem> replyTo) implements Command {}

    /** Every process is deadlocked: what each waits in, "PID PROGRAM: CALL". */
    public record WholeSystem(List<String> waits) {}

    private record Check() implements Command {}

    private record Described(Pcb.Status status) implements Command {}

    /** A box a member waits in has finished every turn it began before it was asked. */
    private record Flushed() implements Command {}

    private final Duration checkEvery;
    private final Trace trace;
    private final boolean refuse;
    /** The graph, with each process's PCB, the box it waits in, and the reports about it so far. */
    private final WaitForGraph graph = new WaitForGraph();
    private final Reports reports;
    private final ActorRef<Pcb.Status> described;
    private final ActorRef<Mailbox.Stats> flushed;
    private boolean checkQueued;
    /** Checks again, without news, of a candidate its members' answers did not confirm. */
    private static final int RECHECKS = 3;
    private int unconfirmed;
    /** A check was due while a candidate was being confirmed. */
    private boolean checkDeferred;
    private Candidate candidate;

    /**
     * A detector that checks the graph at most once per {@code checkEvery} after it changes, or,
     * with {@link Duration#ZERO}, after every change, once the reports already queued are in
     * (lottery mode: the checks are then kernel turns in a replayable order).
     */
    public static Behavior<Command> create(Trace trace, boolean refuse, Duration checkEvery) {
        return Behaviors.setup(ctx -> new Detector(ctx, trace, refuse, checkEvery));
    }

    private Detector(ActorContext<Command> ctx, Trace trace, boolean refuse, Duration checkEvery) {
        super(ctx);
        this.checkEvery = checkEvery;
        this.trace = trace;
        this.refuse = refuse;
        this.reports = new Reports(trace, graph);
        this.described = ctx.messageAdapter(Pcb.Status.class, Described::new);
        this.flushed = ctx.messageAdapter(Mailbox.Stats.class, s -> new Flushed());
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case Spawned s -> onSpawned(s);
            case Ended e -> onEnded(e);
            case Blocked<?> b -> onBlocked(b);
            case Unblocked u -> onUnblocked(u);
            case KeysComing k -> onKeysComing(k);
            case KeyArrived k -> onKeyArrived();
            case CloseKeyboard c -> onCloseKeyboard();
            case Watch w -> onWatch(w);
            case Check c -> onCheck();
            case Described d -> onDescribed(d.status());
            case Flushed f -> onFlushed();
        };
    }

    private Behavior<Command> onSpawned(Spawned s) {
        graph.spawned(s.pid(), s.program(), s.pcb());
        return changed(true);
    }

    private Behavior<Command> onEnded(Ended e) {
        graph.ended(e.pid());
        reports.ended(e.pid());
        changed(true);
        if (candidate != null && candidate.versions().containsKey(e.pid())) {
            candidate = null; // its PCB is gone and may never answer: the candidate is void anyway
        }
        return this;
    }

    private <T> Behavior<Command> onBlocked(Blocked<T> b) {
        if (refuse && b.on().target() != 0 && graph.exists(b.pid())) {
            List<Long> cycle = graph.cycleThrough(b.pid(), b.on().target());
            if (cycle != null) {
                trace.event("deadlock-refused", b.pid(), graph.program(b.pid()), "cycle", cycle);
                b.at().tell(b.refusal());
                return this;
            }
        }
        return changed(graph.blocked(b.pid(), b.on(), b.box()));
    }

    private Behavior<Command> onUnblocked(Unblocked u) {
        return changed(graph.unblocked(u.pid()));
    }

    private Behavior<Command> onKeysComing(KeysComing k) {
        graph.keysComing(k.n());
        return changed(true);
    }

    private Behavior<Command> onKeyArrived() {
        graph.keyArrived();
        return changed(true);
    }

    private Behavior<Command> onCloseKeyboard() {
        graph.closeKeyboard();
        return changed(true);
    }

    private Behavior<Command> onWatch(Watch w) {
        reports.watch(w.replyTo());
        return this;
    }

    /**
     * The graph changed ({@code really}): check once the reports already queued are in, or
     * {@link #checkEvery} from now. A check looks at the whole graph, so a process that blocks
     * and wakes many times a millisecond must not pay one per wait; a deadlock is stable, so the
     * later check still finds it.
     */
    private Behavior<Command> changed(boolean really) {
        if (really) {
            if (!checkQueued) {
                checkQueued = true;
                if (checkEvery.isZero()) {
                    getContext().getSelf().tell(new Check());
                } else {
                    // not a TimerScheduler: its interceptor would handle each of millions of reports
                    getContext().scheduleOnce(checkEvery, getContext().getSelf(), new Check());
                }
            }
        }
        return this;
    }

    /** Finds deadlocks not reported yet and asks their members' PCBs to confirm them. */
    private Behavior<Command> onCheck() {
        checkQueued = false;
        if (candidate != null) {
            checkDeferred = true; // checked again when this one is decided
            return this;
        }
        TreeSet<Long> stuck = graph.deadlocked();
        reports.stillStuck(stuck);
        boolean wholeSystem = !stuck.isEmpty() && stuck.size() == graph.processes() && !reports.wholeSystemReported();
        List<TreeSet<Long>> fresh = new ArrayList<>();
        for (TreeSet<Long> d : graph.components(stuck)) {
            if (wholeSystem || reports.isNew(d)) {
                fresh.add(d);
            }
        }
        if (fresh.isEmpty()) {
            return this;
        }
        Map<Long, Long> asked = new TreeMap<>();
        fresh.forEach(d -> d.forEach(pid -> asked.put(pid, graph.version(pid))));
        ask(new Candidate(fresh, asked, new TreeMap<>(), wholeSystem, new int[1], false));
        return this;
    }

    /**
     * Asks every member's PCB, and every box a member waits in, about {@code c}. A box answers
     * after the turn it is in, and reports a waiter served in that turn before answering: once
     * every box has answered, a report that voids the candidate has come in, if there is one.
     */
    private void ask(Candidate c) {
        Set<ActorRef<Mailbox.Command>> toFlush = new LinkedHashSet<>();
        c.versions().keySet().forEach(pid -> {
            if (graph.box(pid) != null) {
                toFlush.add(graph.box(pid));
            }
        });
        c.boxesToFlush()[0] = toFlush.size();
        candidate = c;
        c.versions().keySet().forEach(pid -> graph.pcb(pid).tell(new Pcb.Describe(described)));
        toFlush.forEach(box -> box.tell(new Mailbox.Stat(flushed)));
    }

    private Behavior<Command> onFlushed() {
        if (candidate != null) {
            candidate.boxesToFlush()[0]--;
            decideIfComplete();
        }
        return this;
    }

    private Behavior<Command> onDescribed(Pcb.Status status) {
        Candidate c = candidate;
        if (c == null || !c.versions().containsKey(status.pid())) {
            return this;
        }
        c.answers().put(status.pid(), status);
        decideIfComplete();
        return this;
    }

    /** Once every PCB and box has answered: reports the candidate if nothing about its members changed meanwhile. */
    private void decideIfComplete() {
        Candidate c = candidate;
        if (!c.complete()) {
            return;
        }
        candidate = null;
        boolean confirmed = c.answers().values().stream().allMatch(s -> s.state().equals("blocked"))
                && c.versions().entrySet().stream().allMatch(e -> e.getValue().equals(graph.version(e.getKey())));
        if (confirmed && !c.secondRound()) { // once more, after what was on its way has come in
            ask(new Candidate(c.deadlocks(), c.versions(), new TreeMap<>(), c.wholeSystem(), new int[1], true));
            return;
        }
        if (confirmed) {
            reports.report(c);
        }
        // what came in meanwhile is checked now; one that failed with nothing new, a few times more
        if (checkDeferred || !confirmed && unconfirmed++ < RECHECKS) {
            checkDeferred = false;
            changed(true);
        } else if (confirmed) {
            unconfirmed = 0;
        }
    }
}
