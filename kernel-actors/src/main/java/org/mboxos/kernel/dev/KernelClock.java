package org.mboxos.kernel.dev;

import java.util.function.LongSupplier;

/**
 * Kernel time in nanoseconds since boot: the wall clock in parallel mode, the simulated clock
 * in lottery mode (advanced only by the {@link Clock} actor). Traces are stamped with it.
 */
public final class KernelClock implements LongSupplier {
    private final boolean simulated;
    private final long boot = System.nanoTime();
    private volatile long simulatedNow;

    public KernelClock(boolean simulated) {
        this.simulated = simulated;
    }

    boolean simulated() {
        return simulated;
    }

    @Override
    public long getAsLong() {
        return simulated ? simulatedNow : System.nanoTime() - boot;
    }

    /** Moves simulated time forward; called by the Clock actor only. */
    void advanceTo(long nanos) {
        if (nanos > simulatedNow) {
            simulatedNow = nanos;
        }
    }
}
