package org.mboxos.kernel;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mboxos.api.Sys.Open.CREATE;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mboxos.api.Errno;
import org.mboxos.api.ProcInfo;
import org.mboxos.api.Program;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;
import org.mboxos.kernel.trace.Trace;

/**
 * A kill in each state a process can block in: the victim ends at once with status
 * {@link Sys#KILLED}, never runs the code after its blocking call, and the other parties of
 * whatever it waited in go on as if it had never been there.
 *
 * <p>Every victim is killed only once {@code ps} shows it blocked in the call under test.
 */
class KillBlockedStatesTest {
    /** A sleep no test waits out. */
    private static final long LONG_SLEEP = 600_000;

    private final CheckedPrograms checked = new CheckedPrograms();
    /** "pid: what" lines written by code that runs after a blocking call returned. */
    private final List<String> after = new CopyOnWriteArrayList<>();

    // ---- helpers --------------------------------------------------------------------------

    private void ran(Sys sys, String what) {
        after.add(sys.getpid() + ": " + what);
    }

    private List<String> ranAfter(long pid) {
        return after.stream().filter(s -> s.startsWith(pid + ": ")).toList();
    }

    /** Kills {@code pid}: once kill returns it is gone from ps, and its status is KILLED. */
    private static void killAndReap(Sys sys, long pid) {
        sys.kill(pid);
        assertNull(Ps.row(sys, pid), "the victim is gone from ps once kill returns");
        assertEquals(Sys.KILLED, sys.waitpid(pid));
    }

    /** The kill event of {@code pid}: where it was blocked. */
    private static String killedIn(KernelHarness k, long pid) {
        return (String) k.events("kill").stream().filter(e -> e.pid() == pid).findFirst().orElseThrow()
                .get("blocked_in");
    }

    private static boolean any(KernelHarness k, String ev, long pid) {
        return k.events(ev).stream().anyMatch(e -> e.pid() == pid);
    }

    // ---- locks ------------------------------------------------------------------------------

    @Test
    void aKilledLockWaiterIsDroppedFromTheQueueAndTheNextWaiterGetsTheLock() {
        Map<Long, Boolean> acquired = new ConcurrentHashMap<>();
        Program waiter = checked.prog("waiter", (sys, args) -> {
            int lock = sys.lockOpen("l");
            acquired.put(sys.getpid(), sys.lockAcquire(lock));
            ran(sys, "acquired");
            sys.lockRelease(lock);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int lock = sys.lockOpen("l");
            sys.lockAcquire(lock);
            long victim = sys.spawn("waiter");
            Ps.awaitBlockedIn(sys, victim, "lock_acquire(l)");
            long survivor = sys.spawn("waiter");
            Ps.awaitBlockedIn(sys, survivor, "lock_acquire(l)");
            killAndReap(sys, victim); // first in line
            Ps.assertBlockedIn(sys, survivor, "lock_acquire(l)");
            sys.lockRelease(lock);
            assertEquals(0, sys.waitpid(survivor));
            assertFalse(sys.lockAcquire(lock), "the lock is free again, and its owner never died");
            sys.lockRelease(lock);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, waiter)) {
            checked.run(k);
            assertEquals(Map.of(3L, false), acquired, "only the survivor acquired, with no owner death");
            assertEquals(List.of(), ranAfter(2));
            assertEquals("lock_acquire(l)", killedIn(k, 2));
            assertEquals(List.of(1L, 3L, 1L), k.events("lock-acquire").stream().map(Trace.Event::pid).toList());
            assertTrue(k.events("lock-owner-died").isEmpty(), "a waiter's death is not an owner's death");
        }
    }

