package org.mboxos.kernel;

import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.ExecutorServiceConfigurator;
import akka.dispatch.ExecutorServiceFactory;
import com.typesafe.config.Config;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * An Akka executor that runs each actor turn on its own virtual thread
 * ({@code kernel.dispatcher = virtual-threads}). A program's thread that sends a system call
 * and parks then hands the CPU straight to the kernel actor's virtual thread on the same
 * carrier, instead of waking a parked platform thread of a fork-join pool: this is what makes
 * a system call round trip cheap.
 */
public final class VirtualThreads extends ExecutorServiceConfigurator {

    public VirtualThreads(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
        return new ExecutorServiceFactory() {
            @Override
            public ExecutorService createExecutorService() {
                return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(id + "-", 0).factory());
            }
        };
    }
}
