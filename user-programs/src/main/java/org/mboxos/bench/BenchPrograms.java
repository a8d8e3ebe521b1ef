package org.mboxos.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import org.mboxos.api.Program;
import org.mboxos.api.Sys;

/**
 * The bench's own programs. They live on the bench's ramdisk only (never in META-INF/services),
 * do all their work through {@link Sys}, and report timings to the bench through a
 * {@link Probe}: plain Java fields shared in this JVM, written outside any timed loop.
 */
final class BenchPrograms {
    private BenchPrograms() {}

    /** What the programs of one booted kernel hand back to the bench. */
    static final class Probe {
        /** W1, W6, W8: the current round's first send and last receive, by any of its processes. */
        final LongAccumulator firstSend = new LongAccumulator(Math::min, Long.MAX_VALUE);
        final LongAccumulator lastRecv = new LongAccumulator(Math::max, Long.MIN_VALUE);
        /** W1, W6, W8: nanoseconds per round, warm-up first. */
        final List<Long> rounds = Collections.synchronizedList(new ArrayList<>());
        /** W2, W7, W10, W11: nanoseconds per batch. */
        volatile long[] batches;
        /** W3, W4: nanoseconds of the measured run. */
        volatile long elapsed;
        /** W5: processes that are about to block in their receive, and that have been released. */
        final AtomicInteger ready = new AtomicInteger();
        volatile long heapBefore;
        volatile long heapBlocked;
        volatile long spawnNanos;
        volatile long releaseNanos;
        /** W5: print this many lines of a class histogram while all are blocked (0: none). */
        int histogramLines;
        java.util.function.Consumer<String> report = line -> {};

        /** Starts a round: forgets the previous round's first send and last receive. */
        void startRound() {
            firstSend.reset();
            lastRecv.reset();
        }

        /** Ends a round: records its span from the first send to the last receive. */
        void endRound() {
            rounds.add(lastRecv.get() - firstSend.get());
        }
    }

    static Program[] all(Probe probe) {
        return new Program[] {
            w1(probe), sender(probe), receiver(probe), w2(probe), w3(probe), w4(probe), spawner(), nop(),
            w5(probe), waiter(probe), w6(probe), mysender(probe), w7(probe), echo(), w8(probe),
            w10(probe), callServer(), w11(probe), queuedEcho()
        };
    }

    private static int arg(List<String> args, int i) {
        return Integer.parseInt(args.get(i));
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }

    /** W1's pid 1: ARGS CAPACITY BYTES ROUND... ; one box, one sender, one receiver per round. */
    static Program w1(Probe probe) {
        return Program.of("bench-w1", "CAPACITY BYTES N...: W1, one sender and one receiver per round", (sys, args) -> {
            int capacity = arg(args, 0);
            String bytes = args.get(1);
            for (int r = 2; r < args.size(); r++) {
                String box = "w1-" + r;
                int fd = sys.mboxOpen(box, capacity, Sys.Open.CREATE, Sys.Open.EXCLUSIVE);
                long receiver = sys.spawn("bench-recv", box, args.get(r), bytes);
                probe.startRound();
                long sender = sys.spawn("bench-send", box, args.get(r), bytes);
                check(sys.waitpid(sender) == 0, "sender failed");
                check(sys.waitpid(receiver) == 0, "receiver failed");
                probe.endRound();
                sys.mboxClose(fd);
            }
            return 0;
        });
    }

    /** BOX N BYTES: sends N messages of BYTES bytes. */
    static Program sender(Probe probe) {
        return Program.of("bench-send", "BOX N BYTES: sends N messages", (sys, args) -> {
            int fd = sys.mboxOpen(args.get(0), 0);
            int n = arg(args, 1);
            byte[] payload = new byte[arg(args, 2)];
            probe.firstSend.accumulate(System.nanoTime());
            for (int i = 0; i < n; i++) {
                sys.mboxSend(fd, payload);
            }
            sys.mboxClose(fd);
            return 0;
        });
    }

