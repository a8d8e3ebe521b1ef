package org.mboxos.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * The real terminal as a keyboard: raw mode (no line editing, no echo; Ctrl-C still stops
 * the run), one interrupt per byte read from stdin. The terminal's settings are restored on
 * close and, for Ctrl-C and every other way out, by a shutdown hook.
 */
interface Terminal extends AutoCloseable {

    Terminal NONE = () -> {};

    @Override
    void close();

    static Terminal raw(Consumer<Byte> press) {
        String saved = stty("-g").trim();
        Runnable restore = () -> stty(saved);
        Thread hook = new Thread(restore, "mboxos-restore-tty");
        Runtime.getRuntime().addShutdownHook(hook);
        stty("-icanon -echo min 1");
        Thread reader = Thread.ofPlatform().daemon().name("mboxos-keyboard").start(() -> {
            InputStream in = System.in;
            try {
                for (int b; (b = in.read()) >= 0; ) {
                    press.accept((byte) b);
                }
            } catch (IOException e) {
                // stdin closed: no more keys
            }
        });
        return () -> {
            reader.interrupt();
            restore.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        };
    }

    /** Runs stty on the controlling terminal and returns what it printed. */
    private static String stty(String args) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "stty " + args + " < /dev/tty").redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return output;
        } catch (IOException e) {
            throw new Main.UsageError("--tty: cannot set the terminal: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
