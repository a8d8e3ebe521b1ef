package org.mboxos.bench.akka;

import static org.mboxos.bench.akka.AkkaBaselines.await;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.mboxos.bench.Sizes;

/**
 * Baseline (b) for the round-trip workloads, W2, W7, W10 and W11: ping-pong and request/reply
 * between two actors, and the floor under W2, a virtual thread asking an actor.
 * Runs its actors on {@code akka}'s system, sized by {@code sizes}.
 */
public record AkkaRoundTrips(AkkaBaselines akka, Sizes sizes) {

    /**
     * The clock of a round-trip actor: it counts the round trips that come back and, after
     * {@code warmup} of them, times every {@code batch} of them, {@code batches} times.
     * Touched only on that actor's turns.
     */
    private static final class Batches {
        final long[] samples;
        private final int warmup;
        private final int batch;
        private long t0;
        private int count;

        Batches(int warmup, int batch, int batches) {
            this.warmup = warmup;
            this.batch = batch;
            this.samples = new long[batches];
        }

        /** One more round trip came back; true once the last batch is timed (then {@link #samples} is complete). */
        boolean returned() {
            int k = ++count - warmup;
            if (k >= 0 && k % batch == 0) {
                long now = System.nanoTime();
                int b = k / batch;
                if (b > 0) {
                    samples[b - 1] = now - t0;
                }
                if (b == samples.length) {
                    return true;
                }
                t0 = now;
            }
            return false;
        }
    }

    // ---- W2: ping-pong between two actors ----------------------------------------------------

    private record Ping(ActorRef<Pong> from) {}

    private enum Pong { PONG }

    /** W2: round trips between two actors; nanoseconds per batch. */
    public long[] roundTrip() {
        return roundTrip(sizes.w2Warmup(), sizes.w2Batches());
    }

    /** Round trips between two actors, {@code batches} timed batches after {@code warmup}; ns per batch. */
    public long[] roundTrip(int warmupTrips, int batches) {
        int warmup = Math.max(1, warmupTrips);
        int batch = sizes.w2Batch();
        CompletableFuture<long[]> done = new CompletableFuture<>();
        ActorRef<Ping> ponger = akka.spawn(Behaviors.receiveMessage(p -> {
            if (p.from() == null) {
                return Behaviors.stopped();
            }
            p.from().tell(Pong.PONG);
            return Behaviors.same();
        }));
        akka.spawn(Behaviors.<Pong>setup(ctx -> {
            Batches timing = new Batches(warmup, batch, batches);
            ponger.tell(new Ping(ctx.getSelf()));
            return Behaviors.receiveMessage(pong -> {
                if (timing.returned()) {
                    done.complete(timing.samples);
                    return Behaviors.stopped();
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
    public long[] requestReply(int warmupTrips, int batches) {
        int warmup = Math.max(1, warmupTrips);
        int batch = sizes.w2Batch();
        byte[] payload = new byte[sizes.bytes()];
        CompletableFuture<long[]> done = new CompletableFuture<>();
        ActorRef<Request> server = akka.spawn(Behaviors.receiveMessage(r -> {
            if (r.replyTo() == null) {
                return Behaviors.stopped();
            }
            r.replyTo().tell(new Reply(r.data().clone()));
            return Behaviors.same();
        }));
        akka.spawn(Behaviors.<Reply>setup(ctx -> {
            Batches timing = new Batches(warmup, batch, batches);
            server.tell(new Request(payload.clone(), ctx.getSelf()));
            return Behaviors.receiveMessage(reply -> {
                if (timing.returned()) {
                    done.complete(timing.samples);
                    return Behaviors.stopped();
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
    public long[] threadAsksActor() {
        ActorRef<Ask> echo = akka.spawn(Behaviors.receiveMessage(a -> {
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
}
