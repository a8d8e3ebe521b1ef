package org.mboxos.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The anchors build and run from the jar's resources, outside the source tree, and give either a
 * figure or the reason for none. Small sizes: this checks that they work, not how fast.
 */
class AnchorsTest {
    private static final Sizes SMALL = Sizes.quick().withW1Messages(5_000).withRounds(1);

    @Test
    void eachAnchorGivesAFigureOrSaysWhyNot() {
        List<String> progress = new ArrayList<>();
        Map<String, Anchor> anchors = new Anchors(SMALL, progress::add).run();
        assertEquals(List.of("posix_mq", "erlang"), List.copyOf(anchors.keySet()));
        for (var e : anchors.entrySet()) {
            switch (e.getValue()) {
                case Anchor.Measured m -> {
                    assertTrue(m.msgsPerSecond() > 0, e.getKey() + ": " + m);
                    assertEquals(1, m.rounds().size());
                    assertTrue(m.depth() > 0 && m.depth() <= SMALL.capacity(), e.getKey() + ": " + m);
                    assertTrue(m.depth() == SMALL.capacity() || m.note() != null,
                            e.getKey() + " ran shallower than asked without saying so: " + m);
                }
                case Anchor.Skipped s -> assertFalse(s.skipped().isBlank(), e.getKey());
            }
        }
        assertFalse(Path.of("src/main/resources/org/mboxos/bench/anchors/posix_mq_w1").toFile().exists(),
                "the anchor was built into the source tree");
    }

    @Test
    void theCAnchorRunsWhereThereIsACompiler() {
        assumeTrue(Anchors.onPath("gcc").isPresent() || Anchors.onPath("cc").isPresent(), "no C compiler");
        assertInstanceOf(Anchor.Measured.class, new Anchors(SMALL, line -> {}).run().get("posix_mq"));
    }

    @Test
    void aCommandThatCannotStartIsAnOutcomeNotAnException(@TempDir Path dir) {
        Anchors.Outcome o = Anchors.exec(List.of("/nonexistent/mboxos-no-such-tool"), dir, 5);
        assertFalse(o.ok());
        assertFalse(o.why().isBlank());
    }
}
