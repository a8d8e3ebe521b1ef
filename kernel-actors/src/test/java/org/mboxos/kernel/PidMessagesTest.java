package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.mboxos.api.Errno;
import org.mboxos.api.Program;
import org.mboxos.api.SysError;
import org.mboxos.kernel.trace.HistoryCheck;

/**
 * The Linux seed's {@code mysend}/{@code myreceive} at the edges: receiving from a process that
 * never existed, has ended, or ends while the receiver waits; polling an empty inbox; sending to
 * a process that has ended.
 */
class PidMessagesTest {
    private final CheckedPrograms checked = new CheckedPrograms();

    private static void fails(Errno errno, Executable call) {
        SysError e = assertThrows(SysError.class, call);
        assertEquals(errno, e.errno(), e.getMessage());
    }

    private static String text(byte[] buf, int len) {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    /** Sends its arguments to its parent, one message each, then exits. */
    private final Program sender = checked.prog("tx", (sys, args) -> {
        for (String a : args) {
            sys.mysend(1, a.getBytes(StandardCharsets.UTF_8));
        }
        return 0;
    });

    @Test
    void receivingFromAPidThatNeverExistedOrPidZeroFailsAtOnce() {
        Program init = checked.prog("init", (sys, args) -> {
            byte[] buf = new byte[8];
            fails(Errno.ESRCH, () -> sys.myreceive(4242, buf));
            fails(Errno.ESRCH, () -> sys.myreceive(4242, buf, false));
            fails(Errno.EINVAL, () -> sys.myreceive(0, buf));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            checked.run(k);
        }
    }

    @Test
    void whatAnEndedSenderSentIsStillDeliveredThenItsEndIsEsrch() {
        Program init = checked.prog("init", (sys, args) -> {
            long tx = sys.spawn("tx", "one", "two");
            assertEquals(0, sys.waitpid(tx));
            byte[] buf = new byte[8];
            assertEquals("one", text(buf, sys.myreceive(tx, buf)));
            assertEquals("two", text(buf, sys.myreceive(tx, buf, false)));
            fails(Errno.ESRCH, () -> sys.myreceive(tx, buf));
            fails(Errno.ESRCH, () -> sys.myreceive(tx, buf, false));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, sender)) {
            checked.run(k);
        }
    }

    @Test
    void aReceiverWaitingForOneSenderFailsWhenThatSenderEnds() {
        Program quiet = checked.prog("quiet", (sys, args) -> {
            sys.mysend(1, "hi".getBytes(StandardCharsets.UTF_8)); // introduces itself, then waits for a kill
            sys.sleep(600_000);
            return 0;
        });
        Program waiter = checked.prog("waiter", (sys, args) -> {
            long from = Long.parseLong(args.get(0));
            fails(Errno.ESRCH, () -> sys.myreceive(from, new byte[8]));
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long q = sys.spawn("quiet");
            byte[] buf = new byte[8];
            assertEquals("hi", text(buf, sys.myreceive(q, buf)));
            long w = sys.spawn("waiter", Long.toString(q));
            Ps.awaitBlockedIn(sys, w, "myreceive(" + q + ")");
            sys.kill(q);
            assertEquals(0, sys.waitpid(w), "the waiter's receive failed instead of waiting forever");
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, quiet, waiter)) {
            checked.run(k);
        }
    }

    @Test
    void aPollThatFindsNothingReadsZeroBytesAndIsNotAnError() {
        Program init = checked.prog("init", (sys, args) -> {
            byte[] buf = new byte[8];
            for (int i = 0; i < 3; i++) {
                assertEquals(0, sys.myreceive(-1, buf, false));
            }
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            checked.run(k);
            assertTrue(k.events("error").isEmpty(), "an empty poll is traced as an error: " + k.events("error"));
        }
    }

    @Test
    void sendingToAProcessThatHasEndedIsEsrchWhetherOrNotItWasTalkedToBefore() {
        Program echo = checked.prog("echo", (sys, args) -> {
            byte[] buf = new byte[8];
            int n = sys.myreceive(1, buf);
            sys.mysend(1, java.util.Arrays.copyOf(buf, n));
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long talked = sys.spawn("echo");
            sys.mysend(talked, "ping".getBytes(StandardCharsets.UTF_8));
            byte[] buf = new byte[8];
            assertEquals("ping", text(buf, sys.myreceive(talked, buf)));
            assertEquals(0, sys.waitpid(talked));
            fails(Errno.ESRCH, () -> sys.mysend(talked, new byte[] {1}));
            fails(Errno.ESRCH, () -> sys.mysend(talked, new byte[] {1}, true));
            long never = sys.spawn("tx");
            assertEquals(0, sys.waitpid(never));
            fails(Errno.ESRCH, () -> sys.mysend(never, new byte[] {1}));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(Map.of("kernel.seed", 3), init, echo, sender)) {
            checked.run(k);
            HistoryCheck.of(k.events()).assertConsistent();
        }
    }
}
