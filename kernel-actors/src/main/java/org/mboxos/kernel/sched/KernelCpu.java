package org.mboxos.kernel.sched;

import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.ExecutorServiceConfigurator;
import akka.dispatch.ExecutorServiceFactory;
import com.typesafe.config.Config;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's own processor in lottery mode: every kernel actor runs on this one thread, so
 * that, given the same inputs, they process their messages in the same order. It tells the
 * {@link Scheduler} when it has drained its queue, so that the scheduler draws the next
 * process only once every consequence of the last system call has been worked out.
 *
 * <p>Used as an Akka executor ({@code executor = "org.mboxos.kernel.KernelCpu"}); the
 * {@code token} setting names the instance so that the Scheduler of the same machine finds it.
 */
public final class KernelCpu extends ExecutorServiceConfigurator {
    private static final Map<String, Processor> PROCESSORS = new ConcurrentHashMap<>();

    private final String token;

    public KernelCpu(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
        this.token = config.getString("token");
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
        return new ExecutorServiceFactory() {
            @Override
            public ExecutorService createExecutorService() {
                Processor p = new Processor(threadFactory, () -> PROCESSORS.remove(token));
                PROCESSORS.put(token, p);
                return p;
            }
        };
    }

    /** The processor of the machine whose configuration carries {@code token}. */
    public static Processor processor(String token) {
        Processor p = PROCESSORS.get(token);
        if (p == null) {
            throw new IllegalStateException("no kernel CPU with token " + token);
        }
        return p;
    }

    /** One thread, FIFO, with a one-shot hook for "nothing left to run". */
    public static final class Processor extends ThreadPoolExecutor {
        private final Runnable onShutdown;
        private Runnable whenIdle; // touched only on the processor's own thread

        Processor(ThreadFactory threadFactory, Runnable onShutdown) {
            super(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threadFactory);
            this.onShutdown = onShutdown;
        }

        /**
         * Runs {@code hook} once, on this thread, as soon as the queue is empty after the task
         * that calls this. Must be called from a task running on this processor.
         */
        void whenIdle(Runnable hook) {
            whenIdle = hook;
        }

        @Override
        protected void afterExecute(Runnable task, Throwable failure) {
            if (whenIdle != null && getQueue().isEmpty()) {
                Runnable hook = whenIdle;
                whenIdle = null;
                hook.run();
            }
        }

        @Override
        protected void terminated() {
            onShutdown.run();
        }
    }
}
