package org.mboxos.kernel;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mboxos.api.Program;
import org.mboxos.kernel.dev.Console;
import org.mboxos.kernel.trace.Trace;

/**
 * A booted kernel for tests: programs given as lambdas, the console captured in memory, every
 * trace event recorded. Use with try-with-resources.
 */
public final class KernelHarness implements AutoCloseable {
    /** The longest any single test run may take before it counts as hung. */
    public static final Duration HANG = Duration.ofSeconds(30);

    private final Trace.Recorder recorder = new Trace.Recorder();
    private final StringBuffer screen = new StringBuffer();
    private final Machine machine;

    private KernelHarness(Config config, Ramdisk ramdisk) {
        this.machine = Machine.boot(config, ramdisk, Console.Screen.lines(screen::append), recorder);
    }

    /** A kernel with the default settings (reference.conf) and {@code programs} on its ramdisk. */
    public static KernelHarness boot(Program... programs) {
        return boot(Map.of(), programs);
    }

    /** A kernel with {@code settings} (e.g. {@code "kernel.num-pcbs", 4}) over the defaults. */
    public static KernelHarness boot(Map<String, ?> settings, Program... programs) {
        Config config = ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
        return new KernelHarness(config, Ramdisk.empty().with(programs));
    }

    /** Starts {@code program} as pid 1; completes with its exit status. */
    public CompletableFuture<Integer> start(String program, String... args) {
        return machine.run(program, List.of(args)).toCompletableFuture();
    }

    /**
     * Runs {@code program} as pid 1 to its end and returns its exit status (fails after
     * {@link #HANG}); everything it printed is on {@link #screen()} by then.
     */
    public int run(String program, String... args) {
        try {
            int status = start(program, args).get(HANG.toSeconds(), TimeUnit.SECONDS);
            machine.flushConsole();
            return status;
        } catch (Exception e) {
            throw new AssertionError("pid 1 (" + program + ") did not end within " + HANG, e);
        }
    }

    /** Everything printed on the console so far. */
    public String screen() {
        return screen.toString();
    }

    public List<Trace.Event> events() {
        return recorder.events();
    }

    public List<Trace.Event> events(String ev) {
        return recorder.events(ev);
    }

    public Machine machine() {
        return machine;
    }

    @Override
    public void close() {
        machine.close();
    }
}