    /** BOX N BYTES: receives N messages of up to BYTES bytes. */
    static Program receiver(Probe probe) {
        return Program.of("bench-recv", "BOX N BYTES: receives N messages", (sys, args) -> {
            int fd = sys.mboxOpen(args.get(0), 0);
            int n = arg(args, 1);
            int max = arg(args, 2);
            int bytes = 0;
            for (int i = 0; i < n; i++) {
                bytes += sys.mboxRecv(fd, max).length;
            }
            probe.lastRecv.accumulate(System.nanoTime());
            sys.mboxClose(fd);
            return bytes == n * max ? 0 : 1;
        });
    }

    /** W2: WARMUP BATCHES BATCH; getpid in timed batches. */
    static Program w2(Probe probe) {
        return Program.of("bench-w2", "WARMUP BATCHES BATCH: W2, getpid round trips", (sys, args) -> {
            int warmup = arg(args, 0);
            int batches = arg(args, 1);
            int batch = arg(args, 2);
            long pid = 0;
            for (int i = 0; i < warmup; i++) {
                pid += sys.getpid();
            }
            long[] samples = new long[batches];
            for (int b = 0; b < batches; b++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < batch; i++) {
                    pid += sys.getpid();
                }
                samples[b] = System.nanoTime() - t0;
            }
            probe.batches = samples;
            return pid == (long) (warmup + batches * batch) ? 0 : 1;
        });
    }

    /** W3: BOXES SENDERS RECEIVERS PER_SENDER PER_RECEIVER CAPACITY BYTES; the DisastrOS shape. */
    static Program w3(Probe probe) {
        return Program.of("bench-w3", "BOXES SENDERS RECEIVERS PER_SENDER PER_RECEIVER CAPACITY BYTES: W3", (sys, args) -> {
            int boxes = arg(args, 0);
            int senders = arg(args, 1);
            int receivers = arg(args, 2);
            String perSender = args.get(3);
            String perReceiver = args.get(4);
            int capacity = arg(args, 5);
            String bytes = args.get(6);
            int[] fds = new int[boxes];
            for (int i = 0; i < boxes; i++) {
                fds[i] = sys.mboxOpen("w3-" + i, capacity, Sys.Open.CREATE, Sys.Open.EXCLUSIVE);
            }
            long[] pids = new long[boxes * (senders + receivers)];
            int k = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < boxes; i++) {
                for (int r = 0; r < receivers; r++) {
                    pids[k++] = sys.spawn("bench-recv", "w3-" + i, perReceiver, bytes);
                }
                for (int s = 0; s < senders; s++) {
                    pids[k++] = sys.spawn("bench-send", "w3-" + i, perSender, bytes);
                }
            }
            int failed = 0;
            for (long pid : pids) {
                failed += sys.waitpid(pid) == 0 ? 0 : 1;
            }
            probe.elapsed = System.nanoTime() - t0;
            for (int fd : fds) {
                sys.mboxClose(fd);
            }
            return failed;
        });
    }

    /** W4: SPAWNERS WARMUP N; N spawn+exit+waitpid cycles, by one or several spawners. */
    static Program w4(Probe probe) {
        return Program.of("bench-w4", "SPAWNERS WARMUP N: W4, process churn", (sys, args) -> {
            int spawners = arg(args, 0);
            churn(sys, spawners, arg(args, 1));
            long t0 = System.nanoTime();
            int failed = churn(sys, spawners, arg(args, 2));
            probe.elapsed = System.nanoTime() - t0;
            return failed;
        });
    }

    private static int churn(Sys sys, int spawners, int n) {
        if (spawners == 1) {
            return spawnAndWait(sys, n);
        }
        long[] pids = new long[spawners];
        for (int i = 0; i < spawners; i++) {
            pids[i] = sys.spawn("bench-spawner", Integer.toString(n / spawners + (i < n % spawners ? 1 : 0)));
        }
        int failed = 0;
        for (long pid : pids) {
            failed += sys.waitpid(pid);
        }
        return failed;
    }

    private static int spawnAndWait(Sys sys, int n) {
        int failed = 0;
        for (int i = 0; i < n; i++) {
            failed += sys.waitpid(sys.spawn("bench-nop")) == 0 ? 0 : 1;
        }
        return failed;
    }

    static Program spawner() {
        return Program.of("bench-spawner", "N: spawns and waits for N trivial children", (sys, args) ->
                spawnAndWait(sys, arg(args, 0)));
    }

    static Program nop() {
        return Program.of("bench-nop", "exits 0 at once", (sys, args) -> 0);
    }

    /** W5: N CAPACITY; N processes blocked in a receive on their own box, then released. */
    static Program w5(Probe probe) {
        return Program.of("bench-w5", "N CAPACITY: W5, N blocked processes, one broadcaster", (sys, args) -> {
            int n = arg(args, 0);
            String capacity = args.get(1);
            long[] pids = new long[n];
            String[] names = new String[n];
            for (int i = 0; i < n; i++) {
                names[i] = "w5-" + i;
            }
            byte[] wake = new byte[1];
            probe.heapBefore = Heap.usedAfterGc();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                pids[i] = sys.spawn("bench-wait", names[i], capacity);
            }
            while (probe.ready.get() < n) {
                sys.sleep(5);
            }
            probe.spawnNanos = System.nanoTime() - t0;
            sys.sleep(200); // the last receives reach their boxes
            probe.heapBlocked = Heap.usedAfterGc();
            if (probe.histogramLines > 0) {
                probe.report.accept("class histogram with " + n + " processes blocked:\n"
                        + Heap.histogram(probe.histogramLines));
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                int fd = sys.mboxOpen(names[i], 0);
                sys.mboxSend(fd, wake);
                sys.mboxClose(fd);
            }
            int failed = 0;
            for (long pid : pids) {
                failed += sys.waitpid(pid) == 0 ? 0 : 1;
            }
            probe.releaseNanos = System.nanoTime() - t1;
            return failed;
        });
    }

    /** BOX CAPACITY: creates BOX and blocks in a receive on it until the broadcaster sends. */
    static Program waiter(Probe probe) {
        return Program.of("bench-wait", "BOX CAPACITY: blocks in a receive on its own box", (sys, args) -> {
            int fd = sys.mboxOpen(args.get(0), arg(args, 1), Sys.Open.CREATE, Sys.Open.EXCLUSIVE);
            probe.ready.incrementAndGet();
            return sys.mboxRecv(fd, 32).length == 1 ? 0 : 1;
        });
    }

    /**
     * W6's pid 1, and its receiver: SENDERS BYTES N... ; per round, SENDERS processes
     * {@code mysend} N messages in all to this process, which {@code myreceive}s them: from the
     * one sender's pid when SENDERS is 1, from any sender otherwise.
     */
    static Program w6(Probe probe) {
        return Program.of("bench-w6", "SENDERS BYTES N...: W6, mysend/myreceive to this process", (sys, args) -> {
            int senders = arg(args, 0);
            int bytes = arg(args, 1);
            byte[] buf = new byte[bytes];
            String me = Long.toString(sys.getpid());
            for (int r = 2; r < args.size(); r++) {
                int n = arg(args, r);
                probe.startRound();
                long[] pids = new long[senders];
                for (int s = 0; s < senders; s++) {
                    int share = n / senders + (s < n % senders ? 1 : 0);
                    pids[s] = sys.spawn("bench-mysend", me, Integer.toString(share), args.get(1));
                }
                long from = senders == 1 ? pids[0] : -1;
                long got = 0;
                for (int i = 0; i < n; i++) {
                    got += sys.myreceive(from, buf);
                }
                probe.lastRecv.accumulate(System.nanoTime());
                for (long pid : pids) {
                    check(sys.waitpid(pid) == 0, "a W6 sender failed");
                }
                check(got == (long) n * bytes, "W6 lost bytes");
                probe.endRound();
            }
            return 0;
        });
    }

    /** PID N BYTES: queued {@code mysend} of N messages of BYTES bytes to PID. */
    static Program mysender(Probe probe) {
        return Program.of("bench-mysend", "PID N BYTES: mysend N messages to PID", (sys, args) -> {
            long to = Long.parseLong(args.get(0));
            int n = arg(args, 1);
            byte[] payload = new byte[arg(args, 2)];
            probe.firstSend.accumulate(System.nanoTime());
            for (int i = 0; i < n; i++) {
                sys.mysend(to, payload);
            }
            return 0;
        });
    }

    /**
     * W7: WARMUP BATCHES BATCH BYTES; rendezvous ping-pong with an echo process: a round trip is
     * a rendezvous {@code mysend} to the echo and a {@code myreceive} of its rendezvous reply.
     */
    static Program w7(Probe probe) {
        return Program.of("bench-w7", "WARMUP BATCHES BATCH BYTES: W7, rendezvous round trips", (sys, args) -> {
            int warmup = arg(args, 0);
            int batches = arg(args, 1);
            int batch = arg(args, 2);
            byte[] ping = new byte[arg(args, 3)];
            byte[] buf = new byte[ping.length];
            long echo = sys.spawn("bench-echo", Long.toString(sys.getpid()),
                    Integer.toString(warmup + batches * batch), args.get(3));
            long bytes = 0;
            for (int i = 0; i < warmup; i++) {
                sys.mysend(echo, ping, true);
                bytes += sys.myreceive(echo, buf);
            }
            long[] samples = new long[batches];
            for (int b = 0; b < batches; b++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < batch; i++) {
                    sys.mysend(echo, ping, true);
                    bytes += sys.myreceive(echo, buf);
                }
                samples[b] = System.nanoTime() - t0;
            }
            probe.batches = samples;
            check(sys.waitpid(echo) == 0, "the W7 echo failed");
            return bytes == (long) (warmup + batches * batch) * ping.length ? 0 : 1;
        });
    }

    /** PID N BYTES: N times, receives a message from PID and sends it back by rendezvous. */
    static Program echo() {
        return Program.of("bench-echo", "PID N BYTES: echoes N messages back to PID by rendezvous", (sys, args) -> {
            long peer = Long.parseLong(args.get(0));
            int n = arg(args, 1);
            byte[] buf = new byte[arg(args, 2)];
            for (int i = 0; i < n; i++) {
                int len = sys.myreceive(peer, buf);
                sys.mysend(peer, Arrays.copyOf(buf, len), true);
            }
            return 0;
        });
    }

    /**
     * W8's pid 1: PAIRS CAPACITY BYTES N... ; per round, PAIRS independent sender/receiver pairs,
     * each on its own box of CAPACITY, moving N messages in all (N / PAIRS each).
     */
    static Program w8(Probe probe) {
        return Program.of("bench-w8", "PAIRS CAPACITY BYTES N...: W8, independent pairs on their own boxes", (sys, args) -> {
            int pairs = arg(args, 0);
            int capacity = arg(args, 1);
            String bytes = args.get(2);
            for (int r = 3; r < args.size(); r++) {
                String each = Integer.toString(arg(args, r) / pairs);
                int[] fds = new int[pairs];
                long[] pids = new long[2 * pairs];
                probe.startRound();
                for (int p = 0; p < pairs; p++) {
                    String box = "w8-" + r + "-" + p;
                    fds[p] = sys.mboxOpen(box, capacity, Sys.Open.CREATE, Sys.Open.EXCLUSIVE);
                    pids[2 * p] = sys.spawn("bench-recv", box, each, bytes);
                    pids[2 * p + 1] = sys.spawn("bench-send", box, each, bytes);
                }
                for (long pid : pids) {
                    check(sys.waitpid(pid) == 0, "a W8 process failed");
                }
                probe.endRound();
                for (int fd : fds) {
                    sys.mboxClose(fd);
                }
            }
            return 0;
        });
    }

    /** Runs {@code trip} {@code warmup} times, then {@code batches} timed batches of {@code batch}; ns per batch. */
    private static long[] timedBatches(int warmup, int batches, int batch, Runnable trip) {
        for (int i = 0; i < warmup; i++) {
            trip.run();
        }
        long[] samples = new long[batches];
        for (int b = 0; b < batches; b++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                trip.run();
            }
            samples[b] = System.nanoTime() - t0;
        }
        return samples;
    }

    /**
     * W10: WARMUP BATCHES BATCH BYTES; call/reply round trips: one round trip is one
     * {@code call(server, request, replyBuf)}, which the server answers with {@code reply}.
     */
    static Program w10(Probe probe) {
        return Program.of("bench-w10", "WARMUP BATCHES BATCH BYTES: W10, call/reply round trips", (sys, args) -> {
            int warmup = arg(args, 0);
            int batches = arg(args, 1);
            int batch = arg(args, 2);
            byte[] request = new byte[arg(args, 3)];
            byte[] answer = new byte[request.length];
            long server = sys.spawn("bench-callserver", Long.toString(sys.getpid()),
                    Integer.toString(warmup + batches * batch), args.get(3));
            long[] bytes = {0};
            probe.batches = timedBatches(warmup, batches, batch, () -> bytes[0] += sys.call(server, request, answer));
            check(sys.waitpid(server) == 0, "the W10 server failed");
            return bytes[0] == (long) (warmup + batches * batch) * request.length ? 0 : 1;
        });
    }

    /** PID N BYTES: N times, receives a call from PID and answers it with {@code reply}. */
    static Program callServer() {
        return Program.of("bench-callserver", "PID N BYTES: answers N calls from PID with reply", (sys, args) -> {
            long client = Long.parseLong(args.get(0));
            int n = arg(args, 1);
            byte[] buf = new byte[arg(args, 2)];
            for (int i = 0; i < n; i++) {
                int len = sys.myreceive(client, buf);
                sys.reply(client, len == buf.length ? buf : Arrays.copyOf(buf, len));
            }
            return 0;
        });
    }

    /**
     * W11: WARMUP BATCHES BATCH BYTES; select round trips. One round trip: a queued
     * {@code mysend} to an echo process, {@code select} on this process's inbox and an idle box
     * (both at once, until one is readable), then {@code myreceive} of the echo's answer, which
     * the echo sends to this inbox with a queued {@code mysend}.
     */
    static Program w11(Probe probe) {
        return Program.of("bench-w11", "WARMUP BATCHES BATCH BYTES: W11, select round trips", (sys, args) -> {
            int warmup = arg(args, 0);
            int batches = arg(args, 1);
            int batch = arg(args, 2);
            byte[] ping = new byte[arg(args, 3)];
            byte[] buf = new byte[ping.length];
            int idle = sys.mboxOpen("w11-idle", 1, Sys.Open.CREATE, Sys.Open.EXCLUSIVE);
            int[] sources = {Sys.INBOX, idle};
            long echo = sys.spawn("bench-qecho", Long.toString(sys.getpid()),
                    Integer.toString(warmup + batches * batch), args.get(3));
            long[] bytes = {0};
            probe.batches = timedBatches(warmup, batches, batch, () -> {
                sys.mysend(echo, ping);
                int[] ready = sys.select(sources, Sys.FOREVER);
                check(ready.length == 1 && ready[0] == Sys.INBOX, "W11: select woke for the wrong box");
                bytes[0] += sys.myreceive(echo, buf);
            });
            check(sys.waitpid(echo) == 0, "the W11 echo failed");
            sys.mboxClose(idle);
            return bytes[0] == (long) (warmup + batches * batch) * ping.length ? 0 : 1;
        });
    }

    /** PID N BYTES: N times, receives a message from PID and sends it back with a queued mysend. */
    static Program queuedEcho() {
        return Program.of("bench-qecho", "PID N BYTES: echoes N messages back to PID (queued)", (sys, args) -> {
            long peer = Long.parseLong(args.get(0));
            int n = arg(args, 1);
            byte[] buf = new byte[arg(args, 2)];
            for (int i = 0; i < n; i++) {
                int len = sys.myreceive(peer, buf);
                sys.mysend(peer, len == buf.length ? buf : Arrays.copyOf(buf, len));
            }
            return 0;
        });
    }
}
