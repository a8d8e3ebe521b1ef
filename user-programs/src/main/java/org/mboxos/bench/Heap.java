package org.mboxos.bench;

import java.lang.management.ManagementFactory;

/** Used heap, measured the same way for the kernel and both baselines. */
final class Heap {
    private Heap() {}

    /** Bytes of heap in use after full collections: the live set, near enough. */
    static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Waits {@code millis} for stragglers (a blocked call still in flight to its box). */
    static void settle(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
