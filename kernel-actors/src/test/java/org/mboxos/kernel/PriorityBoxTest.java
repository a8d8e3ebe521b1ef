package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mboxos.api.Errno;
import org.mboxos.api.Program;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;

/** Boxes opened with PRIORITY: highest priority first, FIFO within one; plain boxes stay FIFO. */
class PriorityBoxTest {
    private final CheckedPrograms checked = new CheckedPrograms();

    private static Errno errnoOf(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(SysError.class, call).errno();
    }

    @Test
    void aReceiveTakesTheHighestPriorityFirstAndFifoWithinOne() {
        Program init = checked.prog("init", (sys, args) -> {
            int box = sys.mboxOpen("prio", 0, Sys.Open.CREATE, Sys.Open.PRIORITY);
            String[][] sends = {{"a", "1"}, {"b", "5"}, {"c", "1"}, {"d", "31"}, {"e", "5"}, {"f", "0"}};
            for (String[] s : sends) {
                sys.mboxSend(box, s[0].getBytes(), Integer.parseInt(s[1]), Sys.FOREVER);
            }
            List<String> got = new ArrayList<>();
            for (int i = 0; i < sends.length; i++) {
                got.add(sys.mboxRecv(box, Recv.upTo(4)).text());
            }
            assertEquals(List.of("d", "b", "e", "a", "c", "f"), got);
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.mboxSend(box, new byte[] {1}, 32, Sys.FOREVER)));
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.mboxSend(box, new byte[] {1}, -1, Sys.FOREVER)));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            checked.run(k);
        }
    }

    @Test
    void plainBoxesTakeOnlyPriorityZeroAndCannotBeReopenedWithPriorities() {
        Program init = checked.prog("init", (sys, args) -> {
            int plain = sys.mboxOpen("plain");
            sys.mboxSend(plain, new byte[] {1}, 0, 0);
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.mboxSend(plain, new byte[] {2}, 1, Sys.FOREVER)));
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.mboxOpen("plain", 0, Sys.Open.CREATE, Sys.Open.PRIORITY)));
            assertEquals(1, sys.mboxRecv(plain, 4)[0]);
            int prio = sys.mboxOpen("prio", 0, Sys.Open.CREATE, Sys.Open.PRIORITY);
            assertEquals(prio + 1, sys.mboxOpen("prio"), "a priority box opens without the flag too");
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            checked.run(k);
        }
    }

    @Test
    void aWaitingReceiverGetsTheMessageAndASenderFromAPriorityBoxIsTracedWithItsPriority() {
        Program rx = checked.prog("rx", (sys, args) -> {
            int box = sys.mboxOpen("p", 0, Sys.Open.CREATE, Sys.Open.PRIORITY);
            assertEquals("hi", sys.mboxRecv(box, Recv.upTo(4)).text());
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int box = sys.mboxOpen("p", 0, Sys.Open.CREATE, Sys.Open.PRIORITY);
            long r = sys.spawn("rx");
            Ps.awaitBlockedIn(sys, r, "mbox_recv(p)");
            sys.mboxSend(box, "hi".getBytes(), 7, Sys.FOREVER);
            assertEquals(0, sys.waitpid(r));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, rx)) {
            checked.run(k);
            assertEquals(7L, k.events("send").get(0).getLong("priority"));
        }
    }
}
