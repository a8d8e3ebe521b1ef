package org.mboxos.bench;

import static org.mboxos.bench.Stats.percentile;

import java.util.List;
import java.util.Map;
import org.mboxos.bench.akka.AkkaRoundTrips;

/**
 * The round-trip workloads, W2, W7, W10 and W11, through the kernel and on both baselines,
 * turned into p50 and p99 {@link Row}s.
 * Bound to the run it reports to ({@code bench}), its sizes, the kernel and the two baselines.
 */
record RoundTripWorkloads(Workloads bench, Sizes sizes, KernelRuns kernel, BaselineRoundTrips abq,
        AkkaRoundTrips akka) {

    // ---- W2 ---------------------------------------------------------------------------------

    List<Row> roundTrip() {
        int batch = sizes.w2Batch();
        bench.say("W2 system call round trip: getpid, %,d batches of %d after %,d warm-up calls", sizes.w2Batches(), batch,
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
        bench.extras().put("w2_floor_vt_asks_actor_ns", Map.of("p50", percentile(floor, batch, 50),
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
        bench.say("  %s p50 %,.0f ns, p99 %,.0f ns per call", who, percentile(batches, batch, 50),
                percentile(batches, batch, 99));
    }

    // ---- W7 ---------------------------------------------------------------------------------

    List<Row> rendezvous() {
        int batch = sizes.w2Batch();
        bench.say("W7 rendezvous ping-pong: mysend(pid, %d B, rendezvous) + myreceive both ways, %,d batches of %d",
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

    List<Row> callReply() {
        bench.say("W10 call/reply round trip: call(pid, %d B, buf) answered by reply(pid, %d B), %,d batches of %d after %,d",
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

    List<Row> select() {
        bench.say("W11 select round trip: mysend %d B to an echo, select(inbox, idle box), myreceive; %,d batches of %d"
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
}
