package org.mboxos.kernel;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mboxos.api.SysError;

/**
 * A booted mboxos: the actor system with the {@link Kernel} as its guardian. The launcher and
 * the tests drive the kernel through this class only.
 */
public final class Machine implements AutoCloseable {
    private final ActorSystem<Kernel.Command> system;
    private final Trace trace;
    private final KernelSettings settings;

    private Machine(ActorSystem<Kernel.Command> system, Trace trace, KernelSettings settings) {
        this.system = system;
        this.trace = trace;
        this.settings = settings;
    }

    /** Boots a kernel with {@code config} (which must include reference.conf), writing to {@code screen}. */
    public static Machine boot(Config config, Ramdisk ramdisk, Console.Screen screen, Trace.Sink... sinks) {
        KernelSettings settings = KernelSettings.from(config);
        long boot = System.nanoTime();
        Trace trace = new Trace(() -> System.nanoTime() - boot);
        for (Trace.Sink s : sinks) {
            trace.attach(s);
        }
        ActorSystem<Kernel.Command> system =
                ActorSystem.create(Kernel.create(settings, ramdisk, trace, screen), "mboxos", config);
        return new Machine(system, trace, settings);
    }

    public KernelSettings settings() {
        return settings;
    }

    public Trace trace() {
        return trace;
    }

    /**
     * Starts {@code program} as pid 1. The stage completes with its exit status when it ends, or
     * exceptionally with a {@link SysError} if it cannot start (ENOENT, say).
     */
    public CompletionStage<Integer> run(String program, List<String> args) {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        var watcher = system.systemActorOf(Behaviors.<Syscall.Result>receiveMessage(r -> {
            switch (r) {
                case Syscall.Result.Value v -> status.complete((int) v.value());
                case Syscall.Result.Failed f -> status.completeExceptionally(new SysError(f.errno(), f.message()));
                default -> status.completeExceptionally(new IllegalStateException("unexpected " + r));
            }
            return Behaviors.stopped();
        }), "init-watcher", Props.empty());
        system.tell(new Kernel.Boot(program, List.copyOf(args), watcher));
        return status;
    }

    /** A key press: the keyboard interrupt. */
    public void press(byte key) {
        system.tell(new Kernel.Keys(new Keyboard.Press(key)));
    }

    /** Types {@code keys} one every {@code interval} (kernel.key-interval if null). */
    public void type(byte[] keys, Duration interval) {
        system.tell(new Kernel.Keys(new Keyboard.Type(keys.clone(), interval == null ? settings.keyInterval() : interval)));
    }

    /** Stops every process and the actor system, then closes the trace sinks. */
    @Override
    public void close() {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IllegalStateException("actor system did not stop", e);
        } finally {
            trace.close();
        }
    }
}
