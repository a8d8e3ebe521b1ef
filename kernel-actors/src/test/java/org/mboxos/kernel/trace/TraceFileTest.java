package org.mboxos.kernel.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a trace file back gives the events the kernel wrote; a bad file says where and why. */
class TraceFileTest {

    @Test
    void whatTheWriterWritesReadsBackTheSame() throws IOException {
        Trace.Recorder recorder = new Trace.Recorder();
        java.io.StringWriter out = new java.io.StringWriter();
        Trace trace = new Trace(() -> 42);
        trace.attach(recorder);
        trace.attach(Trace.jsonLines(out));
        trace.event("spawn", 1, "init", "child", 2, "program", "x", "args", List.of("a", "b \"q\"\n"));
        trace.detail("recv", 2, "x", "box", 7L, "name", "inbox:2", "msg", 1, "from", 1, "bytes", 3, "truncated", false);
        trace.event("error", 2, "x", "call", "mbox_open", "errno", "ENOENT", "message", "tab\there ü");
        trace.close();

        List<Trace.Event> read = TraceFile.read(new StringReader(out.toString()), "t.jsonl");
        assertEquals(recorder.events().stream().map(Trace.Event::toJson).toList(),
                read.stream().map(Trace.Event::toJson).toList());
        Trace.Event spawn = read.get(0);
        assertEquals(2L, spawn.get("child"));
        assertEquals(List.of("a", "b \"q\"\n"), spawn.get("args"));
        assertEquals(List.of("child", "program", "args"), List.copyOf(spawn.fields().keySet()));
        assertEquals(false, read.get(1).get("truncated"));
    }

    @Test
    void numbersNullsAndNestedObjectsGetJavaTypes() {
        Trace.Event e = TraceFile.parse(
                "{\"seq\":1,\"t\":2,\"ev\":\"x\",\"pid\":0,\"prog\":\"\",\"n\":1.5,\"z\":null,\"o\":{\"a\":[1]}}");
        assertEquals(1.5, e.get("n"));
        assertNull(e.get("z"));
        assertEquals(Map.of("a", List.of(1L)), e.get("o"));
    }

    @Test
    void blankLinesAreSkipped() throws IOException {
        String text = "{\"seq\":1,\"t\":0,\"ev\":\"boot\",\"pid\":0,\"prog\":\"kernel\"}\n\n";
        assertEquals(1, TraceFile.read(new StringReader(text), "t").size());
    }

    @Test
    void aBadLineIsReportedWithItsFileAndLineNumber(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("bad.jsonl");
        String good = "{\"seq\":1,\"t\":0,\"ev\":\"boot\",\"pid\":0,\"prog\":\"kernel\"}\n";
        for (var c : List.of(
                List.of("{\"seq\":2,\"t\":0,\"ev\":\"x\",\"pid\":0,\"prog\":\"k\"", "not JSON"),
                List.of("[1,2]", "not a JSON object"),
                List.of("{\"seq\":2,\"t\":0,\"ev\":\"x\",\"pid\":0}", "no 'prog' field"),
                List.of("{\"seq\":\"2\",\"t\":0,\"ev\":\"x\",\"pid\":0,\"prog\":\"k\"}", "'seq' is not an integer"),
                List.of("{\"seq\":2,\"t\":0,\"ev\":\"x\",\"pid\":0,\"prog\":\"k\"} {}", "not JSON"),
                List.of("{\"seq\":2,\"seq\":3,\"t\":0,\"ev\":\"x\",\"pid\":0,\"prog\":\"k\"}", "not JSON"))) {
            Files.writeString(file, good + c.get(0) + "\n");
            TraceFile.Unreadable e = assertThrows(TraceFile.Unreadable.class, () -> TraceFile.read(file), c.get(0));
            assertEquals(file + ":2: " + c.get(1), e.getMessage().substring(0, Math.min(e.getMessage().length(),
                    (file + ":2: " + c.get(1)).length())), e.getMessage());
        }
        TraceFile.Unreadable missing = assertThrows(TraceFile.Unreadable.class,
                () -> TraceFile.read(tmp.resolve("none.jsonl")));
        assertEquals(tmp.resolve("none.jsonl") + ": no such file", missing.getMessage());
    }
}
