package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Predicate;
import org.mboxos.api.ProcInfo;
import org.mboxos.api.Sys;

/** What ps says about one process, for programs in tests that wait for another to block. */
final class Ps {
    private Ps() {}

    /** {@code pid}'s row in ps, or null once it has ended. */
    static ProcInfo row(Sys sys, long pid) {
        return sys.ps().stream().filter(p -> p.pid() == pid).findFirst().orElse(null);
    }

    static boolean inPs(Sys sys, long pid) {
        return row(sys, pid) != null;
    }

    /** Waits (see {@link CheckedPrograms#eventually}) until {@code pid} is blocked in exactly {@code call}. */
    static ProcInfo awaitBlockedIn(Sys sys, long pid, String call) {
        return awaitRow(sys, pid, call::equals);
    }

    /** Waits until {@code pid} is blocked in a call that starts with {@code prefix}, e.g. "sleep". */
    static ProcInfo awaitBlockedInPrefix(Sys sys, long pid, String prefix) {
        return awaitRow(sys, pid, c -> c.startsWith(prefix));
    }

    static void assertBlockedIn(Sys sys, long pid, String call) {
        ProcInfo p = row(sys, pid);
        assertTrue(blocked(p, call::equals), "pid " + pid + " should be blocked in " + call + ": " + p);
    }

    static void assertBlockedInPrefix(Sys sys, long pid, String prefix) {
        ProcInfo p = row(sys, pid);
        assertTrue(blocked(p, c -> c.startsWith(prefix)), "pid " + pid + " should still be blocked in " + prefix + ": " + p);
    }

    private static ProcInfo awaitRow(Sys sys, long pid, Predicate<String> call) {
        ProcInfo[] last = new ProcInfo[1];
        CheckedPrograms.eventually().alias("pid " + pid + " blocks").until(() -> blocked(last[0] = row(sys, pid), call));
        return last[0];
    }

    private static boolean blocked(ProcInfo p, Predicate<String> call) {
        return p != null && p.state().equals("blocked") && call.test(p.blockedIn());
    }
}