    @Test
    void killingTheLockOwnerPassesTheLockToTheNextWaiterWithOwnerDied() {
        List<Boolean> survivorSaw = new CopyOnWriteArrayList<>();
        Program owner = checked.prog("owner", (sys, args) -> {
            int lock = sys.lockOpen("l");
            sys.lockAcquire(lock);
            sys.sleep(LONG_SLEEP); // blocked while holding the lock
            ran(sys, "woke");
            sys.lockRelease(lock);
            return 0;
        });
        Program survivor = checked.prog("survivor", (sys, args) -> {
            int lock = sys.lockOpen("l");
            survivorSaw.add(sys.lockAcquire(lock)); // EOWNERDEAD: true
            sys.lockRelease(lock);
            survivorSaw.add(sys.lockAcquire(lock)); // a normal acquisition again
            sys.lockRelease(lock);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long o = sys.spawn("owner");
            Ps.awaitBlockedIn(sys, o, "sleep(" + LONG_SLEEP + " ms)");
            long s = sys.spawn("survivor");
            Ps.awaitBlockedIn(sys, s, "lock_acquire(l)");
            killAndReap(sys, o);
            assertEquals(0, sys.waitpid(s));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, owner, survivor)) {
            checked.run(k);
            assertEquals(List.of(true, false), survivorSaw);
            assertEquals(List.of(), ranAfter(2));
            Trace.Event died = k.events("lock-owner-died").get(0);
            assertEquals(2, died.pid());
            Trace.Event handedOver = k.events("lock-acquire").stream().filter(e -> e.pid() == 3).findFirst().orElseThrow();
            assertEquals(true, handedOver.get("owner_died"));
            assertTrue(died.seq() < handedOver.seq());
        }
    }

    @Test
    void aLockWhoseKilledOwnerHadNoWaitersTellsTheNextAcquirerThatItsOwnerDied() {
        List<Boolean> initSaw = new CopyOnWriteArrayList<>();
        Program owner = checked.prog("owner", (sys, args) -> {
            int lock = sys.lockOpen("l");
            sys.lockAcquire(lock);
            sys.sleep(LONG_SLEEP);
            ran(sys, "woke");
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int lock = sys.lockOpen("l"); // keeps the lock alive past the owner's death
            long o = sys.spawn("owner");
            Ps.awaitBlockedIn(sys, o, "sleep(" + LONG_SLEEP + " ms)");
            killAndReap(sys, o);
            initSaw.add(sys.lockAcquire(lock));
            sys.lockRelease(lock);
            initSaw.add(sys.lockAcquire(lock));
            sys.lockRelease(lock);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, owner)) {
            checked.run(k);
            assertEquals(List.of(true, false), initSaw);
            assertEquals(List.of(), ranAfter(2));
        }
    }

    // ---- semaphores -------------------------------------------------------------------------

    @Test
    void aKilledSemaphoreWaiterConsumesNoUnitAndTheNextUpGoesToTheNextWaiter() {
        Program downer = checked.prog("downer", (sys, args) -> {
            sys.semDown(sys.semOpen("s", 0));
            ran(sys, "passed");
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int sem = sys.semOpen("s", 0);
            long victim = sys.spawn("downer");
            Ps.awaitBlockedIn(sys, victim, "sem_down(s)");
            long survivor = sys.spawn("downer");
            Ps.awaitBlockedIn(sys, survivor, "sem_down(s)");
            killAndReap(sys, victim);
            Ps.assertBlockedIn(sys, survivor, "sem_down(s)");
            sys.semUp(sem);
            assertEquals(0, sys.waitpid(survivor));
            // the killed waiter is not owed anything either: the next up is stored for a newcomer
            long only = sys.spawn("downer");
            Ps.awaitBlockedIn(sys, only, "sem_down(s)");
            killAndReap(sys, only);
            sys.semUp(sem);
            sys.semDown(sem); // the unit was kept, so this does not block
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, downer)) {
            checked.run(k);
            assertEquals(List.of("3: passed"), after);
            assertEquals("sem_down(s)", killedIn(k, 2));
            assertEquals("sem_down(s)", killedIn(k, 4));
            List<Trace.Event> downs = k.events("sem-down");
            assertEquals(List.of(3L, 1L), downs.stream().map(Trace.Event::pid).toList());
            assertEquals(List.of(true, false), downs.stream().map(e -> e.get("waited")).toList());
            assertEquals(List.of(0L, 1L), k.events("sem-up").stream().map(e -> e.getLong("value")).toList(),
                    "the second up found no waiter and was stored");
        }
    }

    // ---- condition variables ----------------------------------------------------------------

