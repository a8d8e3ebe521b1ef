package org.mboxos.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One of issue 10's targets, judged from the figures of one run: {@code value} against
 * {@code bound}. Reported, never asserted.
 *
 * @param id      stable key for tools
 * @param target  the target in words
 * @param measure what {@code value} is, in words (mostly a ratio of two figures of this run)
 * @param value   the measured value; NaN (null in JSON) when a figure it needs was not measured
 * @param bound   the value the target asks for
 * @param atMost  true when the value must be at most {@code bound}, false when at least
 * @param informational true for a bound the bench adds for comparison, which no issue asks for
 *                (W10's); it is judged the same way but printed as information
 */
record Target(String id, String target, String measure, double value, double bound, @JsonProperty("at_most") boolean atMost,
        boolean informational) {

    /** One of issue 10's targets. */
    Target(String id, String target, String measure, double value, double bound, boolean atMost) {
        this(id, target, measure, value, bound, atMost, false);
    }

    /** Whether the run meets it; null when it could not be judged (a workload or anchor not run). */
    @JsonProperty("met")
    Boolean met() {
        if (Double.isNaN(value)) {
            return null;
        }
        return atMost ? value <= bound : value >= bound;
    }
}
