package org.mboxos.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The sample programs of the IPC beyond the seeds: select, priorities, call/reply and monitors. */
class IpcProgramsIT {

    @Test
    void nameserverOutlawsFindEachOtherByCallAndReply() {
        LauncherHarness run = LauncherHarness.run("run", "nameserver");
        assertEquals(0, run.awaitExit(), run.describe());
        List<String> lines = run.screenLines();
        assertTrue(lines.stream().anyMatch(l -> l.matches("Robin \\(pid \\d+\\): John is pid \\d+")), run.describe());
        assertTrue(lines.stream().anyMatch(l -> l.matches("John \\(pid \\d+\\): Robin is pid \\d+")), run.describe());
    }

    @Test
    void watchdogLearnsHowEveryWorkerEnded() {
        LauncherHarness run = LauncherHarness.run("run", "watchdog");
        assertEquals(0, run.awaitExit(), run.describe());
        List<String> reports = run.screenLines().stream().filter(l -> l.startsWith("watchdog: pid")).toList();
        assertEquals(3, reports.size(), run.describe());
        assertEquals(1, reports.stream().filter(l -> l.endsWith("status -9 (killed)")).count(), run.describe());
    }

    @Test
    void prioritiesComeOutHighestFirst() {
        LauncherHarness run = LauncherHarness.run("run", "priorities", "12", "--seed", "5");
        assertEquals(0, run.awaitExit(), run.describe());
        List<Integer> order = run.screenLines().stream().filter(l -> l.startsWith("priorities: job"))
                .map(l -> Integer.parseInt(l.replaceAll(".*priority (\\d+)\\)", "$1"))).toList();
        assertEquals(12, order.size(), run.describe());
        for (int i = 1; i < order.size(); i++) {
            assertTrue(order.get(i - 1) >= order.get(i), "highest first: " + order);
        }
    }

    @Test
    void selectserverServesItsInboxAndTheKeyboard() {
        LauncherHarness run = LauncherHarness.run("run", "selectserver", "2", "3", "--keys", "aq",
                "--key-interval", "500ms");
        assertEquals(0, run.awaitExit(), run.describe());
        List<String> lines = run.screenLines();
        assertEquals(6, lines.stream().filter(l -> l.matches("selectserver: request from \\d+: job \\d")).count(),
                run.describe());
        assertTrue(lines.contains("selectserver: key 'a'"), run.describe());
        assertTrue(lines.contains("selectserver: key 'q'"), run.describe());
    }
}
