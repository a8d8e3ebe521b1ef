package org.mboxos.chaos;

import static org.mboxos.api.Errno.E2BIG;
import static org.mboxos.api.Errno.EAGAIN;
import static org.mboxos.api.Errno.ESRCH;
import static org.mboxos.api.Errno.ETIMEDOUT;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.mboxos.api.Errno;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;

/**
 * A chaos worker: {@code STEPS} calls drawn from its seed over every kind of kernel object, each
 * checked against what docs/semantics.md allows it to answer. Many of them block (a receive
 * from an empty box, a full box, a held lock, a semaphore at 0, a condition nobody signals, a
 * barrier short of parties, a rendezvous nobody takes, a wait for a blocked peer, the keyboard,
 * a call nobody answers, a select on idle boxes), so that init's kills find workers in every
 * blocked state. Its pid-addressed calls and {@code select} are in {@link Ipc}.
 *
 * <p>Only the worker's own seed decides what it does, never the outcome of a call, so that a
 * lottery run replays.
 */
final class Worker {
    /** The message of the crash a worker makes on purpose now and then (main throws: status CRASHED). */
    static final String DELIBERATE = "chaos: a deliberate crash";
    static final Set<Errno> NONE = EnumSet.noneOf(Errno.class);
    private static final int OPS = 30;

    final Sys sys;
    final Tally tally;
    final Random r;
    final long me;
    final long[] peers;
    final int[] boxes = new int[4]; // box-a, box-b, box-c (-1: closed), box-p (priorities)
    final int[] locks = new int[2];
    final int sem;
    final int cond;
    final int barrier;
    /** The lock this worker holds (index into {@link #locks}), or -1. */
    int holding = -1;
    private final Ipc ipc = new Ipc(this);
    private int sent;

    private Worker(Sys sys, Tally tally, Random r, long[] peers) {
        this.sys = sys;
        this.tally = tally;
        this.r = r;
        this.me = sys.getpid();
        this.peers = peers;
        boxes[0] = sys.mboxOpen(Workload.BOX_A, 0);
        boxes[1] = sys.mboxOpen(Workload.BOX_B, 0);
        boxes[2] = sys.mboxOpen(Workload.BOX_C, 1 + r.nextInt(3), Sys.Open.CREATE);
        boxes[3] = sys.mboxOpen(Workload.BOX_P, 0);
        locks[0] = sys.lockOpen(Workload.LOCK_0);
        locks[1] = sys.lockOpen(Workload.LOCK_1);
        sem = sys.semOpen(Workload.SEM, 0);
        cond = sys.condOpen(Workload.COND);
        barrier = sys.barrierOpen(Workload.BARRIER, 1);
    }

    /** {@code chaos-worker SEED STEPS}: learns its peers from init, then makes STEPS random calls. */
    static int worker(Sys sys, List<String> args, Tally tally) {
        Random r = new Random(Long.parseLong(args.get(0)));
        int steps = Integer.parseInt(args.get(1));
        byte[] buf = new byte[256];
        int n = sys.myreceive(1, buf);
        long me = sys.getpid();
        long[] peers = Arrays.stream(new String(buf, 0, n, StandardCharsets.UTF_8).split(","))
                .mapToLong(Long::parseLong).filter(p -> p != me).toArray();
        Worker w = new Worker(sys, tally, r, peers);
        for (int i = 0; i < steps; i++) {
            int op = r.nextInt(OPS);
            if (op == 23 && r.nextInt(4) == 0) {
                throw new IllegalStateException(DELIBERATE);
            }
            w.step(op);
        }
        if (w.holding >= 0 && r.nextBoolean()) {
            w.check("lock_release", NONE, () -> sys.lockRelease(w.locks[w.holding]));
        }
        return r.nextInt(3); // any status; ending while holding a lock is allowed too
    }

