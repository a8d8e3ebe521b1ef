package org.mboxos.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;
import org.mboxos.launcher.Main;

/**
 * One {@code ./mboxos ...} invocation driven through {@link Main#run} on a background thread,
 * with stdout and stderr captured in memory. stdout is not a terminal here, so screen rows come
 * out as {@code [row N] CONTENT} lines.
 *
 * <p>Every {@code run} is traced: unless the command line has its own {@code --trace FILE}, the
 * harness adds one to a temporary file. {@link #screen()} renders the trace's print, print-at
 * and clear-row events the way the launcher renders them on stdout, which gives the complete
 * console output of the run. Tests assert on it rather than on {@link #out()} because the
 * launcher currently loses console output still queued when pid 1 exits (see
 * TraceFileIT#stdoutHasEverythingTheProgramsPrinted, disabled as a BUG).
 *
 * <p>Trace files are read by a small hand-written JSON reader, one object per line, into maps
 * (numbers become {@code Long} or {@code Double}, arrays {@code List}).
 */
final class LauncherHarness {
    /** The longest a single run may take before it counts as hung. */
    static final Duration HANG = Duration.ofSeconds(30);

    private final List<String> argv;
    private final Path traceFile;
    private List<Map<String, Object>> trace;
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> status = new CompletableFuture<>();

    private LauncherHarness(List<String> argv, Path traceFile) {
        this.argv = argv;
        this.traceFile = traceFile;
    }

