package org.mboxos.bench;


/**
 * One line of the result table: a figure for the kernel and for each baseline (NaN where the
 * baseline does not apply), and the target for it if there is one.
 *
 * @param id       stable key for tools (w1, w2-p50, ...)
 * @param workload what was measured, for people
 * @param unit     msg/s, ns, proc/s, B/proc, MB
 * @param target   the target in words, or "" when there is none
 * @param met      whether the kernel meets it; null when there is no target
 */
record Row(String id, String workload, String unit, double kernel, double abq, double akka, String target, Boolean met) {

    /** Kernel over baseline (a), as printed: NaN when there is no baseline. */
    double overAbq() {
        return kernel / abq;
    }

    double overAkka() {
        return kernel / akka;
    }
}
