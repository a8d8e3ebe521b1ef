package org.mboxos.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.mboxos.bench.akka.AkkaBaselines;
import org.mboxos.bench.akka.AkkaMessaging;
import org.mboxos.bench.akka.AkkaProcesses;
import org.mboxos.bench.akka.AkkaRoundTrips;

/**
 * The workloads, each run through the kernel and, where a baseline makes sense, on both
 * baselines in this JVM, turned into {@link Row}s. Raw figures (every round, the times to block
 * and release) go to {@link #extras()} for the JSON output. Targets are judged from the rows by
 * {@link Targets}. The workloads themselves are in {@link MessagingWorkloads},
 * {@link RoundTripWorkloads} and {@link ProcessWorkloads}; this class runs them in order and
 * holds what they share.
 */
final class Workloads {
    static final List<String> ALL = List.of("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9", "w10",
            "w11");

    private final Sizes sizes;
    private final Consumer<String> progress;
    private final Map<String, Object> extras = new LinkedHashMap<>();
    private List<Double> w1KernelRounds = List.of();

    private int histogramLines;
    private Config overrides = ConfigFactory.empty();

    Workloads(Sizes sizes, Consumer<String> progress) {
        this.sizes = sizes;
        this.progress = progress;
    }

    /** Kernel settings over the bench's own (the bench's --set). */
    Workloads settings(Config overrides) {
        this.overrides = overrides;
        return this;
    }

    /** W5 through the kernel prints this many lines of a class histogram while all are blocked. */
    Workloads histogram(int lines) {
        this.histogramLines = lines;
        return this;
    }

    Map<String, Object> extras() {
        return extras;
    }

    /** W1's measured kernel rounds, msg/s (empty until W1 ran). */
    List<Double> w1KernelRounds() {
        return w1KernelRounds;
    }

    /** Runs the workloads named in {@code only} (all when empty), in order. */
    List<Row> run(Set<String> only) {
        List<Row> rows = new ArrayList<>();
        KernelRuns kernel = new KernelRuns(sizes, overrides, histogramLines, progress);
        Baselines abq = new Baselines(sizes);
        try (AkkaBaselines akka = new AkkaBaselines()) {
            MessagingWorkloads messaging = new MessagingWorkloads(this, sizes, kernel, abq,
                    new AkkaMessaging(akka, sizes));
            RoundTripWorkloads trips = new RoundTripWorkloads(this, sizes, kernel,
                    new BaselineRoundTrips(sizes), new AkkaRoundTrips(akka, sizes));
            ProcessWorkloads processes = new ProcessWorkloads(this, sizes, kernel, abq,
                    new AkkaProcesses(akka, sizes));
            for (String w : ALL) {
                if (!only.isEmpty() && !only.contains(w)) {
                    continue;
                }
                switch (w) {
                    case "w1" -> rows.addAll(messaging.mailbox());
                    case "w2" -> rows.addAll(trips.roundTrip());
                    case "w3" -> rows.addAll(messaging.fan());
                    case "w4" -> rows.addAll(processes.churn());
                    case "w5" -> rows.addAll(processes.scale());
                    case "w6" -> rows.addAll(messaging.pidMessages());
                    case "w7" -> rows.addAll(trips.rendezvous());
                    case "w8" -> rows.addAll(messaging.pairs());
                    case "w9" -> rows.addAll(processes.lottery());
                    case "w10" -> rows.addAll(trips.callReply());
                    case "w11" -> rows.addAll(trips.select());
                    default -> throw new IllegalArgumentException(w);
                }
            }
        }
        return rows;
    }

    /** Records W1's measured kernel rounds, msg/s. */
    void w1KernelRounds(List<Double> rounds) {
        w1KernelRounds = rounds;
    }

    /** Prints a progress line, formatted in the root locale. */
    void say(String format, Object... args) {
        progress.accept(String.format(Locale.ROOT, format, args));
    }

    /** Collects garbage, then runs {@code run} once; its result (nanoseconds). */
    static long timed(LongSupplier run) {
        System.gc();
        return run.getAsLong();
    }
}
