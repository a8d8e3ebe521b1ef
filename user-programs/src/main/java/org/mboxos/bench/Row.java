package org.mboxos.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of the result table: a figure for the kernel and for each baseline of the same run
 * (NaN where no baseline applies, null in JSON, fields in a fixed order). Targets are separate:
 * see {@link Target}.
 *
 * @param id       stable key for tools (w1, w2-p50, w8-2, ...)
 * @param workload what was measured, for people
 * @param unit     msg/s, ns, proc/s, B/proc, MB, s
 */
@JsonPropertyOrder({"id", "workload", "unit", "kernel", "abq", "akka", "kernel_over_abq", "kernel_over_akka"})
record Row(String id, String workload, String unit, double kernel, double abq, double akka) {

    /** Kernel over baseline (a), as printed: NaN when there is no baseline. */
    @JsonProperty("kernel_over_abq")
    double overAbq() {
        return kernel / abq;
    }

    @JsonProperty("kernel_over_akka")
    double overAkka() {
        return kernel / akka;
    }
}
