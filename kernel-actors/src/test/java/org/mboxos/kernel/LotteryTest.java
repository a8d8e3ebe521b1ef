package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mboxos.api.Errno;
import org.mboxos.api.Program;
import org.mboxos.api.SysError;
import org.mboxos.kernel.trace.Trace;

/**
 * The lottery scheduler (kernel.scheduler = lottery): one simulated CPU, shares in proportion
 * to tickets, replayable runs for a seed, and simulated time.
 *
 * <p>Every dispatch is a "dispatch" trace event naming the process that got the CPU (and its
 * tickets at the draw), so counting those events counts quanta.
 */
class LotteryTest {
    private static final long SEED = 7;
    private static final long QUANTUM_NANOS = 1_000_000;
    /** Quanta per measured phase of the proportional-share test. */
    private static final int QUANTA = 3_000;
    /** How far a process's share may stray from its tickets' share, relatively. */
    private static final double TOLERANCE = 0.10;
    /** Wall-clock bound on any loop a program runs while waiting for the trace to fill. */
    private static final long LOOP_BOUND_NANOS = 20_000_000_000L;

    private final CheckedPrograms checked = new CheckedPrograms();

    private static Map<String, Object> lottery(long seed) {
        return Map.of("kernel.scheduler", "lottery", "kernel.seed", seed);
    }

    /** A CPU-bound process: sets its tickets (args[0]), then gives the CPU back forever. */
    private Program spinner() {
        return checked.prog("spinner", (sys, args) -> {
            sys.setpriority(Integer.parseInt(args.get(0)));
            while (true) {
                sys.yield();
            }
        });
    }

