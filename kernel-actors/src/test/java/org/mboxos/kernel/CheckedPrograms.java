package org.mboxos.kernel;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionFactory;
import org.mboxos.api.MboxInfo;
import org.mboxos.api.Program;
import org.mboxos.api.Sys;

/**
 * Test programs whose assertions run on their own threads: a failure there (or any unexpected
 * exception) is collected, and rethrown on the test's thread by {@link #run} or
 * {@link #checkFailures}. {@code Killed} is neither, so it ends a program's thread as it should.
 */
final class CheckedPrograms {
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    /** A program whose assertion failures are reported to the test; it exits 99 after one. */
    Program prog(String name, Program.Main body) {
        return Program.of(name, "test program " + name, (sys, args) -> {
            try {
                return body.main(sys, args);
            } catch (AssertionError | Exception e) {
                failures.add(new AssertionError(name + " (pid " + sys.getpid() + "): " + e, e));
                return 99;
            }
        });
    }

    /** Runs "init" to its end; fails with the programs' first failure, or if init's status is not 0. */
    void run(KernelHarness k) {
        int status = k.run("init");
        checkFailures();
        assertEquals(0, status, () -> "init's exit status; crashes: " + k.events("crash"));
    }

    /**
     * Awaitility for conditions a program polls from its own thread (ps, mboxes): every 2 ms,
     * at most 10 s.
     */
    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(10)).pollInSameThread()
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    /** Awaitility for the test's own thread, polling often: the conditions become true within milliseconds. */
    static ConditionFactory soon() {
        return await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    /** The mailbox table's row for {@code name}, or null. */
    static MboxInfo info(Sys sys, String name) {
        return sys.mboxes().stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
    }

    /** Fails with the first failure any program reported (the others suppressed under it). */
    void checkFailures() {
        if (!failures.isEmpty()) {
            AssertionError first = new AssertionError(failures.get(0).getMessage(), failures.get(0));
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
