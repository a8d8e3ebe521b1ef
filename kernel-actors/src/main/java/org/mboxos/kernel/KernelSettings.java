package org.mboxos.kernel;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code kernel} section of the configuration, read once at boot. Defaults live in
 * reference.conf; this record holds no values of its own.
 */
public record KernelSettings(
        int numPcbs,
        int maxMboxen,
        int maxSyncObjects,
        int mboxNameLength,
        int maxMboxLength,
        int maxMessageLength,
        int mboxPriorities,
        int exitLogSize,
        Duration censusTimeout,
        int screenRows,
        int screenCols,
        int keyboardBuffer,
        Duration keyInterval,
        Scheduling scheduler,
        Dispatcher dispatcher,
        Duration quantum,
        long seed,
        Deadlocks deadlock,
        Duration deadlockCheck) {

    public enum Scheduling {
        PARALLEL,
        LOTTERY
    }

    /**
     * What the kernel does about deadlocks (docs/semantics.md, Deadlocks): report them when they
     * form; also refuse, with EDEADLK, a definite wait that would close a cycle; or nothing.
     */
    public enum Deadlocks {
        REPORT,
        REFUSE,
        OFF
    }

    /** What the kernel actors run on in parallel mode (lottery mode always uses one kernel thread). */
    public enum Dispatcher {
        /** System calls in kernel mode: a kernel actor's turn runs on the calling program's thread when it can. */
        KERNEL_MODE,
        VIRTUAL_THREADS,
        FORK_JOIN
    }

    public static KernelSettings from(Config root) {
        Config c = root.getConfig("kernel");
        String seed = c.getString("seed");
        return new KernelSettings(
                positive(c, "num-pcbs"),
                positive(c, "max-mboxen"),
                positive(c, "max-sync-objects"),
                positive(c, "mbox-name-length"),
                positive(c, "max-mbox-length"),
                positive(c, "max-message-length"),
                positive(c, "mbox-priorities"),
                positive(c, "exit-log-size"),
                c.getDuration("census-timeout"),
                positive(c, "screen-rows"),
                positive(c, "screen-cols"),
                positive(c, "keyboard-buffer"),
                c.getDuration("key-interval"),
                Scheduling.valueOf(c.getString("scheduler").toUpperCase()),
                Dispatcher.valueOf(c.getString("dispatcher").toUpperCase().replace('-', '_')),
                c.getDuration("quantum"),
                seed.equals("random") ? ThreadLocalRandom.current().nextLong(1, 1L << 31) : Long.parseLong(seed),
                Deadlocks.valueOf(c.getString("deadlock").toUpperCase()),
                notNegative(c, "deadlock-check"));
    }

    private static Duration notNegative(Config c, String key) {
        Duration d = c.getDuration(key);
        if (d.isNegative()) {
            throw new IllegalArgumentException("kernel." + key + " must not be negative, not " + d);
        }
        return d;
    }

    private static int positive(Config c, String key) {
        int v = c.getInt(key);
        if (v < 1) {
            throw new IllegalArgumentException("kernel." + key + " must be at least 1, not " + v);
        }
        return v;
    }
}
