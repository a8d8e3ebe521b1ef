package org.mboxos.kernel.dev;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mboxos.api.Errno;
import org.mboxos.kernel.Contained;
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
 * <p>Every delay is accepted. One the clock cannot represent (beyond about 292 years in
 * nanoseconds, or past that point on the kernel clock) means forever: the timer is kept, so
 * that it can be cancelled, but never fires. A delay longer than one Akka timer may run is
 * waited out in hops of at most {@link #HOP}. A negative delay fires at once (sleep refuses
 * negative times before it gets here).
 *
 * <p>pid 0 is the kernel itself; its sleeps are not traced. The keyboard paces a script with an alarm.
 * Kernel actors set alarms too ({@link Alarm}: a mailbox's send or receive timeout), so that
 * every timeout in the kernel runs on the one kernel clock.
 */
public final class Clock extends AbstractOnMessageBehavior<Clock.Command> implements Contained.Faultable<Clock.Command> {

    public sealed interface Command {}

    public record Sleep(long pid, String prog, long millis, ActorRef<Syscall.Result> replyTo) implements Command {}

    /**
     * The sleeper was killed: forget it, then tell {@code done} (if not null), so that a wake-up
     * fired before the cancel arrived is traced before the sleeper's end.
     */
    public record Cancel(long pid, ActorRef<Cancelled> done) implements Command {}

    /** {@code pid}'s sleep is over or forgotten: nothing of it will be traced any more. */
    public record Cancelled(long pid) {}

    /**
     * Lottery mode: move simulated time on by {@code nanos}, or to the next timer if negative (a
     * jump). A jump that fired timers but no run deadline is answered with
     * {@link Scheduler.Jumped}: if nobody became ready (the timers were the kernel's own, such
     * as the keyboard's pacing), the scheduler jumps again. A jump that reached a run deadline
     * (the launcher's --for) ends there, where the run stops.
     */
    public record Advance(long nanos, ActorRef<Scheduler.Command> scheduler) implements Command {}

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

    /** Each run deadline's own timer key, so that deadlines do not replace one another. */
    private record DeadlineKey(long number) {}

    /** A delay of this many nanoseconds or more never ends. */
    private static final long NEVER = Long.MAX_VALUE;
    /** The longest single Akka timer the clock starts (Akka refuses delays of about 248 days and more). */
    private static final Duration HOP = Duration.ofDays(1);

    private final TimerScheduler<Command> timers;
    private final Trace trace;
    private final KernelClock time;
    private final Map<Object, Timer> pending = new HashMap<>();
    private final Timeline timeline = new Timeline();
    /** Parallel mode: nanoseconds a timer still waits after its current Akka timer, by key. */
    private final Map<Object, Long> afterHop = new HashMap<>();
    private long deadlines;

    public static Behavior<Command> create(Trace trace, KernelClock time) {
        return Behaviors.withTimers(timers -> Contained.of(trace, Behaviors.setup(ctx -> new Clock(ctx, timers, trace, time))));
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
            case Cancel c -> onCancel(c);
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
        set(new Sleeper(s.pid(), s.prog(), s.replyTo()), millisToNanos(s.millis()));
        return this;
    }

    private <T> Behavior<Command> onAlarm(Alarm<T> a) {
        set(new Alarmed<>(a.key(), a.target(), a.message()), millisToNanos(a.millis()));
        return this;
    }

    /** Every deadline has a key of its own, so that a second one cannot replace the first. */
    private Behavior<Command> onDeadline(Deadline d) {
        if (d.at() == null) {
            d.replyTo().tell(Syscall.Result.fail(Errno.EINVAL, "a deadline needs a time"));
            return this;
        }
        long at = d.at().isNegative() ? 0 : d.at().compareTo(Duration.ofNanos(NEVER)) >= 0 ? NEVER : d.at().toNanos();
        set(new Alarmed<>(new DeadlineKey(deadlines++), d.replyTo(), Syscall.Result.OK),
                at == NEVER ? NEVER : at - time.getAsLong());
        return this;
    }

    /** {@code millis} in nanoseconds: 0 for negative, {@link #NEVER} where it does not fit. */
    private static long millisToNanos(long millis) {
        return millis <= 0 ? 0 : millis >= NEVER / 1_000_000 ? NEVER : millis * 1_000_000;
    }

    /** Sets {@code t} (replacing any timer with its key) to fire {@code nanos} from now; never if {@link #NEVER}. */
    private void set(Timer t, long nanos) {
        cancel(t.key());
        pending.put(t.key(), t);
        long after = Math.max(0, nanos);
        long now = time.getAsLong();
        if (after == NEVER || after > NEVER - now) {
            return; // forever: kept for cancel, on no timeline
        }
        if (time.simulated()) {
            timeline.put(t.key(), now + after);
        } else {
            startHop(t.key(), after);
        }
    }

    /** Parallel mode: starts an Akka timer for at most {@link #HOP} of the {@code nanos} left. */
    private void startHop(Object key, long nanos) {
        long hop = Math.min(nanos, HOP.toNanos());
        if (nanos > hop) {
            afterHop.put(key, nanos - hop);
        } else {
            afterHop.remove(key);
        }
        timers.startSingleTimer(key, new Wake(key), Duration.ofNanos(hop));
    }

    private Behavior<Command> onWake(Object key) {
        Long left = afterHop.get(key);
        if (left != null && pending.containsKey(key)) {
            startHop(key, left);
            return this;
        }
        Timer t = pending.remove(key);
        timeline.remove(key);
        if (t != null) {
            t.fire(trace);
        }
        return this;
    }

    private Behavior<Command> cancel(Object key) {
        timers.cancel(key);
        pending.remove(key);
        afterHop.remove(key);
        timeline.remove(key);
        return this;
    }

    private Behavior<Command> onCancel(Cancel c) {
        cancel(c.pid());
        if (c.done() != null) {
            c.done().tell(new Cancelled(c.pid()));
        }
        return this;
    }

    private Behavior<Command> onAdvance(Advance a) {
        if (timeline.isEmpty() && a.nanos() < 0) {
            return this; // nothing will ever happen by itself: wait for input
        }
        long now = time.getAsLong();
        long to = a.nanos() < 0 ? timeline.firstAt() : a.nanos() > NEVER - now ? NEVER : now + a.nanos();
        time.advanceTo(to);
        boolean deadline = false;
        for (Object key; (key = timeline.pollDue(to)) != null; ) {
            deadline |= key instanceof DeadlineKey;
            onWake(key);
        }
        if (a.nanos() < 0 && !deadline) {
            a.scheduler().tell(new Scheduler.Jumped());
        }
        return this;
    }

    /**
     * A fault: every sleeper and run deadline fails with EIO, and every other alarm (a
     * mailbox's timeout, the keyboard's pacing) fires at once, so that nobody waits for a timer
     * that will never come.
     */
    @Override
    public void failWaiters(Syscall.Result.Failed failure) {
        timers.cancelAll();
        List<Timer> all = new ArrayList<>(pending.values());
        pending.clear();
        timeline.clear();
        afterHop.clear();
        for (Timer t : all) {
            failOrFire(t, failure);
        }
    }

    @SuppressWarnings("unchecked")
    private void failOrFire(Timer t, Syscall.Result.Failed failure) {
        switch (t) {
            case Sleeper s -> s.replyTo().tell(failure);
            case Alarmed<?> a when a.key() instanceof DeadlineKey -> ((ActorRef<Syscall.Result>) a.target()).tell(failure);
            case Alarmed<?> a -> a.fire(trace);
        }
    }

    /** After a fault: sleeps and deadlines fail with EIO, alarms fire at once, cancels are confirmed, time still moves. */
    @Override
    public Behavior<Command> whenFailed(Command msg, Syscall.Result.Failed failure) {
        switch (msg) {
            case Sleep s -> s.replyTo().tell(failure);
            case Deadline d -> d.replyTo().tell(failure);
            case Alarm<?> a -> a.target().tell(cast(a.message()));
            case Cancel c -> onCancel(c); // nothing to cancel: confirmed
            case Advance a -> {
                if (a.nanos() > 0) {
                    long now = time.getAsLong();
                    time.advanceTo(a.nanos() > NEVER - now ? NEVER : now + a.nanos());
                }
            }
            case CancelAlarm c -> {}
            case Wake w -> {}
        }
        return Behaviors.same();
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object message) {
        return (T) message;
    }
}