    /** Dispatches of each of {@code tickets}' pids with exactly its tickets, after seq {@code from}. */
    private static Map<Long, Integer> dispatches(List<Trace.Event> events, Map<Long, Integer> tickets, long from,
            long to) {
        Map<Long, Integer> counts = new HashMap<>();
        tickets.keySet().forEach(pid -> counts.put(pid, 0));
        for (Trace.Event e : events) {
            if (e.ev().equals("dispatch") && e.seq() > from && e.seq() < to && tickets.containsKey(e.pid())
                    && e.getLong("tickets") == tickets.get(e.pid())) {
                counts.merge(e.pid(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static int total(Map<Long, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Each pid's count is within {@link #TOLERANCE} of its tickets' share of the total. */
    private static void assertProportional(Map<Long, Integer> counts, Map<Long, Integer> tickets) {
        int total = total(counts);
        int allTickets = tickets.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(total >= QUANTA, "only " + total + " quanta measured: " + counts);
        for (var e : tickets.entrySet()) {
            double expected = (double) total * e.getValue() / allTickets;
            double got = counts.get(e.getKey());
            assertTrue(Math.abs(got - expected) <= TOLERANCE * expected,
                    "pid " + e.getKey() + " with " + e.getValue() + " of " + allTickets + " tickets got " + (int) got
                            + " of " + total + " quanta, expected " + Math.round(expected) + " ± 10%: " + counts);
        }
    }

    private static Trace.Event killOf(List<Trace.Event> events, long pid) {
        return events.stream().filter(e -> e.ev().equals("kill") && e.pid() == pid).findFirst().orElseThrow();
    }

    // ---- proportional share -------------------------------------------------------------------

    @Test
    void cpuBoundProcessesShareTheCpuInProportionToTheirTicketsAndSurvivorsKeepTheirRatio() {
        AtomicReference<KernelHarness> harness = new AtomicReference<>();
        Map<Long, Integer> tickets = new HashMap<>();
        Program init = checked.prog("init", (sys, args) -> {
            Map<Long, Integer> mine = new HashMap<>();
            for (int t = 1; t <= 3; t++) {
                mine.put(sys.spawn("spinner", Integer.toString(t)), t);
            }
            tickets.putAll(mine);
            long[] byTickets = new long[4];
            mine.forEach((pid, t) -> byTickets[t] = pid);
            long start = System.nanoTime();
            // phase 1: all three, until they have had QUANTA quanta at their tickets
            while (total(dispatches(harness.get().events(), mine, 0, Long.MAX_VALUE)) < QUANTA) {
                assertTrue(System.nanoTime() - start < LOOP_BOUND_NANOS, "too slow to reach " + QUANTA + " quanta");
                sys.sleep(100); // simulated: about 100 quanta pass meanwhile
            }
            sys.kill(byTickets[3]);
            long killSeq = killOf(harness.get().events(), byTickets[3]).seq();
            Map<Long, Integer> survivors = Map.of(byTickets[1], 1, byTickets[2], 2);
            while (total(dispatches(harness.get().events(), survivors, killSeq, Long.MAX_VALUE)) < QUANTA) {
                assertTrue(System.nanoTime() - start < LOOP_BOUND_NANOS, "too slow to reach " + QUANTA + " quanta");
                sys.sleep(100);
            }
            sys.kill(byTickets[1]);
            sys.kill(byTickets[2]);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(lottery(SEED), init, spinner())) {
            harness.set(k);
            checked.run(k);
            List<Trace.Event> events = k.events();
            long[] byTickets = new long[4];
            tickets.forEach((pid, t) -> byTickets[t] = pid);
            long kill3 = killOf(events, byTickets[3]).seq();
            assertProportional(dispatches(events, tickets, 0, kill3), tickets);
            long kill1 = killOf(events, byTickets[1]).seq();
            Map<Long, Integer> survivors = Map.of(byTickets[1], 1, byTickets[2], 2);
            assertProportional(dispatches(events, survivors, kill3, kill1), survivors);
            assertTrue(events.stream().noneMatch(e -> e.ev().equals("dispatch") && e.pid() == byTickets[3]
                    && e.seq() > kill3), "a killed process is never dispatched again");
        }
    }

    @Test
    void onlyOneProcessRunsUserCodeAtATime() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        Program busy = checked.prog("busy", (sys, args) -> {
            for (int i = 0; i < 200; i++) {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                long until = System.nanoTime() + 20_000; // 20 µs of computing between calls
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                running.decrementAndGet();
                sys.yield();
            }
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                pids.add(sys.spawn("busy"));
            }
            for (long pid : pids) {
                assertEquals(0, sys.waitpid(pid));
            }
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(lottery(SEED), init, busy)) {
            checked.run(k);
            assertEquals(1, maxRunning.get(), "two processes ran user code at the same time");
            // each of the 4 × 200 yields returned through a dispatch
            assertTrue(k.events("dispatch").stream().filter(e -> e.pid() != 1).count() >= 4 * 200);
        }
    }

    // ---- tickets ------------------------------------------------------------------------------

    @Test
    void setpriorityBelowOneIsEinvalAndKeepsTheTickets() {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Program child = checked.prog("child", (sys, args) -> {
            seen.add(sys.getpriority()); // a new process starts with 1 ticket, whatever its parent has
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            seen.add(sys.getpriority());
            sys.setpriority(3);
            seen.add(sys.getpriority());
            for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
                SysError e = assertThrows(SysError.class, () -> sys.setpriority(bad));
                assertEquals(Errno.EINVAL, e.errno(), "setpriority(" + bad + ")");
            }
            seen.add(sys.getpriority());
            assertEquals(0, sys.waitpid(sys.spawn("child")));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(lottery(SEED), init, child)) {
            checked.run(k);
            assertEquals(List.of(1, 3, 3, 1), seen);
            assertEquals(3, k.events("error").stream().filter(e -> "setpriority".equals(e.get("call"))
                    && "EINVAL".equals(e.get("errno"))).count());
            // the draws after the failed calls still use 3 tickets
            Trace.Event lastError = k.events("error").get(2);
            Trace.Event next = k.events("dispatch").stream().filter(e -> e.pid() == 1 && e.seq() > lastError.seq())
                    .findFirst().orElseThrow();
            assertEquals(3, next.getLong("tickets"));
        }
    }

    // ---- replay -------------------------------------------------------------------------------

    /** A small mixed workload: tickets, yields, sleeps, a mailbox, prints and waits. */
    private List<Trace.Event> replayRun(long seed) {
        Program worker = Program.of("worker", "", (sys, args) -> {
            int t = Integer.parseInt(args.get(0));
            sys.setpriority(t);
            int box = sys.mboxOpen("results");
            for (int i = 0; i < 150; i++) {
                if (i % 50 == 0) {
                    sys.sleep(2 + t);
                    sys.println("worker " + sys.getpid() + " at " + i);
                }
                if (sys.random().nextInt(10) == 0) {
                    sys.semUp(sys.semOpen("s" + i % 3, 0));
                }
                sys.yield();
            }
            sys.mboxSend(box, Long.toString(sys.getpid()));
            return t;
        });
        Program init = Program.of("init", "", (sys, args) -> {
            int box = sys.mboxOpen("results");
            List<Long> pids = new ArrayList<>();
            for (int t = 1; t <= 3; t++) {
                pids.add(sys.spawn("worker", Integer.toString(t)));
            }
            StringBuilder order = new StringBuilder();
            for (int i = 0; i < pids.size(); i++) {
                order.append(new String(sys.mboxRecv(box, 16))).append(' ');
            }
            sys.println("finished: " + order);
            for (long pid : pids) {
                sys.waitpid(pid);
            }
            return 0;
        });
        KernelHarness k = KernelHarness.boot(lottery(seed), init, worker);
        try (k) {
            assertEquals(0, k.run("init"));
        }
        return k.events(); // after close: nothing more can come
    }

    private static List<Long> dispatchPids(List<Trace.Event> events) {
        return events.stream().filter(e -> e.ev().equals("dispatch")).map(Trace.Event::pid).toList();
    }

    @Test
    void theSameSeedReplaysTheSameRunAndAnotherSeedDoesNot() {
        List<Trace.Event> first = replayRun(SEED);
        List<Trace.Event> second = replayRun(SEED);
        List<Trace.Event> other = replayRun(SEED + 1);

        assertTrue(dispatchPids(first).size() > 450, "the workload made " + dispatchPids(first).size() + " dispatches");
        assertEquals(dispatchPids(first), dispatchPids(second), "the same seed dispatches the same processes in order");
        List<String> a = first.stream().map(Trace.Event::toJson).toList();
        List<String> b = second.stream().map(Trace.Event::toJson).toList();
        assertEquals(a.size(), b.size(), "the same number of events");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i), "event " + i + " differs");
        }
        assertNotEquals(dispatchPids(first), dispatchPids(other), "seed " + (SEED + 1) + " gave the same schedule");
    }

    /**
     * Processes that end holding several locks, semaphores and conditions: the objects hear of
     * each end in a defined order, so the owner-died hand-overs replay event for event.
     */
    private List<String> endsHoldingSeveralObjects(long seed) {
        Program holder = Program.of("holder", "", (sys, args) -> {
            for (int i = 0; i < 4; i++) {
                sys.lockAcquire(sys.lockOpen("l" + i));
                sys.semOpen("s" + i, 0);
                sys.condOpen("c" + i);
            }
            sys.barrierWait(sys.barrierOpen("ready", 2));
            if (args.get(0).equals("exit")) {
                return 0;
            }
            sys.sleep(600_000);
            return 0;
        });
        Program taker = Program.of("taker", "", (sys, args) -> {
            int lock = sys.lockOpen("l" + args.get(0));
            sys.lockAcquire(lock);
            sys.lockRelease(lock);
            return 0;
        });
        Program init = Program.of("init", "", (sys, args) -> {
            int ready = sys.barrierOpen("ready", 2);
            long a = sys.spawn("holder", "exit");
            sys.barrierWait(ready);
            long b = sys.spawn("holder", "kill");
            List<Long> takers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                takers.add(sys.spawn("taker", Integer.toString(i)));
            }
            sys.barrierWait(ready);
            sys.waitpid(a);
            sys.kill(b);
            for (long t : takers) {
                sys.waitpid(t);
            }
            return 0;
        });
        KernelHarness k = KernelHarness.boot(lottery(seed), init, holder, taker);
        try (k) {
            assertEquals(0, k.run("init"));
        }
        return k.events().stream().map(Trace.Event::toJson).toList();
    }

    @Test
    void endsOfProcessesHoldingSeveralObjectsReplayEventForEvent() {
        List<String> first = endsHoldingSeveralObjects(SEED);
        assertTrue(first.stream().filter(e -> e.contains("\"ev\":\"lock-owner-died\"")).count() >= 4,
                "the holders died holding their locks");
        for (int run = 0; run < 3; run++) {
            assertEquals(first, endsHoldingSeveralObjects(SEED), "run " + (run + 2) + " differs");
        }
    }

    // ---- simulated time -----------------------------------------------------------------------

    @Test
    void aTenMinuteSleepPassesInSimulatedTimeWithoutTakingWallTime() {
        long tenMinutesMs = TimeUnit.MINUTES.toMillis(10);
        Program sleeper = checked.prog("sleeper", (sys, args) -> {
            sys.sleep(Long.parseLong(args.get(0)));
            sys.println("woke " + args.get(0));
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long a = sys.spawn("sleeper", Long.toString(tenMinutesMs));
            long b = sys.spawn("sleeper", Long.toString(tenMinutesMs / 2));
            assertEquals(0, sys.waitpid(a));
            assertEquals(0, sys.waitpid(b));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(lottery(SEED), init, sleeper)) {
            long t0 = System.nanoTime();
            checked.run(k);
            long wallMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(wallMs < 5_000, "ten simulated minutes took " + wallMs + " ms of wall time");
            for (long pid : List.of(2L, 3L)) {
                Trace.Event sleep = k.events("sleep").stream().filter(e -> e.pid() == pid).findFirst().orElseThrow();
                Trace.Event wake = k.events("wake").stream().filter(e -> e.pid() == pid).findFirst().orElseThrow();
                long asked = TimeUnit.MILLISECONDS.toNanos(sleep.getLong("ms"));
                long slept = wake.t() - sleep.t();
                assertTrue(slept >= asked && slept < asked + TimeUnit.SECONDS.toNanos(1),
                        "pid " + pid + " asked for " + asked + " ns and slept " + slept + " ns of simulated time");
            }
            List<Long> wakeOrder = k.events("wake").stream().map(Trace.Event::pid).toList();
            assertEquals(List.of(3L, 2L), wakeOrder, "the shorter sleep wakes first");
            assertTrue(k.events().get(k.events().size() - 1).t() >= TimeUnit.MINUTES.toNanos(10));
        }
    }

    @Test
    void eachDispatchLetsOneQuantumOfSimulatedTimePass() {
        Program spin = checked.prog("spin", (sys, args) -> {
            for (int i = 0; i < 100; i++) {
                sys.yield();
            }
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> sys.waitpid(sys.spawn("spin")));
        try (KernelHarness k = KernelHarness.boot(lottery(SEED), init, spin)) {
            checked.run(k);
            // nobody sleeps, so time moves only by the quantum each dispatch lets pass
            List<Trace.Event> dispatches = k.events("dispatch");
            assertTrue(dispatches.stream().filter(e -> e.pid() == 2).count() >= 100, dispatches.size() + " dispatches");
            for (int i = 1; i < dispatches.size(); i++) {
                assertEquals(QUANTUM_NANOS, dispatches.get(i).t() - dispatches.get(i - 1).t(),
                        "between dispatches " + (i - 1) + " and " + i + ": " + dispatches.get(i));
            }
        }
    }
}
