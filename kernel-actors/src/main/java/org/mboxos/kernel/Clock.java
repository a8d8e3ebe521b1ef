package org.mboxos.kernel;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.mboxos.api.Errno;

/**
 * The timer device: sleeping processes. One keyed timer per sleeper (the key is its pid), so
 * cancelling one sleeper, as kill does, leaves every other sleeper's wake-up untouched.
 */
public final class Clock extends AbstractOnMessageBehavior<Clock.Command> {

    public sealed interface Command {}

    public record Sleep(long pid, String prog, long millis, ActorRef<Syscall.Result> replyTo) implements Command {}

    /** The sleeper was killed: forget it. */
    public record Cancel(long pid) implements Command {}

    private record Wake(long pid) implements Command {}

    private record Sleeper(String prog, ActorRef<Syscall.Result> replyTo) {}

    private final TimerScheduler<Command> timers;
    private final Trace trace;
    private final Map<Long, Sleeper> sleepers = new HashMap<>();

    public static Behavior<Command> create(Trace trace) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Clock(ctx, timers, trace)));
    }

    private Clock(ActorContext<Command> ctx, TimerScheduler<Command> timers, Trace trace) {
        super(ctx);
        this.timers = timers;
        this.trace = trace;
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case Sleep s -> onSleep(s);
            case Wake w -> onWake(w);
            case Cancel c -> onCancel(c);
        };
    }

    private Behavior<Command> onSleep(Sleep s) {
        if (s.millis() < 0) {
            s.replyTo().tell(Syscall.Result.fail(Errno.EINVAL, "cannot sleep a negative time (" + s.millis() + " ms)"));
            return this;
        }
        trace.event("sleep", s.pid(), s.prog(), "ms", s.millis());
        sleepers.put(s.pid(), new Sleeper(s.prog(), s.replyTo()));
        timers.startSingleTimer(s.pid(), new Wake(s.pid()), Duration.ofMillis(s.millis()));
        return this;
    }

    private Behavior<Command> onWake(Wake w) {
        Sleeper s = sleepers.remove(w.pid());
        if (s != null) {
            trace.event("wake", w.pid(), s.prog());
            s.replyTo().tell(Syscall.Result.OK);
        }
        return this;
    }

    private Behavior<Command> onCancel(Cancel c) {
        timers.cancel(c.pid());
        sleepers.remove(c.pid());
        return this;
    }
}
