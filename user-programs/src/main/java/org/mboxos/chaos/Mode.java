package org.mboxos.chaos;

/** A scheduling mode a seed runs in: {@code kernel.scheduler}. */
enum Mode {
    PARALLEL(1),
    LOTTERY(60);

    private final int scale;

    Mode(int scale) {
        this.scale = scale;
    }

    /**
     * How much longer init lets the workers run in this mode: in lottery mode every call costs
     * a quantum ({@code kernel.quantum}) of simulated time, which costs nothing real.
     */
    int scale() {
        return scale;
    }

    /** As {@code --mode} and {@code kernel.scheduler} spell it. */
    String label() {
        return name().toLowerCase();
    }
}
