package org.mboxos.bench;

import static org.mboxos.bench.Stats.perSecond;
import static org.mboxos.bench.Workloads.timed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mboxos.bench.akka.AkkaProcesses;

/**
 * The process and scheduling workloads, W4, W5 and W9, through the kernel and (W4, W5) on both
 * baselines, turned into {@link Row}s; W5's raw figures go to the run's extras.
 * Bound to the run it reports to ({@code bench}), its sizes, the kernel and the two baselines.
 */
record ProcessWorkloads(Workloads bench, Sizes sizes, KernelRuns kernel, Baselines abq, AkkaProcesses akka) {

    // ---- W4 ---------------------------------------------------------------------------------

    List<Row> churn() {
        int n = sizes.w4Processes();
        List<Row> rows = new ArrayList<>();
        for (int spawners : new int[] {1, sizes.w4Spawners()}) {
            bench.say("W4 process churn: %,d x (spawn, exit, waitpid) by %d spawner(s), after %,d warm-up", n, spawners,
                    n / 10);
            System.gc();
            double k = perSecond(n, kernel.churn(spawners));
            bench.say("  kernel      %,.0f processes/s", k);
            abq.churn(spawners, n / 10);
            double a = perSecond(n, timed(() -> abq.churn(spawners, n)));
            bench.say("  (a) VT      %,.0f thread start+join/s", a);
            akka.churn(spawners, n / 10);
            double b = perSecond(n, timed(() -> akka.churn(spawners, n)));
            bench.say("  (b) Akka    %,.0f actor spawn+stop+Terminated/s", b);
            rows.add(new Row("w4-" + spawners, "W4 churn, " + spawners + " spawner" + (spawners == 1 ? "" : "s"),
                    "proc/s", k, a, b));
        }
        return rows;
    }

    // ---- W5 ---------------------------------------------------------------------------------

    List<Row> scale() {
        int n = sizes.w5Processes();
        bench.say("W5 scale: %,d processes blocked in a receive on their own box, then released", n);
        Scale k = kernel.scale();
        sayScale("kernel     ", k);
        Scale a = abq.scale(n);
        sayScale("(a) VT+ABQ ", a);
        Scale b = akka.scale(n);
        sayScale("(b) Akka   ", b);
        Map<String, Object> raw = new LinkedHashMap<>();
        Map<String, Scale> all = new LinkedHashMap<>();
        all.put("kernel", k);
        all.put("abq", a);
        all.put("akka", b);
        for (var e : all.entrySet()) {
            raw.put(e.getKey(), Map.of("heap_before_bytes", e.getValue().heapBefore(), "heap_blocked_bytes",
                    e.getValue().heapBlocked(), "block_all_s", e.getValue().blockNanos() / 1e9, "release_all_s",
                    e.getValue().releaseNanos() / 1e9));
        }
        bench.extras().put("w5", raw);
        String count = String.format(Locale.ROOT, "%,d", n);
        return List.of(
                new Row("w5-bytes", "W5 heap per blocked process, " + count, "B/proc", k.bytesPerProcess(),
                        a.bytesPerProcess(), b.bytesPerProcess()),
                new Row("w5-heap", "W5 peak heap, " + count + " blocked", "MB", k.heapBlocked() / 1e6,
                        a.heapBlocked() / 1e6, b.heapBlocked() / 1e6));
    }

    private void sayScale(String who, Scale s) {
        bench.say("  %s %,.0f B per blocked process (heap %,.1f -> %,.1f MB); all blocked in %.2f s, released in %.2f s",
                who, s.bytesPerProcess(), s.heapBefore() / 1e6, s.heapBlocked() / 1e6, s.blockNanos() / 1e9,
                s.releaseNanos() / 1e9);
    }

    // ---- W9 ---------------------------------------------------------------------------------

    List<Row> lottery() {
        bench.say("W9 lottery: %d simulated minute(s) of robinhood on the lottery scheduler, seed 7", sizes.lotteryMinutes());
        System.gc();
        double seconds = kernel.lottery() / 1e9;
        bench.say("  kernel      %.2f s of wall time", seconds);
        return List.of(new Row("w9", "W9 lottery robinhood, " + sizes.lotteryMinutes() + " sim. min", "s wall",
                seconds, Double.NaN, Double.NaN));
    }
}
