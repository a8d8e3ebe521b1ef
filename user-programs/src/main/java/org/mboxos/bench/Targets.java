package org.mboxos.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Issue 10's targets, judged from one run's rows and anchors, and one informational bound for
 * W10 (issue 13 sets no target for its calls).
 */
final class Targets {
    private Targets() {}

    static final double W1_OVER_POSIX_MQ = 1.5;
    static final double W1_OVER_ERLANG = 0.5;
    static final double W1_OVER_ABQ = 0.3;
    static final double W2_OVER_ABQ = 0.25;
    static final double W4_OVER_AKKA = 0.5;
    static final double W5_BYTES = 2_048;
    static final double W6_OVER_W1 = 0.8;
    static final double W7_OVER_W2_ABQ = 2;
    static final double W8_K2_OVER_K1 = 1.6;
    /** Informational, not an issue's target: W10's call/reply round trip against W7's bar. */
    static final double W10_OVER_W2_ABQ = 2;
    /** W9: wall seconds for ten simulated minutes. */
    static final double W9_SECONDS_PER_10_MIN = 2;

    static List<Target> judge(List<Row> rows, Map<String, Anchor> anchors, Sizes sizes) {
        double w1 = figure(rows, "w1", Row::kernel);
        List<Target> t = new ArrayList<>();
        t.add(new Target("w1-posix-mq", "W1 >= 1.5x POSIX mq", "W1 kernel / posix_mq anchor",
                w1 / anchor(anchors, "posix_mq"), W1_OVER_POSIX_MQ, false));
        t.add(new Target("w1-erlang", "W1 >= 0.5x Erlang (moonshot)", "W1 kernel / erlang anchor",
                w1 / anchor(anchors, "erlang"), W1_OVER_ERLANG, false));
        t.add(new Target("w1-abq", "W1 >= 0.3x (a)", "W1 kernel / (a) VT+ABQ", w1 / figure(rows, "w1", Row::abq),
                W1_OVER_ABQ, false));
        t.add(new Target("w2-abq", "W2 p50 <= 0.25x (a) round trip", "W2 kernel p50 / (a) request/reply p50",
                figure(rows, "w2-p50", Row::overAbq), W2_OVER_ABQ, true));
        t.add(new Target("w4-1-akka", "W4 churn >= 0.5x (b), 1 spawner", "W4 kernel / (b) spawn+watch",
                figure(rows, "w4-1", Row::overAkka), W4_OVER_AKKA, false));
        t.add(new Target("w4-" + sizes.w4Spawners() + "-akka", "W4 churn >= 0.5x (b), " + sizes.w4Spawners()
                + " spawners", "W4 kernel / (b) spawn+watch", figure(rows, "w4-" + sizes.w4Spawners(), Row::overAkka),
                W4_OVER_AKKA, false));
        t.add(new Target("w5-bytes", "W5 <= 2 KB per blocked process", "W5 kernel bytes per blocked process",
                figure(rows, "w5-bytes", Row::kernel), W5_BYTES, true));
        t.add(new Target("w6-w1", "W6 1->1 >= 0.8x W1", "W6 1->1 kernel / W1 kernel",
                figure(rows, "w6-1", Row::kernel) / w1, W6_OVER_W1, false));
        t.add(new Target("w7-w2-abq", "W7 round trip <= 2x W2 (a)", "W7 kernel p50 / W2 (a) request/reply p50",
                figure(rows, "w7-p50", Row::kernel) / figure(rows, "w2-p50", Row::abq), W7_OVER_W2_ABQ, true));
        t.add(new Target("w8-k2-k1", "W8 K=2 >= 1.6x K=1", "W8 kernel K=2 / K=1",
                figure(rows, "w8-2", Row::kernel) / figure(rows, "w8-1", Row::kernel), W8_K2_OVER_K1, false));
        double bound = W9_SECONDS_PER_10_MIN * sizes.lotteryMinutes() / 10.0;
        t.add(new Target("w9-lottery", String.format("W9 10 simulated min <= 2 s wall%s",
                sizes.lotteryMinutes() == 10 ? "" : " (" + sizes.lotteryMinutes() + " min <= " + bound + " s)"),
                "W9 wall seconds", figure(rows, "w9", Row::kernel), bound, true));
        t.add(new Target("w10-w2-abq", "W10 round trip <= 2x W2 (a)", "W10 kernel p50 / W2 (a) request/reply p50",
                figure(rows, "w10-p50", Row::kernel) / figure(rows, "w2-p50", Row::abq), W10_OVER_W2_ABQ, true, true));
        return t;
    }

    /** A figure of the row {@code id}, NaN when that workload did not run. */
    private static double figure(List<Row> rows, String id, ToDoubleFunction<Row> which) {
        return rows.stream().filter(r -> r.id().equals(id)).mapToDouble(which).findFirst().orElse(Double.NaN);
    }

    private static double anchor(Map<String, Anchor> anchors, String name) {
        Anchor a = anchors.get(name);
        return a == null ? Double.NaN : a.msgsPerSecond();
    }
}
