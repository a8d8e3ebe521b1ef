package org.mboxos.kernel.sched;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.mboxos.kernel.dev.Clock;
import org.mboxos.kernel.proc.Pcb;
import org.mboxos.kernel.trace.Trace;

/**
 * The lottery scheduler of the one simulated CPU (kernel.scheduler = lottery).
 *
 * <p>A process runs user code only while it holds the CPU. It gives the CPU back at every
 * system call ({@link Released}); when the call completes its PCB asks for the CPU again
 * ({@link Ready}). The scheduler draws the next holder by a lottery weighted by tickets, from
 * a generator seeded with kernel.seed, and only once the kernel's own processor is idle, so
 * that every consequence of the previous call has been worked out first: that, and pid order
 * in the draw, is what makes a run replayable. When nobody is ready and the kernel is idle, the
 * simulated clock jumps to its next timer ({@link Clock.Advance}).
 *
 * <p>Invariant: a pid is in {@link #ready} or is {@link #running}, never both; a process that
 * ends or is killed leaves both at once ({@link Gone}), so the survivors share the CPU in
 * proportion to their tickets.
 */
public final class Scheduler extends AbstractOnMessageBehavior<Scheduler.Command> {

    public sealed interface Command {}

    /** The process's call has completed; it wants the CPU to go on. */
    public record Ready(long pid, String prog, int tickets, ActorRef<Pcb.Command> pcb) implements Command {}

    /** The process trapped: the CPU is free. */
    public record Released(long pid) implements Command {}

    /** The process ended or was killed. */
    public record Gone(long pid) implements Command {}

    /** From the Clock: it jumped to its next timer; if nobody became ready, jump again. */
    public record Jumped() implements Command {}

    /** The kernel processor ran out of work. */
    private record Idle() implements Command {}

    private record Candidate(String prog, int tickets, ActorRef<Pcb.Command> pcb) {}

    private final KernelCpu.Processor cpu;
    private final ActorRef<Clock.Command> clock;
    private final Trace trace;
    private final SplittableRandom lottery;
    private final long quantum;
    private final TreeMap<Long, Candidate> ready = new TreeMap<>();
    private long running;
    private boolean idleHookArmed;
    /** The clock has ticked for the next dispatch; draw once its consequences have settled. */
    private boolean ticked;

    /** {@code quantum}: simulated nanoseconds each dispatch lets pass, as a timer tick would. */
    public static Behavior<Command> create(KernelCpu.Processor cpu, ActorRef<Clock.Command> clock, Trace trace,
            long seed, long quantum) {
        return Behaviors.setup(ctx -> new Scheduler(ctx, cpu, clock, trace, seed, quantum));
    }

    private Scheduler(ActorContext<Command> ctx, KernelCpu.Processor cpu, ActorRef<Clock.Command> clock,
            Trace trace, long seed, long quantum) {
        super(ctx);
        this.quantum = quantum;
        this.cpu = cpu;
        this.clock = clock;
        this.trace = trace;
        this.lottery = new SplittableRandom(seed);
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case Ready r -> onReady(r);
            case Released r -> onReleased(r);
            case Gone g -> onGone(g);
            case Idle i -> onIdle();
            case Jumped j -> awaitIdle();
        };
    }

    private Behavior<Command> onReady(Ready r) {
        if (running == r.pid()) {
            running = 0;
        }
        ready.put(r.pid(), new Candidate(r.prog(), r.tickets(), r.pcb()));
        return awaitIdle();
    }

    private Behavior<Command> onReleased(Released r) {
        if (running == r.pid()) {
            running = 0;
        }
        return awaitIdle();
    }

    private Behavior<Command> onGone(Gone g) {
        ready.remove(g.pid());
        if (running == g.pid()) {
            running = 0;
        }
        return awaitIdle();
    }

    /** With the CPU free, wait for the kernel to settle before deciding anything. */
    private Behavior<Command> awaitIdle() {
        if (running == 0 && !idleHookArmed) {
            idleHookArmed = true;
            ActorRef<Command> self = getContext().getSelf();
            cpu.whenIdle(() -> self.tell(new Idle()));
        }
        return this;
    }

    private Behavior<Command> onIdle() {
        idleHookArmed = false;
        if (running != 0) {
            return this;
        }
        if (ready.isEmpty()) {
            ticked = false;
            clock.tell(new Clock.Advance(-1, getContext().getSelf())); // every process is blocked: jump to the next timer
            return this;
        }
        if (!ticked) { // a quantum passes first: timers due in it wake, and join the draw
            ticked = true;
            clock.tell(new Clock.Advance(quantum, getContext().getSelf()));
            return awaitIdle();
        }
        ticked = false;
        long total = 0;
        for (Candidate c : ready.values()) {
            total += c.tickets();
        }
        long draw = lottery.nextLong(total);
        long winner = 0;
        for (Map.Entry<Long, Candidate> e : ready.entrySet()) {
            draw -= e.getValue().tickets();
            if (draw < 0) {
                winner = e.getKey();
                break;
            }
        }
        Candidate c = ready.remove(winner); // (not through the entry: TreeMap reuses removed nodes)
        running = winner;
        trace.detail("dispatch", winner, c.prog(), "tickets", c.tickets());
        c.pcb().tell(new Pcb.Dispatch());
        return this;
    }
}
