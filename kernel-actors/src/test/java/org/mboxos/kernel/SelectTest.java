package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.mboxos.api.Errno;
import org.mboxos.api.Program;
import org.mboxos.api.Recv;
import org.mboxos.api.Selected;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;

/** select: wait on several boxes at once, the inbox and the keyboard buffer included. */
class SelectTest {
    private final CheckedPrograms checked = new CheckedPrograms();

    private static Errno errnoOf(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(SysError.class, call).errno();
    }

    /** Sends args[1] to box args[0] (or, for "inbox", to pid 1). */
    private final Program sender = checked.prog("sender", (sys, args) -> {
        if (args.get(0).equals("inbox")) {
            sys.mysend(1, args.get(1).getBytes());
        } else {
            sys.mboxSend(sys.mboxOpen(args.get(0)), args.get(1));
        }
        return 0;
    });

    @Test
    void selectReturnsTheReadyDescriptorsAndTakesNothing() {
        Program init = checked.prog("init", (sys, args) -> {
            int a = sys.mboxOpen("a");
            int b = sys.mboxOpen("b", 1, Sys.Open.CREATE);
            assertTrue(sys.select(new int[] {a, Sys.INBOX}, new int[0], 0).timedOut(), "a poll with nothing ready");
            Selected writable = sys.select(new int[] {a}, new int[] {b}, Sys.FOREVER);
            assertArrayEquals(new int[] {b}, writable.writable(), "an empty box has room");
            sys.mboxSend(b, "x");
            assertEquals(0, sys.select(new int[0], new int[] {b}, 0).writable().length, "a full box has none");
            assertArrayEquals(new int[] {b}, sys.select(new int[] {a, b}, Sys.FOREVER));
            assertArrayEquals(new int[] {b}, sys.select(new int[] {a, b}, Sys.FOREVER), "select takes nothing");
            assertEquals("x", sys.mboxRecv(b, Recv.upTo(4)).text());
            long s = sys.spawn("sender", "inbox", "hello");
            assertArrayEquals(new int[] {Sys.INBOX}, sys.select(new int[] {a, Sys.INBOX}, Sys.FOREVER));
            assertEquals("hello", sys.myreceive(Recv.upTo(8)).text());
            sys.waitpid(s);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, sender)) {
            checked.run(k);
        }
    }

    @Test
    void aWaitingSelectWakesForTheFirstBoxThatGetsAMessageOrTimesOut() {
        Program init = checked.prog("init", (sys, args) -> {
            int a = sys.mboxOpen("a");
            int b = sys.mboxOpen("b");
            long s = sys.spawn("sender", "b", "late");
            assertArrayEquals(new int[] {b}, sys.select(new int[] {a, b}, Sys.FOREVER));
            assertEquals("late", sys.mboxRecv(b, Recv.upTo(8)).text());
            sys.waitpid(s);
            assertTrue(sys.select(new int[] {a, b}, new int[0], 30).timedOut());
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, sender)) {
            checked.run(k);
        }
    }

    @Test
    void badDescriptorsAndTimeoutsAreRefused() {
        Program init = checked.prog("init", (sys, args) -> {
            int lock = sys.lockOpen("l");
            int kb = sys.mboxOpen("keyboard");
            assertEquals(Errno.EBADF, errnoOf(() -> sys.select(new int[] {42}, Sys.FOREVER)));
            assertEquals(Errno.EBADF, errnoOf(() -> sys.select(new int[] {lock}, Sys.FOREVER)));
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.select(new int[0], new int[] {Sys.INBOX}, Sys.FOREVER)));
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.select(new int[0], new int[0], Sys.FOREVER)));
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.select(new int[] {kb}, -5)));
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.select(null, Sys.FOREVER)));
            assertEquals(Errno.EPERM, errnoOf(() -> sys.select(new int[0], new int[] {kb}, Sys.FOREVER)));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            checked.run(k);
        }
    }

    @Test
    void aServerWaitsOnItsInboxAndTheKeyboardAtOnce() throws Exception {
        AtomicBoolean waiting = new AtomicBoolean();
        Program init = checked.prog("init", (sys, args) -> {
            int kb = sys.mboxOpen("keyboard");
            long s = sys.spawn("sender", "inbox", "job");
            assertArrayEquals(new int[] {Sys.INBOX}, sys.select(new int[] {kb, Sys.INBOX}, Sys.FOREVER));
            assertEquals("job", sys.myreceive(Recv.upTo(8)).text());
            sys.waitpid(s);
            waiting.set(true); // now the test types a key
            assertArrayEquals(new int[] {kb}, sys.select(new int[] {kb, Sys.INBOX}, Sys.FOREVER));
            assertEquals('k', sys.getChar());
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, sender)) {
            var status = k.start("init");
            CheckedPrograms.soon().until(() -> waiting.get() || status.isDone());
            k.machine().press((byte) 'k');
            int initStatus = status.get(KernelHarness.HANG.toSeconds(), TimeUnit.SECONDS);
            checked.checkFailures();
            assertEquals(0, initStatus);
        }
    }

    @Test
    void killingASelectingProcessLeavesTheBoxesToOthers() {
        Program selector = checked.prog("selector", (sys, args) -> {
            sys.select(new int[] {sys.mboxOpen("a"), sys.mboxOpen("b"), Sys.INBOX}, Sys.FOREVER);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int a = sys.mboxOpen("a");
            long victim = sys.spawn("selector");
            long survivor = sys.spawn("selector");
            Ps.awaitBlockedIn(sys, victim, "select");
            Ps.awaitBlockedIn(sys, survivor, "select");
            sys.kill(victim);
            assertEquals(Sys.KILLED, sys.waitpid(victim));
            Ps.assertBlockedIn(sys, survivor, "select");
            sys.mboxSend(a, "go");
            assertEquals(0, sys.waitpid(survivor), "the survivor's select woke");
            assertEquals("go", sys.mboxRecv(a, Recv.upTo(4)).text(), "nothing was taken");
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, selector)) {
            checked.run(k);
        }
    }
}
