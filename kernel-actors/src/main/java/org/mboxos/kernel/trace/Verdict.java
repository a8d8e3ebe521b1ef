package org.mboxos.kernel.trace;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The result of {@link HistoryCheck#of}: every violation in trace order (the first is the one
 * to look at) and the message ledger. A value: printing it or asserting on it is the caller's
 * choice; the {@code assert...} helpers throw {@link AssertionError} for tests.
 */
public record Verdict(int events, List<Violation> violations, Messages messages) {

    public Verdict {
        violations = List.copyOf(violations);
    }

    /** No violation of any rule. */
    public boolean clean() {
        return violations.isEmpty();
    }

    /** No violation of the rules in {@link Rule#AT_ANY_MOMENT}. */
    public boolean consistent() {
        return only(Rule.AT_ANY_MOMENT).clean();
    }

    /** The first violation in trace order (those found only at the end come last). */
    public Optional<Violation> first() {
        return violations.stream().findFirst();
    }

    /** This verdict restricted to {@code rules}. */
    public Verdict only(Set<Rule> rules) {
        return new Verdict(events, violations.stream().filter(v -> rules.contains(v.rule())).toList(), messages);
    }

    /** How many violations of each rule (rules without any are left out). */
    public Map<Rule, Integer> countByRule() {
        Map<Rule, Integer> counts = new EnumMap<>(Rule.class);
        violations.forEach(v -> counts.merge(v.rule(), 1, Integer::sum));
        return counts;
    }

    /** Fails listing the violations (the first 40), or returns this. */
    public Verdict assertClean() {
        if (!clean()) {
            StringBuilder b = new StringBuilder(violations.size() + " trace violation(s):");
            violations.stream().limit(40).forEach(v -> b.append("\n  ").append(v));
            throw new AssertionError(b.toString());
        }
        return this;
    }

    /**
     * Fails unless the rules of {@link Rule#AT_ANY_MOMENT} hold: what tests assert about a
     * run that may still be going on (the mailbox rules, usage counts, spawn and exit).
     */
    public Verdict assertConsistent() {
        only(Rule.AT_ANY_MOMENT).assertClean();
        return this;
    }

    /**
     * Fails unless the messages neither received nor discarded are exactly {@code queuedByBox}
     * (box id to count, e.g. from {@code sys.mboxes()}; boxes with nothing queued may be left out).
     */
    public Verdict assertAccountedFor(Map<Long, Integer> queuedByBox) {
        Map<Long, Integer> expected = new TreeMap<>();
        queuedByBox.forEach((box, n) -> {
            if (n != 0) {
                expected.put(box, n);
            }
        });
        Map<Long, Integer> actual = messages.unresolvedByBox();
        if (!expected.equals(actual)) {
            throw new AssertionError("messages sent but neither received nor discarded, per box: " + actual
                    + "; still queued per box: " + expected + "; unresolved: " + messages.unresolved());
        }
        return this;
    }
}
