package org.mboxos.kernel;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mboxos.api.Killed;
import org.mboxos.api.ProcInfo;
import org.mboxos.api.Program;
import org.mboxos.api.Sys;

/** kill: of sleepers, waiters, running processes and oneself; what it leaves behind. */
class KillTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A sleep no test waits out. */
    private static final long LONG_SLEEP = 60_000;
    /** How long kill may take; far below {@link #LONG_SLEEP}. */
    private static final long KILL_BOUND_MS = 5_000;

    /**
     * What happened to one victim's thread: whether code after the blocking call ran, what
     * unwound it, and a latch released when the thread has left main.
     */
    static final class Fate {
        final AtomicBoolean after = new AtomicBoolean();
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final CountDownLatch ended = new CountDownLatch(1);

        Program.Main around(Program.Main body) {
            return (sys, args) -> {
                try {
                    int status = body.main(sys, args);
                    after.set(true);
                    return status;
                } catch (Throwable t) {
                    thrown.set(t);
                    throw t;
                } finally {
                    ended.countDown();
                }
            };
        }

        void awaitEnded() throws InterruptedException {
            assertTrue(ended.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the victim's thread never left main");
        }
    }

    private static void assertInitOk(KernelHarness k, int status) {
        assertEquals(0, status, () -> "pid 1 failed; crashes: " + k.events("crash"));
    }

    @Test
    void killWhileSleepingEndsTheSleeperAtOnce() throws Exception {
        Fate fate = new Fate();
        Program sleeper = Program.of("sleeper", "", fate.around((sys, args) -> {
            sys.sleep(LONG_SLEEP);
            return 0;
        }));
        AtomicLong victim = new AtomicLong();
        AtomicLong killMillis = new AtomicLong(-1);
        AtomicLong status = new AtomicLong();
        AtomicBoolean goneFromPs = new AtomicBoolean();
        Program init = Program.of("init", "", (sys, args) -> {
            long pid = sys.spawn("sleeper");
            victim.set(pid);
            Ps.awaitBlockedInPrefix(sys, pid, "sleep");
            long t0 = System.nanoTime();
            sys.kill(pid);
            killMillis.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            goneFromPs.set(!Ps.inPs(sys, pid));
            status.set(sys.waitpid(pid));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, sleeper)) {
            assertInitOk(k, k.run("init"));
            assertTrue(killMillis.get() >= 0 && killMillis.get() < KILL_BOUND_MS, "kill took " + killMillis + " ms");
            assertTrue(goneFromPs.get(), "once kill returns the victim is not in ps");
            assertEquals(Sys.KILLED, status.get());
            fate.awaitEnded();
            assertFalse(fate.after.get(), "code after the sleep ran");
            assertInstanceOf(Killed.class, fate.thrown.get());

            var kill = k.events("kill").stream().filter(e -> e.pid() == victim.get()).findFirst().orElseThrow();
            assertEquals(1, kill.getLong("killer"));
            assertTrue(String.valueOf(kill.get("blocked_in")).startsWith("sleep"), kill.toString());
            var exit = k.events("exit").stream().filter(e -> e.pid() == victim.get()).findFirst().orElseThrow();
            assertEquals(Sys.KILLED, exit.getLong("status"));
            assertEquals("killed", exit.get("how"));
            assertTrue(k.events("wake").stream().noneMatch(e -> e.pid() == victim.get()), "a killed sleeper never wakes");
        }
    }

    @Test
    void killWhileWaitingEndsTheWaiterAndLeavesWhatItWaitedFor() throws Exception {
        Fate fate = new Fate();
        Program sleeper = Program.of("sleeper", "", (sys, args) -> {
            sys.sleep(LONG_SLEEP);
            return 0;
        });
        Program waiter = Program.of("waiter", "", fate.around((sys, args) ->
                sys.waitpid(Long.parseLong(args.get(0)))));
        AtomicLong victim = new AtomicLong();
        AtomicLong status = new AtomicLong();
        AtomicBoolean victimGone = new AtomicBoolean();
        AtomicBoolean sleeperStillThere = new AtomicBoolean();
        AtomicLong sleeperStatus = new AtomicLong();
        Program init = Program.of("init", "", (sys, args) -> {
            long s = sys.spawn("sleeper");
            long w = sys.spawn("waiter", Long.toString(s));
            victim.set(w);
            Ps.awaitBlockedInPrefix(sys, w, "wait(" + s + ")");
            sys.kill(w);
            List<ProcInfo> rows = sys.ps();
            victimGone.set(rows.stream().noneMatch(p -> p.pid() == w));
            sleeperStillThere.set(rows.stream().anyMatch(p -> p.pid() == s));
            status.set(sys.waitpid(w));
            sys.kill(s); // clean up; this also ends the wait the victim had
            sleeperStatus.set(sys.waitpid(s));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, sleeper, waiter)) {
            assertInitOk(k, k.run("init"));
            assertTrue(victimGone.get(), "killed waiter still in ps");
            assertTrue(sleeperStillThere.get(), "killing a waiter must not touch the process it waited for");
            assertEquals(Sys.KILLED, status.get());
            assertEquals(Sys.KILLED, sleeperStatus.get());
            fate.awaitEnded();
            assertFalse(fate.after.get(), "waitpid returned in the killed waiter");
            assertInstanceOf(Killed.class, fate.thrown.get());
            var kill = k.events("kill").stream().filter(e -> e.pid() == victim.get()).findFirst().orElseThrow();
            assertTrue(String.valueOf(kill.get("blocked_in")).startsWith("wait"), kill.toString());
            assertTrue(k.events("wait-end").stream().noneMatch(e -> e.pid() == victim.get()),
                    "the killed waiter's wait must be withdrawn, not completed: " + k.events("wait-end"));
        }
    }

    @Test
    void killWhileRunningEndsTheProcessAtItsNextSystemCall() throws Exception {
        Fate fate = new Fate();
        CountDownLatch looping = new CountDownLatch(1);
        AtomicBoolean release = new AtomicBoolean();
        Program spinner = Program.of("spinner", "", fate.around((sys, args) -> {
            looping.countDown();
            while (!release.get()) {
                Thread.yield(); // a CPU loop: no system call
            }
            sys.println("spinner escaped");
            return 0;
        }));
        AtomicReference<ProcInfo> before = new AtomicReference<>();
        AtomicBoolean goneFromPs = new AtomicBoolean();
        AtomicLong status = new AtomicLong();
        AtomicLong victim = new AtomicLong();
        Program init = Program.of("init", "", (sys, args) -> {
            long pid = sys.spawn("spinner");
            victim.set(pid);
            if (!looping.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                return 90;
            }
            before.set(sys.ps().stream().filter(p -> p.pid() == pid).findFirst().orElse(null));
            sys.kill(pid);
            goneFromPs.set(!Ps.inPs(sys, pid));
            status.set(sys.waitpid(pid));
            release.set(true); // now let it reach its next system call
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, spinner)) {
            assertInitOk(k, k.run("init"));
            assertEquals("running", before.get().state(), "before the kill it runs, in no call: " + before.get());
            assertTrue(goneFromPs.get(), "a running victim leaves ps as soon as kill returns");
            assertEquals(Sys.KILLED, status.get());
            fate.awaitEnded();
            assertInstanceOf(Killed.class, fate.thrown.get(), "the next system call throws Killed");
            assertFalse(k.screen().contains("spinner escaped"), k.screen());
            var kill = k.events("kill").stream().filter(e -> e.pid() == victim.get()).findFirst().orElseThrow();
            assertEquals("", kill.get("blocked_in"));
            assertTrue(k.events("print").stream().noneMatch(e -> e.pid() == victim.get()));
        }
    }

    @Test
    void otherSleepersWakeOnScheduleAfterOneSleeperIsKilled() {
        Program sleeper = Program.of("sleeper", "", (sys, args) -> {
            long ms = Long.parseLong(args.get(0));
            sys.sleep(ms);
            sys.println("woke after " + ms);
            return 0;
        });
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        Map<String, Long> pids = new ConcurrentHashMap<>();
        Program init = Program.of("init", "", (sys, args) -> {
            long a = sys.spawn("sleeper", "300");
            long victim = sys.spawn("sleeper", Long.toString(LONG_SLEEP));
            long b = sys.spawn("sleeper", "500");
            pids.put("a", a);
            pids.put("victim", victim);
            pids.put("b", b);
            Ps.awaitBlockedInPrefix(sys, victim, "sleep");
            Ps.awaitBlockedInPrefix(sys, a, "sleep");
            Ps.awaitBlockedInPrefix(sys, b, "sleep");
            sys.kill(victim);
            statuses.add(sys.waitpid(a));
            statuses.add(sys.waitpid(b));
            statuses.add(sys.waitpid(victim));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, sleeper)) {
            assertInitOk(k, k.run("init"));
            assertEquals(List.of(0, 0, Sys.KILLED), statuses);
            // the console writes asynchronously: wait for the lines rather than read the screen at once
            CheckedPrograms.soon().until(() -> k.screen().contains("woke after 300")
                    && k.screen().contains("woke after 500"));
            assertFalse(k.screen().contains("woke after " + LONG_SLEEP), k.screen());
            for (String who : List.of("a", "b")) {
                long pid = pids.get(who);
                var sleep = k.events("sleep").stream().filter(e -> e.pid() == pid).findFirst().orElseThrow();
                var wake = k.events("wake").stream().filter(e -> e.pid() == pid).findFirst().orElseThrow();
                long sleptMs = TimeUnit.NANOSECONDS.toMillis(wake.t() - sleep.t());
                long asked = sleep.getLong("ms");
                assertTrue(sleptMs >= asked - 1 && sleptMs < asked + 3_000,
                        who + " asked for " + asked + " ms and slept " + sleptMs + " ms");
            }
        }
    }

    @Test
    void aKillWakesEveryWaiterOfTheVictim() {
        Program sleeper = Program.of("sleeper", "", (sys, args) -> {
            sys.sleep(LONG_SLEEP);
            return 0;
        });
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Program waiter = Program.of("waiter", "", (sys, args) -> {
            seen.add(sys.waitpid(Long.parseLong(args.get(0))));
            return 0;
        });
        List<Integer> waiterStatuses = new CopyOnWriteArrayList<>();
        AtomicLong victim = new AtomicLong();
        Program init = Program.of("init", "", (sys, args) -> {
            long v = sys.spawn("sleeper");
            victim.set(v);
            List<Long> waiters = List.of(sys.spawn("waiter", Long.toString(v)),
                    sys.spawn("waiter", Long.toString(v)), sys.spawn("waiter", Long.toString(v)));
            for (long w : waiters) {
                Ps.awaitBlockedInPrefix(sys, w, "wait(" + v + ")");
            }
            sys.kill(v);
            for (long w : waiters) {
                waiterStatuses.add(sys.waitpid(w));
            }
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, sleeper, waiter)) {
            assertInitOk(k, k.run("init"));
            assertEquals(List.of(Sys.KILLED, Sys.KILLED, Sys.KILLED), seen, "every waiter gets the victim's status");
            assertEquals(List.of(0, 0, 0), waiterStatuses);
            long ended = k.events("wait-end").stream()
                    .filter(e -> e.getLong("waited_for") == victim.get() && e.getLong("status") == Sys.KILLED)
                    .count();
            assertEquals(3, ended, k.events("wait-end").toString());
        }
    }

    @Test
    void catchExceptionCannotSwallowKilled() throws Exception {
        Fate fate = new Fate();
        AtomicReference<Exception> swallowed = new AtomicReference<>();
        Program stubborn = Program.of("stubborn", "", fate.around((sys, args) -> {
            try {
                sys.sleep(LONG_SLEEP);
            } catch (Exception e) {
                swallowed.set(e);
            }
            sys.println("stubborn carried on");
            return 0;
        }));
        AtomicLong status = new AtomicLong();
        Program init = Program.of("init", "", (sys, args) -> {
            long pid = sys.spawn("stubborn");
            Ps.awaitBlockedInPrefix(sys, pid, "sleep");
            sys.kill(pid);
            status.set(sys.waitpid(pid));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, stubborn)) {
            assertInitOk(k, k.run("init"));
            assertEquals(Sys.KILLED, status.get());
            fate.awaitEnded();
            assertEquals(null, swallowed.get(), "catch (Exception) caught the kill");
            assertInstanceOf(Killed.class, fate.thrown.get());
            assertFalse(fate.after.get());
            assertFalse(k.screen().contains("stubborn carried on"), k.screen());
        }
    }

    @Test
    void killOfSelfEndsTheCallerWithKilled() throws Exception {
        Fate fate = new Fate();
        AtomicLong self = new AtomicLong();
        Program suicidal = Program.of("suicidal", "", fate.around((sys, args) -> {
            self.set(sys.getpid());
            sys.kill(sys.getpid());
            sys.println("survived my own kill");
            return 0;
        }));
        AtomicLong status = new AtomicLong();
        AtomicBoolean gone = new AtomicBoolean();
        Program init = Program.of("init", "", (sys, args) -> {
            long pid = sys.spawn("suicidal");
            status.set(sys.waitpid(pid));
            gone.set(!Ps.inPs(sys, pid));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, suicidal)) {
            assertInitOk(k, k.run("init"));
            assertEquals(Sys.KILLED, status.get());
            assertTrue(gone.get());
            fate.awaitEnded();
            assertInstanceOf(Killed.class, fate.thrown.get());
            assertFalse(k.screen().contains("survived"), k.screen());
            var kill = k.events("kill").stream().filter(e -> e.pid() == self.get()).findFirst().orElseThrow();
            assertEquals(self.get(), kill.getLong("killer"));
        }
    }

    @Test
    void initKillingItselfEndsTheRunWithKilled() {
        Program init = Program.of("init", "", (sys, args) -> {
            sys.kill(1);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            assertEquals(Sys.KILLED, k.run("init"));
        }
    }

    @Test
    void killingInitFromAChildEndsTheRunWithKilled() {
        Program child = Program.of("child", "", (sys, args) -> {
            Ps.awaitBlockedInPrefix(sys, 1, "wait");
            sys.kill(1);
            return 0;
        });
        Program init = Program.of("init", "", (sys, args) -> {
            sys.waitpid(sys.spawn("child"));
            sys.println("init survived");
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, child)) {
            assertEquals(Sys.KILLED, k.run("init"));
            assertFalse(k.screen().contains("init survived"));
            var kill = k.events("kill").stream().filter(e -> e.pid() == 1).findFirst().orElseThrow();
            assertEquals(2, kill.getLong("killer"));
            assertTrue(String.valueOf(kill.get("blocked_in")).startsWith("wait"), kill.toString());
        }
    }

    @Test
    void twoKillersOfTheSameVictimBothReturnAndTheVictimEndsOnce() {
        Program sleeper = Program.of("sleeper", "", (sys, args) -> {
            sys.sleep(LONG_SLEEP);
            return 0;
        });
        List<String> killerResults = new CopyOnWriteArrayList<>();
        Program killer = Program.of("killer", "", (sys, args) -> {
            long v = Long.parseLong(args.get(0));
            try {
                sys.kill(v);
                killerResults.add("ok");
            } catch (org.mboxos.api.SysError e) {
                killerResults.add(e.errno().name()); // the other killer may have finished first
            }
            return 0;
        });
        AtomicLong victim = new AtomicLong();
        AtomicBoolean gone = new AtomicBoolean();
        AtomicLong status = new AtomicLong();
        Program init = Program.of("init", "", (sys, args) -> {
            long v = sys.spawn("sleeper");
            victim.set(v);
            Ps.awaitBlockedInPrefix(sys, v, "sleep");
            long k1 = sys.spawn("killer", Long.toString(v));
            long k2 = sys.spawn("killer", Long.toString(v));
            sys.waitpid(k1);
            sys.waitpid(k2);
            gone.set(!Ps.inPs(sys, v));
            status.set(sys.waitpid(v));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, sleeper, killer)) {
            assertInitOk(k, k.run("init"));
            assertEquals(2, killerResults.size(), killerResults.toString());
            assertTrue(killerResults.stream().allMatch(r -> r.equals("ok") || r.equals("ESRCH")), killerResults.toString());
            assertTrue(killerResults.contains("ok"), killerResults.toString());
            assertTrue(gone.get());
            assertEquals(Sys.KILLED, status.get());
            assertEquals(1, k.events("exit").stream().filter(e -> e.pid() == victim.get()).count());
        }
    }

    /**
     * A process killed while it runs user code ends killed at once; when its main throws after
     * that, it is not a crash: nothing of it is traced after its exit (chaos found a crash event
     * after the exit once, when the thread traced it itself).
     */
    @Test
    void aProcessKilledBeforeItsMainThrowsEndsKilledWithoutACrash() throws Exception {
        AtomicBoolean go = new AtomicBoolean();
        AtomicReference<Thread> thread = new AtomicReference<>();
        Program spinner = Program.of("spinner", "spins in user code, then throws", (sys, args) -> {
            thread.set(Thread.currentThread());
            while (!go.get()) {
                Thread.onSpinWait();
            }
            throw new IllegalStateException("thrown after the kill");
        });
        AtomicLong victim = new AtomicLong();
        AtomicLong status = new AtomicLong();
        Program init = Program.of("init", "", (sys, args) -> {
            victim.set(sys.spawn("spinner"));
            while (thread.get() == null) {
                sys.sleep(1);
            }
            sys.kill(victim.get());
            status.set(sys.waitpid(victim.get()));
            go.set(true);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, spinner)) {
            assertInitOk(k, k.run("init"));
            assertTrue(thread.get().join(WAIT), "the spinner's thread never ended");
            assertEquals(Sys.KILLED, status.get());
            assertEquals(List.of(), k.events("crash"));
            assertEquals(1, k.events("exit").stream().filter(e -> e.pid() == victim.get()).count());
        }
    }
}
