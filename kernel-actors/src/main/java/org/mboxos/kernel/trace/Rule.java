package org.mboxos.kernel.trace;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** The invariants {@link HistoryCheck} holds a trace to; each violation names one. */
public enum Rule {
    SCHEMA("every event has the fields its kind needs (docs/trace.md)"),
    ORDER("seq strictly increases"),
    MESSAGES("each message is sent once and numbered 1, 2, 3... per box; received or discarded at most once, "
            + "never both, as from its sender, never longer than it was sent"),
    FIFO("per box and sender, messages are received in the order they were sent; discarded ones come after "
            + "the received ones"),
    DELIVERY("every message sent is received, discarded with a reason, or still queued at the end"),
    AFTER_END("nobody sends or receives in a box after being withdrawn from it or after exiting, and nothing "
            + "is sent to or received from a box after it discarded its queue"),
    USAGE("usage counts go up and down by one at each open and close of a box or synchronisation object, "
            + "never below zero, and only what a process holds is closed for it"),
    RELEASE("a process that ended holds no box and no synchronisation object: its usage counts are back"),
    LIFECYCLE("one spawn per pid, and at most one exit, only of a spawned process"),
    CAUSALITY("a process's events come after its spawn and before its exit (except the clean-up the kernel "
            + "records on its behalf)");

    /**
     * The rules a trace keeps at every moment of a run, also while events are still being
     * written. The rest can be broken for a moment (a freed box traces its discards just after
     * the free; an exit is traced just before the closes it causes) or are broken by a known
     * kernel defect (causality, issue 11): they hold for a finished trace.
     */
    public static final Set<Rule> AT_ANY_MOMENT =
            Collections.unmodifiableSet(EnumSet.of(SCHEMA, ORDER, MESSAGES, FIFO, AFTER_END, USAGE, LIFECYCLE));

    private final String description;

    Rule(String description) {
        this.description = description;
    }

    /** What the rule demands, as one sentence for users. */
    public String description() {
        return description;
    }

    /** The rule's name as users type and read it: {@code after-end}. */
    public String label() {
        return name().toLowerCase().replace('_', '-');
    }
}
