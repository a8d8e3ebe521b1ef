package org.mboxos.kernel;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mboxos.api.Errno;
import org.mboxos.api.Program;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;

/** spawn, exit, waitpid, crashes and process-table slots. */
class ProcessLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A child that ends at once with status 0. */
    private static final Program TRUE = Program.of("true", "exits 0", (sys, args) -> 0);

    /** A child that ends with the status given as its first argument. */
    private static final Program STATUS = Program.of("status", "exits with args[0]",
            (sys, args) -> Integer.parseInt(args.get(0)));

    /** Runs {@code body} as pid 1; a failure inside it is rethrown here with its own message. */
    private static void runInit(KernelHarness k, String name) {
        int status = k.run(name);
        assertEquals(0, status, () -> "pid 1 did not end with 0; crashes: " + k.events("crash"));
    }

    @Test
    void getpidOfInitIsOneAndOfAChildIsWhatSpawnReturned() {
        AtomicLong initPid = new AtomicLong();
        AtomicLong childSaw = new AtomicLong();
        AtomicLong spawnSaid = new AtomicLong();
        Program child = Program.of("child", "", (sys, args) -> {
            childSaw.set(sys.getpid());
            return 0;
        });
        Program init = Program.of("init", "", (sys, args) -> {
            initPid.set(sys.getpid());
            long pid = sys.spawn("child");
            spawnSaid.set(pid);
            return sys.waitpid(pid);
        });
        try (KernelHarness k = KernelHarness.boot(init, child)) {
            runInit(k, "init");
            assertEquals(1, initPid.get());
            assertTrue(spawnSaid.get() > 1, "child pid " + spawnSaid.get());
            assertEquals(spawnSaid.get(), childSaw.get(), "getpid in the child is the pid spawn returned");
        }
    }

    @Test
    void spawnReturnsDistinctPids() {
        List<Long> pids = new CopyOnWriteArrayList<>();
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        Program init = Program.of("init", "", (sys, args) -> {
            for (int i = 0; i < 5; i++) {
                pids.add(sys.spawn("true"));
            }
            for (long pid : pids) {
                statuses.add(sys.waitpid(pid));
            }
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, TRUE)) {
            runInit(k, "init");
            assertEquals(5, new HashSet<>(pids).size(), "pids " + pids);
            assertFalse(pids.contains(1L), "no child gets init's pid: " + pids);
            assertEquals(List.of(0, 0, 0, 0, 0), statuses);
        }
    }

    @Test
    void spawnOfAnUnknownProgramFailsWithEnoentAndTheCallerGoesOn() {
        AtomicReference<SysError> error = new AtomicReference<>();
        AtomicLong after = new AtomicLong();
        Program init = Program.of("init", "", (sys, args) -> {
            try {
                sys.spawn("no-such-program");
            } catch (SysError e) {
                error.set(e);
            }
            long pid = sys.spawn("true");
            after.set(pid);
            return sys.waitpid(pid);
        });
        try (KernelHarness k = KernelHarness.boot(init, TRUE)) {
            runInit(k, "init");
            assertNotNull(error.get(), "spawn of an unknown program must fail");
            assertEquals(Errno.ENOENT, error.get().errno());
            assertEquals(-1, error.get().errno().seedCode());
            assertTrue(after.get() > 1, "a later spawn works");
            assertTrue(k.events("spawn").stream().noneMatch(e -> "no-such-program".equals(e.get("program"))),
                    "no spawn event for the failed spawn");
        }
    }

    @Test
    void spawnBeyondTheProcessTableFailsWithEagainUntilAChildExits() {
        CountDownLatch release = new CountDownLatch(1);
        Program blocker = Program.of("blocker", "", (sys, args) -> {
            if (!release.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                return 99;
            }
            return 0;
        });
        AtomicReference<SysError> full = new AtomicReference<>();
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        AtomicLong afterwards = new AtomicLong();
        AtomicReference<SysError> fullAgain = new AtomicReference<>();
        Program init = Program.of("init", "", (sys, args) -> {
            List<Long> children = new ArrayList<>();
            for (int i = 0; i < 3; i++) { // init + 3 = kernel.num-pcbs
                children.add(sys.spawn("blocker"));
            }
            try {
                sys.spawn("true");
            } catch (SysError e) {
                full.set(e);
            }
            try {
                sys.spawn("blocker"); // still full: a failed spawn must not take a slot or free one
            } catch (SysError e) {
                fullAgain.set(e);
            }
            release.countDown();
            for (long c : children) {
                statuses.add(sys.waitpid(c));
            }
            long pid = sys.spawn("true");
            afterwards.set(pid);
            return sys.waitpid(pid);
        });
        try (KernelHarness k = KernelHarness.boot(Map.of("kernel.num-pcbs", 4), init, blocker, TRUE)) {
            runInit(k, "init");
            assertNotNull(full.get(), "the fifth process must not start");
            assertEquals(Errno.EAGAIN, full.get().errno());
            assertEquals(-2, full.get().errno().seedCode());
            assertNotNull(fullAgain.get());
            assertEquals(Errno.EAGAIN, fullAgain.get().errno());
            assertEquals(List.of(0, 0, 0), statuses);
            assertTrue(afterwards.get() > 4, "spawn works again once children exited: " + afterwards.get());
        }
    }

    @Test
    void exitStatusReachesWaitpid() {
        AtomicBoolean afterExit = new AtomicBoolean();
        Program exits = Program.of("exits", "", (sys, args) -> {
            try {
                sys.exit(42);
            } catch (Exception e) {
                // exit must not be swallowable by user code
            }
            afterExit.set(true);
            return 7;
        });
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        Program init = Program.of("init", "", (sys, args) -> {
            statuses.add(sys.waitpid(sys.spawn("exits")));
            statuses.add(sys.waitpid(sys.spawn("status", "17")));
            statuses.add(sys.waitpid(sys.spawn("status", "0")));
            statuses.add(sys.waitpid(sys.spawn("status", "-3")));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, exits, STATUS)) {
            runInit(k, "init");
            assertEquals(List.of(42, 17, 0, -3), statuses);
            assertFalse(afterExit.get(), "code after exit() ran");
        }
    }

    @Test
    void initsExitStatusIsTheRunsStatus() {
        Program init = Program.of("init", "", (sys, args) -> {
            sys.exit(5);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            assertEquals(5, k.run("init"));
        }
    }

    @Test
    void waitpidOnAnAlreadyEndedProcessReturnsItsStatus() throws Exception {
        CountDownLatch childGone = new CountDownLatch(1);
        AtomicLong childPid = new AtomicLong();
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        Program init = Program.of("init", "", (sys, args) -> {
            long pid = sys.spawn("status", "23");
            childPid.set(pid);
            if (!childGone.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                return 98;
            }
            statuses.add(sys.waitpid(pid));
            statuses.add(sys.waitpid(pid)); // and again: the status is remembered, not consumed
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, STATUS)) {
            var run = k.start("init");
            CheckedPrograms.soon().until(() -> childPid.get() > 0
                    && k.events("exit").stream().anyMatch(e -> e.pid() == childPid.get()));
            childGone.countDown();
            assertEquals(0, run.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(List.of(23, 23), statuses);
        }
    }

    @Test
    void aProgramThatThrowsEndsCrashedAndTheKernelGoesOn() {
        Program thrower = Program.of("thrower", "", (sys, args) -> {
            throw new IllegalStateException("boom in user code");
        });
        Program checked = Program.of("checked", "", (sys, args) -> {
            throw new java.io.IOException("checked boom");
        });
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        List<Long> pids = new CopyOnWriteArrayList<>();
        Program init = Program.of("init", "", (sys, args) -> {
            long a = sys.spawn("thrower");
            long b = sys.spawn("checked");
            pids.add(a);
            pids.add(b);
            statuses.add(sys.waitpid(a));
            statuses.add(sys.waitpid(b));
            statuses.add(sys.waitpid(sys.spawn("status", "11")));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, thrower, checked, STATUS)) {
            runInit(k, "init");
            assertEquals(List.of(Sys.CRASHED, Sys.CRASHED, 11), statuses);
            var crashes = k.events("crash");
            assertTrue(crashes.stream().anyMatch(e -> e.pid() == pids.get(0)
                    && String.valueOf(e.get("error")).contains("boom in user code")), crashes.toString());
            assertTrue(crashes.stream().anyMatch(e -> e.pid() == pids.get(1)
                    && String.valueOf(e.get("error")).contains("checked boom")), crashes.toString());
            assertTrue(k.events("exit").stream().anyMatch(e -> e.pid() == pids.get(0)
                    && e.getLong("status") == Sys.CRASHED), "exit event with CRASHED status");
        }
    }

    @Test
    void initThatThrowsEndsTheRunWithCrashed() {
        Program init = Program.of("init", "", (sys, args) -> {
            throw new ArithmeticException("init fell over");
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            assertEquals(Sys.CRASHED, k.run("init"));
            assertEquals(1, k.events("crash").size());
        }
    }

    @Test
    void bootingAnUnknownProgramFailsWithEnoent() {
        try (KernelHarness k = KernelHarness.boot(TRUE)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> k.start("missing").get(WAIT.toSeconds(), TimeUnit.SECONDS));
            SysError error = assertInstanceOf(SysError.class, e.getCause());
            assertEquals(Errno.ENOENT, error.errno());
        }
    }

    @Test
    void slotsAreReusedAfterTenTimesNumPcbsSpawnExitCycles() {
        int numPcbs = 4;
        List<Long> pids = new CopyOnWriteArrayList<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Program init = Program.of("init", "", (sys, args) -> {
            for (int i = 0; i < 10 * numPcbs; i++) {
                try {
                    long pid = sys.spawn("status", Integer.toString(i));
                    pids.add(pid);
                    int status = sys.waitpid(pid);
                    if (status != i) {
                        failures.add("cycle " + i + ": status " + status);
                    }
                } catch (SysError e) {
                    failures.add("cycle " + i + ": " + e.getMessage());
                }
            }
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(Map.of("kernel.num-pcbs", numPcbs), init, STATUS)) {
            runInit(k, "init");
            assertTrue(failures.isEmpty(), failures.toString());
            assertEquals(40, pids.size());
            assertEquals(40, new HashSet<>(pids).size(), "pids are never reused: " + pids);
        }
    }

    @Test
    void traceHasSpawnAndExitEvents() {
        AtomicLong child = new AtomicLong();
        Program init = Program.of("init", "", (sys, args) -> {
            long pid = sys.spawn("status", "31");
            child.set(pid);
            return sys.waitpid(pid) == 31 ? 0 : 1;
        });
        try (KernelHarness k = KernelHarness.boot(init, STATUS)) {
            runInit(k, "init");
            var spawns = k.events("spawn");
            var boot = spawns.stream().filter(e -> e.getLong("child") == 1).findFirst();
            assertTrue(boot.isPresent(), spawns.toString());
            assertEquals("init", boot.get().get("program"));
            assertEquals(0, boot.get().pid(), "init is spawned by the kernel (pid 0)");

            var spawn = spawns.stream().filter(e -> e.getLong("child") == child.get()).findFirst();
            assertTrue(spawn.isPresent(), spawns.toString());
            assertEquals(1, spawn.get().pid(), "the spawn event is the parent's");
            assertEquals("status", spawn.get().get("program"));
            assertEquals(List.of("31"), spawn.get().get("args"));

            var exits = k.events("exit");
            var childExit = exits.stream().filter(e -> e.pid() == child.get()).findFirst();
            assertTrue(childExit.isPresent(), exits.toString());
            assertEquals(31, childExit.get().getLong("status"));
            assertEquals("exit", childExit.get().get("how"));
            var initExit = exits.stream().filter(e -> e.pid() == 1).findFirst();
            assertTrue(initExit.isPresent(), exits.toString());
            assertEquals(0, initExit.get().getLong("status"));
            assertTrue(spawn.get().seq() < childExit.get().seq(), "spawn is traced before exit");
        }
    }

    @Test
    void traceSeqIsStrictlyIncreasing() {
        Program init = Program.of("init", "", (sys, args) -> {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                pids.add(sys.spawn("status", "1"));
            }
            for (long p : pids) {
                sys.waitpid(p);
            }
            sys.println("done");
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, STATUS)) {
            runInit(k, "init");
            var events = k.events();
            assertTrue(events.size() > 10, "a run traces spawns, exits, waits: " + events.size());
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < events.size(); i++) {
                assertTrue(seen.add(events.get(i).seq()), "duplicate seq " + events.get(i));
                if (i > 0) {
                    assertTrue(events.get(i - 1).seq() < events.get(i).seq(),
                            "seq not increasing: " + events.get(i - 1) + " then " + events.get(i));
                    assertTrue(events.get(i - 1).t() <= events.get(i).t(), "t goes backwards at " + events.get(i));
                }
            }
            assertNull(events.stream().filter(e -> e.seq() <= 0).findAny().orElse(null), "seq starts at 1");
        }
    }

}
