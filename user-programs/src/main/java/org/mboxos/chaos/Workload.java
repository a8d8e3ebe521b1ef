package org.mboxos.chaos;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.mboxos.api.Errno;
import org.mboxos.api.Program;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;
import org.mboxos.kernel.Ramdisk;

/**
 * The programs of a chaos run. {@code chaos-init} (pid 1) opens one object of every kind (a
 * priority box among them), spawns the workers, tells each the others' pids, kills some of them
 * at random moments, then kills whoever is left (in whatever call it is blocked in), waits for
 * every process that ever ran (the workers' children end by themselves), closes what it holds,
 * and exits 0: a clean shutdown. It never receives again, nor calls or replies: a call to it
 * stays queued until the caller is killed, and a reply to it is EINVAL. {@link Worker} is what each worker and child does.
 */
final class Workload {
    static final String BOX_A = "box-a"; // kept (KEEP), held by init all along
    static final String BOX_B = "box-b"; // held by init all along
    static final String BOX_C = "box-c"; // init never holds it: freed whenever the workers all close it
    static final String BOX_P = "box-p"; // a PRIORITY box, held by init all along
    /** The priorities of box-p's messages are 0 .. PRIORITIES - 1 ({@code kernel.mbox-priorities}, default). */
    static final int PRIORITIES = 32;
    static final String LOCK_0 = "lock-0";
    static final String LOCK_1 = "lock-1";
    static final String SEM = "sem";
    static final String COND = "cond";
    static final String BARRIER = "barrier";

    private final Plan plan;
    private final Tally tally;

    private Workload(Plan plan, Tally tally) {
        this.plan = plan;
        this.tally = tally;
    }

    /** The ramdisk of a run of {@code plan}: init, worker and child, reporting to {@code tally}. */
    static Ramdisk ramdisk(Plan plan, Tally tally) {
        Workload w = new Workload(plan, tally);
        return Ramdisk.empty().with(
                Program.of("chaos-init", "the chaos campaign's pid 1", w::init),
                Program.of("chaos-worker", "SEED STEPS: random calls", (sys, args) -> Worker.worker(sys, args, tally)),
                Program.of("chaos-child", "SEED PARENT: a short-lived child", (sys, args) -> Worker.child(sys, args, tally)));
    }

    /**
     * {@code chaos-init SCALE}: init's sleeps are {@link Plan#spanMillis} times SCALE. Lottery
     * mode needs a larger scale: there every call costs a quantum of simulated time.
     */
    private int init(Sys sys, List<String> args) {
        Random r = new Random(plan.seed());
        int span = plan.spanMillis() * Integer.parseInt(args.get(0)) + 1;
        List<Integer> fds = new ArrayList<>(List.of(
                sys.mboxOpen(BOX_A, plan.capacityA(), Sys.Open.CREATE, Sys.Open.KEEP),
                sys.mboxOpen(BOX_B, plan.capacityB(), Sys.Open.CREATE),
                sys.mboxOpen(BOX_P, plan.capacityB(), Sys.Open.CREATE, Sys.Open.PRIORITY),
                sys.lockOpen(LOCK_0), sys.lockOpen(LOCK_1), sys.semOpen(SEM, plan.semInitial()),
                sys.condOpen(COND), sys.barrierOpen(BARRIER, plan.parties())));
        List<Long> workers = new ArrayList<>();
        for (int i = 0; i < plan.workers(); i++) {
            workers.add(sys.spawn("chaos-worker", Long.toString(r.nextLong()), Integer.toString(plan.steps())));
        }
        byte[] peers = String.join(",", workers.stream().map(String::valueOf).toList()).getBytes(StandardCharsets.UTF_8);
        for (long w : workers) {
            quietly(() -> sys.mysend(w, peers), Errno.ESRCH); // it may have been killed by a peer already
        }
        for (int i = 0; i < plan.randomKills(); i++) {
            sys.sleep(r.nextInt(span));
            long victim = workers.get(r.nextInt(workers.size()));
            quietly(() -> sys.kill(victim), Errno.ESRCH);
        }
        sys.sleep(r.nextInt(span));
        List<Long> left = new ArrayList<>(workers);
        java.util.Collections.shuffle(left, r);
        for (long w : left) {
            quietly(() -> sys.kill(w), Errno.ESRCH);
        }
        // every pid below the next one is alive or in the exit log: wait for each, up to the first unknown
        for (long pid = 2; ; pid++) {
            try {
                sys.waitpid(pid);
            } catch (SysError e) {
                if (e.errno() != Errno.ESRCH) {
                    tally.fail("init: waitpid(" + pid + "): " + e.getMessage());
                }
                break;
            }
        }
        for (int fd : fds) {
            sys.close(fd);
        }
        return 0;
    }

    /** Runs {@code call}; a {@link SysError} with {@code allowed} is an outcome, any other a failure. */
    private void quietly(Runnable call, Errno allowed) {
        try {
            call.run();
        } catch (SysError e) {
            if (e.errno() != allowed) {
                tally.fail("init: " + e.getMessage() + " (" + e.errno() + ")");
            }
        }
    }
}
