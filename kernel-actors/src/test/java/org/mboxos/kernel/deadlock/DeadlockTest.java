package org.mboxos.kernel.deadlock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mboxos.api.Errno;
import org.mboxos.api.Program;
import org.mboxos.api.SysError;
import org.mboxos.kernel.KernelHarness;
import org.mboxos.kernel.trace.Trace;

/**
 * Deadlock detection (docs/semantics.md, Deadlocks): cycles of each definite wait kind, of two
 * and of four processes, and a mixed one, are reported once with what each member waits in; kill
 * breaks them; near-misses (someone outside could still act) are not reported; refuse mode fails
 * the call that would close a cycle with EDEADLK; every process deadlocked is announced to the
 * launcher; and a lottery run with a deadlock replays to the same trace.
 *
 * <p>Pids are handed out in spawn order, so pid 1 knows the pids of the ring it spawns: member
 * {@code i} of {@code n} (pid {@code 2 + i}) waits for member {@code i + 1 mod n}.
 */
class DeadlockTest {
    private static final Duration SOON = Duration.ofSeconds(10);

    /** How member {@code self} waits for {@code next}; a lock ring first has everyone hold their own lock. */
    enum Kind {
        WAITPID("wait(%d)"),
        RENDEZVOUS("mysend(%d)"),
        RECEIVE("myreceive(%d)"),
        LOCK("lock_acquire(l%d)");

        final String call;

        Kind(String call) {
            this.call = call;
        }
    }

    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    /** Member {@code i} of a ring of {@code n}: waits for the next member in {@code kind}'s way. */
    private Program member(Kind kind) {
        return Program.of("member", "a member of a ring", (sys, args) -> {
            int n = Integer.parseInt(args.get(0));
            long self = sys.getpid();
            long next = 2 + (self - 2 + 1) % n;
            int all = sys.barrierOpen("all-here", n); // every member exists (and holds its lock) before anyone waits
            try {
                switch (kind) {
                    case WAITPID -> {
                        sys.barrierWait(all);
                        sys.waitpid(next);
                    }
                    case RENDEZVOUS -> {
                        sys.barrierWait(all);
                        sys.mysend(next, new byte[] {1}, true);
                    }
                    case RECEIVE -> {
                        sys.barrierWait(all);
                        sys.myreceive(next, new byte[8]);
                    }
                    case LOCK -> {
                        sys.lockAcquire(sys.lockOpen("l" + self));
                        sys.barrierWait(all);
                        sys.lockAcquire(sys.lockOpen("l" + next));
                    }
                }
                return 0;
            } catch (SysError e) {
                return e.errno() == Errno.EDEADLK ? 35 : 1;
            }
        });
    }

    /** pid 1: spawns a ring of {@code n}, sleeps until {@code release}, then kills member 2 and waits for all. */
    private Program breaker(String program, int n, AtomicBoolean release, List<Integer> statuses) {
        return Program.of("init", "spawns a ring, then breaks it", (sys, args) -> {
            for (int i = 0; i < n; i++) {
                sys.spawn(program, Integer.toString(n));
            }
            while (!release.get()) {
                sys.sleep(2);
            }
            sys.kill(2);
            for (long pid = 2; pid < 2 + n; pid++) {
                statuses.add(sys.waitpid(pid));
            }
            return 0;
        });
    }

    private static List<Trace.Event> deadlocks(KernelHarness k) {
        return k.events("deadlock");
    }

