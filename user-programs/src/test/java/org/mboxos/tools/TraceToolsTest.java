package org.mboxos.tools;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four trace tools on a small hand-written trace: robinhood-like, with a spawn, two
 * messages, a sleep, a kill, a waitpid and a deadlock event (fields as the deadlock work will
 * define them: {@code members}, {@code waits}).
 */
class TraceToolsTest {
    static final String TRACE = String.join("\n",
            "{\"seq\":1,\"t\":0,\"ev\":\"boot\",\"pid\":0,\"prog\":\"kernel\",\"seed\":7,\"scheduler\":\"lottery\",\"num_pcbs\":8}",
            "{\"seq\":2,\"t\":0,\"ev\":\"spawn\",\"pid\":0,\"prog\":\"kernel\",\"child\":1,\"program\":\"robinhood\",\"args\":[]}",
            "{\"seq\":3,\"t\":1000000,\"ev\":\"spawn\",\"pid\":1,\"prog\":\"robinhood\",\"child\":2,\"program\":\"robin\",\"args\":[\"1000\"]}",
            "{\"seq\":4,\"t\":2000000,\"ev\":\"spawn\",\"pid\":1,\"prog\":\"robinhood\",\"child\":3,\"program\":\"john\",\"args\":[]}",
            "{\"seq\":5,\"t\":3000000,\"ev\":\"mbox-open\",\"pid\":2,\"prog\":\"robin\",\"box\":2,\"name\":\"Robin-Hood\",\"usage\":1,\"created\":true,\"keep\":false}",
            "{\"seq\":6,\"t\":4000000,\"ev\":\"mbox-open\",\"pid\":3,\"prog\":\"john\",\"box\":2,\"name\":\"Robin-Hood\",\"usage\":2,\"created\":false,\"keep\":false}",
            "{\"seq\":7,\"t\":5000000,\"ev\":\"send\",\"pid\":2,\"prog\":\"robin\",\"box\":2,\"name\":\"Robin-Hood\",\"msg\":1,\"bytes\":1,\"blocked\":false,\"rendezvous\":false}",
            "{\"seq\":8,\"t\":6000000,\"ev\":\"send\",\"pid\":2,\"prog\":\"robin\",\"box\":2,\"name\":\"Robin-Hood\",\"msg\":2,\"bytes\":1,\"blocked\":true,\"rendezvous\":false}",
            "{\"seq\":9,\"t\":7000000,\"ev\":\"recv\",\"pid\":3,\"prog\":\"john\",\"box\":2,\"name\":\"Robin-Hood\",\"msg\":1,\"from\":2,\"bytes\":1,\"truncated\":false}",
            "{\"seq\":10,\"t\":8000000,\"ev\":\"sleep\",\"pid\":2,\"prog\":\"robin\",\"ms\":1000}",
            "{\"seq\":11,\"t\":9000000,\"ev\":\"wait-begin\",\"pid\":1,\"prog\":\"robinhood\",\"waited_for\":2}",
            "{\"seq\":12,\"t\":10000000,\"ev\":\"kill\",\"pid\":2,\"prog\":\"robin\",\"killer\":3,\"blocked_in\":\"sleep(1000 ms)\"}",
            "{\"seq\":13,\"t\":11000000,\"ev\":\"exit\",\"pid\":2,\"prog\":\"robin\",\"status\":-9,\"how\":\"killed\"}",
            "{\"seq\":14,\"t\":11000000,\"ev\":\"wait-end\",\"pid\":1,\"prog\":\"robinhood\",\"waited_for\":2,\"status\":-9}",
            "{\"seq\":15,\"t\":11000000,\"ev\":\"mbox-close\",\"pid\":2,\"prog\":\"robin\",\"box\":2,\"name\":\"Robin-Hood\",\"usage\":1,\"how\":\"killed\"}",
            "{\"seq\":16,\"t\":12000000,\"ev\":\"wait-begin\",\"pid\":1,\"prog\":\"robinhood\",\"waited_for\":3}",
            "{\"seq\":17,\"t\":13000000,\"ev\":\"wait-begin\",\"pid\":3,\"prog\":\"john\",\"waited_for\":1}",
            "{\"seq\":18,\"t\":14000000,\"ev\":\"deadlock\",\"pid\":0,\"prog\":\"kernel\",\"members\":[1,3],\"waits\":[\"1: waitpid(3)\",\"3: waitpid(1)\"]}",
            "");

