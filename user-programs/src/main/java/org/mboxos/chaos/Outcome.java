package org.mboxos.chaos;

import java.util.List;
import java.util.Map;
import org.mboxos.kernel.trace.Trace;

/**
 * What one seed did in one mode: the counts the summary adds up, and the problems found (none
 * for a run that passed). A lottery seed counts once, although it runs twice.
 *
 * @param killsByState kills by the call the victim was blocked in ({@code mbox_recv},
 *                     {@code sleep}, ...; {@code running} when it was in none)
 * @param trace        the run's trace if it failed (the first run's, for a lottery seed), else empty
 */
record Outcome(long seed, Mode mode, long messages, long kills, long badCalls, Map<String, Long> killsByState,
        List<String> problems, List<Trace.Event> trace) {

    Outcome {
        killsByState = Map.copyOf(killsByState);
        problems = List.copyOf(problems);
        trace = List.copyOf(trace);
    }

    boolean passed() {
        return problems.isEmpty();
    }

    /** The command that runs this seed in this mode again. */
    String reproduce() {
        return "./mboxos chaos --seeds " + seed + ".." + seed + " --mode " + mode.label();
    }
}
