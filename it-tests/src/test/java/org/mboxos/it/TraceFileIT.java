package org.mboxos.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mboxos.it.LauncherHarness.events;
import static org.mboxos.it.LauncherHarness.num;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code run demo --trace FILE}: the trace a user gets is well-formed and tells the run's story. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceFileIT {
    private Path file;
    private LauncherHarness run;
    private List<Map<String, Object>> trace;

    @BeforeAll
    void runDemoWithATrace(@TempDir Path tmp) {
        file = tmp.resolve("demo.jsonl");
        run = LauncherHarness.run("run", "demo", "--trace", file.toString());
        assertEquals(0, run.awaitExit(), run.describe());
        trace = LauncherHarness.readTrace(file);
    }

    @Test
    void everyLineIsOneJsonObjectWithTheCommonFields() throws IOException {
        List<String> lines = Files.readAllLines(file, UTF_8);
        assertFalse(lines.isEmpty(), "the trace is empty");
        assertEquals(lines.size(), trace.size());
        for (String line : lines) {
            assertTrue(line.startsWith("{\"seq\":") && line.endsWith("}"), line);
        }
        for (Map<String, Object> e : trace) {
            assertInstanceOf(Long.class, e.get("seq"), e.toString());
            assertInstanceOf(Long.class, e.get("t"), e.toString());
            assertInstanceOf(String.class, e.get("ev"), e.toString());
            assertInstanceOf(Long.class, e.get("pid"), e.toString());
            assertInstanceOf(String.class, e.get("prog"), e.toString());
            assertEquals(List.of("seq", "t", "ev", "pid", "prog"), List.copyOf(e.keySet()).subList(0, 5),
                    "the common fields come first: " + e);
        }
    }

    @Test
    void seqStrictlyIncreasesAndTimeNeverGoesBack() {
        for (int i = 1; i < trace.size(); i++) {
            Map<String, Object> prev = trace.get(i - 1);
            Map<String, Object> e = trace.get(i);
            assertTrue(num(e, "seq") > num(prev, "seq"), "seq increases: " + prev + " then " + e);
            assertTrue(num(e, "t") >= num(prev, "t"), "t does not decrease: " + prev + " then " + e);
        }
        assertTrue(num(trace.get(0), "t") >= 0, "t counts from boot");
        assertEquals("boot", trace.get(0).get("ev"), "the trace starts at boot");
    }

    @Test
    void theLifecycleEventsAreAllThere() {
        Set<String> kinds = trace.stream().map(e -> (String) e.get("ev")).collect(Collectors.toSet());
        for (String ev : List.of("spawn", "exit", "kill", "wait-begin", "wait-end", "sleep", "wake", "print")) {
            assertTrue(kinds.contains(ev), "no '" + ev + "' event; kinds: " + kinds);
        }
        // demo (pid 1) and its three workers: quick (2), doomed (3), steady (4).
        List<Map<String, Object>> spawns = events(trace, "spawn");
        assertEquals(List.of(1L, 2L, 3L, 4L), spawns.stream().map(e -> num(e, "child")).toList());
        assertEquals(List.of("demo", "worker", "worker", "worker"),
                spawns.stream().map(e -> e.get("program")).toList());
        assertEquals(List.of("doomed", "50", "100"), spawns.get(2).get("args"));
        assertEquals(Set.of(1L, 2L, 3L, 4L),
                events(trace, "exit").stream().map(e -> num(e, "pid")).collect(Collectors.toSet()),
                "every process exits exactly once");
        assertEquals(4, events(trace, "exit").size());
        assertEquals(3, events(trace, "wait-begin").size(), "demo waits for each worker");
        assertEquals(3, events(trace, "wait-end").size(), "and each wait ends");
    }

    @Test
    void theKillSaysWhoKilledWhomAndWhereItWasBlocked() {
        List<Map<String, Object>> kills = events(trace, "kill");
        assertEquals(1, kills.size(), kills.toString());
        Map<String, Object> kill = kills.get(0);
        assertEquals(3L, num(kill, "pid"), "demo kills doomed, pid 3: " + kill);
        assertEquals("worker", kill.get("prog"));
        assertEquals(1L, num(kill, "killer"), kill.toString());
        assertTrue(kill.containsKey("blocked_in"), kill.toString());
        String blockedIn = (String) kill.get("blocked_in");
        assertTrue(blockedIn.isEmpty() || blockedIn.equals("sleep(100 ms)"), "doomed only ever sleeps: " + kill);

        Map<String, Object> exit = events(trace, "exit").stream().filter(e -> num(e, "pid") == 3).findFirst()
                .orElseThrow();
        assertEquals("killed", exit.get("how"), exit.toString());
        assertEquals(-9L, num(exit, "status"), exit.toString());
        assertTrue(num(exit, "seq") > num(kill, "seq"), "the exit follows the kill");
        Map<String, Object> waitEnd = events(trace, "wait-end").stream().filter(e -> num(e, "waited_for") == 3)
                .findFirst().orElseThrow();
        assertEquals(-9L, num(waitEnd, "status"), waitEnd.toString());
    }

    @Test
    void thePrintEventsAreWhatWasPrinted() {
        String printed = events(trace, "print").stream().map(e -> (String) e.get("text")).collect(Collectors.joining());
        assertEquals(run.screen(), printed, "demo only prints streams");
        // demo prints whole lines: stdout's lines are among the printed ones, and demo's story is there.
        List<String> printedLines = List.of(printed.split("\n"));
        List<String> remaining = new ArrayList<>(printedLines);
        for (String line : run.outLines()) {
            assertTrue(remaining.remove(line), "stdout line '" + line + "' was not printed (or printed once less)\n"
                    + run.describe());
        }
        assertTrue(printedLines.contains("demo: I am pid 1"), printed);
        assertTrue(printedLines.contains("demo: started workers 2, 3 and 4"), printed);
        assertTrue(printedLines.contains("demo: killed worker 3; its status is -9 (killed)"), printed);
        assertTrue(printedLines.contains("demo: worker 4 exited with status 4"), printed);
    }

    /**
     * Runs that print just before pid 1 exits: stdout must have every line the trace says the
     * programs printed. Each run is repeated, since what is lost depends on timing.
     */
    @Test
    void stdoutHasEverythingTheProgramsPrinted() {
        List<String[]> commands = List.of(
                new String[] {"run", "shell", "--keys", "kill abc\\nwait x1\\nexit\\n"},
                new String[] {"run", "help"},
                new String[] {"run", "barrier", "6"},
                new String[] {"run", "disastros", "2", "3", "3", "10", "10"},
                new String[] {"run", "demo"});
        for (String[] command : commands) {
            for (int i = 0; i < 8; i++) {
                LauncherHarness run = LauncherHarness.run(command);
                // Lines compared as sorted lists: processes printing at once may interleave differently.
                List<String> out = new ArrayList<>(run.outLines());
                List<String> screen = new ArrayList<>(run.screenLines());
                Collections.sort(out);
                Collections.sort(screen);
                assertEquals(screen, out, "run " + i + " lost output\n" + run.describe());
            }
        }
    }

    @Test
    void everySleepIsFollowedByItsWakeOrItsKill() {
        for (Map<String, Object> sleep : events(trace, "sleep")) {
            long pid = num(sleep, "pid");
            boolean ended = trace.stream()
                    .filter(e -> num(e, "seq") > num(sleep, "seq") && num(e, "pid") == pid)
                    .anyMatch(e -> "wake".equals(e.get("ev")) || "kill".equals(e.get("ev")));
            assertTrue(ended, "pid " + pid + " never woke from " + sleep);
        }
    }
}
