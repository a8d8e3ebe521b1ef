package org.mboxos.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A regression guard, not a benchmark: the quick bench, every workload. It checks no absolute
 * time, only that the kernel's W1 throughput stays a modest fraction of the virtual-thread +
 * ArrayBlockingQueue baseline measured in the same run, and that every workload yields numbers.
 */
class BenchGuardTest {
    /**
     * Kernel W1 over baseline (a). The best of the quick run's three kernel rounds is 0.03 to 0.06
     * of the baseline on the 2-core reference machine (a single round can fall to 0.01 when the
     * dispatcher threads park between messages, hence best of three); far below means a regression.
     */
    static final double MIN_W1_RATIO = 0.02;

    @Test
    @Timeout(value = 90)
    void quickBenchKeepsTheKernelWithinReachOfTheBaseline() {
        long t0 = System.nanoTime();
        Workloads workloads = new Workloads(Sizes.quick(), line -> System.out.println("bench: " + line));
        List<Row> rows = Bench.quietly(() -> workloads.run(Set.of()));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertEquals(List.of("w1", "w2-p50", "w2-p99", "w3", "w4-1", "w4-4", "w5-bytes", "w5-heap"),
                rows.stream().map(Row::id).toList());
        for (Row r : rows) {
            for (double v : new double[] {r.kernel(), r.abq(), r.akka()}) {
                assertTrue(Double.isFinite(v) && v > 0, r.id() + " has no number: " + r);
            }
        }
        Row w1 = rows.get(0);
        double best = Collections.max(workloads.w1KernelRounds());
        double ratio = best / w1.abq();
        System.out.printf("BenchGuardTest: W1 best kernel round / (a) = %.3f (median %.3f), %d rows in %d s%n",
                ratio, w1.overAbq(), rows.size(), took.toSeconds());
        assertTrue(ratio >= MIN_W1_RATIO, String.format(
                "W1: the kernel's best round, %.0f msg/s, is %.3f of the ArrayBlockingQueue baseline's %.0f (floor %.2f)",
                best, ratio, w1.abq(), MIN_W1_RATIO));
    }
}
