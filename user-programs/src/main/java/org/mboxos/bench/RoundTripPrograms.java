package org.mboxos.bench;

import static org.mboxos.bench.BenchPrograms.arg;
import static org.mboxos.bench.BenchPrograms.check;

import java.util.Arrays;
import org.mboxos.api.Program;
import org.mboxos.api.Sys;
import org.mboxos.bench.BenchPrograms.Probe;

/**
 * The bench's round-trip programs, W2, W7, W10 and W11: drivers that time batches of round
 * trips, and the echo and call servers that answer them.
 */
final class RoundTripPrograms {
    private RoundTripPrograms() {}

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