    /** {@code chaos-child SEED PARENT}: a few short calls, then exit; it always ends by itself. */
    static int child(Sys sys, List<String> args, Tally tally) {
        Random r = new Random(Long.parseLong(args.get(0)));
        long parent = Long.parseLong(args.get(1));
        Worker w = new Worker(sys, tally, r, new long[] {parent});
        w.check("sleep", NONE, () -> sys.sleep(r.nextInt(3)));
        if (r.nextBoolean()) { // queued: fails with ESRCH once the parent has ended, so it cannot block for ever
            w.check("mysend", Set.of(ESRCH), () -> sys.mysend(parent, w.payload("")));
        }
        if (r.nextBoolean()) {
            w.check("myreceive", Set.of(ETIMEDOUT, ESRCH),
                    () -> sys.myreceive(Recv.upTo(64).from(parent).timeout(1 + r.nextInt(3))));
        }
        return r.nextInt(4);
    }

    private void step(int op) {
        switch (op) {
            case 0, 1, 2 -> boxSend();
            case 3, 4, 5 -> boxRecv();
            case 6 -> churn();
            case 7, 8 -> ipc.mysend();
            case 9, 10 -> ipc.myreceive();
            case 11, 12 -> lock();
            case 13 -> condition();
            case 14 -> semaphore();
            case 15 -> check("barrier_wait", NONE, () -> sys.barrierWait(barrier));
            case 16 -> check("sleep", NONE, () -> sys.sleep(r.nextInt(4)));
            case 17 -> spawn();
            case 18 -> check("waitpid", NONE, () -> sys.waitpid(peer()));
            case 19 -> kill();
            case 20, 21 -> BadCalls.random(this);
            case 22 -> rare();
            case 24, 25 -> ipc.select();
            case 26, 27 -> ipc.call();
            case 28 -> ipc.serve();
            case 29 -> ipc.monitor();
            default -> check("yield", NONE, sys::yield);
        }
    }

    /** The payload of the next message: "{@code prefix}pid:n", at least 3 bytes. */
    byte[] payload(String prefix) {
        return (prefix + me + ":" + sent++).getBytes(StandardCharsets.UTF_8);
    }

    long peer() {
        return peers.length == 0 ? me : peers[r.nextInt(peers.length)];
    }

    /** A timeout for a blocking call: FOREVER, 0 (a try) or a few ms, drawn from the seed. */
    long timeout() {
        int t = r.nextInt(8);
        return t < 2 ? Sys.FOREVER : t < 5 ? 0 : 1 + r.nextInt(4);
    }

    /** What a call with {@code timeout} may fail with for want of a partner: EAGAIN, ETIMEDOUT or nothing. */
    static Set<Errno> timeoutErrors(long timeout) {
        return timeout == 0 ? Set.of(EAGAIN) : timeout > 0 ? Set.of(ETIMEDOUT) : NONE;
    }

    private int box() {
        int b = r.nextInt(boxes.length);
        if (boxes[b] < 0) {
            boxes[b] = sys.mboxOpen(Workload.BOX_C, 1 + r.nextInt(3), Sys.Open.CREATE);
        }
        return boxes[b];
    }

    /** Sends with a timeout; on box-p at a priority drawn from the seed, elsewhere sometimes at priority 0. */
    private void boxSend() {
        int fd = box();
        long t = timeout();
        if (fd == boxes[3]) {
            int priority = r.nextInt(Workload.PRIORITIES);
            check("mbox_send", timeoutErrors(t), () -> sys.mboxSend(fd, payload(""), priority, t));
        } else if (r.nextBoolean()) {
            check("mbox_send", timeoutErrors(t), () -> sys.mboxSend(fd, payload(""), 0, t));
        } else {
            check("mbox_send", timeoutErrors(t), () -> sys.mboxSend(fd, payload(""), t));
        }
    }

    private void boxRecv() {
        int fd = box();
        long t = timeout();
        switch (r.nextInt(4)) {
            case 0 -> check("mbox_recv", union(timeoutErrors(t), E2BIG), () -> sys.mboxRecv(fd, Recv.upTo(2).strict().timeout(t)));
            case 1 -> check("mbox_recv", timeoutErrors(t), () -> sys.mboxRecv(fd, Recv.upTo(64).from(peer()).timeout(t)));
            default -> check("mbox_recv", timeoutErrors(t), () -> sys.mboxRecv(fd, Recv.upTo(1 + r.nextInt(64)).timeout(t)));
        }
    }

