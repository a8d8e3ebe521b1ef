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
        this.config = config(sizes, overrides);
    }

    /** The configuration every bench machine boots with. */
    static Config config(Sizes sizes, Config overrides) {
        return overrides.withFallback(ConfigFactory.parseMap(sizes.kernelSettings())).withFallback(ConfigFactory.load());
    }

    /** Boots a machine, runs {@code program} as pid 1 to its end, returns the probe. */
    private BenchPrograms.Probe run(String program, List<String> args) {
        BenchPrograms.Probe probe = new BenchPrograms.Probe();
        probe.histogramLines = histogramLines;
        probe.report = report;
        Ramdisk ramdisk = Ramdisk.empty().with(BenchPrograms.all(probe));
        try (Machine machine = Machine.boot(config, ramdisk, Console.Screen.lines(s -> {}))) {
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

    /** One W5 measurement, the same shape for kernel and baselines. */
    record Scale(int n, long heapBefore, long heapBlocked, long blockNanos, long releaseNanos) {
        double bytesPerProcess() {
            return (double) (heapBlocked - heapBefore) / n;
        }
    }
}
