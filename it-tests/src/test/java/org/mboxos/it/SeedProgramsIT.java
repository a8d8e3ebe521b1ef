package org.mboxos.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mboxos.it.LauncherHarness.events;
import static org.mboxos.it.LauncherHarness.num;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed programs, run as pid 1 through the launcher the way a user runs them. */
class SeedProgramsIT {
    private static final String ROBIN_BOX = "Robin-Hood-Publish-PID";
    private static final String JOHN_BOX = "Little-John-Publish-PID";
    private static final Pattern SHERIFF_FOILED =
            Pattern.compile("Egads! Robin\\(\\d+\\) lives!|Blimey! Little John\\(\\d+\\) is alive again!");

    @TempDir
    Path tmp;

    private static List<String> matching(List<String> lines, String regex) {
        Pattern p = Pattern.compile(regex);
        return lines.stream().filter(l -> p.matcher(l).matches()).toList();
    }

    private static List<String> found(String text, String regex) {
        List<String> all = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            all.add(m.group());
        }
        return all;
    }

    // ---- barrier ---------------------------------------------------------------------------

    /** Members as "P<pid>" from lines "P<pid> before barrier" / "P<pid> after barrier". */
    private static Set<String> members(List<String> lines) {
        return lines.stream().map(l -> l.split(" ")[0]).collect(Collectors.toSet());
    }

    @Test
    void barrierOfSixLetsNobodyPassBeforeEveryoneArrived() {
        LauncherHarness run = LauncherHarness.run("run", "barrier", "6");
        List<String> lines = run.screenLines();
        List<String> before = matching(lines, "P\\d+ before barrier");
        List<String> after = matching(lines, "P\\d+ after barrier");
        assertEquals(6, before.size(), run.describe());
        assertEquals(6, members(before).size(), "six distinct members arrive\n" + run.describe());
        assertFalse(after.isEmpty(), run.describe());
        assertTrue(members(before).containsAll(members(after)), run.describe());
        int lastBefore = before.stream().mapToInt(lines::indexOf).max().orElseThrow();
        int firstAfter = after.stream().mapToInt(lines::indexOf).min().orElseThrow();
        assertTrue(lastBefore < firstAfter, "every 'before' precedes every 'after'\n" + run.describe());
    }

    @Test
    void barrierOfSixAlwaysPassesAndExitsZero() {
        for (int i = 0; i < 40; i++) { // the race hits about one run in ten
            LauncherHarness run = LauncherHarness.run("run", "barrier", "6");
            List<String> lines = run.screenLines();
            assertEquals(0, run.awaitExit(), "run " + i + "\n" + run.describe());
            assertEquals(6, matching(lines, "P\\d+ before barrier").size(), run.describe());
            assertEquals(6, matching(lines, "P\\d+ after barrier").size(), run.describe());
            assertTrue(lines.contains("barrier: all 6 processes passed"), run.describe());
            assertTrue(events(run.trace(), "crash").isEmpty(), run.describe());
        }
    }

    // ---- disastros -------------------------------------------------------------------------

    @Test
    void disastrosBalancesEveryMailboxAndLosesNoMessage() {
        Path trace = tmp.resolve("disastros.jsonl");
        LauncherHarness run = LauncherHarness.run("run", "disastros", "--config",
                LauncherHarness.configFile("disastros.conf"), "--trace", trace.toString());
        assertEquals(0, run.awaitExit(), run.describe());
        List<String> balanced = matching(run.screenLines(),
                "mailbox-[0-7]: \\(messages sent - messages received\\) = 0");
        assertEquals(8, balanced.size(), run.describe());
        assertEquals(8, new HashSet<>(balanced).size(), "one line per mailbox\n" + run.describe());
        assertTrue(run.screenLines().contains("TOTAL SCORE 0 -> SUCCESS :)"), run.describe());

        List<Map<String, Object>> events = run.trace();
        int messages = 8 * 10 * 130;
        assertEquals(messages, events(events, "send").size(), "send events");
        assertEquals(messages, events(events, "recv").size(), "recv events");
        assertEquals(0, events(events, "discard").size(), "no message discarded");
        assertEquals(1 + 8 + 8 * 20, events(events, "spawn").size(), "init, 8 children, 8 x 20 workers");
        assertTrue(events(events, "exit").stream().allMatch(e -> "exit".equals(e.get("how"))),
                "every process exits by itself");
    }

    @Test
    void disastrosWithUnbalancedCountsFailsLoudly() {
        LauncherHarness run = LauncherHarness.run("run", "disastros", "2", "3", "3", "10", "11");
        assertEquals(2, run.awaitExit(), run.describe());
        assertTrue(run.screen().contains("disastros: FAILURE: 3 senders x 10 messages != 3 receivers x 11 messages"),
                run.describe());
        assertFalse(run.screen().contains("SUCCESS"), run.describe());
        assertTrue(events(run.trace(), "spawn").size() == 1, "nothing is started\n" + run.describe());
    }

    // ---- robinhood -------------------------------------------------------------------------

    @Test
    void robinhoodOutwitsTheSheriff() {
        robinhood(tmp.resolve("robinhood.jsonl"));
    }

    @Test
    void robinhoodRunsWithinTheTeachingKernelsLimits() {
        robinhood(tmp.resolve("robinhood-teaching.jsonl"), "--config", LauncherHarness.configFile("teaching.conf"));
    }

    private static void robinhood(Path trace, String... options) {
        List<String> argv = new ArrayList<>(List.of("run", "robinhood", "200", "50", "50", "--for", "4s", "--seed", "3",
                "--trace", trace.toString()));
        argv.addAll(List.of(options));
        LauncherHarness run = LauncherHarness.run(argv.toArray(String[]::new));
        assertEquals(0, run.awaitExit(), run.describe());
        assertTrue(run.err().contains("stopped after"), "robinhood never ends; --for stops it\n" + run.describe());
        String out = run.out(); // the run goes on for seconds after these lines: stdout has them
        assertTrue(out.contains("[row 0] Robin Hood and Little John versus the Sheriff of Nottingham"), run.describe());
        assertTrue(Pattern.compile("(?m)^\\[row 1\\] Robin Hood\\(\\d+\\): Rob from the rich$").matcher(out).find(),
                run.describe());
        assertTrue(Pattern.compile("(?m)^\\[row 2\\] Little John\\(\\d+\\): and give to the poor!$").matcher(out)
                .find(), run.describe());
        assertTrue(Pattern.compile("(?m)^\\[row [12]\\] .*\\(\\d+\\): I'm coming to save you$").matcher(out).find(),
                run.describe());
        Matcher foiled = SHERIFF_FOILED.matcher(out);
        int rebirths = 0;
        while (foiled.find()) {
            rebirths++;
        }
        assertTrue(rebirths >= 2, "the Sheriff saw at least two outlaws come back, not " + rebirths + "\n"
                + run.describe());

        List<Map<String, Object>> events = run.trace();
        int live = 0;
        int most = 0;
        for (Map<String, Object> e : events) {
            if ("spawn".equals(e.get("ev"))) {
                live++;
            } else if ("exit".equals(e.get("ev"))) {
                live--;
            }
            most = Math.max(most, live);
        }
        assertTrue(most <= 5, "at most 5 live processes, saw " + most);
        assertTrue(most >= 4, "robinhood, Robin, John and the Sheriff were all alive at once");
        assertTrue(events(events, "kill").size() >= 2, "the Sheriff killed at least twice");
        for (String box : List.of(ROBIN_BOX, JOHN_BOX)) {
            List<Map<String, Object>> opens = events(events, "mbox-open").stream()
                    .filter(e -> box.equals(e.get("name"))).toList();
            assertFalse(opens.isEmpty(), box + " was opened");
            long usage = opens.stream().mapToLong(e -> num(e, "usage")).max().orElseThrow();
            assertTrue(usage <= 3, box + " is open at most 3 times at once, saw " + usage);
        }
    }

    // ---- producer and consumer -------------------------------------------------------------

    @Test
    void producerAndConsumerMeetAtTheBoxThroughTheShell() {
        // The consumer opens (and creates) theMbox first and blocks in mbox_recv; the producer holds
        // the box for at least 3 x 100 ms, so the box lives until every number is through.
        LauncherHarness run = LauncherHarness.run("run", "shell", "--for", "25s", "--keys",
                "consumer 3\\nproducer 3 100\\nwait 2\\nwait 3\\nmboxes\\nexit\\n");
        assertEquals(0, run.awaitExit(), run.describe());
        assertFalse(run.err().contains("stopped after"), run.describe());
        // Their lines may follow the shell's prompt or echo on the same line: find them anywhere.
        assertEquals(List.of("consumer: got 0", "consumer: got 1", "consumer: got 2"),
                found(run.screen(), "consumer: got \\d+"), run.describe());
        assertEquals(List.of("producer: sent 0", "producer: sent 1", "producer: sent 2"),
                found(run.screen(), "producer: sent \\d+"), run.describe());
        assertTrue(run.screen().contains("Process 2 exited with status 0\n"), run.describe());
        assertTrue(run.screen().contains("Process 3 exited with status 0\n"), run.describe());
        assertTrue(run.screen().contains("keyboard "), run.describe());
        assertFalse(run.screen().contains("theMbox"), "the box is freed at its last close\n" + run.describe());
    }

    @Test
    void producerAloneSendsAndExits() {
        LauncherHarness run = LauncherHarness.run("run", "producer", "3", "10");
        assertEquals(0, run.awaitExit(), run.describe());
        // producer sleeps after each send, so stdout has the last line before it exits.
        assertEquals(List.of("producer: sent 0", "producer: sent 1", "producer: sent 2"), run.outLines(),
                run.describe());
        assertEquals(run.outLines(), run.screenLines(), run.describe());
    }

    // ---- demo, count, plane ----------------------------------------------------------------

    @Test
    void demoKillsAWorkerAndExitsZero() {
        LauncherHarness run = LauncherHarness.run("run", "demo");
        assertEquals(0, run.awaitExit(), run.describe());
        String out = run.screen();
        assertTrue(out.contains("demo: killed worker 3; its status is -9 (killed)"), run.describe());
        assertTrue(out.contains("demo: worker 2 exited with status 2"), run.describe());
        assertTrue(out.contains("demo: worker 4 exited with status 4"), run.describe());
        assertFalse(out.contains("doomed(3): tick 5"), "doomed was killed long before\n" + run.describe());
        // steady ticks on for 200 ms after the kill, so the kill is on stdout too.
        assertTrue(run.out().contains("demo: killed worker 3"), run.describe());
    }

    @Test
    void countUpdatesItsScreenRow() {
        LauncherHarness run = LauncherHarness.run("run", "count", "3", "10");
        assertEquals(0, run.awaitExit(), run.describe());
        // count sleeps after each step, so stdout has the last row update before it exits.
        assertEquals(List.of("[row 10] count (pid 1): 1", "[row 10] count (pid 1): 2", "[row 10] count (pid 1): 3"),
                run.outLines(), run.describe());
        assertEquals(run.outLines(), run.screenLines(), run.describe());
    }

    @Test
    void planeFliesAcrossItsRow() {
        LauncherHarness run = LauncherHarness.run("run", "plane", "6", "1", "5", "20");
        assertEquals(0, run.awaitExit(), run.describe());
        List<String> expected = new ArrayList<>(List.of("[row 6] "));
        IntStream.range(0, 15).forEach(x -> expected.add("[row 6] " + " ".repeat(x) + " ---=>"));
        assertEquals(expected, run.outLines(), run.describe()); // plane too sleeps after each frame
        assertEquals(expected, run.screenLines(), run.describe());
    }

    // ---- usage errors ----------------------------------------------------------------------

    @Test
    void unknownProgramIsAUsageError() {
        LauncherHarness run = LauncherHarness.run("run", "nosuch");
        assertEquals(2, run.awaitExit(), run.describe());
        assertEquals(1, run.errLines().size(), run.describe());
        assertTrue(run.err().contains("nosuch"), run.describe());
        assertEquals("", run.out(), run.describe());
    }

    @Test
    void badOptionIsAUsageError() {
        for (String[] argv : List.of(new String[] {"run", "--bogus", "demo"}, new String[] {"run", "demo", "--for"},
                new String[] {"run", "demo", "--for", "soon"}, new String[] {"run", "demo", "--seed", "x"})) {
            LauncherHarness run = LauncherHarness.run(argv);
            assertEquals(2, run.awaitExit(), run.describe());
            assertEquals(1, run.errLines().size(), run.describe());
            assertTrue(run.err().startsWith("mboxos: "), run.describe());
            assertEquals("", run.out(), run.describe());
        }
    }

    @Test
    void theSeedIsPrintedAndReplayable() {
        LauncherHarness run = LauncherHarness.run("run", "count", "1", "1", "--seed", "42");
        assertEquals(0, run.awaitExit(), run.describe());
        Set<String> err = new HashSet<>(run.errLines());
        assertTrue(err.contains("mboxos: seed 42, scheduler parallel (replay with --seed 42)"), run.describe());
    }
}
