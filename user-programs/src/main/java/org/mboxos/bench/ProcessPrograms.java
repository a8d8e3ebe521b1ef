package org.mboxos.bench;

import static org.mboxos.bench.BenchPrograms.arg;

import org.mboxos.api.Program;
import org.mboxos.api.Sys;
import org.mboxos.bench.BenchPrograms.Probe;

/**
 * The bench's process programs, W4 and W5: spawners of trivial children, and processes that
 * block in a receive on their own box until a broadcaster releases them.
 */
final class ProcessPrograms {
    private ProcessPrograms() {}

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
}