    private static List<Long> longs(Object list) {
        List<Long> out = new ArrayList<>();
        for (Object o : (List<?>) list) {
            out.add(((Number) o).longValue());
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void aRingOfEachDefiniteKindIsReportedOnceAndAKillBreaksIt(int n) {
        for (Kind kind : List.of(Kind.RENDEZVOUS, Kind.RECEIVE, Kind.LOCK)) {
            AtomicBoolean release = new AtomicBoolean();
            List<Integer> statuses = new CopyOnWriteArrayList<>();
            try (KernelHarness k = KernelHarness.boot(member(kind), breaker("member", n, release, statuses))) {
                var init = k.start("init");
                await(kind + " ring reported").atMost(SOON).until(() -> !deadlocks(k).isEmpty());
                Trace.Event d = deadlocks(k).get(0);
                List<Long> ring = new ArrayList<>();
                List<String> waits = new ArrayList<>();
                for (long pid = 2; pid < 2 + n; pid++) {
                    ring.add(pid);
                    long next = 2 + (pid - 2 + 1) % n;
                    waits.add(pid + " member: " + kind.call.formatted(next));
                }
                assertEquals(ring, longs(d.get("members")), kind + ": " + d);
                assertEquals(waits, d.get("waits"), kind + ": " + d);
                assertEquals(false, d.get("whole_system"), "pid 1 still runs: " + d);
                release.set(true);
                assertEquals(0, (int) init.get(KernelHarness.HANG.toSeconds(), TimeUnit.SECONDS));
                assertEquals(-9, statuses.get(0), kind + ": the killed member");
                assertEquals(1, deadlocks(k).size(), kind + ": reported once: " + deadlocks(k));
            } catch (Exception e) {
                throw new AssertionError(kind + " ring of " + n, e);
            }
        }
    }

    /**
     * pid 2 calls pid 3; pid 3 takes the request and, instead of replying, calls pid 2: pid 2
     * waits for pid 3's answer (a definite wait for the server, issue 13) and pid 3's call waits
     * in pid 2's inbox. Reported in report mode; in refuse mode one of the two calls fails with
     * EDEADLK, and both end.
     */
    @ParameterizedTest
    @ValueSource(strings = {"report", "refuse"})
    void aCallWaitingForItsAnswerIsADefiniteWaitForTheServer(String mode) throws Exception {
        Program client = Program.of("client", "calls pid 3 once it exists", (sys, args) -> {
            sys.myreceive(1, new byte[1]); // init's go: pid 3 has been spawned
            try {
                sys.call(3, new byte[] {1}, new byte[8]);
                return 0;
            } catch (SysError e) {
                return e.errno() == Errno.EDEADLK ? 35 : 1;
            }
        });
        Program server = Program.of("server", "takes pid 2's call, then calls pid 2", (sys, args) -> {
            try {
                sys.myreceive(2, new byte[8]);
                sys.call(2, new byte[] {2}, new byte[8]);
                return 0;
            } catch (SysError e) {
                return e.errno() == Errno.EDEADLK ? 35 : 1;
            }
        });
        AtomicBoolean release = new AtomicBoolean();
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        Program init = Program.of("init", "spawns both, then waits for them", (sys, args) -> {
            sys.spawn("client");
            sys.spawn("server");
            sys.mysend(2, new byte[] {0});
            while (!release.get()) {
                sys.sleep(2);
            }
            if (mode.equals("report")) {
                sys.kill(2);
            }
            statuses.add(sys.waitpid(2));
            statuses.add(sys.waitpid(3));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(java.util.Map.of("kernel.deadlock", mode), client, server, init)) {
            var started = k.start("init");
            if (mode.equals("report")) {
                await("call cycle reported").atMost(SOON).until(() -> !deadlocks(k).isEmpty());
                assertEquals(List.of(2L, 3L), longs(deadlocks(k).get(0).get("members")));
            } else {
                await("call cycle refused").atMost(SOON).until(() -> !k.events("deadlock-refused").isEmpty());
                assertEquals(List.of(), deadlocks(k), "refused, so never formed");
            }
            release.set(true);
            assertEquals(0, (int) started.get(KernelHarness.HANG.toSeconds(), TimeUnit.SECONDS));
            if (mode.equals("refuse")) {
                assertEquals(true, statuses.contains(35), "one call refused: " + statuses);
            }
        }
    }

    /** Robin Hood and Little John wait for each other's end until the sheriff kills one: no deadlock. */
    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void aWaitpidRingIsNoDeadlockWhileAProcessOutsideCouldKillAMember(int n) throws Exception {
        AtomicBoolean release = new AtomicBoolean();
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        try (KernelHarness k = KernelHarness.boot(member(Kind.WAITPID), breaker("member", n, release, statuses))) {
            var init = k.start("init");
            await("the ring formed").atMost(SOON).until(() -> k.events("wait-begin").size() == n);
            release.set(true);
            assertEquals(0, (int) init.get(KernelHarness.HANG.toSeconds(), TimeUnit.SECONDS));
            assertEquals(-9, statuses.get(0));
            assertEquals(List.of(), deadlocks(k));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void aWaitpidRingIsADeadlockOnceNobodyOutsideIsLive(int n) throws Exception {
        Program init = Program.of("init", "spawns a ring and waits for it", (sys, args) -> {
            for (int i = 0; i < n; i++) {
                sys.spawn("member", Integer.toString(n));
            }
            return sys.waitpid(2);
        });
        try (KernelHarness k = KernelHarness.boot(member(Kind.WAITPID), init)) {
            var stuck = k.machine().deadlocked().toCompletableFuture();
            k.start("init");
            List<String> waits = new ArrayList<>(List.of("1 init: wait(2)"));
            for (long pid = 2; pid < 2 + n; pid++) {
                waits.add(pid + " member: wait(" + (2 + (pid - 2 + 1) % n) + ")");
            }
            assertEquals(waits, stuck.get(KernelHarness.HANG.toSeconds(), TimeUnit.SECONDS));
            Trace.Event d = deadlocks(k).get(deadlocks(k).size() - 1);
            assertEquals(waits, d.get("waits"));
            assertEquals(true, d.get("whole_system"));
        }
    }

    @Test
    void aMixedCycleOfLockWaitpidAndRendezvousIsReported() {
        Program a = Program.of("a", "holds the lock, waits for b", (sys, args) -> {
            sys.lockAcquire(sys.lockOpen("m"));
            sys.mysend(1, new byte[] {1});
            sys.myreceive(1, new byte[1]); // b exists
            return sys.waitpid(4);
        });
        Program b = Program.of("b", "rendezvous to c", (sys, args) -> {
            sys.mysend(3, new byte[] {1}, true);
            return 0;
        });
        Program c = Program.of("c", "wants the lock", (sys, args) -> sys.lockAcquire(sys.lockOpen("m")) ? 1 : 0);
        Program init = Program.of("init", "", (sys, args) -> {
            sys.spawn("a");
            sys.myreceive(2, new byte[1]); // a holds the lock
            sys.spawn("c");
            sys.spawn("b");
            sys.mysend(2, new byte[] {1});
            return sys.waitpid(2);
        });
        try (KernelHarness k = KernelHarness.boot(a, b, c, init)) {
            var stuck = k.machine().deadlocked().toCompletableFuture();
            k.start("init");
            List<String> waits = List.of("1 init: wait(2)", "2 a: wait(4)", "3 c: lock_acquire(m)", "4 b: mysend(3)");
            assertEquals(waits, stuck.get(KernelHarness.HANG.toSeconds(), TimeUnit.SECONDS));
            Trace.Event d = deadlocks(k).get(deadlocks(k).size() - 1);
            assertEquals(List.of(1L, 2L, 3L, 4L), longs(d.get("members")));
            assertEquals(waits, d.get("waits"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
