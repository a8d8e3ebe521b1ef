package org.mboxos.chaos;

import java.util.Random;

/**
 * One seed's workload, drawn from the seed: how many workers and steps, the boxes' capacities,
 * the semaphore's units, the barrier's parties, and how init kills. The same seed gives the
 * same plan; in lottery mode it also gives the same run.
 *
 * @param workers     processes init spawns, each running {@code steps} random calls
 * @param randomKills kills init makes while the workers run, each after a random sleep
 * @param spanMillis  the longest of those sleeps, and of the last one before init kills everyone left
 */
record Plan(long seed, int workers, int steps, int capacityA, int capacityB, int semInitial, int parties,
        int randomKills, int spanMillis) {

    static Plan of(long seed) {
        Random r = new Random(seed * 0x9E3779B97F4A7C15L + 17);
        return new Plan(seed, 3 + r.nextInt(4), 20 + r.nextInt(40), 1 + r.nextInt(3), 1 + r.nextInt(4),
                r.nextInt(2), 2 + r.nextInt(2), 1 + r.nextInt(4), 2 + r.nextInt(8));
    }
}
