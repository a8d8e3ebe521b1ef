package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mboxos.api.Program;
import org.mboxos.kernel.trace.Trace;
import org.slf4j.LoggerFactory;

/**
 * The {@code --trace} JSON-lines sink: whatever strings programs pass, every line is valid
 * UTF-8 JSON that reads back to the same values, and a sink that cannot write never takes the
 * kernel down.
 */
class TraceJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HIGH = "\uD800";
    private static final String LOW = "\uDC00";

    private final CheckedPrograms checked = new CheckedPrograms();

    /** Programs that hand the kernel lone surrogates in every kind of string it traces. */
    private Program[] surrogatePrograms() {
        Program child = checked.prog("child", (sys, args) -> {
            sys.print(args.get(0));
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            sys.print("a" + HIGH + "b");
            sys.println("ends high " + HIGH);
            sys.printAt(0, 0, LOW + "starts low");
            assertEquals(0, sys.waitpid(sys.spawn("child", "arg" + LOW + HIGH)));
            int box = sys.mboxOpen("box" + HIGH);
            sys.mboxSend(box, "x");
            sys.mboxClose(box);
            int lock = sys.lockOpen("lock" + LOW);
            sys.lockAcquire(lock);
            sys.lockRelease(lock);
            sys.close(lock);
            sys.print("pair \uD83D\uDE00 é");
            sys.sleep(1); // the clock still works after tracing all that
            return 0;
        });
        return new Program[] {init, child};
    }

    @Test
    void loneSurrogatesAreEscapedAndEveryLineIsValidJson() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        // The launcher's writer: UTF-8 that reports unencodable input rather than replacing it.
        Writer strict = new OutputStreamWriter(file, StandardCharsets.UTF_8.newEncoder());
        List<JsonNode> lines;
        try (KernelHarness k = KernelHarness.boot(surrogatePrograms())) {
            k.machine().trace().attach(Trace.jsonLines(strict));
            checked.run(k);
            k.machine().trace().close();
            lines = parseLines(file.toByteArray());
            long first = lines.get(0).get("seq").asLong();
            assertEquals(k.events().stream().filter(e -> e.seq() >= first).count(), lines.size(),
                    "one line per event from the moment the sink was attached");
        }
        assertSeqStrictlyIncreasing(lines);
        List<String> printed = texts(lines, "print");
        assertTrue(printed.contains("a" + HIGH + "b"), printed.toString());
        assertTrue(printed.contains("ends high " + HIGH + "\n"), printed.toString());
        assertTrue(printed.contains("arg" + LOW + HIGH), printed.toString());
        assertTrue(printed.contains("pair \uD83D\uDE00 é"), printed.toString());
        assertTrue(texts(lines, "print-at").contains(LOW + "starts low"));
        assertTrue(field(lines, "spawn", "args").contains("arg" + LOW + HIGH));
        assertTrue(field(lines, "mbox-open", "name").contains("box" + HIGH));
        assertTrue(field(lines, "sync-open", "name").contains("lock" + LOW));
        assertTrue(lines.stream().anyMatch(l -> l.get("ev").asText().equals("wake")), "the sleep woke");
    }

    @Test
    void aPairedSurrogateIsWrittenAsUtf8AndALoneOneAsAnEscape() {
        Trace.Event e = new Trace.Event(1, 0, "print", 1, "p", Map.of("text", "\uD83D\uDE00" + HIGH));
        assertEquals("{\"seq\":1,\"t\":0,\"ev\":\"print\",\"pid\":1,\"prog\":\"p\",\"text\":\"\uD83D\uDE00\\uD800\"}",
                e.toJson());
    }

    @Test
    void aSinkThatFailsIsReportedOnceAndStopsWhileTheKernelRunsOn() throws Exception {
        FailingWriter out = new FailingWriter(1);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger traceLog = (Logger) LoggerFactory.getLogger("mboxos.trace");
        log.start();
        traceLog.addAppender(log);
        String line = "y".repeat(1000);
        Program init = checked.prog("init", (sys, args) -> {
            for (int i = 0; i < 300; i++) { // several sink buffers' worth of trace
                sys.print(line);
            }
            sys.sleep(1);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            k.machine().trace().attach(Trace.jsonLines(out));
            checked.run(k);
            k.machine().trace().close();
            assertEquals(300, k.events("print").size(), "the recorder got every event");
            assertEquals(1, k.events("wake").size(), "timers still fire");
        } finally {
            traceLog.detachAppender(log);
        }
        assertEquals(1, out.failures, "after its first failure the sink writes nothing more");
        List<JsonNode> lines = parseLines(out.written.toString().getBytes(StandardCharsets.UTF_8));
        assertTrue(!lines.isEmpty(), "what was written before the failure stays");
        assertSeqStrictlyIncreasing(lines);
        long first = lines.get(0).get("seq").asLong();
        assertEquals(first + lines.size() - 1, lines.get(lines.size() - 1).get("seq").asLong(), "no gap, no duplicate");
        List<ILoggingEvent> reports = log.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
        assertEquals(1, reports.size(), "reported once: " + reports);
    }

    /** Accepts {@code goodWrites} write calls whole, then throws on every call without taking anything. */
    private static final class FailingWriter extends Writer {
        private final StringWriter written = new StringWriter();
        private int goodWrites;
        private int failures;

        FailingWriter(int goodWrites) {
            this.goodWrites = goodWrites;
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            if (goodWrites == 0) {
                failures++;
                throw new IOException("No space left on device");
            }
            goodWrites--;
            written.write(buf, off, len);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /** Decodes strictly (malformed UTF-8 fails) and parses every line. */
    private static List<JsonNode> parseLines(byte[] bytes) throws CharacterCodingException, IOException {
        String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        assertTrue(text.isEmpty() || text.endsWith("\n"), "the file ends with a whole line");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static void assertSeqStrictlyIncreasing(List<JsonNode> lines) {
        long last = 0;
        for (JsonNode l : lines) {
            long seq = l.get("seq").asLong();
            assertTrue(seq > last, "seq " + seq + " after " + last);
            last = seq;
        }
    }

    private static List<String> texts(List<JsonNode> lines, String ev) {
        return field(lines, ev, "text");
    }

    /** The field of every {@code ev} line, as text (an array's elements one by one). */
    private static List<String> field(List<JsonNode> lines, String ev, String field) {
        List<String> values = new ArrayList<>();
        lines.stream().filter(l -> l.get("ev").asText().equals(ev)).map(l -> l.get(field)).forEach(v -> {
            if (v.isArray()) {
                v.forEach(element -> values.add(element.asText()));
            } else {
                values.add(v.asText());
            }
        });
        return values;
    }
}
