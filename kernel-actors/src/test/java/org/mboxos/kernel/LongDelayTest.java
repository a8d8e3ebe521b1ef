package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mboxos.api.Errno;
import org.mboxos.api.ProcInfo;
import org.mboxos.api.Program;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;

/**
 * Delays longer than any timer can run (a sleep of 300 days, Long.MAX_VALUE sleeps and
 * timeouts, deadlines beyond the clock's range) leave the kernel clock working for everyone:
 * such a waiter waits until it is woken or killed, and every short sleep and timeout still fires.
 */
class LongDelayTest {
    private static final long DAYS_300 = Duration.ofDays(300).toMillis();
    /** Bound for polling ps until a process blocks (wall clock). */
    private static final long BLOCK_WAIT_NANOS = 10_000_000_000L;

    private final CheckedPrograms checked = new CheckedPrograms();
    /** What ran after a long wait returned: nothing may. */
    private final List<String> after = new CopyOnWriteArrayList<>();

    private static Map<String, Object> mode(String scheduler) {
        return Map.of("kernel.scheduler", scheduler, "kernel.seed", 11);
    }

    private Program[] programs() {
        Program sleeper = checked.prog("sleeper", (sys, args) -> {
            sys.sleep(Long.parseLong(args.get(0)));
            after.add("sleeper " + args.get(0) + " woke");
            return 0;
        });
        Program receiver = checked.prog("receiver", (sys, args) -> {
            int fd = sys.mboxOpen("empty");
            sys.mboxRecv(fd, Recv.upTo(8).timeout(Long.MAX_VALUE));
            after.add("receiver got a message");
            return 0;
        });
        Program sender = checked.prog("sender", (sys, args) -> {
            int fd = sys.mboxOpen("full", 1, Sys.Open.CREATE);
            sys.mboxSend(fd, new byte[] {1}, Long.MAX_VALUE); // fills it
            sys.mboxSend(fd, new byte[] {2}, Long.MAX_VALUE);
            after.add("sender sent twice");
            return 0;
        });
        Program inbox = checked.prog("inbox", (sys, args) -> {
            sys.myreceive(Recv.upTo(8).timeout(Long.MAX_VALUE));
            after.add("inbox got a message");
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long forever = sys.spawn("sleeper", Long.toString(Long.MAX_VALUE));
            awaitBlockedIn(sys, forever, "sleep(" + Long.MAX_VALUE + " ms)");
            long days = sys.spawn("sleeper", Long.toString(DAYS_300));
            awaitBlockedIn(sys, days, "sleep(" + DAYS_300 + " ms)");
            long beyondNanos = sys.spawn("sleeper", Long.toString(Long.MAX_VALUE / 1000));
            awaitBlockedIn(sys, beyondNanos, "sleep(" + Long.MAX_VALUE / 1000 + " ms)");
            long recv = sys.spawn("receiver");
            awaitBlockedIn(sys, recv, "mbox_recv(empty)");
            long send = sys.spawn("sender");
            awaitBlockedIn(sys, send, "mbox_send(full)");
            long my = sys.spawn("inbox");
            awaitBlockedIn(sys, my, "myreceive(any)");

            shortTimersStillFire(sys);
            for (long pid : List.of(forever, days, beyondNanos, recv, send, my)) {
                sys.kill(pid);
                assertEquals(Sys.KILLED, sys.waitpid(pid), "pid " + pid);
            }
            shortTimersStillFire(sys);
            return 0;
        });
        return new Program[] {init, sleeper, receiver, sender, inbox};
    }

    /** A bystander's view: a short sleep returns, short timeouts expire. */
    private static void shortTimersStillFire(Sys sys) {
        sys.sleep(2);
        int empty = sys.mboxOpen("mine-empty");
        assertEquals(Errno.ETIMEDOUT, assertThrows(SysError.class,
                () -> sys.mboxRecv(empty, Recv.upTo(8).timeout(3))).errno());
        int full = sys.mboxOpen("mine-full", 1, Sys.Open.CREATE);
        sys.mboxSend(full, new byte[] {1}, 0);
        assertEquals(Errno.ETIMEDOUT, assertThrows(SysError.class,
                () -> sys.mboxSend(full, new byte[] {2}, 3)).errno());
        assertEquals(Errno.ETIMEDOUT, assertThrows(SysError.class,
                () -> sys.myreceive(Recv.upTo(8).timeout(3))).errno());
        sys.close(empty);
        sys.close(full); // both boxes are freed at their last close
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"parallel", "lottery"})
    void longSleepsAndTimeoutsWaitUntilKilledAndShortOnesStillFire(String scheduler) {
        try (KernelHarness k = KernelHarness.boot(mode(scheduler), programs())) {
            checked.run(k);
            assertEquals(List.of(), after, "no long wait ended by itself");
            assertEquals(6, k.events("kill").size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"parallel", "lottery"})
    void deadlinesBeyondTheClocksRangeNeverFireAndLeaveTheClockWorking(String scheduler) throws Exception {
        Program init = checked.prog("init", (sys, args) -> {
            shortTimersStillFire(sys);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(mode(scheduler), init)) {
            CompletableFuture<Void> days = k.machine().deadline(Duration.ofDays(300)).toCompletableFuture();
            CompletableFuture<Void> max = k.machine().deadline(Duration.ofSeconds(Long.MAX_VALUE)).toCompletableFuture();
            CompletableFuture<Void> past = k.machine().deadline(Duration.ofMillis(-5)).toCompletableFuture();
            CompletableFuture<Void> soon = k.machine().deadline(Duration.ofMillis(1)).toCompletableFuture();
            checked.run(k); // init sleeps past 1 ms of kernel time
            past.get(KernelHarness.HANG.toSeconds(), TimeUnit.SECONDS);
            soon.get(KernelHarness.HANG.toSeconds(), TimeUnit.SECONDS);
            if (scheduler.equals("lottery")) { // once nobody runs, simulated time jumps to the next timer
                days.get(KernelHarness.HANG.toSeconds(), TimeUnit.SECONDS);
            } else {
                assertFalse(days.isDone(), "300 days have not passed");
            }
            assertFalse(max.isDone(), "a deadline beyond the clock's range never comes");
        }
    }

    private static void awaitBlockedIn(Sys sys, long pid, String call) {
        long deadline = System.nanoTime() + BLOCK_WAIT_NANOS;
        ProcInfo last = null;
        while (System.nanoTime() < deadline) {
            last = sys.ps().stream().filter(p -> p.pid() == pid).findFirst().orElse(null);
            if (last != null && last.state().equals("blocked") && last.blockedIn().equals(call)) {
                return;
            }
            sys.yield();
        }
        throw new AssertionError("pid " + pid + " never blocked in " + call + "; last row: " + last);
    }
}
