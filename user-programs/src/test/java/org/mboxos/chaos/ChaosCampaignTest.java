package org.mboxos.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CI's share of the chaos campaign: a fixed set of seeds in both scheduling modes, each of
 * which must pass everything {@link Campaign} checks (init exits 0, the finished trace checks
 * clean, no kernel fault, no unexpected crash or errno, and in lottery mode a byte-identical
 * replay). Sized to take seconds; docs/reliability.md reports the long campaign.
 */
class ChaosCampaignTest {
    /** Seeds 1..SEEDS in each mode. */
    private static final long SEEDS = 40;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, SEEDS);
    }

    @ParameterizedTest(name = "parallel, seed {0}")
    @MethodSource("seeds")
    void parallelSeedPasses(long seed) {
        assertPassed(Campaign.run(seed, Mode.PARALLEL));
    }

    @ParameterizedTest(name = "lottery, seed {0}")
    @MethodSource("seeds")
    void lotterySeedPassesAndReplaysByteForByte(long seed) {
        assertPassed(Campaign.run(seed, Mode.LOTTERY));
    }

    private static void assertPassed(Outcome o) {
        assertTrue(o.passed(), () -> "seed " + o.seed() + " " + o.mode().label() + " failed ("
                + o.reproduce() + "):\n  " + String.join("\n  ", o.problems()));
        assertTrue(o.kills() > 0, "init kills every worker left, so every run has kills");
    }

    @Test
    void theCommandPrintsASummaryAndExitsZeroWhenEveryRunPasses() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ChaosCommand.run(List.of("--seeds", "3..4", "--mode", "both"), new PrintStream(out, true),
                new PrintStream(err, true));
        String report = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, report + err);
        assertTrue(report.contains("chaos: seeds 3..4 (2), mode parallel and lottery"), report);
        assertTrue(report.matches("(?s).*  parallel 2 runs, \\d+ messages, \\d+ kills, \\d+ bad-argument calls, 0 failures.*"),
                report);
        assertTrue(report.matches("(?s).*  lottery  2 runs, \\d+ messages, \\d+ kills, \\d+ bad-argument calls, 0 failures.*"),
                report);
        assertTrue(report.endsWith("chaos: 0 failures\n"), report);
    }

    @Test
    void badCommandLinesExitTwoWithUsage() {
        for (List<String> args : List.of(List.of("--seeds", "9..3"), List.of("--seeds", "x"), List.of("--mode", "fast"),
                List.of("--seeds"), List.of("--what"))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = ChaosCommand.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
            assertEquals(2, status, args.toString());
            assertTrue(err.toString(StandardCharsets.UTF_8).contains(ChaosCommand.USAGE), err.toString());
        }
    }

    @Test
    void aFailingSeedNamesTheCommandThatReproducesIt() {
        Outcome o = new Outcome(17, Mode.LOTTERY, 0, 0, 0, java.util.Map.of(), List.of("hung"), List.of());
        assertEquals("./mboxos chaos --seeds 17..17 --mode lottery", o.reproduce());
        assertTrue(!o.passed());
    }
}
