package org.mboxos.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trace tools on real deadlocked runs, one per kind of wait: the history still checks
 * clean, and the drawn picture shows the deadlock over its members with what each waits for.
 */
class DeadlockPicturesIT {

    @ParameterizedTest
    @ValueSource(strings = {"waitpid", "lock", "rendezvous", "receive", "mixed", "box", "semaphore", "condition",
            "barrier", "keyboard"})
    void aDeadlockedRunChecksCleanAndItsPictureShowsTheDeadlock(String kind, @TempDir Path dir) throws Exception {
        Path trace = dir.resolve(kind + ".jsonl");
        LauncherHarness run = LauncherHarness.run("run", "deadlock", kind, "--trace", trace.toString());
        assertEquals(3, run.awaitExit(), run.describe());

        LauncherHarness check = LauncherHarness.run("trace", "check", trace.toString());
        assertEquals(0, check.awaitExit(), check.describe());

        Path svg = dir.resolve(kind + ".svg");
        LauncherHarness draw = LauncherHarness.run("trace", "draw", trace.toString(), "-o", svg.toString());
        assertEquals(0, draw.awaitExit(), draw.describe());
        String text = TraceToolsIT.svgText(Files.readString(svg, UTF_8));
        List<Map<String, Object>> deadlocks = LauncherHarness.events(run.trace(), "deadlock");
        Map<String, Object> last = deadlocks.get(deadlocks.size() - 1);
        assertTrue(text.contains("deadlock"), "the deadlock is not drawn:\n" + text);
        for (Object wait : (List<?>) last.get("waits")) {
            String call = wait.toString().substring(wait.toString().indexOf(": ") + 2);
            assertTrue(text.contains(call), "'" + call + "' is not drawn:\n" + text);
        }
    }
}
