package org.mboxos.kernel.trace;

/** Typed reads of a trace event's fields, for the checker: a missing or mistyped field is {@link Malformed}. */
final class EventFields {
    private EventFields() {}

    /** An event lacks a field or has one of the wrong type. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    static long num(Trace.Event e, String field) {
        if (!(e.get(field) instanceof Number n)) {
            throw new Malformed("'" + e.ev() + "' event without a number '" + field + "'");
        }
        return n.longValue();
    }

    static String text(Trace.Event e, String field) {
        if (!(e.get(field) instanceof String s)) {
            throw new Malformed("'" + e.ev() + "' event without a string '" + field + "'");
        }
        return s;
    }
}
