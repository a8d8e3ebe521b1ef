package org.mboxos.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
 * pid-addressed messages go from the sender's PCB straight to the receiver's inbox: the process
 * table introduces the two once, and sees none of the messages after that. Here the process
 * table is a probe, so every message it would get is counted.
 */
class PidTrafficTest {
    private static final int MESSAGES = 500;
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
    void aStreamOfMysendsPassesTheProcessTableOnlyForTheFirstIntroduction() {
        KernelSettings settings = KernelSettings.from(ConfigFactory.parseMap(Map.of("kernel.seed", 1))
                .withFallback(ConfigFactory.load()));
        Trace trace = new Trace(System::nanoTime);
        TestProbe<Kernel.Command> table = testKit.createTestProbe(Kernel.Command.class);
        ActorRef<Clock.Command> clock = testKit.spawn(Clock.create(trace, new KernelClock(false)));
        ActorRef<Console.Command> console = testKit.spawn(Console.create(Console.Screen.lines(s -> {})));
        Services services = new Services(table.getRef(), null, console, clock, null, null, null, trace, settings);
        AtomicInteger received = new AtomicInteger();

        Program receiver = Program.of("rx", "receives", (sys, args) -> {
            byte[] buf = new byte[8];
            for (int i = 0; i < MESSAGES; i++) {
                sys.myreceive(-1, buf);
                received.incrementAndGet();
            }
            return 0;
        });
        Program sender = Program.of("tx", "sends to pid 2", (sys, args) -> {
            for (int i = 0; i < MESSAGES; i++) {
                sys.mysend(2, new byte[] {(byte) i});
            }
            return 0;
        });
        ActorRef<Pcb.Command> rx = testKit.spawn(Pcb.create(2, receiver, List.of(), services));
        testKit.spawn(Pcb.create(1, sender, List.of(), services));

        Kernel.Introduce ask = table.expectMessageClass(Kernel.Introduce.class, REPLY);
        assertEquals(1, ask.caller());
        assertEquals(2, ask.target());
        rx.tell(new Pcb.Introduce(ask.replyTo())); // what the process table does with it

        // after that, the table hears only that the two processes ended
        List<Kernel.Command> rest = List.of(table.receiveMessage(REPLY), table.receiveMessage(REPLY));
        rest.forEach(m -> assertInstanceOf(Kernel.Ended.class, m, "the table saw a message it should not: " + m));
        assertEquals(MESSAGES, received.get());
        table.expectNoMessage(Duration.ofMillis(100));
    }
}
