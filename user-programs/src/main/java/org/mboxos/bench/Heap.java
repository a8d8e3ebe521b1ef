package org.mboxos.bench;

import java.lang.management.ManagementFactory;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.ObjectName;

/** Used heap, measured the same way for the kernel and both baselines. */
public final class Heap {
    private Heap() {}

    /** Bytes of heap in use after full collections: the live set, near enough. */
    public static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /**
     * The first {@code lines} lines of a class histogram of the live heap (what {@code jcmd PID
     * GC.class_histogram} prints; it collects first).
     */
    static String histogram(int lines) {
        try {
            String all = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return all.lines().limit(lines + 2L).collect(Collectors.joining("\n"));
        } catch (JMException e) {
            return "no class histogram: " + e;
        }
    }

    /** Waits {@code millis} for stragglers (a blocked call still in flight to its box). */
    public static void settle(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
