package org.mboxos.bench.akka;

import static org.mboxos.bench.akka.AkkaBaselines.await;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import org.mboxos.bench.Sizes;

/**
 * Baseline (b) for the messaging workloads, W1, W3, W6 8->1 and W8: sinks that acknowledge each
 * message, sources that keep a credit window, and boxes as actors with a bounded queue.
 * Runs its actors on {@code akka}'s system, sized by {@code sizes}.
 */
public record AkkaMessaging(AkkaBaselines akka, Sizes sizes) {

    // ---- W1: one source, one sink, a credit window of CAPACITY -------------------------------

    private record Msg(byte[] data, ActorRef<Ack> from) {}

    private enum Ack { ACK }

    /** Acknowledges each message; a message with no sender stops it. */
    private static final Behavior<Msg> SINK = Behaviors.receiveMessage(m -> {
        if (m.from() == null) {
            return Behaviors.stopped();
        }
        m.from().tell(Ack.ACK);
        return Behaviors.same();
    });

    /** W1: nanoseconds for {@code n} messages from source to sink, each acknowledged, at most CAPACITY unacknowledged. */
    public long mailbox(int n) {
        CompletableFuture<Long> elapsed = new CompletableFuture<>();
        ActorRef<Msg> sink = akka.spawn(SINK);
        byte[] payload = new byte[sizes.bytes()];
        int window = sizes.capacity();
        akka.spawn(Behaviors.<Ack>setup(ctx -> {
            long t0 = System.nanoTime();
            int first = Math.min(window, n);
            for (int i = 0; i < first; i++) {
                sink.tell(new Msg(payload.clone(), ctx.getSelf()));
            }
            int[] left = {n - first};
            int[] outstanding = {first};
            return Behaviors.receiveMessage(ack -> {
                if (left[0] > 0) {
                    left[0]--;
                    sink.tell(new Msg(payload.clone(), ctx.getSelf()));
                    return Behaviors.same();
                }
                if (--outstanding[0] == 0) {
                    elapsed.complete(System.nanoTime() - t0);
                    return Behaviors.stopped();
                }
                return Behaviors.same();
            });
        }));
        long ns = await(elapsed);
        sink.tell(new Msg(null, null));
        return ns;
    }

    // ---- W6 8->1, W8: sources and sinks, each source with its share of the window --------------

    /**
     * W6 8->1 and W8: {@code sinks} independent sinks, each fed by {@code sources} sources, {@code n}
     * messages in all split evenly. Each sink acknowledges every message; each source keeps at
     * most capacity / sources unacknowledged, so a sink never has more than the box's capacity in
     * flight. Nanoseconds from the first source's start to the last sink's last message.
     */
    public long streams(int sinks, int sources, int n) {
        LongAccumulator first = new LongAccumulator(Math::min, Long.MAX_VALUE);
        LongAccumulator last = new LongAccumulator(Math::max, Long.MIN_VALUE);
        CountDownLatch done = new CountDownLatch(sinks);
        byte[] payload = new byte[sizes.bytes()];
        int window = Math.max(1, sizes.capacity() / sources);
        List<ActorRef<Msg>> sinkRefs = new ArrayList<>();
        for (int k = 0; k < sinks; k++) {
            int expected = n / sinks;
            sinkRefs.add(akka.spawn(Behaviors.setup(ctx -> {
                int[] left = {expected};
                return Behaviors.<Msg>receiveMessage(m -> {
                    if (m.from() == null) {
                        return Behaviors.stopped();
                    }
                    m.from().tell(Ack.ACK);
                    if (--left[0] == 0) {
                        last.accumulate(System.nanoTime());
                        done.countDown();
                    }
                    return Behaviors.same();
                });
            })));
        }
        for (ActorRef<Msg> sink : sinkRefs) {
            int perSink = n / sinks;
            for (int s = 0; s < sources; s++) {
                int share = perSink / sources + (s < perSink % sources ? 1 : 0);
                akka.spawn(Behaviors.<Ack>setup(ctx -> {
                    first.accumulate(System.nanoTime());
                    int burst = Math.min(window, share);
                    for (int i = 0; i < burst; i++) {
                        sink.tell(new Msg(payload.clone(), ctx.getSelf()));
                    }
                    int[] left = {share - burst};
                    int[] outstanding = {burst};
                    if (burst == 0) {
                        return Behaviors.stopped();
                    }
                    return Behaviors.receiveMessage(ack -> {
                        if (left[0] > 0) {
                            left[0]--;
                            sink.tell(new Msg(payload.clone(), ctx.getSelf()));
                            return Behaviors.same();
                        }
                        return --outstanding[0] == 0 ? Behaviors.stopped() : Behaviors.same();
                    });
                }));
            }
        }
        await(done);
        sinkRefs.forEach(s -> s.tell(new Msg(null, null)));
        return last.get() - first.get();
    }

