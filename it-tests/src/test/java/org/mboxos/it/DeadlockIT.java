package org.mboxos.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deadlocks through the launcher: every kind of the {@code deadlock} program makes {@code run}
 * report the deadlock on stderr and exit 3 instead of hanging; refuse mode lets the definite
 * kinds end; and the seed programs are never reported.
 */
class DeadlockIT {

    private static List<Map<String, Object>> deadlocks(LauncherHarness run) {
        return LauncherHarness.events(run.trace(), "deadlock");
    }

    @ParameterizedTest
    @ValueSource(strings = {"waitpid", "lock", "rendezvous", "receive", "mixed", "box", "semaphore", "condition",
            "barrier", "keyboard"})
    void everyProcessDeadlockedEndsTheRunWithStatus3(String kind) {
        LauncherHarness run = LauncherHarness.run("run", "deadlock", kind);
        assertEquals(3, run.awaitExit(), run.describe());
        assertTrue(run.err().contains("mboxos: deadlock: every process is blocked"), run.describe());
        // a deadlock among the helpers may be reported first; pid 1 joining it makes the whole system's
        List<Map<String, Object>> found = deadlocks(run);
        Map<String, Object> last = found.get(found.size() - 1);
        long processes = kind.equals("keyboard") ? 1 : kind.equals("mixed") ? 4 : 3;
        assertEquals(true, last.get("whole_system"), run.describe());
        assertEquals(processes, ((List<?>) last.get("members")).size(), run.describe());
        assertEquals(processes, ((List<?>) last.get("waits")).size(), run.describe());
    }

    @Test
    void theSameInLotteryModeAndTheMessageNamesEveryWait() {
        LauncherHarness run = LauncherHarness.run("run", "deadlock", "lock", "--set", "kernel.scheduler=lottery",
                "--seed", "3");
        assertEquals(3, run.awaitExit(), run.describe());
        assertTrue(run.err().contains("mboxos:   2 deadlock: lock_acquire(lock-b)"), run.describe());
        assertTrue(run.err().contains("mboxos:   3 deadlock: lock_acquire(lock-a)"), run.describe());
        assertTrue(run.err().contains("mboxos:   1 deadlock: wait(2)"), run.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"waitpid", "lock", "rendezvous", "receive", "mixed"})
    void refuseModeEndsTheDefiniteKinds(String kind) {
        LauncherHarness run = LauncherHarness.run("run", "deadlock", kind, "--set", "kernel.deadlock=refuse",
                "--for", "20s");
        int status = run.awaitExit();
        assertTrue(status != 3 && !run.err().contains("stopped after"), run.describe());
        assertTrue(run.screen().contains("refused: "), run.describe());
        assertEquals(List.of(), deadlocks(run), run.describe());
    }

    @Test
    void offModeNeitherReportsNorExits() {
        LauncherHarness run = LauncherHarness.run("run", "deadlock", "waitpid", "--set", "kernel.deadlock=off",
                "--set", "kernel.scheduler=lottery", "--for", "1s");
        assertEquals(0, run.awaitExit(), run.describe());
        assertTrue(run.err().contains("stopped after"), run.describe());
        assertEquals(List.of(), deadlocks(run));
    }

    @Test
    void theSeedProgramsAreNeverReported() {
        List<LauncherHarness> runs = List.of(
                LauncherHarness.run("run", "robinhood", "--set", "kernel.scheduler=lottery", "--seed", "5",
                        "--for", "2m"),
                LauncherHarness.run("run", "robinhood", "--for", "3s"),
                LauncherHarness.run("run", "shell", "--for", "20s", "--keys",
                        "consumer 3\\nproducer 3 10\\nps\\nwait 2\\nwait 3\\nbarrier 4\\nexit\\n"),
                LauncherHarness.run("run", "barrier", "6", "--for", "20s"),
                LauncherHarness.run("run", "disastros", "--for", "20s"),
                LauncherHarness.run("run", "disastros", "--set", "kernel.scheduler=lottery", "--for", "1m"));
        for (LauncherHarness run : runs) {
            assertTrue(run.awaitExit() != 3, run.describe());
            assertEquals(List.of(), deadlocks(run), run.describe());
        }
    }
}