    private record Run(int status, String out, String err) {}

    private static Run trace(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TraceCommand.run(List.of(args), new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
        return new Run(status, out.toString(UTF_8), err.toString(UTF_8));
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void checkSaysOkAndExitsZeroOnACleanTrace(@TempDir Path tmp) throws IOException {
        Run r = trace("check", write(tmp, "t.jsonl", TRACE).toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("verdict: OK, no violation"), r.out());
        assertTrue(r.out().contains("18 events, 3 processes spawned (1 exited), 2 messages sent (1 received, 0 discarded, 1 left in boxes)"),
                r.out());
    }

    @Test
    void checkPrintsTheFirstViolationAndExitsOne(@TempDir Path tmp) throws IOException {
        String twice = TRACE + "{\"seq\":19,\"t\":15000000,\"ev\":\"recv\",\"pid\":1,\"prog\":\"robinhood\",\"box\":2,"
                + "\"name\":\"Robin-Hood\",\"msg\":1,\"from\":2,\"bytes\":1,\"truncated\":false}\n"
                + "{\"seq\":20,\"t\":16000000,\"ev\":\"print\",\"pid\":2,\"prog\":\"robin\",\"text\":\"ghost\"}\n";
        Run r = trace("check", write(tmp, "t.jsonl", twice).toString(), "--all");
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("verdict: VIOLATED, 2 violation(s): messages 1, causality 1"), r.out());
        assertTrue(r.out().contains("first violation: seq 19 [messages] message (box 2, msg 1) received twice (first at seq 9)"),
                r.out());
        assertTrue(r.out().contains("seq 20 [causality] process 2 has a 'print' event after its exit at seq 13"), r.out());
    }

    @Test
    void aBadFileOrCommandLineIsOneLineOnStderrAndStatusTwo(@TempDir Path tmp) throws IOException {
        Path bad = write(tmp, "bad.jsonl", TRACE.lines().findFirst().orElseThrow() + "\n{\"seq\":2,\"t\":1\n");
        Run r = trace("check", bad.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("mboxos: " + bad + ":2: not JSON"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertEquals("", r.out());

        Path noBox = write(tmp, "nobox.jsonl", "{\"seq\":1,\"t\":0,\"ev\":\"send\",\"pid\":1,\"prog\":\"x\",\"msg\":1}\n");
        Run s = trace("stats", noBox.toString());
        assertEquals(2, s.status());
        assertEquals("mboxos: " + noBox + ": seq 1: 'send' event without a number 'box'\n", s.err());

        assertEquals(2, trace("check").status());
        assertEquals(2, trace("frobnicate", "x").status());
        assertEquals(2, trace("check", tmp.resolve("missing.jsonl").toString()).status());
        assertEquals(2, trace("export", bad.toString(), "--format", "svg", "-o", "x.json").status());
        assertEquals(2, trace("draw", bad.toString(), "-o", "x.gif").status());
        assertEquals(2, trace("draw", bad.toString(), "-o", "x.svg", "--from", "soon").status());
        Run pids = trace("draw", bad.toString(), "-o", "x.svg", "--pids", "1,two");
        assertEquals("mboxos: --pids: 'two' is not a number\n", pids.err());
    }

    @Test
    void statsCountsPerProcessAndPerBox(@TempDir Path tmp) throws IOException {
        Run r = trace("stats", write(tmp, "t.jsonl", TRACE).toString(), "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode s = new ObjectMapper().readTree(r.out());
        assertEquals(18, s.get("events").asInt());
        Map<Long, JsonNode> procs = new HashMap<>();
        s.get("processes").forEach(p -> procs.put(p.get("pid").asLong(), p));
        assertEquals(3, procs.size());
        JsonNode robin = procs.get(2L);
        assertEquals("robin", robin.get("program").asText());
        assertEquals(1, robin.get("parent").asLong());
        assertEquals(2, robin.get("sends").asLong());
        assertEquals(2, robin.get("blocked").asLong(), "a send that waited and a sleep ended by a kill");
        assertEquals(2_000_000, robin.get("blocked_nanos").asLong(), "the sleep from t=8 ms to its kill at t=10 ms");
        assertEquals("killed", robin.get("end").asText());
        assertEquals(2_000_000 + 2_000_000, procs.get(1L).get("blocked_nanos").asLong(),
                "waitpid(2) 9->11 ms, waitpid(3) 12->14 ms (still waiting when the trace ends)");
        JsonNode box = s.get("boxes").get(0);
        assertEquals(2, box.get("box").asLong());
        assertEquals("Robin-Hood", box.get("name").asText());
        assertEquals(2, box.get("max_depth").asLong());
        assertEquals(1, box.get("queued_at_end").asLong());
        assertEquals(1, box.get("blocked_sends").asLong());

        Run table = trace("stats", write(tmp, "t.jsonl", TRACE).toString());
        assertTrue(table.out().contains("  pid  program    parent  sends  recvs  blocked  blocked time  errors  end"),
                table.out());
        assertTrue(table.out().contains("    2  robin           1      2      0        2      2.000 ms       0  killed"),
                table.out());
    }

    @Test
    void perfettoExportHasATrackPerProcessBlockedSlicesAndFlowsFromSendToReceive(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("t.json");
        Run r = trace("export", write(tmp, "t.jsonl", TRACE).toString(), "--format", "perfetto", "-o", json.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode events = root.get("traceEvents");
        assertTrue(events.isArray());
        Map<Long, String> trackNames = new HashMap<>();
        List<JsonNode> slices = new ArrayList<>();
        double lastTs = -1;
        for (JsonNode e : events) {
            String ph = e.get("ph").asText();
            assertTrue(e.has("pid") && e.has("tid") && e.has("name"), e.toString());
            if (ph.equals("M")) {
                if (e.get("name").asText().equals("thread_name")) {
                    trackNames.put(e.get("pid").asLong(), e.get("args").get("name").asText());
                }
                continue;
            }
            assertTrue(List.of("X", "i").contains(ph), "only slices and instants: " + e);
            assertTrue(e.get("ts").isNumber(), e.toString());
            assertTrue(e.get("ts").asDouble() >= lastTs, "sorted by time: " + e);
            lastTs = e.get("ts").asDouble();
            if (ph.equals("X")) {
                assertTrue(e.get("dur").asDouble() >= 0, e.toString());
                slices.add(e);
            }
        }
        assertEquals(Map.of(0L, "kernel (0)", 1L, "robinhood (1)", 2L, "robin (2)", 3L, "john (3)"), trackNames);

        JsonNode sleep = slices.stream().filter(s -> s.get("name").asText().equals("sleep(1000 ms)")).findFirst().orElseThrow();
        assertEquals("blocked", sleep.get("cat").asText());
        assertEquals(8000.0, sleep.get("ts").asDouble(), "µs");
        assertEquals(2000.0, sleep.get("dur").asDouble(), "until the kill");
        assertEquals("killed", sleep.get("args").get("ended").asText());

        JsonNode send = slices.stream().filter(s -> s.get("name").asText().equals("send Robin-Hood #1")).findFirst().orElseThrow();
        JsonNode recv = slices.stream().filter(s -> s.get("name").asText().equals("recv Robin-Hood #1")).findFirst().orElseThrow();
        assertTrue(send.get("flow_out").asBoolean());
        assertTrue(recv.get("flow_in").asBoolean());
        assertEquals(send.get("bind_id"), recv.get("bind_id"));
        assertEquals(2, send.get("tid").asLong());
        assertEquals(3, recv.get("tid").asLong());
        JsonNode unreceived = slices.stream().filter(s -> s.get("name").asText().equals("send Robin-Hood #2")).findFirst()
                .orElseThrow();
        assertFalse(unreceived.has("bind_id"), "no arrow for a message nobody received");

        boolean deadlock = false;
        for (JsonNode e : events) {
            deadlock |= e.get("name").asText().equals("deadlock") && e.get("s").asText().equals("g");
        }
        assertTrue(deadlock, "the deadlock is a global instant");
    }

    @Test
    void theDrawnSvgHasTheLifelinesTheMessagesAndTheDeadlock(@TempDir Path tmp) throws IOException {
        Path svg = tmp.resolve("t.svg");
        Run r = trace("draw", write(tmp, "t.jsonl", TRACE).toString(), "-o", svg.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        String text = svgText(Files.readString(svg));
        for (String s : List.of("robinhood (1)", "robin (2)", "john (3)", "spawn robin 1000", "Robin-Hood (box 2) #1",
                "kill (in sleep(1000 ms))", "killed -9", "exit status -9", "waitpid(3)", "sleep 1000 ms", "deadlock",
                "1: waitpid(3)", "3: waitpid(1)")) {
            assertTrue(text.contains(s), "'" + s + "' not in the drawn text: " + text);
        }
        assertFalse(text.contains("Robin-Hood (box 2) #2"), "message 2 was never received");
        Path png = tmp.resolve("t.png");
        assertEquals(0, trace("draw", tmp.resolve("t.jsonl").toString(), "-o", png.toString()).status());
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
        assertEquals("\u0089PNG", new String(head, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void drawFiltersByPidBoxAndTime(@TempDir Path tmp) throws IOException {
        Path file = write(tmp, "t.jsonl", TRACE);
        Path svg = tmp.resolve("p.svg");
        assertEquals(0, trace("draw", file.toString(), "-o", svg.toString(), "--pids", "1,2").status());
        String pids = svgText(Files.readString(svg));
        assertTrue(pids.contains("robin (2)") && pids.contains("robinhood (1)"), pids);
        assertFalse(pids.contains("john (3)"), pids);
        assertTrue(pids.contains("kill (in sleep(1000 ms)) (from 3)"), "the killer not shown: from the edge: " + pids);

        assertEquals(0, trace("draw", file.toString(), "-o", svg.toString(), "--boxes", "other").status());
        assertFalse(svgText(Files.readString(svg)).contains("Robin-Hood (box 2)"));

        Path puml = tmp.resolve("w.puml");
        assertEquals(0, trace("draw", file.toString(), "-o", puml.toString(), "--from", "6ms", "--to", "10ms").status());
        String source = Files.readString(puml);
        assertTrue(source.contains("Robin~-Hood (box 2) #1"), source);
        assertFalse(source.contains("spawn"), "spawns are before the window: " + source);
        assertFalse(source.contains("deadlock"), "the deadlock is after it: " + source);

        Run limited = trace("draw", file.toString(), "-o", puml.toString(), "--limit", "3");
        assertEquals(0, limited.status());
        assertTrue(limited.err().contains("stopped after 3 items"), limited.err());
        assertTrue(Files.readString(puml).contains("more events not drawn"));
    }

    @Test
    void userTextCannotInjectPlantUmlMarkup() {
        assertEquals("a~*~*b~-~-c \\\\n ~<x>", SequenceDiagram.esc("a**b--c \\n <x>"));
        String svg = new String(PlantUml.render("@startuml\nA -> B : " + SequenceDiagram.esc("a**b--c \\n <x>")
                + "\n@enduml\n", PlantUml.Format.SVG), UTF_8);
        assertTrue(svgText(svg).contains("a**b--c \\n <x>"), svgText(svg));
    }

    /** The text a person sees in an SVG: the contents of its text elements, unescaped. */
    static String svgText(String svg) {
        StringBuilder b = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<text[^>]*>([^<]*)</text>").matcher(svg);
        while (m.find()) {
            b.append(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                    .replace("&#160;", " ").replace("&amp;", "&")).append('\n');
        }
        return b.toString();
    }
}
