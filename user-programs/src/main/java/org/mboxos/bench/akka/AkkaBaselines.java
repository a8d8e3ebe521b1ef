package org.mboxos.bench.akka;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AskPattern;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Baseline (b): the same workloads on plain Akka Typed actors, no kernel: an actor per process,
 * messages bounded by a credit window (the Erlang anchor's way) or, where several senders share
 * a box, by an actor holding a bounded queue. One actor system for all of them, configured like
 * the kernel's (reference.conf). This class owns the system; {@link AkkaMessaging},
 * {@link AkkaRoundTrips} and {@link AkkaProcesses} run the workloads on it.
 */
public final class AkkaBaselines implements AutoCloseable {
    private static final long HANG_SECONDS = 600;

    private final ActorSystem<SpawnProtocol.Command> system;

    public AkkaBaselines() {
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

    /** Spawns {@code behavior} as a top-level actor of the system; waits for its ref. */
    <T> ActorRef<T> spawn(Behavior<T> behavior) {
        return AskPattern.<SpawnProtocol.Command, ActorRef<T>>ask(system,
                        replyTo -> new SpawnProtocol.Spawn<>(behavior, "", Props.empty(), replyTo),
                        Duration.ofSeconds(30), system.scheduler())
                .toCompletableFuture().join();
    }

    /** The future's value; fails if it takes longer than the hang limit or fails. */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(HANG_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("baseline failed: " + e, e);
        }
    }

    /** Waits for the latch to open; fails if it takes longer than the hang limit. */
    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(HANG_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("baseline hung");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
