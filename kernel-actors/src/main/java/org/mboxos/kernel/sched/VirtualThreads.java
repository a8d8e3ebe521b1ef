package org.mboxos.kernel.sched;

import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.ExecutorServiceConfigurator;
import akka.dispatch.ExecutorServiceFactory;
import com.typesafe.config.Config;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * An Akka executor that runs each actor turn on its own virtual thread
 * ({@code kernel.dispatcher = virtual-threads}). A program's thread that sends a system call
 * and parks then hands the CPU straight to the kernel actor's virtual thread on the same
 * carrier, instead of waking a parked platform thread of a fork-join pool: this is what makes
 * a system call round trip cheap.
 */
public class VirtualThreads extends ExecutorServiceConfigurator {

    public VirtualThreads(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
        return new ExecutorServiceFactory() {
            @Override
            public ExecutorService createExecutorService() {
                return new Starter();
            }
        };
    }

    /**
     * Starts one unnamed virtual thread per task and keeps no record of them: the JDK's
     * thread-per-task executor tracks every thread in a concurrent set, which costs more than
     * the task itself here (seen in a profile of the mailbox benchmark). Shutdown stops new
     * tasks; a turn already started runs to its end.
     */
    static class Starter extends AbstractExecutorService {
        private static final Thread.Builder.OfVirtual BUILDER = Thread.ofVirtual();
        private volatile boolean shutdown;

        @Override
        public void execute(Runnable task) {
            start(task);
        }

        /** Runs {@code task} on a virtual thread of its own. */
        final void start(Runnable task) {
            if (shutdown) {
                throw new RejectedExecutionException("the kernel dispatcher is shut down");
            }
            BUILDER.start(task);
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
