package org.mboxos.kernel.proc;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A short-lived collector: asks a set of actors one question each, gathers the answers (or
 * whatever came in before the timeout, since an actor may stop meanwhile), hands the list to
 * {@code report} and stops. The asking actor never waits.
 */
final class Census {
    private Census() {}

    private record Timeout() {}

    static <A> Behavior<Object> create(List<Consumer<ActorRef<A>>> questions, Class<A> answer,
            Duration timeout, ActorRef<Syscall.Result> replyTo, Function<List<A>, Syscall.Result> report) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            List<A> answers = new ArrayList<>();
            ActorRef<A> self = ctx.getSelf().narrow();
            for (Consumer<ActorRef<A>> ask : questions) {
                ask.accept(self);
            }
            if (questions.isEmpty()) {
                replyTo.tell(report.apply(answers));
                return Behaviors.stopped();
            }
            timers.startSingleTimer(new Timeout(), timeout);
            return Behaviors.receive(Object.class)
                    .onMessage(answer, a -> {
                        answers.add(a);
                        if (answers.size() < questions.size()) {
                            return Behaviors.same();
                        }
                        replyTo.tell(report.apply(answers));
                        return Behaviors.stopped();
                    })
                    .onMessage(Timeout.class, t -> {
                        replyTo.tell(report.apply(answers));
                        return Behaviors.stopped();
                    })
                    .build();
        }));
    }
}
