package org.mboxos.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A user at the shell, with the keys scripted up front ({@code run shell --keys ...}).
 *
 * <p>The scripts do not depend on timing: the shell handles one line at a time and its
 * built-ins block (ps, mboxes, kill, wait), long-lived workers ({@code worker NAME 1 30000}
 * sleeps 30 s before its only tick) are still there whenever ps looks, and {@code wait}
 * synchronises with short ones. Pids are predictable because only the shell spawns (pid 1,
 * then 2, 3, ...); each test checks the pid it kills against the "Started process PID=N" line.
 * Every run carries a {@code --for} guard so that a hung shell cannot outlive its test; the
 * tests then check that the run ended on its own (no "stopped after" on stderr). Assertions are
 * on {@link LauncherHarness#screen()}, the session's complete console output.
 */
class ShellIT {
    private static final String PS_HEADER = "  PID  PPID  PROGRAM      STATE    BLOCKED IN";
    private static final Pattern STARTED = Pattern.compile("Started process PID=(\\d+)");
    private static final Pattern MBOXES_HEADER =
            Pattern.compile("(?m)^NAME\\s+USAGE\\s+QUEUED\\s+CAPACITY\\s+SENDERS\\s+RECEIVERS\\s*$");
    private static final Pattern KEYBOARD_ROW = Pattern.compile("(?m)^keyboard\\s+\\d+\\s+\\d+\\s+128\\s+\\d+\\s+\\d+\\s*$");

    /** The shell lines as one --keys argument, written the way a user types it on the command line. */
    private static String keys(String... lines) {
        return String.join("\\n", lines) + "\\n";
    }

    private static LauncherHarness shell(String keys, String... options) {
        List<String> argv = new ArrayList<>(List.of("run", "shell", "--for", "25s", "--keys", keys));
        argv.addAll(List.of(options));
        return LauncherHarness.start(argv.toArray(String[]::new));
    }

    /** Asserts the run ended by itself with status 0 (the shell's exit), not by the --for guard. */
    private static void assertExitedNormally(LauncherHarness run) {
        int status = run.awaitExit();
        assertFalse(run.err().contains("stopped after"), "the shell did not exit by itself\n" + run.describe());
        assertEquals(0, status, run.describe());
        assertTrue(LauncherHarness.events(run.trace(), "key-dropped").isEmpty(), "every scripted key arrived\n"
                + run.describe());
    }

    private static List<Long> startedPids(String out) {
        List<Long> pids = new ArrayList<>();
        Matcher m = STARTED.matcher(out);
        while (m.find()) {
            pids.add(Long.parseLong(m.group(1)));
        }
        return pids;
    }

    /** The rows of the {@code n}th ps listing (from 0): the lines after its header up to the next prompt. */
    private static String psListing(String out, int n) {
        int at = -1;
        for (int i = 0; i <= n; i++) {
            at = out.indexOf(PS_HEADER, at + 1);
            if (at < 0) {
                throw new AssertionError("no ps listing #" + n + " in\n" + out);
            }
        }
        int from = at + PS_HEADER.length();
        int prompt = out.indexOf("$ ", from);
        return out.substring(from, prompt < 0 ? out.length() : prompt);
    }

    private static boolean hasRow(String listing, String rowRegex) {
        return Pattern.compile("(?m)^" + rowRegex + "\\s*$").matcher(listing).find();
    }

    /** Asserts that the fragments appear in {@code out} in this order. */
    private static void assertInOrder(String out, String... fragments) {
        int at = 0;
        for (String f : fragments) {
            int found = out.indexOf(f, at);
            assertTrue(found >= 0, "expected '" + f + "' after offset " + at + " in\n" + out);
            at = found + f.length();
        }
    }

    @Test
    void scriptedSessionSpawnsListsWaitsKillsAndExits() {
        String wprkerFixed = "wprker" + "\\b".repeat(5) + "orker b 2 10"; // "wprker" minus 5 keys = "w"
        LauncherHarness run = shell(keys(
                "worker a 1 30000", // pid 2: asleep for 30 s
                wprkerFixed,        // pid 3: two ticks 10 ms apart, exits with status 2
                "ps",
                "mboxes",
                "wait 3",
                "kill 2",
                "ps",
                "wait 2",
                "nosuch",
                "exit"));

        long workerA = startedPids(run.awaitOut("Started process PID=")).get(0);
        assertEquals(2, workerA, "the script kills pid 2, the first process the shell spawns\n" + run.describe());
        assertExitedNormally(run);
        String out = run.screen();

        assertTrue(out.startsWith("mboxos shell (pid 1). Type help for the commands."), run.describe());
        // Backspace editing: "wprker" and five backspaces, then "orker ..." spawned the worker.
        assertEquals(List.of(2L, 3L), startedPids(out), run.describe());
        assertTrue(out.contains("b(3): tick 1") && out.contains("b(3): tick 2"), run.describe());
        assertTrue(out.contains("\b \b"), "backspace is echoed as \\b \\b\n" + run.describe());

        String ps1 = psListing(out, 0);
        assertTrue(hasRow(ps1, "\\s*1\\s+0\\s+shell\\s+blocked\\s+ps"), "shell row in\n" + ps1);
        assertTrue(hasRow(ps1, "\\s*2\\s+1\\s+worker\\s+(running|blocked\\s+sleep\\(30000 ms\\))"),
                "worker a is listed with its state in\n" + ps1);

        assertTrue(MBOXES_HEADER.matcher(out).find(), "mboxes header\n" + run.describe());
        assertTrue(KEYBOARD_ROW.matcher(out).find(), "mboxes lists the keyboard buffer\n" + run.describe());

        assertTrue(out.contains("Process 3 exited with status 2\n"), run.describe());
        assertTrue(out.contains("Killed process PID=" + workerA + "\n"), run.describe());

        String ps2 = psListing(out, 1);
        assertTrue(hasRow(ps2, "\\s*1\\s+0\\s+shell\\s+blocked\\s+ps"), "shell row in\n" + ps2);
        assertFalse(Pattern.compile("(?m)^\\s*2\\s+").matcher(ps2).find(), "killed pid 2 is gone from\n" + ps2);
        assertFalse(Pattern.compile("(?m)^\\s*3\\s+").matcher(ps2).find(), "ended pid 3 is gone from\n" + ps2);

        assertTrue(out.contains("Process 2 exited with status -9\n"), "a killed process's status is -9\n"
                + run.describe());
        assertTrue(out.contains("*** Error: nosuch not found ***\n"), run.describe());
        assertEquals(1, out.split("\\*\\*\\* Error:", -1).length - 1, "only nosuch is an error\n" + run.describe());

        assertInOrder(out, "Started process PID=2", "Started process PID=3", PS_HEADER, "NAME ",
                "Process 3 exited with status 2", "Killed process PID=2", PS_HEADER,
                "Process 2 exited with status -9", "*** Error: nosuch not found ***");
    }

    @Test
    void spawningPastTheProcessTableIsAnErrorUntilASlotIsFreed() {
        LauncherHarness run = shell(keys(
                "worker a 1 30000", // pid 2
                "worker b 1 30000", // pid 3: shell, a and b fill the 3 slots
                "worker c 1 10",    // fails
                "kill 2",
                "worker d 1 10",    // pid 4 in the freed slot
                "wait 4",
                "exit"), "--set", "kernel.num-pcbs=3");
        assertEquals(2, startedPids(run.awaitOut("Started process PID=")).get(0), run.describe());
        assertExitedNormally(run);
        String out = run.screen();
        assertEquals(List.of(2L, 3L, 4L), startedPids(out), run.describe());
        assertInOrder(out, "Started process PID=2", "Started process PID=3", "*** Error: process table full ***",
                "Killed process PID=2", "Started process PID=4", "d(4): tick 1", "Process 4 exited with status 1");
        assertFalse(out.contains("c("), "worker c never ran\n" + run.describe());
    }

    @Test
    void exitEndsTheRunWithStatusZero() {
        LauncherHarness run = shell(keys("exit"));
        assertExitedNormally(run);
        assertEquals("mboxos shell (pid 1). Type help for the commands.\n$ exit\n", run.screen(), run.describe());
    }

    @Test
    void aWordThatIsNotAPidIsReportedAndTheShellCarriesOn() {
        LauncherHarness run = shell(keys("kill abc", "wait x1", "exit"));
        assertExitedNormally(run);
        assertInOrder(run.screen(), "*** Error: kill wants a pid ***", "*** Error: wait wants a pid ***");
    }

    @Test
    void helpListsTheBuiltIns() {
        LauncherHarness run = shell(keys("help", "wait 2", "exit"));
        assertExitedNormally(run);
        // help prints as soon as it runs, so its text may come before or after "Started process".
        assertTrue(run.screen().contains("Started process PID=2\n"), run.describe());
        assertInOrder(run.screen(), "shell built-ins:", "kill PID", "wait PID", "Process 2 exited with status 0");
    }

    @Test
    void aBuiltInWithoutItsPidIsReportedAndTheShellCarriesOn() {
        LauncherHarness run = shell(keys("kill", "wait", "exit"));
        assertExitedNormally(run);
        assertInOrder(run.screen(), "$ kill\n*** Error:", "$ wait\n*** Error:");
    }
}