    /**
     * Starts {@code mboxos ARGV...} on a background thread and returns at once. A {@code run}
     * without {@code --trace} gets one to a temporary file.
     */
    static LauncherHarness start(String... argv) {
        List<String> line = new ArrayList<>(List.of(argv));
        int end = line.contains("--") ? line.indexOf("--") : line.size();
        int traceAt = line.subList(0, end).indexOf("--trace");
        Path traceFile = null;
        if (traceAt >= 0 && traceAt + 1 < end) {
            traceFile = Path.of(line.get(traceAt + 1));
        } else if (!line.isEmpty() && line.get(0).equals("run") && traceAt < 0) {
            try {
                traceFile = Files.createTempFile("mboxos-it-", ".jsonl");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            traceFile.toFile().deleteOnExit();
            line.addAll(1, List.of("--trace", traceFile.toString()));
        }
        LauncherHarness h = new LauncherHarness(List.copyOf(line), traceFile);
        String[] command = line.toArray(String[]::new);
        PrintStream out = new PrintStream(h.outBytes, true, UTF_8);
        PrintStream err = new PrintStream(h.errBytes, true, UTF_8);
        Thread.ofPlatform().daemon().name("mboxos-launcher " + String.join(" ", argv)).start(() -> {
            try {
                h.status.complete(Main.run(command, out, err));
            } catch (Throwable t) {
                h.status.completeExceptionally(t);
            } finally {
                out.flush();
                err.flush();
            }
        });
        return h;
    }

    /** Runs {@code mboxos ARGV...} to its end (at most {@link #HANG}). */
    static LauncherHarness run(String... argv) {
        LauncherHarness h = start(argv);
        h.awaitExit();
        return h;
    }

    /** The exit status, as the launcher would pass it to System.exit; completes when the run ends. */
    CompletableFuture<Integer> exitStatus() {
        return status;
    }

    /** Waits at most {@link #HANG} for the run to end and returns its exit status. */
    int awaitExit() {
        return awaitExit(HANG);
    }

    int awaitExit(Duration atMost) {
        try {
            return status.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the run did not end within " + atMost + "\n" + describe(), e);
        } catch (ExecutionException e) {
            throw new AssertionError("the launcher threw " + e.getCause() + "\n" + describe(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Waits (Awaitility) until stdout contains {@code text} and returns stdout so far; if the
     * run ends first, the trace's complete record must contain it.
     */
    String awaitOut(String text) {
        Awaitility.await("stdout to contain '" + text + "'")
                .atMost(HANG)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> out().contains(text) || status.isDone());
        if (out().contains(text)) {
            return out();
        }
        awaitExit();
        if (!screen().contains(text)) {
            throw new AssertionError("the run ended without printing '" + text + "'\n" + describe());
        }
        return screen();
    }

    /** Everything on stdout so far. */
    String out() {
        return outBytes.toString(UTF_8);
    }

    /**
     * The run's console output, complete: the trace's print, print-at and clear-row events
     * rendered as the launcher renders them on a pipe (stream text as it is; each row update
     * one line {@code [row N] CONTENT} with the whole row). Processes that print at the same
     * moment may interleave differently than on stdout. Waits for the run to end.
     */
    String screen() {
        awaitExit();
        StringBuilder screen = new StringBuilder();
        Map<Long, StringBuilder> rows = new java.util.HashMap<>();
        boolean midLine = false;
        for (Map<String, Object> e : trace()) {
            String ev = (String) e.get("ev");
            if (ev.equals("print")) {
                String text = (String) e.get("text");
                screen.append(text);
                if (!text.isEmpty()) {
                    midLine = text.charAt(text.length() - 1) != '\n';
                }
                continue;
            }
            String content;
            if (ev.equals("print-at")) {
                StringBuilder row = rows.computeIfAbsent(num(e, "row"), r -> new StringBuilder());
                int col = (int) num(e, "col");
                String text = (String) e.get("text");
                while (row.length() < col + text.length()) {
                    row.append(' ');
                }
                row.replace(col, col + text.length(), text);
                content = row.toString().stripTrailing();
            } else if (ev.equals("clear-row")) {
                rows.remove(num(e, "row"));
                content = "";
            } else {
                continue;
            }
            screen.append(midLine ? "\n" : "").append("[row ").append(num(e, "row")).append("] ").append(content)
                    .append('\n');
            midLine = false;
        }
        return screen.toString();
    }

    List<String> screenLines() {
        return lines(screen());
    }

    /** The run's trace (its --trace file, or the one the harness added), read once the run ended. */
    synchronized List<Map<String, Object>> trace() {
        if (traceFile == null) {
            throw new IllegalStateException("not a traced run: " + argv);
        }
        awaitExit();
        if (trace == null) {
            trace = readTrace(traceFile);
        }
        return trace;
    }

    /** Everything on stderr so far. */
    String err() {
        return errBytes.toString(UTF_8);
    }

    List<String> outLines() {
        return lines(out());
    }

    List<String> errLines() {
        return lines(err());
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    /** The command line and the output so far, for assertion messages. */
    String describe() {
        String text = "mboxos " + String.join(" ", argv) + "\n--- stdout ---\n" + out() + "\n--- stderr ---\n" + err();
        if (status.isDone() && !status.isCompletedExceptionally() && traceFile != null && Files.exists(traceFile)) {
            try {
                text += "\n--- screen (from the trace) ---\n" + screen();
            } catch (RuntimeException | AssertionError e) {
                text += "\n--- trace unreadable: " + e + " ---";
            }
        }
        return text;
    }

    // ---- the repository's config folder -----------------------------------------------------

    /** The repository's config/ folder (Failsafe passes it as mboxos.config.dir). */
    static Path configDir() {
        String dir = System.getProperty("mboxos.config.dir");
        if (dir == null) {
            throw new IllegalStateException("system property mboxos.config.dir is not set (run through Failsafe)");
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }

    /** A file in config/, such as {@code disastros.conf}, as a path for --config. */
    static String configFile(String name) {
        Path p = configDir().resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("no config file " + p);
        }
        return p.toString();
    }

    // ---- trace files --------------------------------------------------------------------------

    /** The lines of a {@code --trace} file, each parsed into a map (field order kept). */
    static List<Map<String, Object>> readTrace(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Map<String, Object>> events = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            try {
                events.add(parseObject(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw new AssertionError(file + " line " + (i + 1) + " is not one JSON object: " + e.getMessage()
                        + "\n" + lines.get(i), e);
            }
        }
        return events;
    }

    /** The events named {@code ev}, in trace order. */
    static List<Map<String, Object>> events(List<Map<String, Object>> trace, String ev) {
        return trace.stream().filter(e -> ev.equals(e.get("ev"))).toList();
    }

    /** A numeric field as a long. */
    static long num(Map<String, Object> event, String field) {
        Object v = event.get(field);
        if (!(v instanceof Number n)) {
            throw new AssertionError("field '" + field + "' is not a number in " + event);
        }
        return n.longValue();
    }

    /** Parses one JSON object that must fill the whole of {@code text}. */
    static Map<String, Object> parseObject(String text) {
        Json p = new Json(text);
        p.skipSpace();
        if (p.peek() != '{') {
            throw new IllegalArgumentException("does not start with '{'");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw new IllegalArgumentException("text after the object at " + p.pos);
        }
        return object;
    }

    /** A minimal recursive-descent JSON reader. */
    private static final class Json {
        private final String s;
        private int pos;

        Json(String s) {
            this.s = s;
        }

        char peek() {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("unexpected end of input");
            }
            return s.charAt(pos);
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + pos + ", found '" + peek() + "'");
            }
            pos++;
        }

        Object value() {
            skipSpace();
            char c = peek();
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || Character.isDigit(c)) {
                        yield number();
                    }
                    throw new IllegalArgumentException("unexpected '" + c + "' at " + pos);
                }
            };
        }

        private Map<String, Object> object() {
            expect('{');
            Map<String, Object> m = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}') {
                pos++;
                return m;
            }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                Object v = value();
                if (m.containsKey(key)) {
                    throw new IllegalArgumentException("duplicate key '" + key + "'");
                }
                m.put(key, v);
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect('}');
                    return m;
                }
            }
        }

        private List<Object> array() {
            expect('[');
            List<Object> list = new ArrayList<>();
            skipSpace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = peek();
                pos++;
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("raw control character in a string at " + (pos - 1));
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = peek();
                pos++;
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw new IllegalArgumentException("short \\u escape at " + pos);
                        }
                        b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e + " at " + (pos - 1));
                }
            }
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, pos)) {
                throw new IllegalArgumentException("unexpected text at " + pos);
            }
            pos += word.length();
            return v;
        }

        private Number number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            boolean integral = true;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (Character.isDigit(c)) {
                    pos++;
                } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                    integral = false;
                    pos++;
                } else {
                    break;
                }
            }
            String n = s.substring(start, pos);
            try {
                return integral ? (Number) Long.parseLong(n) : (Number) Double.parseDouble(n);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad number '" + n + "' at " + start);
            }
        }
    }
}