    @Test
    void aKilledConditionWaiterIsDroppedSoTheSignalReachesTheNextWaiter() {
        Map<Long, Boolean> returned = new ConcurrentHashMap<>();
        Program waiter = checked.prog("waiter", (sys, args) -> {
            int lock = sys.lockOpen("l");
            int cond = sys.condOpen("c");
            sys.lockAcquire(lock);
            returned.put(sys.getpid(), sys.condWait(cond, lock));
            ran(sys, "woke");
            sys.lockRelease(lock);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int lock = sys.lockOpen("l");
            int cond = sys.condOpen("c");
            long victim = sys.spawn("waiter");
            Ps.awaitBlockedIn(sys, victim, "cond_wait(c, l)");
            long survivor = sys.spawn("waiter");
            Ps.awaitBlockedIn(sys, survivor, "cond_wait(c, l)");
            // holding the lock, we know both waiters are parked in the condition (the lock put them there)
            assertFalse(sys.lockAcquire(lock), "the waiters released the lock; nobody died owning it");
            killAndReap(sys, victim);
            Ps.assertBlockedIn(sys, survivor, "cond_wait(c, l)");
            sys.condSignal(cond); // the victim was first in line; the survivor must get this signal
            sys.lockRelease(lock);
            assertEquals(0, sys.waitpid(survivor));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, waiter)) {
            checked.run(k);
            assertEquals(Map.of(3L, false), returned);
            assertEquals(List.of("3: woke"), after);
            assertEquals("cond_wait(c, l)", killedIn(k, 2));
            assertEquals(1, k.events("cond-signal").get(0).getLong("woken"));
        }
    }

    // ---- barriers ---------------------------------------------------------------------------

    @Test
    void aKilledBarrierWaiterWithdrawsItsArrivalAndTheBarrierWorksForTheOthers() {
        Program member = checked.prog("member", (sys, args) -> {
            int barrier = sys.barrierOpen("b", 3);
            int rounds = Integer.parseInt(args.get(0));
            for (int r = 1; r <= rounds; r++) {
                sys.barrierWait(barrier);
                ran(sys, "passed " + r);
            }
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long a = sys.spawn("member", "2");
            Ps.awaitBlockedIn(sys, a, "barrier_wait(b)");
            long victim = sys.spawn("member", "2");
            Ps.awaitBlockedIn(sys, victim, "barrier_wait(b)");
            killAndReap(sys, victim);
            long b = sys.spawn("member", "2"); // the third arrival counts as the second
            Ps.awaitBlockedIn(sys, b, "barrier_wait(b)");
            Ps.assertBlockedIn(sys, a, "barrier_wait(b)");
            long c = sys.spawn("member", "2"); // a newcomer completes the round
            assertEquals(0, sys.waitpid(a));
            assertEquals(0, sys.waitpid(b));
            assertEquals(0, sys.waitpid(c));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, member)) {
            checked.run(k);
            assertEquals(List.of(), ranAfter(3));
            assertEquals("barrier_wait(b)", killedIn(k, 3));
            List<Trace.Event> arrives = k.events("barrier-arrive");
            assertEquals(List.of(2L, 3L, 4L, 5L), arrives.subList(0, 4).stream().map(Trace.Event::pid).toList());
            assertEquals(List.of(1L, 2L, 2L, 3L), arrives.subList(0, 4).stream().map(e -> e.getLong("arrived")).toList(),
                    "after the kill the next arrival is the second, not the third");
            List<Trace.Event> releases = k.events("barrier-release");
            assertEquals(List.of(1L, 2L), releases.stream().map(e -> e.getLong("round")).toList());
            assertEquals(5, releases.get(0).pid(), "the newcomer's arrival released round 1");
            assertTrue(arrives.get(2).seq() < releases.get(0).seq() && arrives.get(3).seq() < releases.get(0).seq());
            for (long pid : List.of(2L, 4L, 5L)) {
                assertEquals(List.of(pid + ": passed 1", pid + ": passed 2"), ranAfter(pid));
            }
        }
    }

    // ---- sleep and waitpid --------------------------------------------------------------------

