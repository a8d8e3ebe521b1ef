package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LongMapTest {

    /** Random puts, removes and look-ups agree with a HashMap, through growth and many removals. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void agreesWithAHashMap(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        LongMap<String> map = new LongMap<>();
        Map<Long, String> expected = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            // small keys collide in the table often; negative and huge ones test the hash
            long key = switch (random.nextInt(3)) {
                case 0 -> random.nextLong(64);
                case 1 -> random.nextLong(5_000);
                default -> random.nextLong();
            };
            switch (random.nextInt(4)) {
                case 0, 1 -> assertEquals(expected.put(key, "v" + step), map.put(key, "v" + step));
                case 2 -> assertEquals(expected.remove(key), map.remove(key));
                default -> assertEquals(expected.get(key), map.get(key));
            }
            assertEquals(expected.size(), map.size());
        }
        Map<Long, String> seen = new HashMap<>();
        map.forEach((k, v) -> assertNull(seen.put(k, v)));
        assertEquals(expected, seen);
        expected.keySet().forEach(k -> assertEquals(expected.get(k), map.get(k)));
    }

    @Test
    void sequentialKeysComeAndGo() {
        LongMap<Long> map = new LongMap<>();
        for (long pid = 1; pid <= 50_000; pid++) {
            map.put(pid, pid);
            if (pid > 100) {
                assertEquals(pid - 100, map.remove(pid - 100));
            }
        }
        assertEquals(100, map.size());
        for (long pid = 49_901; pid <= 50_000; pid++) {
            assertEquals(pid, map.get(pid));
            assertTrue(map.containsKey(pid));
        }
        assertNull(map.get(49_900));
        int[] values = {0};
        map.forEachValue(v -> values[0]++);
        assertEquals(100, values[0]);
    }

    @Test
    void computeIfAbsentMakesOnce() {
        LongMap<StringBuilder> map = new LongMap<>();
        map.computeIfAbsent(7, k -> new StringBuilder()).append('a');
        map.computeIfAbsent(7, k -> new StringBuilder()).append('b');
        assertEquals("ab", map.get(7).toString());
        assertEquals(1, map.size());
    }

    @Test
    void nullValuesAreRefused() {
        assertThrows(NullPointerException.class, () -> new LongMap<String>().put(1, null));
    }
}
