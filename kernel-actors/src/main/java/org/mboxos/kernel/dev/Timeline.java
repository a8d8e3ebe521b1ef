package org.mboxos.kernel.dev;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated timeline of lottery mode: keys due at instants of kernel time, in the order
 * they fall due; keys due at the same instant in the order they were set. Plain state of the
 * {@link Clock}, touched only on its turns.
 */
final class Timeline {
    /** A place on the timeline: when, and in which order it was set. */
    private record Due(long at, long order) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
        }
    }

    private final TreeMap<Due, Object> keys = new TreeMap<>();
    private final Map<Object, Due> placeOf = new HashMap<>();
    private long order;

    void put(Object key, long at) {
        Due due = new Due(at, order++);
        keys.put(due, key);
        placeOf.put(key, due);
    }

    void remove(Object key) {
        Due due = placeOf.remove(key);
        if (due != null) {
            keys.remove(due);
        }
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    void clear() {
        keys.clear();
        placeOf.clear();
    }

    /** When the first key falls due; only if not empty. */
    long firstAt() {
        return keys.firstKey().at();
    }

    /** The first key if it is due at or before {@code to} (taken off the timeline), else null. */
    Object pollDue(long to) {
        if (keys.isEmpty() || keys.firstKey().at() > to) {
            return null;
        }
        Object key = keys.pollFirstEntry().getValue();
        placeOf.remove(key);
        return key;
    }
}
