package org.mboxos.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What one native anchor program gave for W1's shape: a figure, or why there is none. In the
 * JSON report a measured anchor is {@code {"msgs_per_s": ..., "depth": ..., ...}} and a skipped
 * one {@code {"skipped": "why"}}.
 */
sealed interface Anchor {

    /** Messages per second for the report's ratios; NaN when skipped. */
    double msgsPerSecond();

    /**
     * The anchor ran: the median of its measured rounds.
     *
     * @param depth  the queue depth (or credit window) it really ran with
     * @param rounds msg/s of each measured round, the warm-up left out
     * @param note   why the shape differs from the one asked for (a shallower queue), or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Measured(@JsonProperty("msgs_per_s") double msgsPerSecond, int depth,
            @JsonProperty("rounds_msgs_per_s") List<Double> rounds, String tool, String note) implements Anchor {}

    /** The anchor could not run: a missing compiler, a failed build or run. */
    record Skipped(String skipped) implements Anchor {
        @Override
        public double msgsPerSecond() {
            return Double.NaN;
        }
    }
}
