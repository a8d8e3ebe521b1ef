package org.mboxos.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A regression guard, not a benchmark: the quick bench, every workload. It checks no absolute
 * time, only ratios of figures measured in the same run, each with a wide margin below what the
 * 2-core reference machine shows, so that only a collapse fails it: that every workload yields
 * numbers, that the kernel's W1 stays a modest fraction of the virtual-thread +
 * ArrayBlockingQueue baseline, and that the pid-addressed path (W6), the rendezvous (W7),
 * independent pairs (W8), call/reply (W10) and select (W11) stay within reach of their references.
 */
class BenchGuardTest {
    /**
     * Kernel W1 over baseline (a). The best of the quick run's three kernel rounds is 0.03 to 0.06
     * of the baseline on the 2-core reference machine (a single round can fall to 0.01 when the
     * dispatcher threads park between messages, hence best of three); far below means a regression.
     */
    static final double MIN_W1_RATIO = 0.02;
    /** W6 1->1 over W1, both through the kernel: about 1 under kernel mode, 0.5 under virtual-threads. */
    static final double MIN_W6_OVER_W1 = 0.05;
    /**
     * W7's kernel round trip over SynchronousQueue ping-pong's, p50: 3 to 25 on the reference
     * machine; a loaded machine slows the kernel's four system calls more than the baseline.
     */
    static final double MAX_W7_OVER_ABQ = 400;
    /** W8 with 8 pairs over 1 pair, through the kernel: 2 or so on the reference machine; below 0.1 is a collapse. */
    static final double MIN_W8_K8_OVER_K1 = 0.1;
    /**
     * W10's call/reply and W11's select round trip over their own (a), p50: 1.7 to 6 on the
     * reference machine, quick and full runs; the same wide ceiling as W7's, so only a hang-like collapse
     * (a lost wake-up served by a timeout, say) fails it.
     */
    static final double MAX_IPC_OVER_ABQ = 400;

    @Test
    @Timeout(value = 150)
    void quickBenchKeepsTheKernelWithinReachOfTheBaseline() {
        long t0 = System.nanoTime();
        Workloads workloads = new Workloads(Sizes.quick(), line -> System.out.println("bench: " + line));
        List<Row> rows = Bench.quietly(() -> workloads.run(Set.of()));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertEquals(List.of("w1", "w2-p50", "w2-p99", "w3", "w4-1", "w4-4", "w5-bytes", "w5-heap", "w6-1", "w6-8",
                "w7-p50", "w7-p99", "w8-1", "w8-2", "w8-4", "w8-8", "w9", "w10-p50", "w10-p99", "w11-p50", "w11-p99"),
                rows.stream().map(Row::id).toList());
        for (Row r : rows) {
            List<Double> figures = r.id().equals("w9") ? List.of(r.kernel()) : List.of(r.kernel(), r.abq(), r.akka());
            for (double v : figures) {
                assertTrue(Double.isFinite(v) && v > 0, r.id() + " has no number: " + r);
            }
        }
        Map<String, Row> byId = rows.stream().collect(Collectors.toMap(Row::id, Function.identity()));
        Row w1 = byId.get("w1");
        double best = Collections.max(workloads.w1KernelRounds());
        double ratio = best / w1.abq();
        System.out.printf("BenchGuardTest: W1 best kernel round / (a) = %.3f (median %.3f), %d rows in %d s%n",
                ratio, w1.overAbq(), rows.size(), took.toSeconds());
        assertTrue(ratio >= MIN_W1_RATIO, String.format(
                "W1: the kernel's best round, %.0f msg/s, is %.3f of the ArrayBlockingQueue baseline's %.0f (floor %.2f)",
                best, ratio, w1.abq(), MIN_W1_RATIO));

        double w6 = byId.get("w6-1").kernel() / w1.kernel();
        double w7 = byId.get("w7-p50").overAbq();
        double w8 = byId.get("w8-8").kernel() / byId.get("w8-1").kernel();
        System.out.printf("BenchGuardTest: W6/W1 %.2f, W7/(a) %.2f, W8 K=8/K=1 %.2f%n", w6, w7, w8);
        assertTrue(w6 >= MIN_W6_OVER_W1, String.format("W6 1->1 is %.3f of W1 (floor %.2f)", w6, MIN_W6_OVER_W1));
        assertTrue(w7 <= MAX_W7_OVER_ABQ, String.format("W7's round trip is %.1fx SynchronousQueue's (ceiling %.0f)",
                w7, MAX_W7_OVER_ABQ));
        assertTrue(w8 >= MIN_W8_K8_OVER_K1, String.format("W8: 8 pairs move %.3f of 1 pair's rate (floor %.2f)", w8,
                MIN_W8_K8_OVER_K1));
        for (String id : List.of("w10-p50", "w11-p50")) {
            double ipc = byId.get(id).overAbq();
            System.out.printf("BenchGuardTest: %s kernel/(a) %.2f%n", id, ipc);
            assertTrue(ipc <= MAX_IPC_OVER_ABQ, String.format("%s: the kernel's round trip is %.1fx its (a)'s"
                    + " (ceiling %.0f)", id, ipc, MAX_IPC_OVER_ABQ));
        }
    }
}
