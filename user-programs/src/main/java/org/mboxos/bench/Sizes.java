package org.mboxos.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How big each workload is. {@link #full()} is the floor; {@link #quick()} is a smoke
 * run of a few seconds per workload.
 *
 * @param capacity        messages a box (and each baseline's queue or credit window) holds
 * @param bytes           bytes per message
 * @param w1Messages      W1: messages per measured round (the anchors run the same)
 * @param w1Warmup        W1: messages in the untimed warm-up round
 * @param rounds          W1, W6, W8: measured rounds (the median is reported)
 * @param w2Batches       W2: timed batches (one latency sample each)
 * @param w2Batch         W2, W7: calls per batch
 * @param w2Warmup        W2: untimed calls first
 * @param w3Boxes         W3: boxes
 * @param w3Senders       W3: senders per box
 * @param w3Receivers     W3: receivers per box
 * @param w3PerSender     W3: messages per sender
 * @param w4Processes     W4: spawn+exit+waitpid cycles per measured run
 * @param w4Spawners      W4: spawners in the parallel variant
 * @param w5Processes     W5: blocked processes
 * @param w6Messages      W6: messages per measured round, 1->1 and 8->1
 * @param w6Senders       W6: senders in the any-source variant
 * @param w7Batches       W7: timed batches of {@code w2Batch} rendezvous round trips
 * @param w8Messages      W8: messages per measured round, split evenly over the K pairs
 * @param w10Batches      W10, W11: timed batches of {@code w2Batch} round trips (call/reply; select), after
 *                        a tenth as many untimed
 * @param lotteryMinutes  W9: simulated minutes of robinhood on the lottery scheduler
 */
public record Sizes(int capacity, int bytes, int w1Messages, int w1Warmup, int rounds, int w2Batches, int w2Batch,
        int w2Warmup, int w3Boxes, int w3Senders, int w3Receivers, int w3PerSender, int w4Processes, int w4Spawners,
        int w5Processes, int w6Messages, int w6Senders, int w7Batches, int w8Messages, int w10Batches, int lotteryMinutes) {

    /** W8's pair counts. */
    static final int[] W8_PAIRS = {1, 2, 4, 8};

    static Sizes full() {
        return new Sizes(32, 32, 2_000_000, 500_000, 3, 5_000, 100, 200_000, 8, 10, 10, 1_300, 100_000, 4, 100_000,
                1_000_000, 8, 2_000, 800_000, 2_000, 10);
    }

    static Sizes quick() {
        return new Sizes(32, 32, 100_000, 50_000, 3, 500, 100, 50_000, 8, 10, 10, 130, 10_000, 4, 10_000,
                48_000, 8, 200, 48_000, 200, 1);
    }

    Sizes withW1Messages(int n) {
        return new Sizes(capacity, bytes, n, w1Warmup, rounds, w2Batches, w2Batch, w2Warmup, w3Boxes, w3Senders,
                w3Receivers, w3PerSender, w4Processes, w4Spawners, w5Processes, w6Messages, w6Senders, w7Batches,
                w8Messages, w10Batches, lotteryMinutes);
    }

    Sizes withRounds(int n) {
        return new Sizes(capacity, bytes, w1Messages, w1Warmup, n, w2Batches, w2Batch, w2Warmup, w3Boxes, w3Senders,
                w3Receivers, w3PerSender, w4Processes, w4Spawners, w5Processes, w6Messages, w6Senders, w7Batches,
                w8Messages, w10Batches, lotteryMinutes);
    }

    Sizes withW5Processes(int n) {
        return new Sizes(capacity, bytes, w1Messages, w1Warmup, rounds, w2Batches, w2Batch, w2Warmup, w3Boxes,
                w3Senders, w3Receivers, w3PerSender, w4Processes, w4Spawners, n, w6Messages, w6Senders, w7Batches,
                w8Messages, w10Batches, lotteryMinutes);
    }

    /** W3's messages in all. */
    long w3Messages() {
        return (long) w3Boxes * w3Senders * w3PerSender;
    }

    /** W3: each receiver takes this many (senders x per sender must split evenly). */
    int w3PerReceiver() {
        return w3Senders * w3PerSender / w3Receivers;
    }

    /** W10 and W11: untimed round trips before the timed batches, a tenth of the timed ones. */
    int w10Warmup() {
        return Math.max(1, w10Batches * w2Batch / 10);
    }

    /** W6 and W8 warm up with a tenth of a round. */
    int warmupOf(int messages) {
        return Math.max(1, messages / 10);
    }

    /**
     * The kernel limits the bench boots with: room for W5's processes and boxes (plus the
     * drivers), and an exit log long enough that every waitpid still finds its child.
     */
    Map<String, Object> kernelSettings() {
        int room = Math.max(1024, w5Processes + 64);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kernel.num-pcbs", room);
        s.put("kernel.max-mboxen", room);
        s.put("kernel.exit-log-size", room);
        s.put("kernel.max-mbox-length", Math.max(128, capacity));
        s.put("kernel.max-message-length", Math.max(1024, bytes));
        s.put("kernel.scheduler", "parallel");
        s.put("kernel.seed", 1);
        return s;
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("capacity", capacity);
        m.put("bytes", bytes);
        m.put("w1_messages", w1Messages);
        m.put("w1_warmup", w1Warmup);
        m.put("rounds", rounds);
        m.put("w2_batches", w2Batches);
        m.put("w2_batch", w2Batch);
        m.put("w2_warmup", w2Warmup);
        m.put("w3_boxes", w3Boxes);
        m.put("w3_senders_per_box", w3Senders);
        m.put("w3_receivers_per_box", w3Receivers);
        m.put("w3_per_sender", w3PerSender);
        m.put("w4_processes", w4Processes);
        m.put("w4_spawners", w4Spawners);
        m.put("w5_processes", w5Processes);
        m.put("w6_messages", w6Messages);
        m.put("w6_senders", w6Senders);
        m.put("w7_batches", w7Batches);
        m.put("w8_messages", w8Messages);
        m.put("w8_pairs", W8_PAIRS);
        m.put("w10_w11_batches", w10Batches);
        m.put("w9_simulated_minutes", lotteryMinutes);
        return m;
    }
}
