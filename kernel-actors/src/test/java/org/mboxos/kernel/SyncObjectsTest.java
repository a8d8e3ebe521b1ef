package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mboxos.api.Sys.Open.CREATE;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.mboxos.api.Errno;
import org.mboxos.api.ProcInfo;
import org.mboxos.api.Program;
import org.mboxos.api.Recv;
import org.mboxos.api.SysError;
import org.mboxos.kernel.trace.Trace;

/**
 * Locks, semaphores, condition variables and barriers: what each guarantees to the processes
 * that share it (mutual exclusion, FIFO hand-off, counting, Mesa signalling, rounds), and every
 * misuse failing with its errno while the caller goes on working.
 *
 * <p>Processes run in parallel (the default scheduler), so contention is real. A process is
 * known to wait in an object only once {@code ps} shows it blocked there.
 */
class SyncObjectsTest {
    private final CheckedPrograms checked = new CheckedPrograms();

    private static Errno errnoOf(Executable call) {
        return assertThrows(SysError.class, call).errno();
    }

    /** The events of kind {@code ev} that satisfy {@code which}. */
    private static List<Trace.Event> named(KernelHarness k, String ev, Predicate<Trace.Event> which) {
        return k.events(ev).stream().filter(which).toList();
    }

    /** lock-acquire and lock-release events of the lock named {@code name}, in trace order. */
    private static List<Trace.Event> lockHistory(KernelHarness k, String name) {
        return k.events().stream()
                .filter(e -> (e.ev().equals("lock-acquire") || e.ev().equals("lock-release")) && name.equals(e.get("name")))
                .toList();
    }

    // ---- locks ------------------------------------------------------------------------------

