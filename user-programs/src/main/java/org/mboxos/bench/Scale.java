package org.mboxos.bench;

/** One W5 measurement, the same shape for kernel and baselines. */
public record Scale(int n, long heapBefore, long heapBlocked, long blockNanos, long releaseNanos) {
    double bytesPerProcess() {
        return (double) (heapBlocked - heapBefore) / n;
    }
}
