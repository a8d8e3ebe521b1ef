package org.mboxos.kernel;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.mboxos.api.SysError;
import org.mboxos.kernel.deadlock.Detector;
import org.mboxos.kernel.dev.Console;
import org.mboxos.kernel.dev.KernelClock;
import org.mboxos.kernel.dev.Keyboard;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.sched.KernelCpu;
import org.mboxos.kernel.sched.KernelMode;
import org.mboxos.kernel.sched.VirtualThreads;
import org.mboxos.kernel.trace.Trace;

/**
 * A booted mboxos: the actor system with the {@link Guardian} at its root. The launcher and
 * the tests drive the kernel through this class only.
 */
public final class Machine implements AutoCloseable {
    private static final Duration FLUSH = Duration.ofSeconds(5);

    private final ActorSystem<Guardian.Command> system;
    private final Trace trace;
    private final KernelSettings settings;
    private final CompletableFuture<String> down;

    private Machine(ActorSystem<Guardian.Command> system, Trace trace, KernelSettings settings,
            CompletableFuture<String> down) {
        this.system = system;
        this.trace = trace;
        this.settings = settings;
        this.down = down;
    }

    /** Boots a kernel with {@code config} (which must include reference.conf), writing to {@code screen}. */
    public static Machine boot(Config config, Ramdisk ramdisk, Console.Screen screen, Trace.Sink... sinks) {
        KernelSettings settings = KernelSettings.from(config);
        boolean lottery = settings.scheduler() == KernelSettings.Scheduling.LOTTERY;
        KernelClock time = new KernelClock(lottery);
        Trace trace = new Trace(time);
        for (Trace.Sink s : sinks) {
            trace.attach(s);
        }
        String cpuToken = null;
        if (lottery) { // every kernel actor on the one kernel processor, for a replayable order
            cpuToken = UUID.randomUUID().toString();
            config = ConfigFactory.parseMap(Map.of(
                            "akka.actor.default-dispatcher.executor", KernelCpu.class.getName(),
                            "akka.actor.default-dispatcher.token", cpuToken))
                    .withFallback(config);
        } else if (settings.dispatcher() != KernelSettings.Dispatcher.FORK_JOIN) {
            Class<?> executor = settings.dispatcher() == KernelSettings.Dispatcher.KERNEL_MODE
                    ? KernelMode.class : VirtualThreads.class;
            config = ConfigFactory.parseMap(Map.of("akka.actor.default-dispatcher.executor", executor.getName()))
                    .withFallback(config);
        }
        CompletableFuture<String> down = new CompletableFuture<>();
        ActorSystem<Guardian.Command> system = ActorSystem.create(
                Guardian.create(settings, ramdisk, trace, screen, time, cpuToken, down), "mboxos", config);
        return new Machine(system, trace, settings, down);
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
        return request(replyTo -> new Guardian.Boot(program, List.copyOf(args), replyTo)).thenApply(r -> switch (r) {
            case Syscall.Result.Value v -> (int) v.value();
            case Syscall.Result.Failed f -> throw new SysError(f.errno(), f.message());
            default -> throw new IllegalStateException("unexpected " + r);
        });
    }

    /**
     * Completes when the actor system has terminated, with why: the kernel actor that failed or
     * stopped ({@link Guardian}), or, after {@link #close}, that it was closed.
     */
    public CompletionStage<String> terminated() {
        return system.getWhenTerminated().thenApply(done -> down.getNow("the actor system terminated (see the log)"));
    }

    /**
     * Completes when kernel time reaches {@code after} since boot: wall-clock time in parallel
     * mode, simulated time in lottery mode.
     */
    public CompletionStage<Void> deadline(Duration after) {
        return request(replyTo -> new Guardian.Deadline(after, replyTo)).thenApply(r -> {
            if (r instanceof Syscall.Result.Failed f) { // the clock failed (EIO)
                throw new SysError(f.errno(), f.message());
            }
            return null;
        });
    }

    /** Sends the kernel a request; its one reply completes the stage. */
    private CompletableFuture<Syscall.Result> request(Function<ActorRef<Syscall.Result>, Guardian.Command> request) {
        CompletableFuture<Syscall.Result> reply = new CompletableFuture<>();
        ActorRef<Syscall.Result> replyTo = system.systemActorOf(Behaviors.<Syscall.Result>receiveMessage(r -> {
            reply.complete(r);
            return Behaviors.stopped();
        }), "reply-" + UUID.randomUUID(), Props.empty());
        system.tell(request.apply(replyTo));
        return reply;
    }

    /**
     * Completes with what each process waits in ("PID PROGRAM: CALL") if every process becomes
     * deadlocked: all blocked, and no timer, no key and no process outside can wake any of them
     * (docs/semantics.md, Deadlocks). Never completes with kernel.deadlock = off.
     */
    public CompletionStage<List<String>> deadlocked() {
        CompletableFuture<List<String>> stuck = new CompletableFuture<>();
        ActorRef<Detector.WholeSystem> replyTo = system.systemActorOf(Behaviors.<Detector.WholeSystem>receiveMessage(w -> {
            stuck.complete(w.waits());
            return Behaviors.stopped();
        }), "deadlock-" + UUID.randomUUID(), Props.empty());
        system.tell(new Guardian.WatchDeadlock(replyTo));
        return stuck;
    }

    /**
     * No key will be pressed from outside from now on (no terminal): keys come only from
     * {@link #type} scripts, so a process waiting for a key once they are typed waits forever.
     * Until this is called, the deadlock detector assumes a key may come at any time.
     */
    public void closeKeyboard() {
        system.tell(new Guardian.CloseKeyboard());
    }

    /** A key press: the keyboard interrupt. */
    public void press(byte key) {
        system.tell(new Guardian.Keys(new Keyboard.Press(key)));
    }

    /** Types {@code keys} one every {@code interval} (kernel.key-interval if null). */
    public void type(byte[] keys, Duration interval) {
        system.tell(new Guardian.Keys(new Keyboard.Type(keys.clone(), interval == null ? settings.keyInterval() : interval)));
    }

    /** Returns once everything printed so far is on the screen (or after a few seconds). */
    public void flushConsole() {
        try {
            request(Guardian.FlushConsole::new).get(FLUSH.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            // a console that cannot write in time does not hold anyone up
        }
    }

    /** Stops every process and the actor system, then closes the trace sinks. */
    @Override
    public void close() {
        down.complete("closed");
        if (!system.getWhenTerminated().toCompletableFuture().isDone()) {
            flushConsole(); // nothing printed is lost when the system stops
        }
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
