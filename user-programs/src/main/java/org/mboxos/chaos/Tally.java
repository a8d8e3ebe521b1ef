package org.mboxos.chaos;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the programs of one chaos run saw that the trace cannot tell: the bad-argument calls
 * they made, and every call whose outcome was not one the documentation allows (a wrong errno,
 * an unexpected exception, a bad call that succeeded). Shared by the run's processes; nothing
 * here influences what they do, so a lottery run stays replayable.
 */
final class Tally {
    private final AtomicLong badCalls = new AtomicLong();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    void badCall() {
        badCalls.incrementAndGet();
    }

    void fail(String what) {
        failures.add(what);
    }

    long badCalls() {
        return badCalls.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }
}
