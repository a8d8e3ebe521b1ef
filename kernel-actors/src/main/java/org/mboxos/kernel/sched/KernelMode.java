package org.mboxos.kernel.sched;

import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.ExecutorServiceFactory;
import akka.dispatch.Mailbox;
import com.typesafe.config.Config;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;

/**
 * System calls in kernel mode ({@code kernel.dispatcher = kernel-mode}): an Akka executor that
 * runs a kernel actor's turn on the program's own thread when that thread is trapping, as a
 * real kernel runs kernel code on the calling process's kernel stack instead of switching
 * threads. Anywhere else it starts a virtual thread per turn, as {@link VirtualThreads} does.
 *
 * <p>A program's thread marks itself with {@link #enter()} while it tells its PCB a system
 * call, and {@link Lane#leave()} after. While it is marked, every actor that Akka schedules
 * from it, the PCB first, then the actor the PCB passes the call to, then the one that actor
 * answers, runs right there, up to {@link #MAX_DEPTH} turns deep; deeper, or from any other
 * thread, a turn gets a virtual thread of its own. When the reply reaches the PCB within those
 * turns, the PCB completes the call before the program's tell returns, and the program does
 * not park at all.
 *
 * <p>Why this keeps Akka's guarantee that an actor runs one turn at a time: Akka submits a
 * mailbox to the executor only after winning a compare-and-set of the mailbox's Scheduled bit,
 * and clears that bit only at the end of the mailbox run. Akka 2.8.6,
 * akka-actor/src/main/scala/akka/dispatch/Dispatcher.scala, {@code registerForExecution}
 * (lines 119-140): {@code if (mbox.canBeScheduledForExecution(..)) { if (mbox.setAsScheduled())
 * { executorService.execute(mbox) ...} }}; Mailbox.scala, {@code setAsScheduled} (line 186):
 * "Only try to add Scheduled bit if pure Open/Suspended, not Closed or with Scheduled bit
 * already set", a CAS on the status; and {@code run()} (lines 227-236) calls {@code setAsIdle()}
 * in its {@code finally} and only then registers the mailbox again. So whichever thread
 * {@code execute(mbox)} is called on, no other thread is running that mailbox, and none will
 * until this run ends: running it inline is running it on one more executor thread. An actor
 * that is busy on another thread is never submitted (setAsScheduled fails): the message waits
 * in its queue for the thread already running it. An actor busy further up this thread's own
 * stack (the PCB, when its box answers it) is likewise not submitted; its own run, still on
 * the stack, dequeues the answer when the nested turn returns.
 *
 * <p>Only Akka mailbox runs are run inline, never other tasks (future callbacks and the like).
 * The thread's interrupt status is set aside around an inline run (a mailbox run throws
 * InterruptedException when it finds its thread interrupted), and anything the run throws goes
 * to the thread's uncaught-exception handler, as it would on a thread of its own, instead of
 * into the program's system call.
 *
 * <p>Lottery mode never uses this executor: its kernel actors keep their single
 * {@link KernelCpu}.
 */
public final class KernelMode extends VirtualThreads {
    /** The most turns one program thread runs nested inside one another. */
    public static final int MAX_DEPTH = 3;

    private static final ThreadLocal<Lane> LANES = new ThreadLocal<>();

    /** A program thread's kernel-mode state; touched only by its own thread. */
    public static final class Lane {
        private boolean trapping;
        private int depth;

        private Lane() {}

        /** The system call has been told; turns scheduled from here on get threads of their own. */
        public void leave() {
            trapping = false;
        }
    }

    /**
     * Marks the calling thread as trapping: the turns its next tell causes may run on it. Call
     * {@link Lane#leave()} in a {@code finally} once the tell has returned.
     */
    public static Lane enter() {
        Lane lane = LANES.get();
        if (lane == null) {
            lane = new Lane();
            LANES.set(lane);
        }
        lane.trapping = true;
        return lane;
    }

    /** How many turns are running inline on the calling thread right now (0 outside kernel mode). */
    public static int depth() {
        Lane lane = LANES.get();
        return lane == null ? 0 : lane.depth;
    }

    public KernelMode(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
        return new ExecutorServiceFactory() {
            @Override
            public ExecutorService createExecutorService() {
                return new Inline();
            }
        };
    }

    /** Runs a mailbox on the trapping thread when it may, else on a virtual thread of its own. */
    private static final class Inline extends Starter {
        @Override
        public void execute(Runnable task) {
            Lane lane;
            if (task instanceof Mailbox && (lane = LANES.get()) != null && lane.trapping && lane.depth < MAX_DEPTH) {
                if (isShutdown()) {
                    throw new RejectedExecutionException("the kernel dispatcher is shut down");
                }
                runInline(lane, task);
            } else {
                start(task);
            }
        }

        private static void runInline(Lane lane, Runnable task) {
            Thread self = Thread.currentThread();
            boolean interrupted = self.isInterrupted() && Thread.interrupted(); // a read; cleared only if set
            lane.depth++;
            try {
                task.run();
            } catch (Throwable t) {
                self.getUncaughtExceptionHandler().uncaughtException(self, t);
            } finally {
                lane.depth--;
                if (interrupted) {
                    self.interrupt();
                }
            }
        }
    }
}
