package org.mboxos.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mboxos.api.Program;
import org.mboxos.kernel.table.Kernel;

/**
 * A server's {@code reply} to a caller that has ended is answered once: by the caller's PCB
 * while its end is still in progress, or, once the process table knows of the end, by the
 * table's {@link Pcb.PeerGone} alone. Both would end the server's reply twice, and the second
 * ESRCH would complete whatever call the server made next. The process table is a probe here.
 */
class AnswerAfterEndTest {
    private static final Duration REPLY = Duration.ofSeconds(10);
    private final ProbeTable k = new ProbeTable();

    @AfterEach
    void stop() {
        k.close();
    }

    @Test
    void anEndedCallerLeavesTheServersReplyToThePeerGoneTheTableSends() {
        ActorRef<Pcb.Command> caller = k.spawn(2, Program.of("caller", "exits at once", (sys, args) -> 0));

        Kernel.Ended ended = k.table.expectMessageClass(Kernel.Ended.class, REPLY);
        assertEquals(2, ended.pid());

        TestProbe<Syscall.Result> server = k.testKit.createTestProbe(Syscall.Result.class);
        TestProbe<Pcb.Status> asker = k.testKit.createTestProbe(Pcb.Status.class);
        caller.tell(new Pcb.Answer(3, new byte[] {1}, server.getRef()));
        caller.tell(new Pcb.Describe(asker.getRef()));
        assertEquals("ending", asker.expectMessageClass(Pcb.Status.class, REPLY).state());
        // the PCB took the answer before the question: a verdict would be queued by now
        server.expectNoMessage(Duration.ZERO);
    }
}
