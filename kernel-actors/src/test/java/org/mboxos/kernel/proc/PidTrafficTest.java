package org.mboxos.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mboxos.api.Program;
import org.mboxos.kernel.table.Kernel;

/**
 * pid-addressed messages go from the sender's PCB straight to the receiver's inbox: the process
 * table introduces the two once, and sees none of the messages after that. Here the process
 * table is a probe, so every message it would get is counted.
 */
class PidTrafficTest {
    private static final int MESSAGES = 500;
    private static final Duration REPLY = Duration.ofSeconds(10);
    private final ProbeTable k = new ProbeTable();

    @AfterEach
    void stop() {
        k.close();
    }

    @Test
    void aStreamOfMysendsPassesTheProcessTableOnlyForTheFirstIntroduction() {
        TestProbe<Kernel.Command> table = k.table;
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
        ActorRef<Pcb.Command> rx = k.spawn(2, receiver);
        k.spawn(1, sender);

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
