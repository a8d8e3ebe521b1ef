package org.mboxos.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.mboxos.kernel.Machine;
import org.mboxos.kernel.Ramdisk;
import org.mboxos.kernel.dev.Console;

/**
 * The workloads through the real kernel: a fresh machine per workload, booted with the bench's
 * programs on its ramdisk, the workload's driver as pid 1, timings read from the probe.
 */
final class KernelRuns {
    /** The longest one workload may take before the bench gives up on it. */
    private static final long HANG_SECONDS = 600;

    private final Sizes sizes;
    private final Config config;
    private final Config overrides;
    private final int histogramLines;
    private final Consumer<String> report;

    KernelRuns(Sizes sizes) {
        this(sizes, ConfigFactory.empty(), 0, line -> {});
    }

    /**
     * Boots with {@code overrides} (the bench's --set) over the bench's kernel settings over
     * reference.conf. With {@code histogramLines} > 0, W5 reports a class histogram while all
     * are blocked.
     */
    KernelRuns(Sizes sizes, Config overrides, int histogramLines, Consumer<String> report) {
        this.sizes = sizes;
        this.histogramLines = histogramLines;
        this.report = report;
        this.overrides = overrides;
        this.config = config(sizes, overrides);
    }

    /** The configuration every bench machine boots with. */
    static Config config(Sizes sizes, Config overrides) {
        return overrides.withFallback(ConfigFactory.parseMap(sizes.kernelSettings())).withFallback(ConfigFactory.load());
    }

    /** Boots a machine, runs {@code program} as pid 1 to its end, returns the probe. */
    private BenchPrograms.Probe run(String program, List<String> args) {
        return run(program, args, ConfigFactory.empty());
    }

