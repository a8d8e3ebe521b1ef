package org.mboxos.bench;

import static org.mboxos.bench.BenchPrograms.arg;
import static org.mboxos.bench.BenchPrograms.check;

import org.mboxos.api.Program;
import org.mboxos.api.Sys;
import org.mboxos.bench.BenchPrograms.Probe;

/**
 * The bench's messaging programs, W1, W3, W6 and W8: drivers that make boxes and spawn
 * senders and receivers, and the senders and receivers themselves (box and pid addressed).
 */
final class MessagingPrograms {
    private MessagingPrograms() {}

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
}
