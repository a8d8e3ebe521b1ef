package org.mboxos.api;

/**
 * How to receive: at most {@code max} bytes, from {@code from} only (any sender if negative),
 * waiting {@code timeoutMillis} ({@link Sys#FOREVER}, 0 for try-receive), and whether a
 * longer message is truncated (the teaching kernel) or refused with E2BIG and left queued
 * (System V's {@code msgrcv} without MSG_NOERROR).
 */
public record Recv(int max, long from, long timeoutMillis, boolean truncate) {

    public static final long ANY = -1;

    public static Recv upTo(int max) {
        return new Recv(max, ANY, Sys.FOREVER, true);
    }

    public Recv from(long pid) {
        return new Recv(max, pid, timeoutMillis, truncate);
    }

    public Recv timeout(long millis) {
        return new Recv(max, from, millis, truncate);
    }

    public Recv noWait() {
        return timeout(0);
    }

    public Recv strict() {
        return new Recv(max, from, timeoutMillis, false);
    }
}
