package org.mboxos.kernel;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mboxos.api.Sys.Open.CREATE;
import static org.mboxos.api.Sys.Open.KEEP;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mboxos.api.Errno;
import org.mboxos.api.MboxInfo;
import org.mboxos.api.Message;
import org.mboxos.api.Program;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;
import org.mboxos.kernel.trace.HistoryCheck;
import org.mboxos.kernel.trace.Trace;
import org.mboxos.kernel.trace.Verdict;

/**
 * Seeded random traffic: several senders and receivers on 2-3 boxes, with try, timed and
 * blocking sends, timed, try, strict and filtered receives, and random kills; then every
 * receiver is killed, and each box is drained, left queued, or freed. The trace must account
 * for every message ({@link HistoryCheck}), and the payloads (sender pid and a per-box
 * sequence number) must agree with it.
 *
 * <p>Each round is one test named by its seed; rerun one with {@code -Dmboxos.seed=SEED}.
 */
class MailboxRandomizedTest {
    private static final int ROUNDS = 20;
    private static final long BASE_SEED = 0x6D626F78L;

    static LongStream seeds() {
        String one = System.getProperty("mboxos.seed");
        if (one != null) {
            return LongStream.of(Long.parseLong(one));
        }
        return LongStream.range(0, ROUNDS).map(i -> BASE_SEED + 1_000_003L * i);
    }

    /**
     * Every seed under kernel mode (the default dispatcher, named here so that the test keeps
     * covering it), where a sender's thread may run the box's turn and a blocked receiver's PCB,
     * and a kill may land while another process's thread runs the box; and every fourth seed
     * again with every turn on a thread of its own (virtual-threads). A seed given with
     * {@code -Dmboxos.seed} runs under both.
     */
    static java.util.stream.Stream<Arguments> rounds() { // (this test's own Stream is a record)
        long[] all = seeds().toArray();
        return IntStream.range(0, all.length).boxed().flatMap(i -> i % 4 == 0
                ? java.util.stream.Stream.of(Arguments.of(all[i], "kernel-mode"), Arguments.of(all[i], "virtual-threads"))
                : java.util.stream.Stream.of(Arguments.of(all[i], "kernel-mode")));
    }

    /** A message a program got: who got it, from which box, and what its payload said. */
    private record Receipt(long receiver, int box, long sender, int seq) {}

    /** A (box index, sender) pair. */
    private record Stream(int box, long sender) {}

    /** What a box ends the round as. */
    private enum End { DRAIN, LEAVE, DESTROY, CLOSE }

