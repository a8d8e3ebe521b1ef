package org.mboxos.kernel.proc;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.mboxos.api.Program;
import org.mboxos.kernel.KernelSettings;
import org.mboxos.kernel.Services;
import org.mboxos.kernel.dev.Clock;
import org.mboxos.kernel.dev.Console;
import org.mboxos.kernel.dev.KernelClock;
import org.mboxos.kernel.table.Kernel;
import org.mboxos.kernel.trace.Trace;

/**
 * PCBs on their own, with a probe standing in for the process table (so every message the table
 * would get is seen, and the test answers for it), a clock and a console; no registry, no
 * detector.
 */
final class ProbeTable implements AutoCloseable {
    final ActorTestKit testKit = ActorTestKit.create();
    final TestProbe<Kernel.Command> table = testKit.createTestProbe(Kernel.Command.class);
    private final Services services;

    ProbeTable() {
        KernelSettings settings = KernelSettings.from(ConfigFactory.parseMap(Map.of("kernel.seed", 1))
                .withFallback(ConfigFactory.load()));
        Trace trace = new Trace(System::nanoTime);
        ActorRef<Clock.Command> clock = testKit.spawn(Clock.create(trace, new KernelClock(false)));
        ActorRef<Console.Command> console = testKit.spawn(Console.create(Console.Screen.lines(s -> {})));
        services = new Services(table.getRef(), null, console, clock, null, null, null, trace, settings);
    }

    /** Starts {@code program} as process {@code pid}. */
    ActorRef<Pcb.Command> spawn(long pid, Program program) {
        return testKit.spawn(Pcb.create(pid, program, List.of(), services));
    }

    @Override
    public void close() {
        testKit.shutdownTestKit();
    }
}
