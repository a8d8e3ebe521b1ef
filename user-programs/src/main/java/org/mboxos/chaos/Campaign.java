package org.mboxos.chaos;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mboxos.kernel.Machine;
import org.mboxos.kernel.dev.Console;
import org.mboxos.kernel.trace.HistoryCheck;
import org.mboxos.kernel.trace.Trace;
import org.mboxos.kernel.trace.Verdict;

/**
 * Runs one seed in one mode and judges it. A run passes when init (pid 1) exits 0 within
 * {@link #HANG_SECONDS}; the whole trace of the finished run checks clean with
 * {@link HistoryCheck} (every rule, the end-of-run ones included: the machine has stopped, so
 * the trace is complete); no kernel actor faulted ({@code kernel-fault}); no process crashed
 * but by the workload's deliberate crash; and every call the programs made had an outcome the
 * documentation allows ({@link Tally}). A lottery seed runs twice and both traces must be the
 * same, byte for byte.
 */
final class Campaign {
    /** How long one run may take (wall clock) before it counts as hung. */
    static final long HANG_SECONDS = 60;
    /** Violations listed per failing run; the rest are counted. */
    private static final int SHOWN = 5;

    private Campaign() {}

    /** One run's raw material. */
    private record Run(List<Trace.Event> events, Tally tally, List<String> problems) {}

    static Outcome run(long seed, Mode mode) {
        Run first = once(seed, mode);
        List<String> problems = new ArrayList<>(first.problems());
        if (mode == Mode.LOTTERY) {
            Run again = once(seed, mode);
            String difference = firstDifference(first.events(), again.events());
            if (difference != null) {
                problems.add("replay differs: " + difference);
            }
        }
        Map<String, Long> states = new TreeMap<>();
        long messages = 0;
        long kills = 0;
        for (Trace.Event e : first.events()) {
            switch (e.ev()) {
                case "send" -> messages++;
                case "kill" -> {
                    kills++;
                    states.merge(stateOf(String.valueOf(e.get("blocked_in"))), 1L, Long::sum);
                }
                default -> {}
            }
        }
        return new Outcome(seed, mode, messages, kills, first.tally().badCalls(), states, problems,
                problems.isEmpty() ? List.of() : first.events());
    }

    /** {@code mbox_recv(box-a)} -> {@code mbox_recv}; "" -> {@code running}. */
    private static String stateOf(String blockedIn) {
        int paren = blockedIn.indexOf('(');
        String call = paren < 0 ? blockedIn : blockedIn.substring(0, paren);
        return call.isEmpty() ? "running" : call;
    }

    private static Run once(long seed, Mode mode) {
        Plan plan = Plan.of(seed);
        Tally tally = new Tally();
        Trace.Recorder recorder = new Trace.Recorder();
        List<String> problems = new ArrayList<>();
        Config config = ConfigFactory.parseMap(Map.of("kernel.scheduler", mode.label(), "kernel.seed", Long.toString(seed)))
                .withFallback(ConfigFactory.load());
        try (Machine m = Machine.boot(config, Workload.ramdisk(plan, tally), Console.Screen.lines(text -> {}), recorder)) {
            int status = m.run("chaos-init", List.of(Integer.toString(mode.scale()))).toCompletableFuture().get(HANG_SECONDS, TimeUnit.SECONDS);
            if (status != 0) {
                problems.add("init exited with status " + status);
            }
        } catch (TimeoutException e) {
            problems.add("hung: init did not end within " + HANG_SECONDS + " s");
        } catch (ExecutionException e) {
            problems.add("init could not run: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted");
        } catch (RuntimeException e) { // the machine did not stop
            problems.add("shutdown: " + e.getMessage());
        }
        List<Trace.Event> events = recorder.events();
        Verdict verdict = HistoryCheck.of(events);
        verdict.violations().stream().limit(SHOWN).forEach(v -> problems.add("trace: " + v));
        if (verdict.violations().size() > SHOWN) {
            problems.add("trace: ... " + (verdict.violations().size() - SHOWN) + " more violation(s) " + verdict.countByRule());
        }
        for (Trace.Event e : events) {
            if (e.ev().equals("kernel-fault")) {
                problems.add("kernel fault: " + e.toJson());
            } else if (e.ev().equals("crash") && !String.valueOf(e.get("error")).contains(Worker.DELIBERATE)) {
                problems.add("crash: " + e.toJson());
            }
        }
        problems.addAll(tally.failures());
        return new Run(events, tally, problems);
    }

    /** Where two traces first differ, as line numbers and both lines; null if they are the same. */
    static String firstDifference(List<Trace.Event> a, List<Trace.Event> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            String x = a.get(i).toJson();
            String y = b.get(i).toJson();
            if (!x.equals(y)) {
                return "line " + (i + 1) + ": " + x + " then " + y;
            }
        }
        return a.size() == b.size() ? null : "lengths " + a.size() + " then " + b.size() + " lines";
    }
}