    @ParameterizedTest(name = "round {index}: seed {0}, {1}")
    @MethodSource("rounds")
    void everyMessageIsReceivedOnceDiscardedOrStillQueuedInSenderOrder(long seed, String dispatcher) {
        try {
            new Round(seed, dispatcher).run();
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ", " + dispatcher + " (rerun with -Dmboxos.seed=" + seed + "): "
                    + e.getMessage(), e);
        }
    }

    private static final class Round {
        final long seed;
        final String dispatcher;
        final Random rnd;
        final int boxes;
        final int[] capacity;
        final boolean[] keep;
        final End[] end;
        final int senders;
        final int receivers;
        final int kills;

        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final List<Receipt> receipts = new CopyOnWriteArrayList<>();
        final Map<Stream, Integer> sentOk = new ConcurrentHashMap<>();
        final long[] boxIds;
        final Map<Long, Integer> stillQueued = new ConcurrentHashMap<>();

        Round(long seed, String dispatcher) {
            this.seed = seed;
            this.dispatcher = dispatcher;
            this.rnd = new Random(seed);
            boxes = 2 + rnd.nextInt(2);
            capacity = new int[boxes];
            keep = new boolean[boxes];
            end = new End[boxes];
            boxIds = new long[boxes];
            for (int b = 0; b < boxes; b++) {
                capacity[b] = 1 + rnd.nextInt(3);
                keep[b] = rnd.nextBoolean();
                end[b] = keep[b] ? List.of(End.DRAIN, End.LEAVE, End.DESTROY).get(rnd.nextInt(3))
                        : List.of(End.DRAIN, End.CLOSE).get(rnd.nextInt(2));
            }
            senders = 2 + rnd.nextInt(3);
            receivers = 2 + rnd.nextInt(2);
            kills = 1 + rnd.nextInt(4);
        }

        Program prog(String name, Program.Main body) {
            return Program.of(name, "", (sys, args) -> {
                try {
                    return body.main(sys, args);
                } catch (AssertionError | Exception e) { // not Killed: that ends the thread as it should
                    failures.add(new AssertionError(name + " (pid " + sys.getpid() + "): " + e, e));
                    return 99;
                }
            });
        }

        /** Sends {@code count} messages "pid:seq" (seq per box), each to a random box, in a random mode. */
        int sender(Sys sys, List<String> args) {
            Random r = new Random(Long.parseLong(args.get(0)));
            int count = Integer.parseInt(args.get(1));
            long me = sys.getpid();
            int[] fds = new int[boxes];
            for (int b = 0; b < boxes; b++) {
                fds[b] = sys.mboxOpen("b" + b, 0);
            }
            int[] seq = new int[boxes];
            for (int i = 0; i < count; i++) {
                int b = r.nextInt(boxes);
                int mode = r.nextInt(10);
                long timeout = mode < 6 ? Sys.FOREVER : mode < 8 ? 1 + r.nextInt(8) : 0;
                try {
                    sys.mboxSend(fds[b], (me + ":" + seq[b]).getBytes(StandardCharsets.UTF_8), timeout);
                    seq[b]++;
                    sentOk.merge(new Stream(b, me), 1, Integer::sum);
                } catch (SysError e) {
                    Errno expected = timeout == 0 ? Errno.EAGAIN : Errno.ETIMEDOUT;
                    if (e.errno() != expected) {
                        throw e;
                    }
                }
            }
            return 0;
        }

        /**
         * Receives forever (until killed) from random boxes in random modes. The first receiver
         * never blocks without a timeout and is never killed at random, so every box keeps
         * draining while senders run.
         */
        int receiver(Sys sys, List<String> args) {
            Random r = new Random(Long.parseLong(args.get(0)));
            boolean patient = args.get(1).equals("patient");
            List<Long> senderPids = args.subList(2, args.size()).stream().map(Long::parseLong).toList();
            long me = sys.getpid();
            int[] fds = new int[boxes];
            for (int b = 0; b < boxes; b++) {
                fds[b] = sys.mboxOpen("b" + b, 0);
            }
            Map<Stream, Integer> lastSeq = new HashMap<>();
            while (true) {
                int b = r.nextInt(boxes);
                int mode = r.nextInt(10);
                long wait = 1 + r.nextInt(5);
                Recv how = switch (mode) {
                    case 0, 1, 2, 3, 4 -> Recv.upTo(64).timeout(wait);
                    case 5 -> Recv.upTo(64).noWait();
                    case 6 -> Recv.upTo(2).strict().timeout(wait); // every payload is longer: E2BIG if any
                    case 7 -> Recv.upTo(64).from(senderPids.get(r.nextInt(senderPids.size()))).timeout(wait);
                    default -> patient ? Recv.upTo(64).timeout(wait) : Recv.upTo(64);
                };
                Message m;
                try {
                    m = sys.mboxRecv(fds[b], how);
                } catch (SysError e) {
                    if (e.errno() != Errno.EAGAIN && e.errno() != Errno.ETIMEDOUT && e.errno() != Errno.E2BIG) {
                        throw e;
                    }
                    if (e.errno() == Errno.E2BIG && how.max() != 2) {
                        throw e;
                    }
                    if (e.errno() == Errno.EAGAIN) {
                        sys.yield();
                    }
                    continue;
                }
                record(me, b, m, lastSeq, how);
                if (r.nextInt(4) == 0) {
                    sys.sleep(r.nextInt(3)); // a slow consumer now and then, so that boxes fill up
                }
            }
        }

        /** Checks a payload against its sender and the receiver's own earlier receipts, and keeps it. */
        void record(long me, int b, Message m, Map<Stream, Integer> lastSeq, Recv how) {
            String text = m.text();
            String[] parts = text.split(":");
            if (parts.length != 2 || Long.parseLong(parts[0]) != m.sender()) {
                failures.add(new AssertionError("pid " + me + " got '" + text + "' from " + m.sender() + " in b" + b));
                return;
            }
            if (how.from() >= 0 && how.from() != m.sender()) {
                failures.add(new AssertionError("pid " + me + " asked for " + how.from() + " and got " + text));
            }
            int seq = Integer.parseInt(parts[1]);
            Stream s = new Stream(b, m.sender());
            Integer last = lastSeq.put(s, seq);
            if (last != null && seq <= last) {
                failures.add(new AssertionError("pid " + me + " got seq " + seq + " after " + last + " from "
                        + m.sender() + " in b" + b + " (FIFO per sender broken)"));
            }
            receipts.add(new Receipt(me, b, m.sender(), seq));
        }

        int init(Sys sys, List<String> args) {
            long me = sys.getpid();
            int[] fds = new int[boxes];
            for (int b = 0; b < boxes; b++) {
                fds[b] = keep[b] ? sys.mboxOpen("b" + b, capacity[b], CREATE, KEEP)
                        : sys.mboxOpen("b" + b, capacity[b], CREATE);
            }
            for (int b = 0; b < boxes; b++) {
                boxIds[b] = row(sys, b).id();
            }
            List<Long> senderPids = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                senderPids.add(sys.spawn("sender", Long.toString(rnd.nextLong()), Integer.toString(10 + rnd.nextInt(21))));
            }
            List<Long> receiverPids = new ArrayList<>();
            for (int i = 0; i < receivers; i++) {
                List<String> a = new ArrayList<>(List.of(Long.toString(rnd.nextLong()), i == 0 ? "patient" : "any"));
                senderPids.forEach(p -> a.add(Long.toString(p)));
                receiverPids.add(sys.spawn("receiver", a.toArray(String[]::new)));
            }

            List<Long> targets = new ArrayList<>(senderPids);
            targets.addAll(receiverPids.subList(1, receiverPids.size()));
            for (int i = 0; i < kills; i++) {
                sys.sleep(rnd.nextInt(6)); // let traffic build up; any moment is a valid moment to kill
                killIfAlive(sys, targets.get(rnd.nextInt(targets.size())));
            }
            for (long p : senderPids) {
                int status = sys.waitpid(p);
                assertTrue(status == 0 || status == Sys.KILLED, "sender " + p + " ended with " + status);
            }
            for (long p : receiverPids) {
                killIfAlive(sys, p);
            }

            // everybody but init is gone: nobody may still count as waiting, init is the only holder
            for (int b = 0; b < boxes; b++) {
                MboxInfo i = row(sys, b);
                assertEquals(0, i.blockedSenders(), "blocked senders after every sender ended: " + i);
                assertEquals(0, i.blockedReceivers(), "blocked receivers after every receiver was killed: " + i);
                assertEquals(1, i.usage(), "only init holds the box now: " + i);
            }
            Map<Stream, Integer> drained = new HashMap<>();
            for (int b = 0; b < boxes; b++) {
                switch (end[b]) {
                    case DRAIN -> {
                        while (true) {
                            Message m;
                            try {
                                m = sys.mboxRecv(fds[b], Recv.upTo(64).noWait());
                            } catch (SysError e) {
                                assertEquals(Errno.EAGAIN, e.errno());
                                break;
                            }
                            record(me, b, m, drained, Recv.upTo(64));
                        }
                        stillQueued.put(boxIds[b], 0);
                    }
                    case LEAVE -> {
                        sys.mboxClose(fds[b]); // KEEP: it stays, with its queue
                        stillQueued.put(boxIds[b], row(sys, b).queued());
                    }
                    case DESTROY -> {
                        sys.mboxClose(fds[b]);
                        sys.mboxDestroy("b" + b);
                    }
                    case CLOSE -> sys.mboxClose(fds[b]); // the last close frees it
                }
            }
            return 0;
        }

        private static MboxInfo row(Sys sys, int b) {
            return sys.mboxes().stream().filter(x -> x.name().equals("b" + b)).findFirst()
                    .orElseThrow(() -> new AssertionError("box b" + b + " is not in the mailbox table"));
        }

        private static void killIfAlive(Sys sys, long pid) {
            try {
                sys.kill(pid);
            } catch (SysError e) {
                if (e.errno() != Errno.ESRCH) {
                    throw e;
                }
            }
        }

        void run() {
            Program init = prog("init", this::init);
            Program sender = prog("sender", this::sender);
            Program receiver = prog("receiver", this::receiver);
            try (KernelHarness k = KernelHarness.boot(Map.of("kernel.seed", Long.toString(seed & 0x7fffffffL),
                    "kernel.dispatcher", dispatcher),
                    init, sender, receiver)) {
                int status = k.run("init");
                if (!failures.isEmpty()) {
                    AssertionError first = new AssertionError(failures.get(0).getMessage(), failures.get(0));
                    failures.subList(1, failures.size()).forEach(first::addSuppressed);
                    throw first;
                }
                assertEquals(0, status, "init's exit status");

                // discards of freed boxes are traced by the box as it stops: wait for them
                Verdict checker;
                try {
                    checker = await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                            .pollInterval(Duration.ofMillis(10))
                            .until(() -> HistoryCheck.of(k.events()), c -> !c.consistent()
                                    || c.messages().unresolvedByBox().equals(nonZero(stillQueued)));
                } catch (ConditionTimeoutException e) {
                    checker = HistoryCheck.of(k.events()); // fails below, with the details
                }
                String summary = summary(k.events());
                try {
                    checker.assertConsistent().assertAccountedFor(stillQueued);
                    crossCheck(k.events(), checker);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n  round: " + summary, e);
                }
                if (Boolean.getBoolean("mboxos.verbose")) {
                    System.out.println("seed " + seed + ": " + summary);
                }
            }
        }

        /** What happened in the round, for failure messages. */
        private String summary(List<Trace.Event> events) {
            Map<String, Long> counts = new TreeMap<>();
            for (Trace.Event e : events) {
                switch (e.ev()) {
                    case "send", "recv", "discard", "kill" -> counts.merge(e.ev(), 1L, Long::sum);
                    case "withdraw" -> counts.merge("withdraw " + e.get("call"), 1L, Long::sum);
                    case "error" -> counts.merge("error " + e.get("errno"), 1L, Long::sum);
                    default -> {}
                }
            }
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < boxes; i++) {
                b.append("b").append(i).append("(cap ").append(capacity[i]).append(keep[i] ? ", keep" : "")
                        .append(", ").append(end[i].name().toLowerCase()).append(") ");
            }
            return b.append(senders).append(" senders, ").append(receivers).append(" receivers, ").append(kills)
                    .append(" random kills; ").append(counts).append("; still queued ").append(nonZero(stillQueued))
                    .toString();
        }

        private static Map<Long, Integer> nonZero(Map<Long, Integer> m) {
            Map<Long, Integer> r = new TreeMap<>();
            m.forEach((k, v) -> {
                if (v != 0) {
                    r.put(k, v);
                }
            });
            return r;
        }

        /** The payloads the programs saw against the trace. */
        private void crossCheck(List<Trace.Event> events, Verdict checker) {
            Set<Long> killed = new HashSet<>();
            for (Trace.Event e : events("exit", events)) {
                if ("killed".equals(e.get("how"))) {
                    killed.add(e.pid());
                }
            }
            Map<Long, Integer> boxIndex = new HashMap<>();
            for (int b = 0; b < boxes; b++) {
                boxIndex.put(boxIds[b], b);
            }

            // what the trace says each receiver got, as (box, sender, seq)
            Map<Receipt, Long> traced = new HashMap<>();
            checker.messages().receives().forEach((key, e) -> {
                Receipt r = new Receipt(0, boxIndex.get(key.box()), e.getLong("from"), checker.messages().sendIndex(key));
                traced.put(r, e.pid());
            });

            Set<Receipt> seen = new HashSet<>();
            for (Receipt r : receipts) {
                Receipt anon = new Receipt(0, r.box(), r.sender(), r.seq());
                assertTrue(seen.add(anon), "received twice: " + r);
                Long by = traced.get(anon);
                assertTrue(by != null, "a program got " + r + " but the trace has no such receive");
                assertEquals(by, r.receiver(), "the trace gives " + r + " to pid " + by);
            }
            traced.forEach((r, pid) -> {
                if (!seen.contains(r)) {
                    assertTrue(killed.contains(pid), "pid " + pid + " received " + r
                            + " in the trace but never got it, and was not killed");
                }
            });

            // what the senders saw succeed against the trace's sends
            Map<Stream, Integer> tracedSends = new HashMap<>();
            checker.messages().sends().forEach((key, e) -> tracedSends.merge(new Stream(boxIndex.get(key.box()), e.pid()), 1,
                    Integer::sum));
            Set<Stream> streams = new HashSet<>(tracedSends.keySet());
            streams.addAll(sentOk.keySet());
            for (Stream s : streams) {
                int ok = sentOk.getOrDefault(s, 0);
                int inTrace = tracedSends.getOrDefault(s, 0);
                if (killed.contains(s.sender())) {
                    assertTrue(inTrace == ok || inTrace == ok + 1, s + ": " + ok + " sends returned, " + inTrace
                            + " traced (a killed sender may have had one more in the box)");
                } else {
                    assertEquals(ok, inTrace, s + ": sends that returned vs sends traced");
                }
            }
        }

        private static List<Trace.Event> events(String ev, List<Trace.Event> all) {
            return all.stream().filter(e -> e.ev().equals(ev)).toList();
        }
    }
}
