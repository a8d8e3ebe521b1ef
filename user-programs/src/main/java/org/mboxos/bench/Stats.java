package org.mboxos.bench;

import java.util.Arrays;
import java.util.List;

/** The two summaries the bench reports: medians of rounds, percentiles of timed batches. */
final class Stats {
    private Stats() {}

    /** The median (the mean of the middle two for an even count); NaN for none. */
    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Nearest-rank percentile {@code p} of nanoseconds per call, from per-batch totals of {@code batch} calls. */
    static double percentile(long[] batchNanos, int batch, double p) {
        double[] perCall = Arrays.stream(batchNanos).mapToDouble(ns -> (double) ns / batch).sorted().toArray();
        int rank = (int) Math.ceil(p / 100 * perCall.length);
        return perCall[Math.max(0, Math.min(perCall.length - 1, rank - 1))];
    }

    static double perSecond(long count, long nanos) {
        return count * 1e9 / nanos;
    }
}
