package org.mboxos.kernel.dev;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.mboxos.api.Errno;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.sched.Scheduler;
import org.mboxos.kernel.trace.Trace;

/**
 * The timer device: sleeping processes, the keyboard's script pacing, and run deadlines.
 *
 * <p>Parallel mode uses one keyed timer per sleeper (the key is its pid), so cancelling one
 * sleeper, as kill does, leaves every other wake-up untouched. Lottery mode keeps the same
 * sleepers on a simulated timeline instead: time moves only when the {@link Scheduler} says so
 * ({@link Advance}): by one quantum per dispatch, or straight to the next timer when every
 * process is blocked, so that simulated minutes pass in milliseconds and a run is replayable.
 * Timers due at the same instant fire in the order they were set.
 *
 * <p>pid 0 is the kernel itself (the keyboard pacing a script); its sleeps are not traced.
 * Kernel actors set alarms too ({@link Alarm}: a mailbox's send or receive timeout), so that
 * every timeout in the kernel runs on the one kernel clock.
 */
public final class Clock extends AbstractOnMessageBehavior<Clock.Command> {

    public sealed interface Command {}

    public record Sleep(long pid, String prog, long millis, ActorRef<Syscall.Result> replyTo) implements Command {}

    /** The sleeper was killed: forget it. */
    public record Cancel(long pid) implements Command {}

    /** Lottery mode: move simulated time on by {@code nanos}, or to the next timer if negative. */
    public record Advance(long nanos) implements Command {}

    /** Tell {@code target} {@code message} after {@code millis}, unless cancelled by {@code key} first. */
    public record Alarm<T>(Object key, long millis, ActorRef<T> target, T message) implements Command {}

    public record CancelAlarm(Object key) implements Command {}

    /** Reply once kernel time reaches {@code at} after boot (the launcher's --for). */
    public record Deadline(Duration at, ActorRef<Syscall.Result> replyTo) implements Command {}

    private record Wake(Object key) implements Command {}

    /** What fires when its time comes: a sleeper (keyed by pid) or an alarm (keyed by its key). */
    private sealed interface Timer {
        Object key();

        void fire(Trace trace);
    }

    private record Sleeper(long pid, String prog, ActorRef<Syscall.Result> replyTo) implements Timer {
        public Object key() {
            return pid;
        }

        public void fire(Trace trace) {
            if (pid > 0) {
                trace.event("wake", pid, prog);
            }
            replyTo.tell(Syscall.Result.OK);
        }
    }

    private record Alarmed<T>(Object key, ActorRef<T> target, T message) implements Timer {
        public void fire(Trace trace) {
            target.tell(message);
        }
    }

    /** A place on the simulated timeline: when, and in which order it was set. */
    private record Due(long at, long order) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
        }
    }

    private record DeadlineKey(long n) {}

    private final TimerScheduler<Command> timers;
    private final Trace trace;
    private final KernelClock time;
    private final Map<Object, Timer> pending = new HashMap<>();
    private final TreeMap<Due, Timer> timeline = new TreeMap<>();
    private final Map<Object, Due> placeOf = new HashMap<>();
    private long order;
    private long deadlines;

    public static Behavior<Command> create(Trace trace, KernelClock time) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Clock(ctx, timers, trace, time)));
    }

    private Clock(ActorContext<Command> ctx, TimerScheduler<Command> timers, Trace trace, KernelClock time) {
        super(ctx);
        this.timers = timers;
        this.trace = trace;
        this.time = time;
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case Sleep s -> onSleep(s);
            case Wake w -> onWake(w.key());
            case Cancel c -> cancel(c.pid());
            case Alarm<?> a -> onAlarm(a);
            case CancelAlarm c -> cancel(c.key());
            case Advance a -> onAdvance(a);
            case Deadline d -> onDeadline(d);
        };
    }

    private Behavior<Command> onSleep(Sleep s) {
        if (s.millis() < 0) {
            s.replyTo().tell(Syscall.Result.fail(Errno.EINVAL, "cannot sleep a negative time (" + s.millis() + " ms)"));
            return this;
        }
        if (s.pid() != 0) {
            trace.event("sleep", s.pid(), s.prog(), "ms", s.millis());
        }
        set(new Sleeper(s.pid(), s.prog(), s.replyTo()), Duration.ofMillis(s.millis()));
        return this;
    }

    private <T> Behavior<Command> onAlarm(Alarm<T> a) {
        set(new Alarmed<>(a.key(), a.target(), a.message()), Duration.ofMillis(a.millis()));
        return this;
    }

    /** Every deadline has a key of its own, so that a second one cannot replace the first. */
    private Behavior<Command> onDeadline(Deadline d) {
        set(new Alarmed<>(new DeadlineKey(++deadlines), d.replyTo(), Syscall.Result.OK), d.at().minusNanos(time.getAsLong()));
        return this;
    }

    private void set(Timer t, Duration after) {
        pending.put(t.key(), t);
        if (time.simulated()) {
            Due due = new Due(time.getAsLong() + Math.max(0, after.toNanos()), order++);
            timeline.put(due, t);
            placeOf.put(t.key(), due);
        } else {
            timers.startSingleTimer(t.key(), new Wake(t.key()), after.isNegative() ? Duration.ZERO : after);
        }
    }

    private Behavior<Command> onWake(Object key) {
        Timer t = pending.remove(key);
        placeOf.remove(key);
        if (t != null) {
            t.fire(trace);
        }
        return this;
    }

    private Behavior<Command> cancel(Object key) {
        timers.cancel(key);
        pending.remove(key);
        Due due = placeOf.remove(key);
        if (due != null) {
            timeline.remove(due);
        }
        return this;
    }

    private Behavior<Command> onAdvance(Advance a) {
        if (timeline.isEmpty() && a.nanos() < 0) {
            return this; // nothing will ever happen by itself: wait for input
        }
        long to = a.nanos() < 0 ? timeline.firstKey().at() : time.getAsLong() + a.nanos();
        time.advanceTo(to);
        while (!timeline.isEmpty() && timeline.firstKey().at() <= to) {
            onWake(timeline.pollFirstEntry().getValue().key());
        }
        return this;
    }
}
