package org.mboxos.kernel;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.ChildFailed;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Signal;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.mboxos.kernel.deadlock.Detector;
import org.mboxos.kernel.dev.Clock;
import org.mboxos.kernel.dev.Console;
import org.mboxos.kernel.dev.KernelClock;
import org.mboxos.kernel.dev.Keyboard;
import org.mboxos.kernel.ipc.Mailbox;
import org.mboxos.kernel.ipc.Owner;
import org.mboxos.kernel.ipc.Registry;
import org.mboxos.kernel.ipc.Shape;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.sched.KernelCpu;
import org.mboxos.kernel.sched.Scheduler;
import org.mboxos.kernel.table.Kernel;
import org.mboxos.kernel.trace.Trace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine's guardian: it boots the kernel. It owns the devices (console, clock, keyboard and
 * the keyboard's buffer, and in lottery mode the scheduler), the deadlock detector (unless
 * kernel.deadlock = off), the name registry and the process table, sets each up with the
 * references it needs, and passes the outside world's requests (boot, keys, console flush, run
 * deadline, deadlock watch) to the one that serves them.
 */
public final class Guardian extends AbstractOnMessageBehavior<Guardian.Command> {

    public sealed interface Command {}

    /** Starts {@code program} as pid 1; {@code replyTo} gets its exit status when it ends. */
    public record Boot(String program, List<String> args, ActorRef<Syscall.Result> replyTo) implements Command {}

    /** An interrupt or a script for the keyboard device. */
    public record Keys(Keyboard.Command keys) implements Command {}

    /** Reply once the console has written everything printed so far. */
    public record FlushConsole(ActorRef<Syscall.Result> replyTo) implements Command {}

    /** Reply once kernel time reaches {@code at} (simulated time in lottery mode). */
    public record Deadline(Duration at, ActorRef<Syscall.Result> replyTo) implements Command {}

    /** No key will be pressed from outside any more: keys come only from scripts ({@link Keyboard.Type}). */
    public record CloseKeyboard() implements Command {}

    /** Tell {@code replyTo} when every process is deadlocked (never, with kernel.deadlock = off). */
    public record WatchDeadlock(ActorRef<Detector.WholeSystem> replyTo) implements Command {}

    private static final Logger LOG = LoggerFactory.getLogger("mboxos.fault");

    private final CompletableFuture<String> down;
    private final ActorRef<Kernel.Command> processTable;
    /** Null when kernel.deadlock = off. */
    private final ActorRef<Detector.Command> detector;
    private final ActorRef<Console.Command> console;
    private final ActorRef<Clock.Command> clock;
    private final ActorRef<Keyboard.Command> keyboard;

    /**
     * The guardian of a machine. In lottery mode {@code cpuToken} names the {@link KernelCpu}
     * every kernel actor runs on (null in parallel mode).
     */
    public static Behavior<Command> create(KernelSettings settings, Ramdisk ramdisk, Trace trace, Console.Screen screen,
            KernelClock time, String cpuToken, CompletableFuture<String> down) {
        return Behaviors.setup(ctx -> new Guardian(ctx, settings, ramdisk, trace, screen, time, cpuToken, down));
    }

    private Guardian(ActorContext<Command> ctx, KernelSettings settings, Ramdisk ramdisk, Trace trace,
            Console.Screen screen, KernelClock time, String cpuToken, CompletableFuture<String> down) {
        super(ctx);
        this.down = down;
        trace.event("boot", 0, "kernel", "seed", settings.seed(), "scheduler",
                settings.scheduler().name().toLowerCase(), "num_pcbs", settings.numPcbs());
        this.console = ctx.spawn(Console.create(screen), "console", DispatcherSelector.blocking());
        this.clock = ctx.spawn(Clock.create(trace, time), "clock");
        this.detector = settings.deadlock() == KernelSettings.Deadlocks.OFF ? null : ctx.spawn(Detector.create(trace,
                settings.deadlock() == KernelSettings.Deadlocks.REFUSE, settings.scheduler() == KernelSettings.Scheduling.LOTTERY
                ? Duration.ZERO : settings.deadlockCheck()), "deadlock-detector");
        ActorRef<Scheduler.Command> scheduler = cpuToken == null ? null
                : ctx.spawn(Scheduler.create(KernelCpu.processor(cpuToken), clock, trace, settings.seed(),
                        settings.quantum().toNanos()), "scheduler");
        ActorRef<Mailbox.Command> buffer = ctx.spawn(Mailbox.create(Registry.KEYBOARD_BOX, Keyboard.BOX,
                Owner.DEVICE, new Shape(settings.keyboardBuffer(), 1, 1), 2 * settings.numPcbs(), clock,
                trace, detector), "keyboard-buffer");
        this.keyboard = ctx.spawn(Keyboard.create(buffer, clock, trace), "keyboard");
        ActorRef<Registry.Command> registry = ctx.spawn(Registry.create(settings, buffer, clock, trace, detector),
                "registry");
        this.processTable = ctx.spawn(Kernel.create(self -> new Services(self, registry, console, clock, buffer,
                scheduler, detector, trace, settings), ramdisk), "kernel");
        for (ActorRef<?> child : new ActorRef<?>[] {console, clock, keyboard, buffer, registry, processTable, scheduler,
                detector}) {
            if (child != null) {
                ctx.watch(child);
            }
        }
    }

    /**
     * A device, the registry, the process table or the deadlock detector stopped (an uncontained
     * fault, see {@link
     * Contained}): the kernel cannot go on. The guardian says why ({@code down}, the log) and
     * stops, which terminates the actor system; the launcher reports it and exits non-zero.
     */
    @Override
    public Behavior<Command> onSignal(Signal signal) {
        String why = switch (signal) {
            case ChildFailed f -> "kernel actor " + f.getRef().path().name() + " failed: " + f.getCause();
            case Terminated t -> "kernel actor " + t.getRef().path().name() + " stopped";
            default -> null;
        };
        if (why == null) {
            return this;
        }
        LOG.error("{}; stopping the kernel", why);
        down.complete(why);
        return Behaviors.stopped();
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case Boot b -> onBoot(b);
            case Keys k -> onKeys(k);
            case FlushConsole f -> onFlushConsole(f);
            case Deadline d -> onDeadline(d);
            case CloseKeyboard c -> toDetector(new Detector.CloseKeyboard());
            case WatchDeadlock w -> toDetector(new Detector.Watch(w.replyTo()));
        };
    }

    private Behavior<Command> onBoot(Boot b) {
        processTable.tell(new Kernel.Boot(b.program(), b.args(), b.replyTo()));
        return this;
    }

    /** The detector hears of keys before the keyboard does: it never takes a key on its way for none. */
    private Behavior<Command> onKeys(Keys k) {
        toDetector(new Detector.KeysComing(k.keys() instanceof Keyboard.Type t ? t.keys().length : 1));
        keyboard.tell(k.keys());
        return this;
    }

    private Behavior<Command> onFlushConsole(FlushConsole f) {
        console.tell(new Console.Flush(f.replyTo()));
        return this;
    }

    private Behavior<Command> onDeadline(Deadline d) {
        clock.tell(new Clock.Deadline(d.at(), d.replyTo()));
        return this;
    }

    private Behavior<Command> toDetector(Detector.Command c) {
        if (detector != null) {
            detector.tell(c);
        }
        return this;
    }
}
