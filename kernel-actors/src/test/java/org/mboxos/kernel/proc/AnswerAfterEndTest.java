package org.mboxos.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mboxos.api.Program;
import org.mboxos.kernel.KernelSettings;
import org.mboxos.kernel.Services;
import org.mboxos.kernel.dev.Clock;
import org.mboxos.kernel.dev.Console;
import org.mboxos.kernel.dev.KernelClock;
import org.mboxos.kernel.table.Kernel;
import org.mboxos.kernel.trace.Trace;

/**
 * A server's {@code reply} to a caller that has ended is answered once: by the caller's PCB
 * while its end is still in progress, or, once the process table knows of the end, by the
 * table's {@link Pcb.PeerGone} alone. Both would end the server's reply twice, and the second
 * ESRCH would complete whatever call the server made next. The process table is a probe here.
 */
class AnswerAfterEndTest {
    private static final Duration REPLY = Duration.ofSeconds(10);
    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void anEndedCallerLeavesTheServersReplyToThePeerGoneTheTableSends() {
        KernelSettings settings = KernelSettings.from(ConfigFactory.parseMap(Map.of("kernel.seed", 1))
                .withFallback(ConfigFactory.load()));
        Trace trace = new Trace(System::nanoTime);
        TestProbe<Kernel.Command> table = testKit.createTestProbe(Kernel.Command.class);
        ActorRef<Clock.Command> clock = testKit.spawn(Clock.create(trace, new KernelClock(false)));
        ActorRef<Console.Command> console = testKit.spawn(Console.create(Console.Screen.lines(s -> {})));
        Services services = new Services(table.getRef(), null, console, clock, null, null, null, trace, settings);
        ActorRef<Pcb.Command> caller = testKit.spawn(Pcb.create(2, Program.of("caller", "exits at once",
                (sys, args) -> 0), List.of(), services));

        Kernel.Ended ended = table.expectMessageClass(Kernel.Ended.class, REPLY);
        assertEquals(2, ended.pid());

        TestProbe<Syscall.Result> server = testKit.createTestProbe(Syscall.Result.class);
        TestProbe<Pcb.Status> asker = testKit.createTestProbe(Pcb.Status.class);
        caller.tell(new Pcb.Answer(3, new byte[] {1}, server.getRef()));
        caller.tell(new Pcb.Describe(asker.getRef()));
        assertEquals("ending", asker.expectMessageClass(Pcb.Status.class, REPLY).state());
        // the PCB took the answer before the question: a verdict would be queued by now
        server.expectNoMessage(Duration.ZERO);
    }
}
