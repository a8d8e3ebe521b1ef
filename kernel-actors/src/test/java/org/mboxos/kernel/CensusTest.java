package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mboxos.kernel.Census.Question;
import org.mboxos.kernel.proc.Syscall;

/** ps and mboxes ask every actor once; one that stops meanwhile must not cost the whole timeout. */
class CensusTest {
    private static final Duration NEVER = Duration.ofHours(1);
    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private record Ask(ActorRef<Long> replyTo) {}

    @Test
    void anActorThatStopsInsteadOfAnsweringIsLeftOutAtOnce() {
        ActorRef<Ask> answers = testKit.spawn(Behaviors.receiveMessage(a -> {
            a.replyTo().tell(7L);
            return Behaviors.same();
        }));
        ActorRef<Ask> stops = testKit.spawn(Behaviors.receiveMessage(a -> Behaviors.stopped()));
        TestProbe<Syscall.Result> replyTo = testKit.createTestProbe(Syscall.Result.class);

        testKit.spawn(Census.create(List.of(
                        new Question<Long>(1L, answers, r -> answers.tell(new Ask(r))),
                        new Question<Long>(2L, stops, r -> stops.tell(new Ask(r)))),
                Long.class, v -> 1L, NEVER, replyTo.getRef(), got -> new Syscall.Result.Value(got.size())));

        // with a timeout of an hour, only watching the actor can end the census this soon
        assertEquals(new Syscall.Result.Value(1), replyTo.receiveMessage(Duration.ofSeconds(10)));
    }
}
