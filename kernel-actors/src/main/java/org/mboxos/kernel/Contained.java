package org.mboxos.kernel;

import akka.actor.typed.Behavior;
import akka.actor.typed.ExtensibleBehavior;
import akka.actor.typed.Signal;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;
import org.mboxos.api.Errno;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.trace.Trace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault containment for a kernel actor: an exception inside it never stops the system silently.
 *
 * <p>Contract. The wrapped actor handles messages as usual. If handling one throws (anything
 * but a {@link VirtualMachineError}), the fault is traced ({@code kernel-fault}: the actor's
 * path and the exception) and logged (logger {@code mboxos.fault}); then the actor, if it is
 * {@link Faultable}, fails every waiter with EIO ({@link Faultable#failWaiters}) and from then
 * on answers every message as a failed object ({@link Faultable#whenFailed}): requests get EIO,
 * so that no process hangs on it, and the kernel's own protocol messages (a withdraw, an ended
 * process, a free) are still answered, so that kill, exit and close keep working. The rest of
 * the kernel keeps running. An actor that is not {@code Faultable}, or that faults again while
 * failed, stops; whoever watches it (the registry, the process table) then reports it lost.
 */
public final class Contained<T> extends ExtensibleBehavior<T> {
    private static final Logger LOG = LoggerFactory.getLogger("mboxos.fault");

    /** A kernel actor that knows how to fail: what it owes its waiters and every later caller. */
    public interface Faultable<T> {
        /** The actor has faulted: answer every waiter with {@code failure} (EIO) and forget them. Called once. */
        void failWaiters(Syscall.Result.Failed failure);

        /**
         * A message after the fault: answer a request with {@code failure}, and a protocol message
         * as the kernel needs it answered. Returns {@link Behaviors#same()}, or {@link Behaviors#stopped()}
         * to stop (a free).
         */
        Behavior<T> whenFailed(T msg, Syscall.Result.Failed failure);
    }

    private final Trace trace;
    private final Faultable<T> faultable;
    private Behavior<T> inner;
    private Syscall.Result.Failed failure;

    private Contained(Trace trace, Behavior<T> inner, Faultable<T> faultable) {
        this.trace = trace;
        this.inner = inner;
        this.faultable = faultable;
    }

    /**
     * {@code behavior} with its faults contained. {@code behavior} must start as (set up to)
     * a {@link Faultable} actor to answer after a fault; otherwise a fault stops it.
     */
    public static <T> Behavior<T> of(Trace trace, Behavior<T> behavior) {
        return Behaviors.setup(ctx -> {
            Behavior<T> started = Behavior.start(behavior, ctx);
            @SuppressWarnings("unchecked")
            Faultable<T> f = started instanceof Faultable<?> x ? (Faultable<T>) x : null;
            return new Contained<>(trace, started, f);
        });
    }

    @Override
    public Behavior<T> receive(TypedActorContext<T> ctx, T msg) {
        try {
            if (failure != null) {
                return faultable.whenFailed(msg, failure);
            }
            return follow(ctx, Behavior.interpretMessage(inner, ctx, msg));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            return fault(ctx, e);
        }
    }

    @Override
    public Behavior<T> receiveSignal(TypedActorContext<T> ctx, Signal signal) {
        if (failure != null) {
            return this;
        }
        try {
            return follow(ctx, Behavior.interpretSignal(inner, ctx, signal));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            return fault(ctx, e);
        }
    }

    private Behavior<T> follow(TypedActorContext<T> ctx, Behavior<T> next) {
        if (!Behavior.isAlive(next)) {
            return next;
        }
        if (Behavior.isUnhandled(next)) {
            return Behaviors.unhandled();
        }
        inner = Behavior.canonicalize(next, inner, ctx);
        return this;
    }

    private Behavior<T> fault(TypedActorContext<T> ctx, Throwable e) {
        String actor = ctx.asJava().getSelf().path().toStringWithoutAddress();
        boolean again = failure != null;
        LOG.error("kernel actor {} failed{}", actor, again ? " again while failed: stopping it" : "", e);
        trace.event("kernel-fault", 0, "kernel", "actor", actor, "error", e.toString(), "stopped",
                again || faultable == null);
        if (again || faultable == null) {
            return Behaviors.stopped();
        }
        failure = new Syscall.Result.Failed(Errno.EIO, "kernel object " + actor + " failed: " + e);
        try {
            faultable.failWaiters(failure);
        } catch (VirtualMachineError v) {
            throw v;
        } catch (RuntimeException | Error second) {
            return fault(ctx, second);
        }
        return this;
    }
}
