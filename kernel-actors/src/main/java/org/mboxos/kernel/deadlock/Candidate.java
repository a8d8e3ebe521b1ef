package org.mboxos.kernel.deadlock;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.mboxos.kernel.proc.Pcb;

/**
 * Deadlocks the {@link Detector} is confirming: its members' report counts when the check began
 * ({@code versions}), their PCBs' answers, and how many of the boxes they wait in have yet to
 * answer ({@code boxesToFlush}, one mutable count). It is confirmed in two rounds: whatever was
 * already on its way to a member when the first round asked (a monitor's notice, a message)
 * has arrived, and been reported, before the second round's answers. Plain state of the detector.
 */
record Candidate(List<TreeSet<Long>> deadlocks, Map<Long, Long> versions, Map<Long, Pcb.Status> answers,
        boolean wholeSystem, int[] boxesToFlush, boolean secondRound) {

    /** Every member's PCB and every box asked has answered. */
    boolean complete() {
        return answers.size() == versions.size() && boxesToFlush[0] == 0;
    }
}
