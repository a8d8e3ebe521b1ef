package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mboxos.api.Program;
import org.mboxos.kernel.trace.Trace;

/**
 * Scripted keys ({@code --keys}) are typed one per key interval on the kernel clock, and a key
 * that finds the keyboard buffer full is dropped and traced as {@code key-dropped}.
 */
class KeyboardTest {
    private static final Duration INTERVAL = Duration.ofMillis(50);
    private static final long QUANTUM_NANOS = Duration.ofMillis(1).toNanos();

    private final CheckedPrograms checked = new CheckedPrograms();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"parallel", "lottery"})
    void scriptedKeysAreTypedOnePerInterval(String scheduler) {
        List<Integer> got = new CopyOnWriteArrayList<>();
        Program init = checked.prog("init", (sys, args) -> {
            for (int i = 0; i < 4; i++) {
                got.add(sys.getChar());
            }
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(Map.of("kernel.scheduler", scheduler, "kernel.seed", 3), init)) {
            k.machine().type("abcd".getBytes(StandardCharsets.US_ASCII), INTERVAL);
            checked.run(k);
            assertEquals(List.of((int) 'a', (int) 'b', (int) 'c', (int) 'd'), got);
            List<Trace.Event> keys = k.events("key");
            assertEquals(4, keys.size(), keys.toString());
            for (int i = 1; i < keys.size(); i++) {
                long gap = keys.get(i).t() - keys.get(i - 1).t();
                assertTrue(gap >= INTERVAL.toNanos(), "key " + i + " came " + gap + " ns after the previous one");
                if (scheduler.equals("lottery")) { // simulated time: the interval, up to one quantum late
                    assertTrue(gap <= INTERVAL.toNanos() + QUANTUM_NANOS, "key " + i + " came " + gap + " ns late");
                }
            }
        }
    }

    @Test
    void keysThatFindTheBufferFullAreDroppedAndTraced() {
        List<Integer> got = new CopyOnWriteArrayList<>();
        Program init = checked.prog("init", (sys, args) -> {
            sys.sleep(100); // every key is typed meanwhile
            got.add(sys.getChar());
            got.add(sys.getChar());
            return 0;
        });
        Map<String, Object> settings = Map.of("kernel.scheduler", "lottery", "kernel.seed", 3,
                "kernel.keyboard-buffer", 2);
        try (KernelHarness k = KernelHarness.boot(settings, init)) {
            k.machine().type("abcde".getBytes(StandardCharsets.US_ASCII), Duration.ofMillis(1));
            checked.run(k);
            assertEquals(List.of((int) 'a', (int) 'b'), got);
            List<Trace.Event> dropped = k.events("key-dropped");
            assertEquals(List.of((long) 'c', (long) 'd', (long) 'e'),
                    dropped.stream().map(e -> e.getLong("key")).toList(), dropped.toString());
            assertTrue(dropped.stream().allMatch(e -> e.pid() == 0 && e.prog().equals("keyboard")), dropped.toString());
        }
    }
}
