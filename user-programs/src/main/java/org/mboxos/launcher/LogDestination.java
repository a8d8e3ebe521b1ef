package org.mboxos.launcher;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Where the run's log goes. On a terminal the programs' screen rows and the shell's prompt
 * must stay readable, so unless {@code --log stderr} asks otherwise the log goes to a file,
 * named on stderr at startup; on a pipe it stays on stderr (config/logback.xml).
 */
final class LogDestination {
    static final String STDERR = "stderr";
    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [pid %X{pid} %X{prog}] %msg%n";

    private LogDestination() {}

    /** Applies {@code --log} ({@code chosen}); returns the file the log now goes to, or null for stderr. */
    static Path apply(String chosen, boolean stdoutIsTerminal) {
        if (STDERR.equals(chosen) || chosen == null && !stdoutIsTerminal) {
            return null;
        }
        Path file = chosen != null ? Path.of(chosen) : Path.of(System.getProperty("java.io.tmpdir"),
                "mboxos-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".log");
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return null; // not Logback: nothing to redirect
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("FILE");
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        if (!appender.isStarted()) {
            throw new Main.UsageError("--log: cannot write " + file);
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        List<Appender<ILoggingEvent>> old = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(old::add);
        root.addAppender(appender);
        old.forEach(a -> {
            root.detachAppender(a);
            a.stop();
        });
        return file;
    }
}