    @Test
    void aLockGivesMutualExclusionUnderContentionAndNoUpdateIsLost() {
        final int workers = 4;
        final int rounds = 25;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger wanting = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicBoolean contended = new AtomicBoolean();
        Program worker = checked.prog("worker", (sys, args) -> {
            int lock = sys.lockOpen("m");
            int counter = sys.mboxOpen("counter");
            int start = sys.barrierOpen("start", workers);
            sys.barrierWait(start); // everyone contends from the same moment
            for (int i = 0; i < rounds; i++) {
                wanting.incrementAndGet();
                assertFalse(sys.lockAcquire(lock), "nobody died holding the lock");
                wanting.decrementAndGet();
                int now = inside.incrementAndGet();
                maxInside.accumulateAndGet(now, Math::max);
                // the shared counter lives in a one-slot box: read it without waiting ...
                long value = Long.parseLong(sys.mboxRecv(counter, Recv.upTo(16).noWait()).text());
                if (i % 5 == 0) {
                    sys.sleep(1); // ... now and then hold the lock a while, so that others queue up ...
                }
                if (wanting.get() > 0) {
                    contended.set(true);
                }
                // ... and write it back without waiting: both fail with EAGAIN if two are inside
                sys.mboxSend(counter, Long.toString(value + 1).getBytes(), 0);
                inside.decrementAndGet();
                sys.lockRelease(lock);
            }
            return 0;
        });
        List<Long> finalValue = new CopyOnWriteArrayList<>();
        Program init = checked.prog("init", (sys, args) -> {
            int counter = sys.mboxOpen("counter", 1, CREATE);
            sys.mboxSend(counter, "0");
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                pids.add(sys.spawn("worker"));
            }
            for (long pid : pids) {
                assertEquals(0, sys.waitpid(pid), "worker " + pid);
            }
            finalValue.add(Long.parseLong(sys.mboxRecv(counter, Recv.upTo(16).noWait()).text()));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, worker)) {
            checked.run(k);
            assertEquals(List.of((long) workers * rounds), finalValue, "no increment was lost");
            assertEquals(1, maxInside.get(), "never two processes inside the critical section");
            assertTrue(contended.get(), "some process waited for the lock while another held it");
            // the trace agrees: acquire and release alternate, each release by the process that acquired
            List<Trace.Event> history = lockHistory(k, "m");
            assertEquals(2 * workers * rounds, history.size());
            for (int i = 0; i < history.size(); i += 2) {
                Trace.Event acquire = history.get(i);
                Trace.Event release = history.get(i + 1);
                assertEquals("lock-acquire", acquire.ev(), acquire.toString());
                assertEquals("lock-release", release.ev(), release.toString());
                assertEquals(acquire.pid(), release.pid(), "released by its owner: " + acquire + " / " + release);
                assertEquals(false, acquire.get("owner_died"));
            }
        }
    }

    @Test
    void aReleasedLockGoesToItsWaitersInTheOrderTheyCame() {
        List<Long> order = new CopyOnWriteArrayList<>();
        Program waiter = checked.prog("waiter", (sys, args) -> {
            int lock = sys.lockOpen("fifo");
            assertFalse(sys.lockAcquire(lock));
            order.add(sys.getpid());
            sys.lockRelease(lock);
            return 0;
        });
        List<Long> spawned = new CopyOnWriteArrayList<>();
        Program init = checked.prog("init", (sys, args) -> {
            int lock = sys.lockOpen("fifo");
            assertFalse(sys.lockAcquire(lock));
            for (int i = 0; i < 4; i++) {
                long pid = sys.spawn("waiter");
                spawned.add(pid);
                Ps.awaitBlockedInPrefix(sys, pid, "lock_acquire(fifo)"); // queued before the next one comes
            }
            assertTrue(order.isEmpty(), "nobody gets a held lock");
            sys.lockRelease(lock);
            for (long pid : spawned) {
                assertEquals(0, sys.waitpid(pid));
            }
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, waiter)) {
            checked.run(k);
            assertEquals(spawned, order, "hand-off in arrival order");
            List<Long> acquirers = named(k, "lock-acquire", e -> "fifo".equals(e.get("name"))).stream()
                    .map(Trace.Event::pid).toList();
            List<Long> expected = new ArrayList<>(List.of(1L));
            expected.addAll(spawned);
            assertEquals(expected, acquirers);
        }
    }

    @Test
    void aLockHeldByAnExitingProcessPassesOnWithOwnerDied() {
        Program holder = checked.prog("holder", (sys, args) -> {
            int lock = sys.lockOpen("robust");
            assertFalse(sys.lockAcquire(lock));
            return 0; // exits holding it
        });
        List<Boolean> acquired = new CopyOnWriteArrayList<>();
        Program init = checked.prog("init", (sys, args) -> {
            int lock = sys.lockOpen("robust"); // keeps the lock alive past the holder's exit
            assertEquals(0, sys.waitpid(sys.spawn("holder")));
            acquired.add(sys.lockAcquire(lock)); // owner died
            sys.lockRelease(lock);
            acquired.add(sys.lockAcquire(lock)); // a clean hand-over again
            sys.lockRelease(lock);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, holder)) {
            checked.run(k);
            assertEquals(List.of(true, false), acquired);
            Trace.Event died = named(k, "lock-owner-died", e -> "robust".equals(e.get("name"))).get(0);
            assertEquals(2, died.pid());
        }
    }

    // ---- semaphores -------------------------------------------------------------------------

    @Test
    void aSemaphoreCountsUnitsAndBlocksOnlyWhenNoneAreLeft() {
        AtomicInteger taken = new AtomicInteger();
        Program downer = checked.prog("downer", (sys, args) -> {
            int sem = sys.semOpen("s", 99); // exists already: the initial value is ignored
            for (int i = 0; i < 4; i++) {
                sys.semDown(sem);
                taken.incrementAndGet();
            }
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int sem = sys.semOpen("s", 3);
            long d = sys.spawn("downer");
            // ps shows any call in progress as blocked: wait for the fourth down, then make sure it stays
            CheckedPrograms.eventually().until(() -> taken.get() >= 3);
            Ps.awaitBlockedInPrefix(sys, d, "sem_down(s)");
            sys.sleep(50);
            assertEquals(3, taken.get(), "three units, three downs pass; the fourth waits");
            Ps.assertBlockedInPrefix(sys, d, "sem_down(s)");
            sys.semUp(sem);
            assertEquals(0, sys.waitpid(d));
            assertEquals(4, taken.get());
            // units accumulate while nobody waits
            sys.semUp(sem);
            sys.semUp(sem);
            sys.semDown(sem);
            sys.semDown(sem);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, downer)) {
            checked.run(k);
            List<Trace.Event> ups = k.events("sem-up");
            assertEquals(List.of(0L, 1L, 2L), ups.stream().map(e -> e.getLong("value")).toList(),
                    "the first up went straight to the waiter; the next two were stored");
            List<Trace.Event> downs = k.events("sem-down");
            assertEquals(List.of(false, false, false, true, false, false),
                    downs.stream().map(e -> e.get("waited")).toList());
            assertEquals(List.of(2L, 2L, 2L, 2L, 1L, 1L), downs.stream().map(Trace.Event::pid).toList());
        }
    }

    @Test
    void eachUpWakesExactlyTheLongestWaiter() {
        List<Long> passed = new CopyOnWriteArrayList<>();
        Program downer = checked.prog("downer", (sys, args) -> {
            sys.semDown(sys.semOpen("q", 0));
            passed.add(sys.getpid());
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int sem = sys.semOpen("q", 0);
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long pid = sys.spawn("downer");
                pids.add(pid);
                Ps.awaitBlockedInPrefix(sys, pid, "sem_down(q)");
            }
            for (int i = 0; i < 3; i++) {
                sys.semUp(sem);
                assertEquals(0, sys.waitpid(pids.get(i)), "up " + i + " wakes waiter " + i);
                for (long later : pids.subList(i + 1, pids.size())) {
                    Ps.assertBlockedInPrefix(sys, later, "sem_down(q)");
                }
            }
            assertEquals(pids, passed);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, downer)) {
            checked.run(k);
            assertTrue(k.events("sem-down").stream().allMatch(e -> Boolean.TRUE.equals(e.get("waited"))));
        }
    }

    @Test
    void producersAndConsumersShareABoundedBufferThroughSemaphores() {
        final int capacity = 3;
        final int perProducer = 60;
        ConcurrentLinkedDeque<String> buffer = new ConcurrentLinkedDeque<>();
        AtomicInteger maxOccupancy = new AtomicInteger();
        Map<Long, List<String>> consumed = new ConcurrentHashMap<>();
        Program producer = checked.prog("producer", (sys, args) -> {
            int empty = sys.semOpen("empty", capacity);
            int full = sys.semOpen("full", 0);
            int mutex = sys.lockOpen("buffer");
            for (int i = 0; i < perProducer; i++) {
                sys.semDown(empty);
                sys.lockAcquire(mutex);
                buffer.addLast(args.get(0) + ":" + i);
                maxOccupancy.accumulateAndGet(buffer.size(), Math::max);
                sys.lockRelease(mutex);
                sys.semUp(full);
            }
            return 0;
        });
        Program consumer = checked.prog("consumer", (sys, args) -> {
            int empty = sys.semOpen("empty", capacity);
            int full = sys.semOpen("full", 0);
            int mutex = sys.lockOpen("buffer");
            List<String> mine = new ArrayList<>();
            for (int i = 0; i < perProducer; i++) {
                sys.semDown(full);
                sys.lockAcquire(mutex);
                String item = buffer.pollFirst();
                sys.lockRelease(mutex);
                sys.semUp(empty);
                if (item == null) {
                    throw new AssertionError("a down on 'full' passed with the buffer empty");
                }
                mine.add(item);
            }
            consumed.put(sys.getpid(), mine);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            List<Long> pids = List.of(sys.spawn("consumer"), sys.spawn("producer", "a"), sys.spawn("consumer"),
                    sys.spawn("producer", "b"));
            for (long pid : pids) {
                assertEquals(0, sys.waitpid(pid));
            }
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, producer, consumer)) {
            checked.run(k);
            assertTrue(maxOccupancy.get() <= capacity, "the buffer held " + maxOccupancy + " > " + capacity);
            assertTrue(buffer.isEmpty(), buffer.toString());
            List<String> all = new ArrayList<>();
            consumed.values().forEach(all::addAll);
            assertEquals(2 * perProducer, all.size());
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < perProducer; i++) {
                expected.add("a:" + i);
                expected.add("b:" + i);
            }
            assertEquals(expected, new HashSet<>(all), "every item consumed exactly once");
            for (List<String> mine : consumed.values()) { // one buffer, FIFO: each producer's items stay in order
                for (String p : List.of("a:", "b:")) {
                    List<Integer> seq = mine.stream().filter(s -> s.startsWith(p))
                            .map(s -> Integer.parseInt(s.substring(2))).toList();
                    List<Integer> sorted = seq.stream().sorted().toList();
                    assertEquals(sorted, seq, "items of " + p + " out of order");
                }
            }
        }
    }

    // ---- condition variables ----------------------------------------------------------------

    @Test
    void condWaitReleasesTheLockAndReturnsHoldingItOnceSignalled() {
        AtomicBoolean ready = new AtomicBoolean();
        List<String> seen = new CopyOnWriteArrayList<>();
        Program waiter = checked.prog("waiter", (sys, args) -> {
            int lock = sys.lockOpen("l");
            int cond = sys.condOpen("c");
            sys.lockAcquire(lock);
            while (!ready.get()) {
                seen.add("wait returned " + sys.condWait(cond, lock));
            }
            sys.lockRelease(lock); // EPERM if condWait had not given the lock back
            seen.add("released");
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int lock = sys.lockOpen("l");
            int cond = sys.condOpen("c");
            long w = sys.spawn("waiter");
            Ps.awaitBlockedInPrefix(sys, w, "cond_wait(c, l)");
            assertFalse(sys.lockAcquire(lock), "the waiter released the lock while it waits");
            ready.set(true);
            sys.condSignal(cond);
            // the signalled waiter needs the lock back: it cannot return while we hold it
            Ps.awaitBlockedInPrefix(sys, w, "cond_wait(c, l)");
            assertTrue(seen.isEmpty(), seen.toString());
            sys.lockRelease(lock);
            assertEquals(0, sys.waitpid(w));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, waiter)) {
            checked.run(k);
            assertEquals(List.of("wait returned false", "released"), seen);
            Trace.Event signal = k.events("cond-signal").get(0);
            assertEquals(1, signal.getLong("woken"));
            Trace.Event release = named(k, "lock-release", e -> e.pid() == 2 && "cond-wait".equals(e.get("for"))).get(0);
            Trace.Event wait = k.events("cond-wait").get(0);
            assertTrue(release.seq() < wait.seq(), "the lock is released on the waiter's behalf as it starts waiting");
        }
    }

    @Test
    void aSignalWakesOneWaiterTheLongestAndASignalWithNoWaiterIsLost() {
        List<Long> woke = new CopyOnWriteArrayList<>();
        Program waiter = checked.prog("waiter", (sys, args) -> {
            int lock = sys.lockOpen("l");
            int cond = sys.condOpen("c");
            sys.lockAcquire(lock);
            sys.condWait(cond, lock);
            woke.add(sys.getpid());
            sys.lockRelease(lock);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int lock = sys.lockOpen("l");
            int cond = sys.condOpen("c");
            sys.condSignal(cond); // nobody waits: lost, not remembered
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long pid = sys.spawn("waiter");
                pids.add(pid);
                Ps.awaitBlockedInPrefix(sys, pid, "cond_wait(c, l)");
            }
            sys.sleep(50); // the lost signal does not wake anybody later either
            for (long pid : pids) {
                Ps.assertBlockedInPrefix(sys, pid, "cond_wait(c, l)");
            }
            for (int i = 0; i < 3; i++) {
                sys.lockAcquire(lock);
                sys.condSignal(cond);
                sys.lockRelease(lock);
                assertEquals(0, sys.waitpid(pids.get(i)));
                for (long later : pids.subList(i + 1, pids.size())) {
                    Ps.assertBlockedInPrefix(sys, later, "cond_wait(c, l)");
                }
            }
            assertEquals(pids, woke);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, waiter)) {
            checked.run(k);
            assertEquals(List.of(0L, 1L, 1L, 1L),
                    k.events("cond-signal").stream().map(e -> e.getLong("woken")).toList());
        }
    }

    @Test
    void aBroadcastWakesEveryWaiterEachReturningWithTheLock() {
        final int waiters = 4;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger returned = new AtomicInteger();
        Program waiter = checked.prog("waiter", (sys, args) -> {
            int lock = sys.lockOpen("l");
            int cond = sys.condOpen("c");
            sys.lockAcquire(lock);
            sys.condWait(cond, lock);
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            sys.sleep(2); // linger holding the lock: the others must wait for it
            inside.decrementAndGet();
            returned.incrementAndGet();
            sys.lockRelease(lock);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int lock = sys.lockOpen("l");
            int cond = sys.condOpen("c");
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                long pid = sys.spawn("waiter");
                pids.add(pid);
                Ps.awaitBlockedInPrefix(sys, pid, "cond_wait(c, l)");
            }
            sys.lockAcquire(lock);
            sys.condBroadcast(cond);
            sys.lockRelease(lock);
            for (long pid : pids) {
                assertEquals(0, sys.waitpid(pid));
            }
            assertEquals(waiters, returned.get());
            sys.condBroadcast(cond); // nobody left: wakes nobody
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, waiter)) {
            checked.run(k);
            assertEquals(1, maxInside.get(), "woken waiters re-acquire the lock one at a time");
            assertEquals(List.of((long) waiters, 0L),
                    k.events("cond-broadcast").stream().map(e -> e.getLong("woken")).toList());
        }
    }

    // ---- barriers ---------------------------------------------------------------------------

    @Test
    void aBarrierOfNReleasesNobodyBeforeTheNthArrivalRoundAfterRound() {
        final int parties = 4;
        final int rounds = 5;
        AtomicInteger[] arrivals = new AtomicInteger[rounds];
        for (int r = 0; r < rounds; r++) {
            arrivals[r] = new AtomicInteger();
        }
        List<String> early = new CopyOnWriteArrayList<>();
        Program member = checked.prog("member", (sys, args) -> {
            int barrier = sys.barrierOpen("b", parties);
            for (int r = 0; r < rounds; r++) {
                arrivals[r].incrementAndGet();
                sys.barrierWait(barrier);
                if (arrivals[r].get() != parties) {
                    early.add("pid " + sys.getpid() + " passed round " + r + " after " + arrivals[r] + " arrivals");
                }
                sys.sleep(sys.random().nextInt(3)); // arrive at the next round at different times
            }
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < parties; i++) {
                pids.add(sys.spawn("member"));
            }
            for (long pid : pids) {
                assertEquals(0, sys.waitpid(pid));
            }
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, member)) {
            checked.run(k);
            assertEquals(List.of(), early);
            List<Trace.Event> releases = k.events("barrier-release");
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), releases.stream().map(e -> e.getLong("round")).toList());
            // between consecutive releases: exactly N arrivals, counted 1..N, all of that round
            List<Trace.Event> arrives = k.events("barrier-arrive");
            assertEquals(parties * rounds, arrives.size());
            for (int i = 0; i < arrives.size(); i++) {
                Trace.Event a = arrives.get(i);
                assertEquals(i % parties + 1, a.getLong("arrived"), a.toString());
                assertEquals(i / parties + 1, a.getLong("round"), a.toString());
                if (i % parties == parties - 1) {
                    assertTrue(a.seq() < releases.get(i / parties).seq());
                }
            }
        }
    }

    @Test
    void aBarrierOfOnePassesAtOnce() {
        Program init = checked.prog("init", (sys, args) -> {
            int barrier = sys.barrierOpen("solo", 1);
            for (int i = 0; i < 3; i++) {
                sys.barrierWait(barrier);
            }
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            checked.run(k);
            assertEquals(3, k.events("barrier-release").size());
        }
    }

    // ---- descriptors and lifecycle ----------------------------------------------------------

    @Test
    void syncObjectsShareTheDescriptorTableWithMailboxesAndAreFreedAtTheLastClose() {
        Program init = checked.prog("init", (sys, args) -> {
            int box = sys.mboxOpen("box");
            int lock = sys.lockOpen("n");
            int sem = sys.semOpen("s", 0);
            int again = sys.lockOpen("n"); // a second descriptor on the same lock
            assertEquals(4, Set.of(box, lock, sem, again).size(), "one descriptor table, distinct numbers");
            sys.close(lock);
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.semOpen("n", 1)), "still a lock: one descriptor is open");
            sys.close(again);
            int reused = sys.semOpen("n", 1); // the lock was freed: the name is free for any kind
            sys.semDown(reused); // it has its one unit
            sys.close(reused);
            sys.close(sem);
            sys.mboxClose(box);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            checked.run(k);
            List<Trace.Event> frees = k.events("sync-free");
            assertEquals(List.of("n", "n", "s"), frees.stream().map(e -> e.get("name")).toList());
            assertEquals(List.of("lock", "semaphore", "semaphore"), frees.stream().map(e -> e.get("kind")).toList());
            assertEquals(4, k.events("sync-close").size());
        }
    }

    @Test
    void exitClosesEveryObjectAProcessLeftOpen() {
        Program leaver = checked.prog("leaver", (sys, args) -> {
            sys.lockOpen("left-lock");
            sys.semOpen("left-sem", 2);
            sys.condOpen("left-cond");
            sys.barrierOpen("left-barrier", 2);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            assertEquals(0, sys.waitpid(sys.spawn("leaver")));
            // every name is free again: reopen each as another kind
            sys.close(sys.semOpen("left-lock", 0));
            sys.close(sys.lockOpen("left-sem"));
            sys.close(sys.barrierOpen("left-cond", 3));
            sys.close(sys.condOpen("left-barrier"));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, leaver)) {
            checked.run(k);
            List<Trace.Event> closes = named(k, "sync-close", e -> e.pid() == 2);
            assertEquals(4, closes.size());
            assertTrue(closes.stream().allMatch(e -> "exit".equals(e.get("how"))), closes.toString());
        }
    }

    // ---- misuse -----------------------------------------------------------------------------

    @Test
    void acquiringALockYouHoldIsEdeadlkAndLeavesItHeld() {
        AtomicBoolean otherGotIt = new AtomicBoolean();
        Program other = checked.prog("other", (sys, args) -> {
            int lock = sys.lockOpen("self");
            sys.lockAcquire(lock);
            otherGotIt.set(true);
            sys.lockRelease(lock);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int lock = sys.lockOpen("self");
            assertFalse(sys.lockAcquire(lock));
            assertEquals(Errno.EDEADLK, errnoOf(() -> sys.lockAcquire(lock)));
            long o = sys.spawn("other");
            Ps.awaitBlockedInPrefix(sys, o, "lock_acquire(self)"); // still ours
            assertFalse(otherGotIt.get());
            sys.lockRelease(lock); // held once, released once
            assertEquals(0, sys.waitpid(o));
            assertTrue(otherGotIt.get());
            assertFalse(sys.lockAcquire(lock));
            sys.lockRelease(lock);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, other)) {
            checked.run(k);
            Trace.Event error = k.events("error").get(0);
            assertEquals("lock_acquire", error.get("call"));
            assertEquals("EDEADLK", error.get("errno"));
        }
    }

    @Test
    void releasingALockYouDoNotHoldIsEpermAndChangesNothing() {
        Program holder = checked.prog("holder", (sys, args) -> {
            int lock = sys.lockOpen("owned");
            sys.lockAcquire(lock);
            sys.semDown(sys.semOpen("done", 0)); // hold it until init is done trying
            sys.lockRelease(lock);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int lock = sys.lockOpen("owned");
            assertEquals(Errno.EPERM, errnoOf(() -> sys.lockRelease(lock)), "nobody holds it");
            long h = sys.spawn("holder");
            Ps.awaitBlockedInPrefix(sys, h, "sem_down(done)");
            assertEquals(Errno.EPERM, errnoOf(() -> sys.lockRelease(lock)), "another process holds it");
            sys.semUp(sys.semOpen("done", 0));
            assertEquals(0, sys.waitpid(h), "the owner could still release it");
            assertFalse(sys.lockAcquire(lock));
            sys.lockRelease(lock);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, holder)) {
            checked.run(k);
            assertEquals(List.of("EPERM", "EPERM"), named(k, "error", e -> e.pid() == 1).stream()
                    .map(e -> e.get("errno")).toList());
        }
    }

    @Test
    void condWaitWithoutHoldingTheLockIsEpermAndDoesNotWait() {
        Program init = checked.prog("init", (sys, args) -> {
            int lock = sys.lockOpen("l");
            int cond = sys.condOpen("c");
            assertEquals(Errno.EPERM, errnoOf(() -> sys.condWait(cond, lock)));
            sys.condSignal(cond); // finds nobody waiting: the failed call left no waiter behind
            assertFalse(sys.lockAcquire(lock), "the lock is free and usable");
            sys.lockRelease(lock);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            checked.run(k);
            assertEquals(0, k.events("cond-signal").get(0).getLong("woken"));
            assertTrue(k.events("cond-wait").isEmpty());
        }
    }

    @Test
    void badInitialValuesAreEinvalAndCreateNothing() {
        Program init = checked.prog("init", (sys, args) -> {
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.semOpen("neg", -1)));
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.barrierOpen("zero", 0)));
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.barrierOpen("minus", -3)));
            // none of the names was taken: each opens as another kind
            int a = sys.lockOpen("neg");
            int b = sys.condOpen("zero");
            int c = sys.semOpen("minus", 0);
            assertEquals(3, Set.of(a, b, c).size());
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            checked.run(k);
            assertEquals(List.of("sem_open", "barrier_open", "barrier_open"),
                    k.events("error").stream().map(e -> e.get("call")).toList());
            assertEquals(3, k.events("sync-open").size(), "only the valid opens created objects");
        }
    }

    @Test
    void openingANameAsAnotherKindIsEinval() {
        Program init = checked.prog("init", (sys, args) -> {
            int lock = sys.lockOpen("taken");
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.semOpen("taken", 1)));
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.condOpen("taken")));
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.barrierOpen("taken", 2)));
            int sem = sys.semOpen("sem", 0);
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.lockOpen("sem")));
            // the objects are unharmed
            assertFalse(sys.lockAcquire(lock));
            sys.lockRelease(lock);
            sys.semUp(sem);
            sys.semDown(sem);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            checked.run(k);
            assertEquals(4, named(k, "error", e -> "EINVAL".equals(e.get("errno"))).size());
        }
    }

    @Test
    void anOperationOnTheWrongKindOfDescriptorIsEbadf() {
        Program init = checked.prog("init", (sys, args) -> {
            int lock = sys.lockOpen("l");
            int sem = sys.semOpen("s", 1);
            int cond = sys.condOpen("c");
            int barrier = sys.barrierOpen("b", 2);
            int box = sys.mboxOpen("box");
            int closed = sys.semOpen("gone", 0);
            sys.close(closed);
            List<Executable> wrong = List.of(
                    () -> sys.semUp(lock),
                    () -> sys.semDown(box),
                    () -> sys.semUp(cond),
                    () -> sys.lockAcquire(sem),
                    () -> sys.lockRelease(barrier),
                    () -> sys.lockAcquire(box),
                    () -> sys.condSignal(lock),
                    () -> sys.condBroadcast(sem),
                    () -> sys.condWait(lock, cond), // arguments swapped
                    () -> sys.condWait(cond, sem),
                    () -> sys.barrierWait(cond),
                    () -> sys.barrierWait(box),
                    () -> sys.mboxSend(lock, "x"),
                    () -> sys.mboxRecv(sem, 8),
                    () -> sys.mboxClose(barrier),
                    () -> sys.semDown(closed),
                    () -> sys.close(closed),
                    () -> sys.lockAcquire(42));
            for (int i = 0; i < wrong.size(); i++) {
                assertEquals(Errno.EBADF, errnoOf(wrong.get(i)), "misuse #" + i);
            }
            // every object still works, and so do the descriptors
            assertFalse(sys.lockAcquire(lock));
            sys.semDown(sem); // its one unit: the wrong-kind calls neither took nor added any
            sys.condSignal(cond);
            sys.lockRelease(lock);
            sys.mboxSend(box, "still a mailbox");
            assertEquals("still a mailbox", sys.mboxRecv(box, Recv.upTo(32).noWait()).text());
            sys.close(barrier);
            sys.close(box);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            checked.run(k);
            assertEquals(18, named(k, "error", e -> "EBADF".equals(e.get("errno"))).size());
            assertEquals(1, k.events("sem-down").size());
            assertTrue(k.events("sem-up").isEmpty());
            assertTrue(k.events("barrier-arrive").isEmpty());
        }
    }

    @Test
    void aLockIsReleasedWhenItsOwnerExitsEvenIfItClosedItsDescriptorFirst() {
        Program holder = checked.prog("holder", (sys, args) -> {
            int lock = sys.lockOpen("closed-held");
            sys.lockAcquire(lock);
            sys.close(lock); // the descriptor goes; the ownership stays until the owner ends
            return 0;
        });
        List<Boolean> got = new CopyOnWriteArrayList<>();
        Program acquirer = checked.prog("acquirer", (sys, args) -> {
            got.add(sys.lockAcquire(sys.lockOpen("closed-held")));
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            sys.lockOpen("closed-held"); // keeps the lock alive
            assertEquals(0, sys.waitpid(sys.spawn("holder")));
            long a = sys.spawn("acquirer");
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (Ps.row(sys, a) != null && System.nanoTime() < deadline) {
                sys.sleep(10);
            }
            ProcInfo stuck = Ps.row(sys, a);
            if (stuck != null) {
                sys.kill(a);
                throw new AssertionError("the lock of the exited holder was never released: " + stuck);
            }
            assertEquals(0, sys.waitpid(a));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, holder, acquirer)) {
            checked.run(k);
            assertEquals(List.of(true), got, "the next acquirer learns that the owner died");
            assertEquals(2, k.events("lock-owner-died").get(0).pid());
        }
    }
}
