package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.mboxos.api.Down;
import org.mboxos.api.Errno;
import org.mboxos.api.Message;
import org.mboxos.api.Program;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;

/** Monitors: any process learns that another ended, through a message in its inbox. */
class MonitorTest {
    private final CheckedPrograms checked = new CheckedPrograms();

    private final Program sleeper = checked.prog("sleeper", (sys, args) -> {
        sys.sleep(600_000);
        return 0;
    });

    private final Program exits = checked.prog("exits", (sys, args) -> Integer.parseInt(args.get(0)));

    @Test
    void aMonitorThatIsNotTheParentLearnsOfAKillAndOfAnExit() {
        Program watcher = checked.prog("watcher", (sys, args) -> {
            long target = Long.parseLong(args.get(0));
            sys.monitor(target);
            sys.monitor(target); // twice is once
            Message m = sys.myreceive(Recv.upTo(64));
            assertEquals(new Down(target, Sys.KILLED), Down.of(m));
            assertEquals(0, m.sender(), "the kernel sends it");
            assertEquals(Errno.EAGAIN, assertThrows(SysError.class,
                    () -> sys.myreceive(Recv.upTo(64).noWait())).errno(), "one message, not two");
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long s = sys.spawn("sleeper");
            long w = sys.spawn("watcher", Long.toString(s));
            Ps.awaitBlockedIn(sys, w, "myreceive(any)");
            sys.kill(s);
            assertEquals(0, sys.waitpid(w));
            long e = sys.spawn("exits", "7");
            assertEquals(7, sys.waitpid(e));
            sys.monitor(e); // already ended: the message comes at once
            assertEquals(new Down(e, 7), Down.of(sys.myreceive(Recv.upTo(64))));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, sleeper, watcher, exits)) {
            checked.run(k);
        }
    }

    @Test
    void demonitorCancelsAndBadPidsFail() {
        Program init = checked.prog("init", (sys, args) -> {
            long e = sys.spawn("sleeper");
            sys.monitor(e);
            sys.demonitor(e);
            sys.kill(e);
            assertEquals(Sys.KILLED, sys.waitpid(e));
            assertEquals(0, sys.myreceive(-1, new byte[64], false), "no message after demonitor");
            assertEquals(Errno.ESRCH, assertThrows(SysError.class, () -> sys.monitor(4242)).errno());
            assertEquals(Errno.EINVAL, assertThrows(SysError.class, () -> sys.monitor(0)).errno());
            assertEquals(Errno.EINVAL, assertThrows(SysError.class, () -> sys.monitor(sys.getpid())).errno());
            assertNull(Down.of(new Message(5, "DOWN 1 2".getBytes())), "only the kernel sends monitor messages");
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, sleeper)) {
            checked.run(k);
        }
    }
}