    @Test
    void aKilledSleeperNeverWakesAndAnotherSleeperWakesOnTime() {
        Program sleeper = checked.prog("sleeper", (sys, args) -> {
            sys.sleep(Long.parseLong(args.get(0)));
            ran(sys, "woke");
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long victim = sys.spawn("sleeper", Long.toString(LONG_SLEEP));
            long other = sys.spawn("sleeper", "300");
            Ps.awaitBlockedIn(sys, victim, "sleep(" + LONG_SLEEP + " ms)");
            Ps.awaitBlockedIn(sys, other, "sleep(300 ms)");
            killAndReap(sys, victim);
            assertEquals(0, sys.waitpid(other));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, sleeper)) {
            checked.run(k);
            assertEquals(List.of("3: woke"), after);
            assertFalse(any(k, "wake", 2));
            Trace.Event sleep = k.events("sleep").stream().filter(e -> e.pid() == 3).findFirst().orElseThrow();
            Trace.Event wake = k.events("wake").stream().filter(e -> e.pid() == 3).findFirst().orElseThrow();
            long slept = TimeUnit.NANOSECONDS.toMillis(wake.t() - sleep.t());
            assertTrue(slept >= 299 && slept < 3_000, "asked for 300 ms, slept " + slept + " ms");
        }
    }

    @Test
    void aKilledWaitpidCallerLeavesTheAwaitedProcessAndItsOtherWaitersAlone() {
        Map<Long, Integer> statuses = new ConcurrentHashMap<>();
        Program target = checked.prog("target", (sys, args) -> {
            sys.mboxRecv(sys.mboxOpen("go"), 8); // ends when told
            return 7;
        });
        Program waiter = checked.prog("waiter", (sys, args) -> {
            statuses.put(sys.getpid(), sys.waitpid(Long.parseLong(args.get(0))));
            ran(sys, "waited");
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int go = sys.mboxOpen("go");
            long t = sys.spawn("target");
            long victim = sys.spawn("waiter", Long.toString(t));
            long other = sys.spawn("waiter", Long.toString(t));
            Ps.awaitBlockedIn(sys, victim, "wait(" + t + ")");
            Ps.awaitBlockedIn(sys, other, "wait(" + t + ")");
            killAndReap(sys, victim);
            Ps.assertBlockedIn(sys, t, "mbox_recv(go)");
            Ps.assertBlockedIn(sys, other, "wait(" + t + ")");
            sys.mboxSend(go, "go");
            assertEquals(0, sys.waitpid(other));
            assertEquals(7, sys.waitpid(t));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, target, waiter)) {
            checked.run(k);
            assertEquals(Map.of(4L, 7), statuses);
            assertEquals(List.of("4: waited"), after);
            assertEquals("wait(2)", killedIn(k, 3));
            assertTrue(k.events("wait-end").stream().noneMatch(e -> e.pid() == 3));
        }
    }

    // ---- mailboxes ----------------------------------------------------------------------------

    @Test
    void aSenderKilledOnAFullBoxNeverDeliversAndTheNextSenderGetsIn() {
        Program sender = checked.prog("sender", (sys, args) -> {
            sys.mboxSend(sys.mboxOpen("full"), args.get(0));
            ran(sys, "sent");
            return 0;
        });
        List<String> received = new CopyOnWriteArrayList<>();
        Program init = checked.prog("init", (sys, args) -> {
            int box = sys.mboxOpen("full", 1, CREATE);
            sys.mboxSend(box, "first");
            long victim = sys.spawn("sender", "from-victim");
            Ps.awaitBlockedIn(sys, victim, "mbox_send(full)");
            long survivor = sys.spawn("sender", "from-survivor");
            Ps.awaitBlockedIn(sys, survivor, "mbox_send(full)");
            killAndReap(sys, victim);
            received.add(sys.mboxRecv(box, Recv.upTo(32)).text()); // makes room: the survivor gets in
            assertEquals(0, sys.waitpid(survivor));
            received.add(sys.mboxRecv(box, Recv.upTo(32).noWait()).text());
            SysError empty = assertThrows(SysError.class,
                    () -> sys.mboxRecv(box, Recv.upTo(32).noWait()));
            assertEquals(Errno.EAGAIN, empty.errno(), "nothing of the victim's is left in the box");
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, sender)) {
            checked.run(k);
            assertEquals(List.of("first", "from-survivor"), received);
            assertEquals(List.of("3: sent"), after);
            assertEquals("mbox_send(full)", killedIn(k, 2));
            assertFalse(any(k, "send", 2), "the victim's message never entered the box");
        }
    }