    /** The same on a machine booted with {@code settings} over the bench's configuration. */
    private BenchPrograms.Probe run(String program, List<String> args, Config settings) {
        BenchPrograms.Probe probe = new BenchPrograms.Probe();
        probe.histogramLines = histogramLines;
        probe.report = report;
        Ramdisk ramdisk = Ramdisk.empty().with(BenchPrograms.all(probe));
        try (Machine machine = Machine.boot(settings.withFallback(config), ramdisk, Console.Screen.lines(s -> {}))) {
            int status = machine.run(program, args).toCompletableFuture().get(HANG_SECONDS, TimeUnit.SECONDS);
            if (status != 0) {
                throw new IllegalStateException(program + " exited with status " + status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(program + " interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(program + " could not run: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(program + " did not end within " + HANG_SECONDS + " s", e);
        }
        return probe;
    }

    /** W1: nanoseconds per round, the warm-up round first. */
    List<Long> mailbox() {
        List<String> args = new ArrayList<>(List.of(Integer.toString(sizes.capacity()), Integer.toString(sizes.bytes()),
                Integer.toString(sizes.w1Warmup())));
        for (int r = 0; r < sizes.rounds(); r++) {
            args.add(Integer.toString(sizes.w1Messages()));
        }
        return List.copyOf(run("bench-w1", args).rounds);
    }

    /** W2: nanoseconds per batch of {@code sizes.w2Batch()} getpid calls. */
    long[] getpid() {
        return run("bench-w2", List.of(Integer.toString(sizes.w2Warmup()), Integer.toString(sizes.w2Batches()),
                Integer.toString(sizes.w2Batch()))).batches;
    }

    /** W3: nanoseconds for all messages, spawning included; {@code perSender} overrides the size (warm-up). */
    long fan(int perSender) {
        int perReceiver = sizes.w3Senders() * perSender / sizes.w3Receivers();
        return run("bench-w3", List.of(Integer.toString(sizes.w3Boxes()), Integer.toString(sizes.w3Senders()),
                Integer.toString(sizes.w3Receivers()), Integer.toString(perSender), Integer.toString(perReceiver),
                Integer.toString(sizes.capacity()), Integer.toString(sizes.bytes()))).elapsed;
    }

    /** W4: nanoseconds for {@code sizes.w4Processes()} spawn+exit+waitpid cycles by {@code spawners}. */
    long churn(int spawners) {
        return run("bench-w4", List.of(Integer.toString(spawners), Integer.toString(sizes.w4Processes() / 10),
                Integer.toString(sizes.w4Processes()))).elapsed;
    }

    /** W5: heap before and while all are blocked, and the times to block and release them all. */
    Scale scale() {
        BenchPrograms.Probe p = run("bench-w5", List.of(Integer.toString(sizes.w5Processes()),
                Integer.toString(sizes.capacity())));
        return new Scale(sizes.w5Processes(), p.heapBefore, p.heapBlocked, p.spawnNanos, p.releaseNanos);
    }

    /**
     * W6: nanoseconds per round of {@code sizes.w6Messages()} messages {@code mysend} by
     * {@code senders} processes to one receiver, warm-up round first. The inbox holds
     * {@code sizes.capacity()} messages, as W1's box does.
     */
    List<Long> pidMessages(int senders) {
        int n = sizes.w6Messages();
        List<String> args = new ArrayList<>(List.of(Integer.toString(senders), Integer.toString(sizes.bytes()),
                Integer.toString(sizes.warmupOf(n))));
        for (int r = 0; r < sizes.rounds(); r++) {
            args.add(Integer.toString(n));
        }
        return List.copyOf(run("bench-w6", args, ConfigFactory.parseMap(
                java.util.Map.of("kernel.max-mbox-length", sizes.capacity()))).rounds);
    }

    /** W7: nanoseconds per batch of {@code sizes.w2Batch()} rendezvous round trips. */
    long[] rendezvous() {
        return run("bench-w7", List.of(Integer.toString(sizes.w7Batches() * sizes.w2Batch() / 10),
                Integer.toString(sizes.w7Batches()), Integer.toString(sizes.w2Batch()),
                Integer.toString(sizes.bytes()))).batches;
    }

    /** W8: nanoseconds per round of {@code sizes.w8Messages()} over {@code pairs} pairs, warm-up round first. */
    List<Long> pairs(int pairs) {
        int n = sizes.w8Messages();
        List<String> args = new ArrayList<>(List.of(Integer.toString(pairs), Integer.toString(sizes.capacity()),
                Integer.toString(sizes.bytes()), Integer.toString(sizes.warmupOf(n))));
        for (int r = 0; r < sizes.rounds(); r++) {
            args.add(Integer.toString(n));
        }
        return List.copyOf(run("bench-w8", args).rounds);
    }

    /** W10: nanoseconds per batch of {@code sizes.w2Batch()} call/reply round trips. */
    long[] callReply() {
        return run("bench-w10", ipcArgs()).batches;
    }

    /** W11: nanoseconds per batch of {@code sizes.w2Batch()} select round trips (send, select, receive). */
    long[] select() {
        return run("bench-w11", ipcArgs()).batches;
    }

    private List<String> ipcArgs() {
        return List.of(Integer.toString(sizes.w10Warmup()), Integer.toString(sizes.w10Batches()),
                Integer.toString(sizes.w2Batch()), Integer.toString(sizes.bytes()));
    }

    /**
     * W9: wall nanoseconds for {@code sizes.lotteryMinutes()} simulated minutes of
     * {@code robinhood} (from the product's ramdisk) on the lottery scheduler, seed 7, from its
     * start to the kernel's deadline; boot and shutdown are not counted.
     */
    long lottery() {
        Config lottery = ConfigFactory.parseMap(java.util.Map.of("kernel.scheduler", "lottery", "kernel.seed", 7));
        Ramdisk ramdisk = Ramdisk.load(KernelRuns.class.getClassLoader());
        try (Machine machine = Machine.boot(overrides.withFallback(lottery).withFallback(config), ramdisk,
                Console.Screen.lines(s -> {}))) {
            long t0 = System.nanoTime();
            var status = machine.run("robinhood", List.of()).toCompletableFuture();
            machine.deadline(java.time.Duration.ofMinutes(sizes.lotteryMinutes())).toCompletableFuture()
                    .get(HANG_SECONDS, TimeUnit.SECONDS);
            long ns = System.nanoTime() - t0;
            if (status.isDone()) {
                throw new IllegalStateException("robinhood ended before the deadline: " + status.join());
            }
            return ns;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("W9 interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("W9: robinhood did not reach its deadline: " + e, e);
        }
    }
}
