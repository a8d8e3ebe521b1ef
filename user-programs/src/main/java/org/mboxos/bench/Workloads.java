package org.mboxos.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The workloads, each run through the kernel and, where a baseline makes sense, on both
 * baselines in this JVM, turned into {@link Row}s. Raw figures (every round, the times to block
 * and release) go to {@link #extras()} for the JSON output. Targets are judged from the rows by
 * {@link Targets}.
 */
final class Workloads {
    static final List<String> ALL = List.of("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9", "w10",
            "w11");

    private final Sizes sizes;
    private final Consumer<String> progress;
    private final Map<String, Object> extras = new LinkedHashMap<>();
    private List<Double> w1KernelRounds = List.of();

    private int histogramLines;
    private Config overrides = ConfigFactory.empty();

    Workloads(Sizes sizes, Consumer<String> progress) {
        this.sizes = sizes;
        this.progress = progress;
    }

    /** Kernel settings over the bench's own (the bench's --set). */
    Workloads settings(Config overrides) {
        this.overrides = overrides;
        return this;
    }

    /** W5 through the kernel prints this many lines of a class histogram while all are blocked. */
    Workloads histogram(int lines) {
        this.histogramLines = lines;
        return this;
    }

    Map<String, Object> extras() {
        return extras;
    }

    /** W1's measured kernel rounds, msg/s (empty until W1 ran). */
    List<Double> w1KernelRounds() {
        return w1KernelRounds;
    }

    /** Runs the workloads named in {@code only} (all when empty), in order. */
    List<Row> run(Set<String> only) {
        List<Row> rows = new ArrayList<>();
        KernelRuns kernel = new KernelRuns(sizes, overrides, histogramLines, progress);
        Baselines abq = new Baselines(sizes);
        try (AkkaBaselines akka = new AkkaBaselines(sizes)) {
            for (String w : ALL) {
                if (!only.isEmpty() && !only.contains(w)) {
                    continue;
                }
                switch (w) {
                    case "w1" -> rows.addAll(mailbox(kernel, abq, akka));
                    case "w2" -> rows.addAll(roundTrip(kernel, abq, akka));
                    case "w3" -> rows.addAll(fan(kernel, abq, akka));
                    case "w4" -> rows.addAll(churn(kernel, abq, akka));
                    case "w5" -> rows.addAll(scale(kernel, abq, akka));
                    case "w6" -> rows.addAll(pidMessages(kernel, abq, akka));
                    case "w7" -> rows.addAll(rendezvous(kernel, abq, akka));
                    case "w8" -> rows.addAll(pairs(kernel, abq, akka));
                    case "w9" -> rows.addAll(lottery(kernel));
                    case "w10" -> rows.addAll(callReply(kernel, abq, akka));
                    case "w11" -> rows.addAll(select(kernel, abq, akka));
                    default -> throw new IllegalArgumentException(w);
                }
            }
        }
        return rows;
    }

    private void say(String format, Object... args) {
        progress.accept(String.format(Locale.ROOT, format, args));
    }

    private static double perSecond(long count, long nanos) {
        return Stats.perSecond(count, nanos);
    }

    private static double median(List<Double> values) {
        return Stats.median(values);
    }

    static double percentile(long[] batchNanos, int batch, double p) {
        return Stats.percentile(batchNanos, batch, p);
    }

    private static long timed(LongSupplier run) {
        System.gc();
        return run.getAsLong();
    }

    // ---- W1 ---------------------------------------------------------------------------------

    private List<Row> mailbox(KernelRuns kernel, Baselines abq, AkkaBaselines akka) {
        int n = sizes.w1Messages();
        say("W1 mailbox throughput: %,d messages of %d B through a box of %d, %d round(s) after a %,d-message warm-up",
                n, sizes.bytes(), sizes.capacity(), sizes.rounds(), sizes.w1Warmup());
        System.gc();
        List<Long> rounds = kernel.mailbox();
        List<Double> k = new ArrayList<>();
        for (int r = 1; r < rounds.size(); r++) {
            k.add(perSecond(n, rounds.get(r)));
            say("  kernel      round %d: %.2f s, %,.0f msg/s", r, rounds.get(r) / 1e9, k.get(r - 1));
        }
        List<Double> a = repeat("(a) VT+ABQ", n, () -> abq.mailbox(sizes.w1Warmup()), () -> abq.mailbox(n));
        List<Double> b = repeat("(b) Akka   ", n, () -> akka.mailbox(sizes.w1Warmup()), () -> akka.mailbox(n));
        w1KernelRounds = List.copyOf(k);
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("kernel", k);
        all.put("abq", a);
        all.put("akka", b);
        extras.put("w1_rounds_msgs_per_s", all);
        double km = median(k);
        double am = median(a);
        return List.of(new Row("w1", String.format(Locale.ROOT, "W1 mailbox 1->1, cap %d, %d B", sizes.capacity(),
                sizes.bytes()), "msg/s", km, am, median(b)));
    }

    private List<Double> repeat(String who, int n, LongSupplier warmup, LongSupplier round) {
        warmup.getAsLong();
        List<Double> rates = new ArrayList<>();
        for (int r = 1; r <= sizes.rounds(); r++) {
            long ns = timed(round);
            rates.add(perSecond(n, ns));
            say("  %s round %d: %.2f s, %,.0f msg/s", who, r, ns / 1e9, rates.get(r - 1));
        }
        return rates;
    }

    // ---- W2 ---------------------------------------------------------------------------------

    private List<Row> roundTrip(KernelRuns kernel, Baselines abq, AkkaBaselines akka) {
        int batch = sizes.w2Batch();
        say("W2 system call round trip: getpid, %,d batches of %d after %,d warm-up calls", sizes.w2Batches(), batch,
                sizes.w2Warmup());
        System.gc();
        long[] k = kernel.getpid();
        sayLatency("kernel     ", k);
        long[] a = timedArray(abq::roundTrip);
        sayLatency("(a) VT+ABQ ", a);
        long[] b = timedArray(akka::roundTrip);
        sayLatency("(b) Akka   ", b);
        long[] floor = timedArray(akka::threadAsksActor);
        sayLatency("floor: VT asks an actor", floor);
        extras.put("w2_floor_vt_asks_actor_ns", Map.of("p50", percentile(floor, batch, 50),
                "p99", percentile(floor, batch, 99)));
        return List.of(
                new Row("w2-p50", "W2 getpid round trip, p50", "ns", percentile(k, batch, 50), percentile(a, batch, 50),
                        percentile(b, batch, 50)),
                new Row("w2-p99", "W2 getpid round trip, p99", "ns", percentile(k, batch, 99),
                        percentile(a, batch, 99), percentile(b, batch, 99)));
    }

    private static long[] timedArray(java.util.function.Supplier<long[]> run) {
        System.gc();
        return run.get();
    }

    private void sayLatency(String who, long[] batches) {
        int batch = sizes.w2Batch();
        say("  %s p50 %,.0f ns, p99 %,.0f ns per call", who, percentile(batches, batch, 50),
                percentile(batches, batch, 99));
    }

    // ---- W3 ---------------------------------------------------------------------------------

    private List<Row> fan(KernelRuns kernel, Baselines abq, AkkaBaselines akka) {
        long messages = sizes.w3Messages();
        int per = sizes.w3PerSender();
        int warm = Math.max(1, per / 10);
        say("W3 fan-in/fan-out: %d boxes of %d x %d senders -> %d receivers, %,d messages per sender (%,d in all)",
                sizes.w3Boxes(), sizes.capacity(), sizes.w3Senders(), sizes.w3Receivers(), per, messages);
        double k = fanRate("kernel     ", messages, () -> kernel.fan(warm), () -> kernel.fan(per));
        double a = fanRate("(a) VT+ABQ ", messages, () -> abq.fan(warm), () -> abq.fan(per));
        double b = fanRate("(b) Akka   ", messages, () -> akka.fan(warm), () -> akka.fan(per));
        return List.of(new Row("w3", String.format(Locale.ROOT, "W3 fan %dx(%d->%d), %,d msgs", sizes.w3Boxes(),
                sizes.w3Senders(), sizes.w3Receivers(), messages), "msg/s", k, a, b));
    }

    private double fanRate(String who, long messages, LongSupplier warmup, LongSupplier run) {
        warmup.getAsLong();
        long ns = timed(run);
        double rate = perSecond(messages, ns);
        say("  %s %.2f s, %,.0f msg/s", who, ns / 1e9, rate);
        return rate;
    }

    // ---- W4 ---------------------------------------------------------------------------------

    private List<Row> churn(KernelRuns kernel, Baselines abq, AkkaBaselines akka) {
        int n = sizes.w4Processes();
        List<Row> rows = new ArrayList<>();
        for (int spawners : new int[] {1, sizes.w4Spawners()}) {
            say("W4 process churn: %,d x (spawn, exit, waitpid) by %d spawner(s), after %,d warm-up", n, spawners,
                    n / 10);
            System.gc();
            double k = perSecond(n, kernel.churn(spawners));
            say("  kernel      %,.0f processes/s", k);
            abq.churn(spawners, n / 10);
            double a = perSecond(n, timed(() -> abq.churn(spawners, n)));
            say("  (a) VT      %,.0f thread start+join/s", a);
            akka.churn(spawners, n / 10);
            double b = perSecond(n, timed(() -> akka.churn(spawners, n)));
            say("  (b) Akka    %,.0f actor spawn+stop+Terminated/s", b);
            rows.add(new Row("w4-" + spawners, "W4 churn, " + spawners + " spawner" + (spawners == 1 ? "" : "s"),
                    "proc/s", k, a, b));
        }
        return rows;
    }

    // ---- W5 ---------------------------------------------------------------------------------

    private List<Row> scale(KernelRuns kernel, Baselines abq, AkkaBaselines akka) {
        int n = sizes.w5Processes();
        say("W5 scale: %,d processes blocked in a receive on their own box, then released", n);
        KernelRuns.Scale k = kernel.scale();
        sayScale("kernel     ", k);
        KernelRuns.Scale a = abq.scale(n);
        sayScale("(a) VT+ABQ ", a);
        KernelRuns.Scale b = akka.scale(n);
        sayScale("(b) Akka   ", b);
        Map<String, Object> raw = new LinkedHashMap<>();
        Map<String, KernelRuns.Scale> all = new LinkedHashMap<>();
        all.put("kernel", k);
        all.put("abq", a);
        all.put("akka", b);
        for (var e : all.entrySet()) {
            raw.put(e.getKey(), Map.of("heap_before_bytes", e.getValue().heapBefore(), "heap_blocked_bytes",
                    e.getValue().heapBlocked(), "block_all_s", e.getValue().blockNanos() / 1e9, "release_all_s",
                    e.getValue().releaseNanos() / 1e9));
        }
        extras.put("w5", raw);
        String count = String.format(Locale.ROOT, "%,d", n);
        return List.of(
                new Row("w5-bytes", "W5 heap per blocked process, " + count, "B/proc", k.bytesPerProcess(),
                        a.bytesPerProcess(), b.bytesPerProcess()),
                new Row("w5-heap", "W5 peak heap, " + count + " blocked", "MB", k.heapBlocked() / 1e6,
                        a.heapBlocked() / 1e6, b.heapBlocked() / 1e6));
    }

    private void sayScale(String who, KernelRuns.Scale s) {
        say("  %s %,.0f B per blocked process (heap %,.1f -> %,.1f MB); all blocked in %.2f s, released in %.2f s",
                who, s.bytesPerProcess(), s.heapBefore() / 1e6, s.heapBlocked() / 1e6, s.blockNanos() / 1e9,
                s.releaseNanos() / 1e9);
    }

    // ---- W6 ---------------------------------------------------------------------------------

    /** Median msg/s of the measured rounds (the warm-up round, first, left out), with progress. */
    private double rounds(String who, int n, List<Long> nanos, String key) {
        List<Double> rates = new ArrayList<>();
        for (int r = 1; r < nanos.size(); r++) {
            rates.add(perSecond(n, nanos.get(r)));
            say("  %s round %d: %.2f s, %,.0f msg/s", who, r, nanos.get(r) / 1e9, rates.get(r - 1));
        }
        extras.put(key, rates);
        return median(rates);
    }

    /** A baseline's rounds, the warm-up round (a tenth) first, as nanoseconds per round. */
    private List<Long> baselineRounds(int n, java.util.function.IntToLongFunction round) {
        List<Long> nanos = new ArrayList<>();
        nanos.add(round.applyAsLong(sizes.warmupOf(n)));
        for (int r = 0; r < sizes.rounds(); r++) {
            System.gc();
            nanos.add(round.applyAsLong(n));
        }
        return nanos;
    }

    private List<Row> pidMessages(KernelRuns kernel, Baselines abq, AkkaBaselines akka) {
        int n = sizes.w6Messages();
        List<Row> rows = new ArrayList<>();
        for (int senders : new int[] {1, sizes.w6Senders()}) {
            say("W6 mysend/myreceive %d->1 (%s), %,d messages of %d B, inbox of %d, %d round(s)", senders,
                    senders == 1 ? "receive from the sender's pid" : "receive from any", n, sizes.bytes(),
                    sizes.capacity(), sizes.rounds());
            System.gc();
            String key = "w6_" + senders + "_rounds_msgs_per_s_";
            double k = rounds("kernel     ", n, kernel.pidMessages(senders), key + "kernel");
            double a = rounds("(a) VT+ABQ ", n, baselineRounds(n, m -> abq.streams(1, senders, m)), key + "abq");
            double b = rounds("(b) Akka   ", n, baselineRounds(n, m -> akka.streams(1, senders, m)), key + "akka");
            rows.add(new Row("w6-" + senders, String.format(Locale.ROOT, "W6 mysend/myreceive %d->1%s", senders,
                    senders == 1 ? " by pid" : " any"), "msg/s", k, a, b));
        }
        return rows;
    }

    // ---- W7 ---------------------------------------------------------------------------------

    private List<Row> rendezvous(KernelRuns kernel, Baselines abq, AkkaBaselines akka) {
        int batch = sizes.w2Batch();
        say("W7 rendezvous ping-pong: mysend(pid, %d B, rendezvous) + myreceive both ways, %,d batches of %d",
                sizes.bytes(), sizes.w7Batches(), batch);
        System.gc();
        long[] k = kernel.rendezvous();
        sayLatency("kernel     ", k);
        long[] a = timedArray(abq::rendezvous);
        sayLatency("(a) VT+SynchronousQueue", a);
        long[] b = timedArray(() -> akka.roundTrip(sizes.w7Batches() * batch / 10, sizes.w7Batches()));
        sayLatency("(b) Akka   ", b);
        return List.of(
                new Row("w7-p50", "W7 rendezvous round trip, p50", "ns", percentile(k, batch, 50),
                        percentile(a, batch, 50), percentile(b, batch, 50)),
                new Row("w7-p99", "W7 rendezvous round trip, p99", "ns", percentile(k, batch, 99),
                        percentile(a, batch, 99), percentile(b, batch, 99)));
    }

    // ---- W10, W11 -----------------------------------------------------------------------------

    /** p50 and p99 rows of one round-trip workload, kernel beside both baselines. */
    private List<Row> latencyRows(String id, String what, long[] k, long[] a, long[] b) {
        int batch = sizes.w2Batch();
        return List.of(
                new Row(id + "-p50", what + ", p50", "ns", percentile(k, batch, 50), percentile(a, batch, 50),
                        percentile(b, batch, 50)),
                new Row(id + "-p99", what + ", p99", "ns", percentile(k, batch, 99), percentile(a, batch, 99),
                        percentile(b, batch, 99)));
    }

    private List<Row> callReply(KernelRuns kernel, Baselines abq, AkkaBaselines akka) {
        say("W10 call/reply round trip: call(pid, %d B, buf) answered by reply(pid, %d B), %,d batches of %d after %,d",
                sizes.bytes(), sizes.bytes(), sizes.w10Batches(), sizes.w2Batch(), sizes.w10Warmup());
        System.gc();
        long[] k = kernel.callReply();
        sayLatency("kernel     ", k);
        long[] a = timedArray(abq::callReply);
        sayLatency("(a) VT+ABQ(1) request/reply", a);
        long[] b = timedArray(() -> akka.requestReply(sizes.w10Warmup(), sizes.w10Batches()));
        sayLatency("(b) Akka request/response", b);
        return latencyRows("w10", "W10 call/reply round trip", k, a, b);
    }

    private List<Row> select(KernelRuns kernel, Baselines abq, AkkaBaselines akka) {
        say("W11 select round trip: mysend %d B to an echo, select(inbox, idle box), myreceive; %,d batches of %d"
                + " after %,d", sizes.bytes(), sizes.w10Batches(), sizes.w2Batch(), sizes.w10Warmup());
        System.gc();
        long[] k = kernel.select();
        sayLatency("kernel     ", k);
        long[] a = timedArray(abq::select);
        sayLatency("(a) VT, two ABQs, park until either", a);
        long[] b = timedArray(() -> akka.requestReply(sizes.w10Warmup(), sizes.w10Batches()));
        sayLatency("(b) Akka request/response", b);
        return latencyRows("w11", "W11 select round trip", k, a, b);
    }

    // ---- W8 ---------------------------------------------------------------------------------

    private List<Row> pairs(KernelRuns kernel, Baselines abq, AkkaBaselines akka) {
        int n = sizes.w8Messages();
        List<Row> rows = new ArrayList<>();
        for (int k : Sizes.W8_PAIRS) {
            say("W8 scaling: %d independent sender/receiver pair(s) on their own boxes of %d, %,d messages in all",
                    k, sizes.capacity(), n);
            System.gc();
            String key = "w8_" + k + "_rounds_msgs_per_s_";
            double kernelRate = rounds("kernel     ", n, kernel.pairs(k), key + "kernel");
            double a = rounds("(a) VT+ABQ ", n, baselineRounds(n, m -> abq.streams(k, 1, m)), key + "abq");
            double b = rounds("(b) Akka   ", n, baselineRounds(n, m -> akka.streams(k, 1, m)), key + "akka");
            rows.add(new Row("w8-" + k, "W8 " + k + " independent pair" + (k == 1 ? "" : "s"), "msg/s", kernelRate,
                    a, b));
        }
        return rows;
    }

    // ---- W9 ---------------------------------------------------------------------------------

    private List<Row> lottery(KernelRuns kernel) {
        say("W9 lottery: %d simulated minute(s) of robinhood on the lottery scheduler, seed 7", sizes.lotteryMinutes());
        System.gc();
        double seconds = kernel.lottery() / 1e9;
        say("  kernel      %.2f s of wall time", seconds);
        return List.of(new Row("w9", "W9 lottery robinhood, " + sizes.lotteryMinutes() + " sim. min", "s wall",
                seconds, Double.NaN, Double.NaN));
    }
}
