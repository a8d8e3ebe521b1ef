package org.mboxos.kernel;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.mboxos.kernel.proc.Syscall;

/**
 * A short-lived collector for ps and mboxes: asks a set of actors one question each, gathers
 * the answers, hands the list to {@code report} and stops. It watches every actor it asks, so
 * one that stops meanwhile is simply left out of the list, at once; the timeout only bounds an
 * actor that is alive but does not answer. The asking actor never waits.
 */
public final class Census {
    private Census() {}

    /** One question: {@code ask} sends it to {@code target}, whose answer carries {@code key}. */
    public record Question<A>(Object key, ActorRef<?> target, Consumer<ActorRef<A>> ask) {}

    private record Lost(Object key) {}

    private record Timeout() {}

    public static <A> Behavior<Object> create(List<Question<A>> questions, Class<A> answer, Function<A, Object> keyOf,
            Duration timeout, ActorRef<Syscall.Result> replyTo, Function<List<A>, Syscall.Result> report) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            List<A> answers = new ArrayList<>();
            Map<Object, ActorRef<?>> outstanding = new LinkedHashMap<>();
            ActorRef<A> self = ctx.getSelf().narrow();
            for (Question<A> q : questions) {
                outstanding.put(q.key(), q.target());
                ctx.watchWith(q.target(), new Lost(q.key()));
                q.ask().accept(self);
            }
            if (questions.isEmpty()) {
                replyTo.tell(report.apply(answers));
                return Behaviors.stopped();
            }
            timers.startSingleTimer(new Timeout(), timeout);
            return Behaviors.receive(Object.class)
                    .onMessage(answer, a -> {
                        ActorRef<?> target = outstanding.remove(keyOf.apply(a));
                        if (target != null) {
                            ctx.unwatch(target);
                            answers.add(a);
                        }
                        return outstanding.isEmpty() ? done(replyTo, report, answers) : Behaviors.same();
                    })
                    .onMessage(Lost.class, l -> {
                        outstanding.remove(l.key());
                        return outstanding.isEmpty() ? done(replyTo, report, answers) : Behaviors.same();
                    })
                    .onMessage(Timeout.class, t -> done(replyTo, report, answers))
                    .build();
        }));
    }

    private static <A> Behavior<Object> done(ActorRef<Syscall.Result> replyTo, Function<List<A>, Syscall.Result> report,
            List<A> answers) {
        replyTo.tell(report.apply(answers));
        return Behaviors.stopped();
    }
}