    @Test
    void aReceiverKilledOnAnEmptyBoxLeavesTheMessageToTheNextReceiver() {
        Map<Long, String> got = new ConcurrentHashMap<>();
        Program receiver = checked.prog("receiver", (sys, args) -> {
            got.put(sys.getpid(), sys.mboxRecv(sys.mboxOpen("empty"), Recv.upTo(32)).text());
            ran(sys, "received");
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int box = sys.mboxOpen("empty");
            long victim = sys.spawn("receiver");
            Ps.awaitBlockedIn(sys, victim, "mbox_recv(empty)");
            long survivor = sys.spawn("receiver");
            Ps.awaitBlockedIn(sys, survivor, "mbox_recv(empty)");
            killAndReap(sys, victim);
            sys.mboxSend(box, "m");
            assertEquals(0, sys.waitpid(survivor));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, receiver)) {
            checked.run(k);
            assertEquals(Map.of(3L, "m"), got);
            assertEquals(List.of("3: received"), after);
            assertEquals("mbox_recv(empty)", killedIn(k, 2));
            assertFalse(any(k, "recv", 2));
        }
    }

    // ---- keyboard -----------------------------------------------------------------------------

    @Test
    void aKilledGetCharReaderLeavesTheNextKeyToTheNextReader() throws Exception {
        Map<Long, Integer> keys = new ConcurrentHashMap<>();
        Program reader = checked.prog("reader", (sys, args) -> {
            keys.put(sys.getpid(), sys.getChar());
            ran(sys, "read");
            return 0;
        });
        AtomicBoolean victimKilled = new AtomicBoolean();
        Program init = checked.prog("init", (sys, args) -> {
            long victim = sys.spawn("reader");
            Ps.awaitBlockedIn(sys, victim, "get_char");
            long survivor = sys.spawn("reader");
            Ps.awaitBlockedIn(sys, survivor, "get_char");
            killAndReap(sys, victim);
            Ps.assertBlockedIn(sys, survivor, "get_char");
            victimKilled.set(true); // now the test types a key
            assertEquals(0, sys.waitpid(survivor));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, reader)) {
            var status = k.start("init");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> victimKilled.get() || status.isDone());
            k.machine().press((byte) 'x');
            int initStatus = status.get(KernelHarness.HANG.toSeconds(), TimeUnit.SECONDS);
            checked.checkFailures();
            assertEquals(0, initStatus);
            assertEquals(Map.of(3L, (int) 'x'), keys);
            assertEquals(List.of("3: read"), after);
            assertEquals("get_char", killedIn(k, 2));
            assertFalse(any(k, "recv", 2));
        }
    }

    /** Several victims in different states at once: each kill touches only its own victim. */
    @Test
    void killsInDifferentStatesAtOnceLeaveEveryOtherProcessRunning() {
        Program blocker = checked.prog("blocker", (sys, args) -> {
            switch (args.get(0)) {
                case "lock" -> sys.lockAcquire(sys.lockOpen("held"));
                case "sem" -> sys.semDown(sys.semOpen("zero", 0));
                case "barrier" -> sys.barrierWait(sys.barrierOpen("big", 10));
                default -> sys.sleep(LONG_SLEEP);
            }
            ran(sys, args.get(0));
            return 0;
        });
        List<String> rows = new ArrayList<>();
        Program init = checked.prog("init", (sys, args) -> {
            int lock = sys.lockOpen("held");
            sys.lockAcquire(lock);
            Map<String, String> states = Map.of("lock", "lock_acquire(held)", "sem", "sem_down(zero)",
                    "barrier", "barrier_wait(big)", "sleep", "sleep(" + LONG_SLEEP + " ms)");
            Map<String, long[]> pids = new ConcurrentHashMap<>();
            for (String kind : List.of("lock", "sem", "barrier", "sleep")) {
                long v = sys.spawn("blocker", kind);
                long s = sys.spawn("blocker", kind);
                Ps.awaitBlockedIn(sys, v, states.get(kind));
                Ps.awaitBlockedIn(sys, s, states.get(kind));
                pids.put(kind, new long[] {v, s});
            }
            for (long[] pair : pids.values()) {
                killAndReap(sys, pair[0]);
            }
            for (String kind : pids.keySet()) {
                Ps.assertBlockedIn(sys, pids.get(kind)[1], states.get(kind)); // the survivors still wait
            }
            for (ProcInfo p : sys.ps()) {
                rows.add(p.pid() + " " + p.state());
            }
            for (long[] pair : pids.values()) {
                killAndReap(sys, pair[1]);
            }
            sys.lockRelease(lock);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, blocker)) {
            checked.run(k);
            assertEquals(List.of(), after, "no victim ran past its blocking call");
            assertEquals(5, rows.size(), "init and the four survivors: " + rows);
        }
    }

    // ---- a race between kill and the hop of a condition wait from its lock to its condition ----

    /**
     * condWait is two hops inside the kernel: the lock releases on the caller's behalf and then
     * parks it in the condition. A kill that lands between the hops must not leave the victim
     * queued anywhere. Victims are killed at varying moments around their condWait (spammers
     * keep the lock actor busy, widening the window); after each kill a signal must find
     * nobody, and the lock must stay free.
     */
    @Test
    void aProcessKilledAroundItsCondWaitLeavesNoGhostWaiter() {
        AtomicBoolean stop = new AtomicBoolean();
        Program spammer = checked.prog("spammer", (sys, args) -> {
            int lock = sys.lockOpen("l");
            while (!stop.get()) {
                try {
                    sys.lockRelease(lock); // EPERM each time: traffic for the lock actor
                } catch (SysError e) {
                    // expected
                }
            }
            return 0;
        });
        Program waiter = checked.prog("waiter", (sys, args) -> {
            int lock = sys.lockOpen("l");
            int cond = sys.condOpen("c");
            sys.lockAcquire(lock);
            sys.condWait(cond, lock);
            ran(sys, "woke");
            return 0;
        });
        Program acquirer = checked.prog("acquirer", (sys, args) -> {
            int lock = sys.lockOpen("l");
            sys.lockAcquire(lock);
            sys.lockRelease(lock);
            return 0;
        });
        AtomicReference<KernelHarness> harness = new AtomicReference<>();
        Program init = checked.prog("init", (sys, args) -> {
            int lock = sys.lockOpen("l");
            int cond = sys.condOpen("c");
            try {
                for (int i = 0; i < 16; i++) {
                    sys.spawn("spammer");
                }
                for (int i = 0; i < 300; i++) {
                    long victim = sys.spawn("waiter");
                    for (int j = 0; j < i % 40; j++) {
                        sys.getpid(); // kill at a different point of the victim's run each time
                    }
                    sys.kill(victim);
                    assertEquals(Sys.KILLED, sys.waitpid(victim));
                    sys.lockAcquire(lock);
                    sys.condSignal(cond);
                    sys.lockRelease(lock);
                    List<Trace.Event> signals = harness.get().events("cond-signal");
                    Trace.Event signal = signals.get(signals.size() - 1);
                    if (signal.getLong("woken") != 0) {
                        long a = sys.spawn("acquirer");
                        sys.sleep(500);
                        ProcInfo stuck = Ps.row(sys, a);
                        String lockOwner = harness.get().events("lock-acquire").stream()
                                .filter(e -> e.pid() == victim).map(Trace.Event::toString).toList().toString();
                        if (stuck != null) {
                            sys.kill(a);
                        }
                        throw new AssertionError("iteration " + i + ": the signal woke killed pid " + victim
                                + " (killed in '" + killedInNow(harness.get(), victim) + "'); it was then granted the lock: "
                                + lockOwner + "; a later acquirer " + (stuck == null ? "got it" : "is stuck: " + stuck));
                    }
                }
            } finally {
                stop.set(true);
            }
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, spammer, waiter, acquirer)) {
            harness.set(k);
            checked.run(k);
            assertTrue(after.isEmpty(), after.toString());
        }
    }

    private static String killedInNow(KernelHarness k, long pid) {
        return k.events("kill").stream().filter(e -> e.pid() == pid).map(e -> String.valueOf(e.get("blocked_in")))
                .findFirst().orElse("?");
    }
}
