package org.mboxos.kernel.deadlock;

import akka.actor.typed.ActorRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mboxos.kernel.proc.Pcb;
import org.mboxos.kernel.trace.Trace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@link Detector} has reported, and how: a {@code deadlock} trace event and a warning
 * on logger {@code mboxos.deadlock} per set of processes, once; and, once, the whole system's
 * deadlock to whoever watches for it (the launcher). Plain state of the detector.
 */
final class Reports {
    private static final Logger LOG = LoggerFactory.getLogger("mboxos.deadlock");

    private final Trace trace;
    private final WaitForGraph graph;
    private final Set<Long> reported = new TreeSet<>();
    private final List<ActorRef<Detector.WholeSystem>> watchers = new ArrayList<>();
    private boolean wholeSystemReported;

    Reports(Trace trace, WaitForGraph graph) {
        this.trace = trace;
        this.graph = graph;
    }

    void watch(ActorRef<Detector.WholeSystem> replyTo) {
        watchers.add(replyTo);
    }

    /** Only what is still stuck counts as reported: a set that breaks and forms again is reported again. */
    void stillStuck(Set<Long> stuck) {
        reported.retainAll(stuck);
    }

    void ended(long pid) {
        reported.remove(pid);
    }

    boolean isNew(Set<Long> deadlock) {
        return !reported.containsAll(deadlock);
    }

    boolean wholeSystemReported() {
        return wholeSystemReported;
    }

    /** Reports a confirmed candidate's deadlocks, with what each member waits for as ps shows it. */
    void report(Candidate c) {
        c.deadlocks().forEach(d -> report(d, c.answers(), c.wholeSystem()));
        if (c.wholeSystem()) {
            wholeSystemReported = true;
            List<String> all = c.answers().values().stream().map(this::describe).toList();
            LOG.warn("deadlock: every process is blocked and nothing can wake any of them");
            watchers.forEach(w -> w.tell(new Detector.WholeSystem(all)));
            watchers.clear();
        }
    }

    private void report(TreeSet<Long> members, Map<Long, Pcb.Status> answers, boolean wholeSystem) {
        if (reported.containsAll(members)) {
            return;
        }
        reported.addAll(members);
        List<String> waits = members.stream().map(pid -> describe(answers.get(pid))).toList();
        trace.event("deadlock", 0, "kernel", "members", List.copyOf(members), "waits", waits, "whole_system",
                wholeSystem && members.size() == graph.processes());
        LOG.warn("deadlock: processes {} wait for each other and nothing else can wake them: {}", members,
                String.join("; ", waits));
    }

    private String describe(Pcb.Status s) {
        return s.pid() + " " + graph.program(s.pid()) + ": " + s.blockedIn();
    }
}
