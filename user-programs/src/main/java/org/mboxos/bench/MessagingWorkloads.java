package org.mboxos.bench;

import static org.mboxos.bench.Stats.median;
import static org.mboxos.bench.Stats.perSecond;
import static org.mboxos.bench.Workloads.timed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.mboxos.bench.akka.AkkaMessaging;

/**
 * The messaging workloads, W1, W3, W6 and W8, through the kernel and on both baselines, turned
 * into {@link Row}s; every measured round goes to the run's extras.
 * Bound to the run it reports to ({@code bench}), its sizes, the kernel and the two baselines.
 */
record MessagingWorkloads(Workloads bench, Sizes sizes, KernelRuns kernel, Baselines abq, AkkaMessaging akka) {

    // ---- W1 ---------------------------------------------------------------------------------

    List<Row> mailbox() {
        int n = sizes.w1Messages();
        bench.say("W1 mailbox throughput: %,d messages of %d B through a box of %d, %d round(s) after a %,d-message warm-up",
                n, sizes.bytes(), sizes.capacity(), sizes.rounds(), sizes.w1Warmup());
        System.gc();
        List<Long> rounds = kernel.mailbox();
        List<Double> k = new ArrayList<>();
        for (int r = 1; r < rounds.size(); r++) {
            k.add(perSecond(n, rounds.get(r)));
            bench.say("  kernel      round %d: %.2f s, %,.0f msg/s", r, rounds.get(r) / 1e9, k.get(r - 1));
        }
        List<Double> a = repeat("(a) VT+ABQ", n, () -> abq.mailbox(sizes.w1Warmup()), () -> abq.mailbox(n));
        List<Double> b = repeat("(b) Akka   ", n, () -> akka.mailbox(sizes.w1Warmup()), () -> akka.mailbox(n));
        bench.w1KernelRounds(List.copyOf(k));
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("kernel", k);
        all.put("abq", a);
        all.put("akka", b);
        bench.extras().put("w1_rounds_msgs_per_s", all);
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
            bench.say("  %s round %d: %.2f s, %,.0f msg/s", who, r, ns / 1e9, rates.get(r - 1));
        }
        return rates;
    }

    // ---- W3 ---------------------------------------------------------------------------------

    List<Row> fan() {
        long messages = sizes.w3Messages();
        int per = sizes.w3PerSender();
        int warm = Math.max(1, per / 10);
        bench.say("W3 fan-in/fan-out: %d boxes of %d x %d senders -> %d receivers, %,d messages per sender (%,d in all)",
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
        bench.say("  %s %.2f s, %,.0f msg/s", who, ns / 1e9, rate);
        return rate;
    }

    // ---- W6 ---------------------------------------------------------------------------------

    /** Median msg/s of the measured rounds (the warm-up round, first, left out), with progress. */
    private double rounds(String who, int n, List<Long> nanos, String key) {
        List<Double> rates = new ArrayList<>();
        for (int r = 1; r < nanos.size(); r++) {
            rates.add(perSecond(n, nanos.get(r)));
            bench.say("  %s round %d: %.2f s, %,.0f msg/s", who, r, nanos.get(r) / 1e9, rates.get(r - 1));
        }
        bench.extras().put(key, rates);
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

    List<Row> pidMessages() {
        int n = sizes.w6Messages();
        List<Row> rows = new ArrayList<>();
        for (int senders : new int[] {1, sizes.w6Senders()}) {
            bench.say("W6 mysend/myreceive %d->1 (%s), %,d messages of %d B, inbox of %d, %d round(s)", senders,
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

    // ---- W8 ---------------------------------------------------------------------------------

    List<Row> pairs() {
        int n = sizes.w8Messages();
        List<Row> rows = new ArrayList<>();
        for (int k : Sizes.W8_PAIRS) {
            bench.say("W8 scaling: %d independent sender/receiver pair(s) on their own boxes of %d, %,d messages in all",
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
}
