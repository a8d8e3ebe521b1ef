package org.mboxos.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mboxos.it.LauncherHarness.events;
import static org.mboxos.it.LauncherHarness.num;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay: in lottery mode a run is a function of its seed. robinhood (which spawns, sleeps,
 * kills, waits and passes mailbox messages for ever) runs for ten simulated minutes, in a few
 * seconds of wall time, and the same seed writes the same trace file byte for byte.
 */
class ReplayIT {
    /** How long one ten-simulated-minute run may take in wall time. */
    private static final Duration RUN_BOUND = Duration.ofSeconds(60);
    private static final long TEN_MINUTES_NANOS = TimeUnit.MINUTES.toNanos(10);

    @TempDir
    Path tmp;

    /** One lottery run of robinhood for 10 simulated minutes; returns its trace file. */
    private Path robinhood(long seed, String name) {
        Path trace = tmp.resolve(name);
        long t0 = System.nanoTime();
        LauncherHarness run = LauncherHarness.start("run", "robinhood", "--set", "kernel.scheduler=lottery",
                "--seed", Long.toString(seed), "--for", "10m", "--trace", trace.toString());
        int status = run.awaitExit(RUN_BOUND); // fails the test if the run takes longer
        long wallMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(0, status, "a run stopped by --for exits 0\n" + run.describe());
        assertTrue(wallMs < RUN_BOUND.toMillis(), "ten simulated minutes took " + wallMs + " ms");
        assertTrue(run.err().contains("stopped after"), "stopped by --for, not otherwise\n" + run.describe());
        assertTrue(run.err().contains("seed " + seed), run.describe());
        return trace;
    }

    private static long lastTime(List<Map<String, Object>> trace) {
        return trace.stream().mapToLong(e -> num(e, "t")).max().orElseThrow();
    }

    @Test
    void theSameSeedWritesTheSameTraceFileAndAnotherSeedDoesNot() throws IOException {
        Path first = robinhood(7, "seed7-a.jsonl");
        Path second = robinhood(7, "seed7-b.jsonl");
        Path other = robinhood(8, "seed8.jsonl");

        List<Map<String, Object>> trace = LauncherHarness.readTrace(first);
        assertTrue(trace.size() > 100, "a ten-minute run leaves a real trace: " + trace.size() + " events");
        List<Map<String, Object>> kills = events(trace, "kill");
        assertTrue(kills.size() >= 5, "the Sheriff kills every few simulated seconds: " + kills.size() + " kills");
        assertTrue(events(trace, "spawn").size() > kills.size(), "every victim is brought back");
        long last = lastTime(trace);
        assertTrue(last >= TEN_MINUTES_NANOS - TimeUnit.SECONDS.toNanos(10),
                "the run covered ten simulated minutes; its last event is at " + last + " ns");

        assertEquals(-1L, Files.mismatch(first, second), "seed 7 twice: the trace files differ at that byte");
        assertNotEquals(-1L, Files.mismatch(first, other), "seed 8 wrote the same trace as seed 7");
        List<Map<String, Object>> otherTrace = LauncherHarness.readTrace(other);
        assertNotEquals(events(trace, "kill").stream().map(e -> e.get("prog")).toList(),
                events(otherTrace, "kill").stream().map(e -> e.get("prog")).toList(),
                "another seed makes the Sheriff pick other victims, not just print another boot line");
    }
}
