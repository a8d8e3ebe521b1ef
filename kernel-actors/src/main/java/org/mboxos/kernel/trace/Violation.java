package org.mboxos.kernel.trace;

/**
 * One broken {@link Rule}: {@code seq} is the event where it showed (0 when it shows only at
 * the end of the trace), {@code what} says what is wrong, {@code event} is that event as JSON
 * ("" for the end of the trace).
 */
public record Violation(Rule rule, long seq, String what, String event) {

    @Override
    public String toString() {
        String where = seq > 0 ? "seq " + seq : "end of trace";
        return where + " [" + rule.label() + "] " + what + (event.isEmpty() ? "" : "\n    " + event);
    }
}
