package org.mboxos.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The bench's report for people: the workloads, the anchors, the targets and what each column means. */
final class Table {
    private Table() {}

    static String render(List<Row> rows, Map<String, Anchor> anchors, List<Target> targets,
            Map<String, Object> machine, String kernel, Map<String, Object> extras) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "mboxos bench: %s cores, %s, %s; kernel %s%n", machine.get("cores"),
                machine.get("jdk"), machine.get("gc"), kernel));
        int w = Math.max(8, rows.stream().mapToInt(r -> r.workload().length()).max().orElse(0));
        String head = "%-" + w + "s  %-6s  %12s  %12s  %9s  %12s  %9s%n";
        b.append(String.format(Locale.ROOT, head, "workload", "unit", "kernel", "(a) VT+ABQ", "k/(a)", "(b) Akka",
                "k/(b)"));
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, head, r.workload(), r.unit(), num(r.kernel()), num(r.abq()),
                    ratio(r.overAbq()), num(r.akka()), ratio(r.overAkka())));
        }
        b.append("k/(a), k/(b): the kernel's figure over the baseline's. For msg/s and proc/s above 1 is faster than"
                + " the baseline;\nfor ns, B/proc and MB above 1 is slower or heavier.\n");
        b.append("(a) virtual threads and ArrayBlockingQueues; W4: virtual thread start+join; W5: virtual threads"
                + " blocked in take();\n    W7: SynchronousQueue ping-pong; W10: request/reply over two ABQ(1)s,"
                + " 32 B each way;\n    W11: the waiter parks until its inbox ABQ or an idle one is non-empty,"
                + " the echo unparks it.\n"
                + "(b) Akka Typed actors, no kernel: W1, W6, W8 a credit window of the box's capacity (shared by a"
                + " sink's sources),\n    W2, W7 actor ping-pong, W3 box actors with a bounded queue, W4 spawn+watch"
                + " of a child that stops, W5 idle actors,\n    W10, W11 request/response between two actors, 32 B"
                + " each way (an actor's mailbox already waits on every sender).\n");
        b.append("W1, W6, W8: median of the measured rounds. W2, W7, W10, W11: nanoseconds per round trip from batches"
                + " timed with\nSystem.nanoTime. W5: used heap after System.gc() with all blocked; per process, its growth"
                + " over the heap before they started.\nW9: wall time; no baseline applies.\n");
        if (extras.get("w2_floor_vt_asks_actor_ns") instanceof Map<?, ?> floor) {
            b.append(String.format(Locale.ROOT, "W2 floor, a virtual thread telling an actor and parking for the"
                    + " answer (no kernel): p50 %s ns, p99 %s ns%n", num((Double) floor.get("p50")),
                    num((Double) floor.get("p99"))));
        }
        double w1 = rows.stream().filter(r -> r.id().equals("w1")).mapToDouble(Row::kernel).findFirst()
                .orElse(Double.NaN);
        b.append(String.format(Locale.ROOT, "%nanchors for W1's shape%s%n",
                Double.isNaN(w1) ? " (W1 did not run: no kernel ratio)" : ", kernel W1 " + num(w1) + " msg/s"));
        for (var e : anchors.entrySet()) {
            switch (e.getValue()) {
                case Anchor.Measured m -> {
                    b.append(String.format(Locale.ROOT, "  %-9s %12s msg/s  depth %-3d  kernel/anchor %-7s  %s%n",
                            e.getKey(), num(m.msgsPerSecond()), m.depth(), ratio(w1 / m.msgsPerSecond()), m.tool()));
                    if (m.note() != null) {
                        b.append("            note: ").append(m.note()).append('\n');
                    }
                }
                case Anchor.Skipped s -> b.append(String.format(Locale.ROOT, "  %-9s skipped: %s%n", e.getKey(),
                        s.skipped()));
            }
        }
        b.append(String.format(Locale.ROOT, "%ntargets (issue 10; \"info\": a bound for comparison only), judged from this run only%n"));
        int tw = targets.stream().mapToInt(t -> t.target().length()).max().orElse(10);
        String line = "  %-" + tw + "s  %10s  %-8s  %s%n";
        for (Target t : targets) {
            String verdict = t.met() == null ? "-" : t.informational() ? (t.met() ? "info: met" : "info: not met")
                    : t.met() ? "met" : "NOT MET";
            b.append(String.format(Locale.ROOT, line, t.target(), t.met() == null ? "not run" : measured(t), verdict,
                    t.measure()));
        }
        return b.toString();
    }

    private static String measured(Target t) {
        return Math.abs(t.bound()) >= 100 || t.id().startsWith("w9") ? num(t.value()) : ratio(t.value());
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String ratio(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, v >= 10 ? "%.0fx" : v >= 0.1 ? "%.2fx" : "%.3fx", v);
    }
}