    // ---- W3: boxes as actors with a bounded queue -------------------------------------------

    private sealed interface BoxCmd {}

    private record Put(byte[] data, ActorRef<Ack> replyTo) implements BoxCmd {}

    private record Take(ActorRef<byte[]> replyTo) implements BoxCmd {}

    /** A box of {@code capacity}: a put is acknowledged once queued, a take answered once there is a message. */
    private static Behavior<BoxCmd> box(int capacity) {
        return Behaviors.setup(ctx -> {
            ArrayDeque<byte[]> queue = new ArrayDeque<>(capacity);
            ArrayDeque<Put> puts = new ArrayDeque<>();
            ArrayDeque<ActorRef<byte[]>> takes = new ArrayDeque<>();
            return Behaviors.receiveMessage(cmd -> {
                switch (cmd) {
                    case Put p -> {
                        if (!takes.isEmpty()) {
                            takes.poll().tell(p.data());
                            p.replyTo().tell(Ack.ACK);
                        } else if (queue.size() < capacity) {
                            queue.add(p.data());
                            p.replyTo().tell(Ack.ACK);
                        } else {
                            puts.add(p);
                        }
                    }
                    case Take t -> {
                        byte[] m = queue.poll();
                        if (m == null) {
                            takes.add(t.replyTo());
                        } else {
                            t.replyTo().tell(m);
                            Put p = puts.poll();
                            if (p != null) {
                                queue.add(p.data());
                                p.replyTo().tell(Ack.ACK);
                            }
                        }
                    }
                }
                return Behaviors.same();
            });
        });
    }

    /** W3: nanoseconds for the fan-in/fan-out through box actors, actor starts included. */
    public long fan(int perSender) {
        int perReceiver = sizes.w3Senders() * perSender / sizes.w3Receivers();
        AtomicInteger parties = new AtomicInteger(sizes.w3Boxes() * (sizes.w3Senders() + sizes.w3Receivers()));
        byte[] payload = new byte[sizes.bytes()];
        CompletableFuture<Long> elapsed = new CompletableFuture<>();
        long t0 = System.nanoTime();
        Runnable finished = () -> {
            if (parties.decrementAndGet() == 0) {
                elapsed.complete(System.nanoTime() - t0);
            }
        };
        ActorRef<Object> parent = akka.spawn(Behaviors.<Object>setup(ctx -> {
            for (int b = 0; b < sizes.w3Boxes(); b++) {
                ActorRef<BoxCmd> box = ctx.spawnAnonymous(box(sizes.capacity()));
                for (int r = 0; r < sizes.w3Receivers(); r++) {
                    ctx.spawnAnonymous(Behaviors.<byte[]>setup(c -> {
                        int[] left = {perReceiver};
                        box.tell(new Take(c.getSelf()));
                        return Behaviors.receiveMessage(m -> {
                            if (--left[0] == 0) {
                                finished.run();
                                return Behaviors.stopped();
                            }
                            box.tell(new Take(c.getSelf()));
                            return Behaviors.same();
                        });
                    }));
                }
                for (int s = 0; s < sizes.w3Senders(); s++) {
                    ctx.spawnAnonymous(Behaviors.<Ack>setup(c -> {
                        int[] left = {perSender};
                        box.tell(new Put(payload.clone(), c.getSelf()));
                        return Behaviors.receiveMessage(ack -> {
                            if (--left[0] == 0) {
                                finished.run();
                                return Behaviors.stopped();
                            }
                            box.tell(new Put(payload.clone(), c.getSelf()));
                            return Behaviors.same();
                        });
                    }));
                }
            }
            return Behaviors.receiveMessage(m -> Behaviors.stopped()); // stopping stops the boxes
        }));
        long ns = await(elapsed);
        parent.tell("stop");
        return ns;
    }
}
