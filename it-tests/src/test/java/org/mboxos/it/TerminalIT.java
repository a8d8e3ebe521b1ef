package org.mboxos.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real launcher on a real terminal (a pseudo-terminal made by util-linux's {@code script}):
 * the log goes to a file it names, so the programs' screen stays readable; {@code --log stderr}
 * brings it back.
 */
class TerminalIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    /** Runs {@code ./mboxos ARGS} with stdin and stdout on a pseudo-terminal; returns what the terminal showed. */
    private static String onTerminal(String args) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script makes the pseudo-terminal");
        Process p = new ProcessBuilder("/usr/bin/script", "-qec", "./mboxos " + args, "/dev/null")
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        String shown = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run ended");
        assertEquals(0, p.exitValue(), shown);
        return shown;
    }

    @Test
    void onATerminalTheLogGoesToTheFileItNamesAndTheScreenStaysClean() throws Exception {
        String shown = onTerminal("run demo");
        Matcher named = Pattern.compile("mboxos: log in (\\S+\\.log)").matcher(shown);
        assertTrue(named.find(), shown);
        assertFalse(shown.contains(" INFO "), "no log line on the terminal:\n" + shown);
        assertTrue(shown.contains("demo: worker 4 exited with status 4"), shown);
        String log = Files.readString(Path.of(named.group(1)));
        assertTrue(log.contains("spawn child=2 program=\"worker\""), log);
        Files.delete(Path.of(named.group(1)));
    }

    @Test
    void logStderrKeepsTheLogOnTheTerminal() throws Exception {
        String shown = onTerminal("run demo --log stderr");
        assertFalse(shown.contains("mboxos: log in"), shown);
        assertTrue(shown.contains(" INFO  [pid 1 demo] spawn child=2"), shown);
    }
}
