package org.mboxos.bench.akka;

import static org.mboxos.bench.akka.AkkaBaselines.await;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.mboxos.bench.Heap;
import org.mboxos.bench.Scale;
import org.mboxos.bench.Sizes;

/**
 * Baseline (b) for the process workloads, W4 and W5: actors spawned, watched and stopped, and
 * many idle actors released by one broadcast.
 * Runs its actors on {@code akka}'s system, sized by {@code sizes}.
 */
public record AkkaProcesses(AkkaBaselines akka, Sizes sizes) {

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
    public long churn(int spawners, int n) {
        CountDownLatch done = new CountDownLatch(spawners);
        long t0 = System.nanoTime();
        for (int p = 0; p < spawners; p++) {
            akka.spawn(churner(n / spawners + (p < n % spawners ? 1 : 0), done));
        }
        await(done);
        return System.nanoTime() - t0;
    }

    // ---- W5: N idle actors, released by one broadcast ---------------------------------------

    private enum Wake { WAKE }

    /** W5: {@code n} actors waiting for a message each, children of one parent, then released. */
    public Scale scale(int n) {
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
        ActorRef<Object> parent = akka.spawn(Behaviors.setup(ctx -> {
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
        return new Scale(n, before, blocked, blockNanos, releaseNanos);
    }
}