    /** Closes box-c (the last close frees it, discarding its queue) and opens it again. */
    private void churn() {
        if (boxes[2] >= 0) {
            int fd = boxes[2];
            boxes[2] = -1;
            check("mbox_close", NONE, () -> sys.mboxClose(fd));
        }
        if (r.nextBoolean()) {
            boxes[2] = sys.mboxOpen(Workload.BOX_C, 1 + r.nextInt(3), Sys.Open.CREATE);
        }
    }

    /** Acquires a lock (blocking while another holds it), or releases the one held. */
    private void lock() {
        if (holding >= 0) {
            int l = holding;
            holding = -1;
            check("lock_release", NONE, () -> sys.lockRelease(locks[l]));
        } else {
            int l = r.nextInt(2);
            if (check("lock_acquire", NONE, () -> sys.lockAcquire(locks[l]))) {
                holding = l;
            }
        }
    }

    /** Waits on the condition with the lock held, or signals or broadcasts it. */
    private void condition() {
        int what = r.nextInt(3);
        if (what == 0 && holding >= 0) {
            check("cond_wait", NONE, () -> sys.condWait(cond, locks[holding])); // returns holding it again
        } else if (what == 1) {
            check("cond_signal", NONE, () -> sys.condSignal(cond));
        } else {
            check("cond_broadcast", NONE, () -> sys.condBroadcast(cond));
        }
    }

    private void semaphore() {
        if (r.nextBoolean()) {
            check("sem_up", NONE, () -> sys.semUp(sem));
        } else {
            check("sem_down", NONE, () -> sys.semDown(sem));
        }
    }

    /** Spawns a child, then waits for it, kills it, or leaves it to end by itself. */
    private void spawn() {
        long[] child = {0};
        if (!check("spawn", Set.of(EAGAIN), () -> child[0] = sys.spawn("chaos-child", Long.toString(r.nextLong()),
                Long.toString(me)))) {
            return;
        }
        switch (r.nextInt(3)) {
            case 0 -> check("waitpid", NONE, () -> sys.waitpid(child[0]));
            case 1 -> check("kill", Set.of(ESRCH), () -> sys.kill(child[0]));
            default -> {}
        }
    }

    private void kill() {
        if (r.nextInt(3) == 0) { // peers die often enough from init's kills
            long victim = peer();
            check("kill", Set.of(ESRCH), () -> sys.kill(victim));
        }
    }

    /** The keyboard (no keys come: blocks until killed), priorities, printing. */
    private void rare() {
        switch (r.nextInt(4)) {
            case 0 -> check("getchar", NONE, sys::getChar);
            case 1 -> check("setpriority", NONE, () -> sys.setpriority(1 + r.nextInt(5)));
            default -> check("print", NONE, () -> sys.println("worker " + me + " step"));
        }
    }

    static Set<Errno> union(Set<Errno> a, Errno b) {
        Set<Errno> s = EnumSet.of(b);
        s.addAll(a);
        return s;
    }

    /**
     * Runs {@code call}: true if it returned; false if it failed with an errno in {@code allowed}.
     * Any other outcome (another errno, another exception) is a failure of the run.
     */
    boolean check(String what, Set<Errno> allowed, Runnable call) {
        return checked(what, allowed, () -> {
            call.run();
            return Boolean.TRUE;
        }) != null;
    }

    /** As {@link #check}, for a call with a result: the result, or null if it failed. */
    <T> T checked(String what, Set<Errno> allowed, Supplier<T> call) {
        try {
            return call.get();
        } catch (SysError e) {
            if (!allowed.contains(e.errno())) {
                tally.fail("pid " + me + ": " + what + " failed with " + e.getMessage() + " (allowed: " + allowed + ")");
            }
            return null;
        } catch (RuntimeException e) {
            tally.fail("pid " + me + ": " + what + " threw " + e);
            return null;
        }
    }
}
