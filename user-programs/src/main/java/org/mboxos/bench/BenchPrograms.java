package org.mboxos.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import org.mboxos.api.Program;
import org.mboxos.api.Sys;

/**
 * The bench's own programs. They live on the bench's ramdisk only (never in META-INF/services),
 * do all their work through {@link Sys}, and report timings to the bench through a
 * {@link Probe}: plain Java fields shared in this JVM, written outside any timed loop. The
 * programs themselves are in {@link MessagingPrograms}, {@link RoundTripPrograms} and
 * {@link ProcessPrograms}; this class lists them all and holds what they share.
 */
final class BenchPrograms {
    private BenchPrograms() {}

    /** What the programs of one booted kernel hand back to the bench. */
    static final class Probe {
        /** W1, W6, W8: the current round's first send and last receive, by any of its processes. */
        final LongAccumulator firstSend = new LongAccumulator(Math::min, Long.MAX_VALUE);
        final LongAccumulator lastRecv = new LongAccumulator(Math::max, Long.MIN_VALUE);
        /** W1, W6, W8: nanoseconds per round, warm-up first. */
        final List<Long> rounds = Collections.synchronizedList(new ArrayList<>());
        /** W2, W7, W10, W11: nanoseconds per batch. */
        volatile long[] batches;
        /** W3, W4: nanoseconds of the measured run. */
        volatile long elapsed;
        /** W5: processes that are about to block in their receive, and that have been released. */
        final AtomicInteger ready = new AtomicInteger();
        volatile long heapBefore;
        volatile long heapBlocked;
        volatile long spawnNanos;
        volatile long releaseNanos;
        /** W5: print this many lines of a class histogram while all are blocked (0: none). */
        int histogramLines;
        java.util.function.Consumer<String> report = line -> {};

        /** Starts a round: forgets the previous round's first send and last receive. */
        void startRound() {
            firstSend.reset();
            lastRecv.reset();
        }

        /** Ends a round: records its span from the first send to the last receive. */
        void endRound() {
            rounds.add(lastRecv.get() - firstSend.get());
        }
    }

    static Program[] all(Probe probe) {
        return new Program[] {
            MessagingPrograms.w1(probe), MessagingPrograms.sender(probe), MessagingPrograms.receiver(probe),
            RoundTripPrograms.w2(probe), MessagingPrograms.w3(probe), ProcessPrograms.w4(probe),
            ProcessPrograms.spawner(), ProcessPrograms.nop(), ProcessPrograms.w5(probe), ProcessPrograms.waiter(probe),
            MessagingPrograms.w6(probe), MessagingPrograms.mysender(probe), RoundTripPrograms.w7(probe),
            RoundTripPrograms.echo(), MessagingPrograms.w8(probe), RoundTripPrograms.w10(probe),
            RoundTripPrograms.callServer(), RoundTripPrograms.w11(probe), RoundTripPrograms.queuedEcho()
        };
    }

    /** The {@code i}th argument as an int. */
    static int arg(List<String> args, int i) {
        return Integer.parseInt(args.get(i));
    }

    /** Fails the program with {@code what} unless {@code ok}. */
    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
