package org.mboxos.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.locks.LockSupport;

/**
 * Baseline (b): the same workloads on plain Akka Typed actors, no kernel: an actor per process,
 * messages bounded by a credit window (the Erlang anchor's way) or, where several senders share
 * a box, by an actor holding a bounded queue. One actor system for all of them, configured like
 * the kernel's (reference.conf).
 */
final class AkkaBaselines implements AutoCloseable {
    private static final long HANG_SECONDS = 600;

    private final Sizes sizes;
    private final ActorSystem<SpawnProtocol.Command> system;

    AkkaBaselines(Sizes sizes) {
        this.sizes = sizes;
        this.system = ActorSystem.create(SpawnProtocol.create(), "bench-baseline", ConfigFactory.load());
    }

    @Override
    public void close() {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("baseline actor system did not stop", e);
        }
    }

    private <T> ActorRef<T> spawn(Behavior<T> behavior) {
        return AskPattern.<SpawnProtocol.Command, ActorRef<T>>ask(system,
                        replyTo -> new SpawnProtocol.Spawn<>(behavior, "", Props.empty(), replyTo),
                        Duration.ofSeconds(30), system.scheduler())
                .toCompletableFuture().join();
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(HANG_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("baseline failed: " + e, e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(HANG_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("baseline hung");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

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
    long mailbox(int n) {
        CompletableFuture<Long> elapsed = new CompletableFuture<>();
        ActorRef<Msg> sink = spawn(SINK);
        byte[] payload = new byte[sizes.bytes()];
        int window = sizes.capacity();
        spawn(Behaviors.<Ack>setup(ctx -> {
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
    long streams(int sinks, int sources, int n) {
        LongAccumulator first = new LongAccumulator(Math::min, Long.MAX_VALUE);
        LongAccumulator last = new LongAccumulator(Math::max, Long.MIN_VALUE);
        CountDownLatch done = new CountDownLatch(sinks);
        byte[] payload = new byte[sizes.bytes()];
        int window = Math.max(1, sizes.capacity() / sources);
        List<ActorRef<Msg>> sinkRefs = new ArrayList<>();
        for (int k = 0; k < sinks; k++) {
            int expected = n / sinks;
            sinkRefs.add(spawn(Behaviors.setup(ctx -> {
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
                spawn(Behaviors.<Ack>setup(ctx -> {
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

    // ---- W2: ping-pong between two actors ----------------------------------------------------

    private record Ping(ActorRef<Pong> from) {}

    private enum Pong { PONG }

    /** W2: round trips between two actors; nanoseconds per batch. */
    long[] roundTrip() {
        return roundTrip(sizes.w2Warmup(), sizes.w2Batches());
    }

    /** Round trips between two actors, {@code batches} timed batches after {@code warmup}; ns per batch. */
    long[] roundTrip(int warmupTrips, int batches) {
        int warmup = Math.max(1, warmupTrips);
        int batch = sizes.w2Batch();
        CompletableFuture<long[]> done = new CompletableFuture<>();
        ActorRef<Ping> ponger = spawn(Behaviors.receiveMessage(p -> {
            if (p.from() == null) {
                return Behaviors.stopped();
            }
            p.from().tell(Pong.PONG);
            return Behaviors.same();
        }));
        spawn(Behaviors.<Pong>setup(ctx -> {
            long[] samples = new long[batches];
            long[] t0 = {0};
            int[] count = {0};
            ponger.tell(new Ping(ctx.getSelf()));
            return Behaviors.receiveMessage(pong -> {
                int k = ++count[0] - warmup;
                if (k >= 0 && k % batch == 0) {
                    long now = System.nanoTime();
                    int b = k / batch;
                    if (b > 0) {
                        samples[b - 1] = now - t0[0];
                    }
                    if (b == batches) {
                        done.complete(samples);
                        return Behaviors.stopped();
                    }
                    t0[0] = now;
                }
                ponger.tell(new Ping(ctx.getSelf()));
                return Behaviors.same();
            });
        }));
        long[] samples = await(done);
        ponger.tell(new Ping(null));
        return samples;
    }

    // ---- W10, W11: request/reply with a copied message each way -------------------------------

    private record Request(byte[] data, ActorRef<Reply> replyTo) {}

    private record Reply(byte[] data) {}

    /**
     * W10 and W11: Akka's request/response between two actors (the ask pattern inside actors: a
     * request carrying its replyTo), {@code sizes.bytes()} copied each way, as the kernel's call
     * and reply copy theirs. An actor's mailbox already waits on every sender at once, so this is
     * also (b) for W11's select. {@code batches} timed batches of {@code sizes.w2Batch()} after
     * {@code warmupTrips}; ns per batch.
     */
    long[] requestReply(int warmupTrips, int batches) {
        int warmup = Math.max(1, warmupTrips);
        int batch = sizes.w2Batch();
        byte[] payload = new byte[sizes.bytes()];
        CompletableFuture<long[]> done = new CompletableFuture<>();
        ActorRef<Request> server = spawn(Behaviors.receiveMessage(r -> {
            if (r.replyTo() == null) {
                return Behaviors.stopped();
            }
            r.replyTo().tell(new Reply(r.data().clone()));
            return Behaviors.same();
        }));
        spawn(Behaviors.<Reply>setup(ctx -> {
            long[] samples = new long[batches];
            long[] t0 = {0};
            int[] count = {0};
            server.tell(new Request(payload.clone(), ctx.getSelf()));
            return Behaviors.receiveMessage(reply -> {
                int k = ++count[0] - warmup;
                if (k >= 0 && k % batch == 0) {
                    long now = System.nanoTime();
                    int b = k / batch;
                    if (b > 0) {
                        samples[b - 1] = now - t0[0];
                    }
                    if (b == batches) {
                        done.complete(samples);
                        return Behaviors.stopped();
                    }
                    t0[0] = now;
                }
                server.tell(new Request(payload.clone(), ctx.getSelf()));
                return Behaviors.same();
            });
        }));
        long[] samples = await(done);
        server.tell(new Request(null, null));
        return samples;
    }

    /** A virtual thread's reply slot, as the kernel's Trap has one. */
    private static final class Slot {
        final Thread thread = Thread.currentThread();
        volatile long value = -1;
    }

    private record Ask(Slot slot) {}

    /**
     * The floor under W2: a virtual thread tells an actor and parks until the actor hands the
     * answer back and unparks it, the shape of a system call without the kernel. ns per batch.
     */
    long[] threadAsksActor() {
        ActorRef<Ask> echo = spawn(Behaviors.receiveMessage(a -> {
            if (a.slot() == null) {
                return Behaviors.stopped();
            }
            a.slot().value = 1;
            LockSupport.unpark(a.slot().thread);
            return Behaviors.same();
        }));
        long[] samples = new long[sizes.w2Batches()];
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            Slot slot = new Slot();
            long sum = 0;
            for (int b = -1; b < samples.length; b++) {
                int calls = b < 0 ? sizes.w2Warmup() : sizes.w2Batch();
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    slot.value = -1;
                    echo.tell(new Ask(slot));
                    long v;
                    while ((v = slot.value) < 0) {
                        LockSupport.park(this);
                    }
                    sum += v;
                }
                if (b >= 0) {
                    samples[b] = System.nanoTime() - t0;
                }
            }
            done.complete(null);
        });
        await(done);
        echo.tell(new Ask(null));
        return samples;
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
    long fan(int perSender) {
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
        ActorRef<Object> parent = spawn(Behaviors.<Object>setup(ctx -> {
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

    // ---- W4: spawn a child that stops at once, watch it, next ---------------------------------

    private static final Behavior<Void> NOP = Behaviors.setup(ctx -> Behaviors.stopped());

    private static Behavior<Void> churner(int n, CountDownLatch done) {
        return Behaviors.setup(ctx -> {
            if (n == 0) {
                done.countDown();
                return Behaviors.stopped();
            }
            int[] left = {n};
            ctx.watch(ctx.spawnAnonymous(NOP));
            return Behaviors.receive(Void.class).onSignal(Terminated.class, t -> {
                if (--left[0] == 0) {
                    done.countDown();
                    return Behaviors.stopped();
                }
                ctx.watch(ctx.spawnAnonymous(NOP));
                return Behaviors.same();
            }).build();
        });
    }

    /** W4: nanoseconds for {@code n} spawn+stop+Terminated cycles by {@code spawners} parent actors. */
    long churn(int spawners, int n) {
        CountDownLatch done = new CountDownLatch(spawners);
        long t0 = System.nanoTime();
        for (int p = 0; p < spawners; p++) {
            spawn(churner(n / spawners + (p < n % spawners ? 1 : 0), done));
        }
        await(done);
        return System.nanoTime() - t0;
    }

    // ---- W5: N idle actors, released by one broadcast ---------------------------------------

    private enum Wake { WAKE }

    /** W5: {@code n} actors waiting for a message each, children of one parent, then released. */
    KernelRuns.Scale scale(int n) {
        AtomicInteger ready = new AtomicInteger();
        CountDownLatch released = new CountDownLatch(n);
        CompletableFuture<List<ActorRef<Wake>>> refs = new CompletableFuture<>();
        Behavior<Wake> waiter = Behaviors.setup(ctx -> {
            ready.incrementAndGet();
            return Behaviors.receiveMessage(w -> {
                released.countDown();
                return Behaviors.stopped();
            });
        });
        long before = Heap.usedAfterGc();
        long t0 = System.nanoTime();
        ActorRef<Object> parent = spawn(Behaviors.setup(ctx -> {
            List<ActorRef<Wake>> children = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                children.add(ctx.spawnAnonymous(waiter));
            }
            refs.complete(children);
            return Behaviors.receiveMessage(m -> Behaviors.stopped());
        }));
        List<ActorRef<Wake>> children = await(refs);
        while (ready.get() < n) {
            Heap.settle(5);
        }
        long blockNanos = System.nanoTime() - t0;
        Heap.settle(200);
        long blocked = Heap.usedAfterGc();
        long t1 = System.nanoTime();
        for (ActorRef<Wake> c : children) {
            c.tell(Wake.WAKE);
        }
        await(released);
        long releaseNanos = System.nanoTime() - t1;
        parent.tell("stop");
        return new KernelRuns.Scale(n, before, blocked, blockNanos, releaseNanos);
    }
}
