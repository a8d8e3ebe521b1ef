package org.mboxos.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mboxos trace check|stats|export|draw} on real traces: robinhood on the lottery
 * scheduler (replayable: seed 7, 20 s of kernel time) and disastros in parallel mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceToolsIT {
    private Path dir;
    private Path robin;
    private Path disastros;

    @BeforeAll
    void runTheProgramsWithTraces(@TempDir Path tmp) {
        dir = tmp;
        robin = tmp.resolve("robin.jsonl");
        LauncherHarness r = LauncherHarness.run("run", "robinhood", "--set", "kernel.scheduler=lottery", "--seed", "7",
                "--for", "20s", "--trace", robin.toString());
        assertEquals(0, r.awaitExit(), r.describe());
        disastros = tmp.resolve("disastros.jsonl");
        LauncherHarness d = LauncherHarness.run("run", "disastros", "--trace", disastros.toString());
        assertEquals(0, d.awaitExit(), d.describe());
    }

    private static LauncherHarness trace(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "trace";
        System.arraycopy(args, 0, argv, 1, args.length);
        return LauncherHarness.run(argv);
    }

    @Test
    void bothHistoriesCheckClean() {
        for (Path f : List.of(robin, disastros)) {
            LauncherHarness c = trace("check", f.toString());
            assertEquals(0, c.awaitExit(), c.describe());
            assertTrue(c.out().contains("verdict: OK, no violation"), c.out());
        }
        LauncherHarness c = trace("check", disastros.toString());
        assertTrue(c.out().contains("10400 messages sent (10400 received, 0 discarded, 0 left in boxes)"), c.out());
    }

    @Test
    void aDamagedTraceIsViolatedOrUnreadableWithTheLineToLookAt() throws IOException {
        List<String> lines = Files.readAllLines(disastros, UTF_8);
        // a receive taken out: its message is then left in a box that was freed, so it is lost
        int recv = 0;
        while (!lines.get(recv).contains("\"ev\":\"recv\"")) {
            recv++;
        }
        Path lost = dir.resolve("lost.jsonl");
        Files.write(lost, lines.subList(0, recv), UTF_8);
        Files.write(lost, lines.subList(recv + 1, lines.size()), UTF_8, java.nio.file.StandardOpenOption.APPEND);
        LauncherHarness c = trace("check", lost.toString());
        assertEquals(1, c.awaitExit(), c.describe());
        assertTrue(c.out().contains("[delivery]") || c.out().contains("[fifo]"), c.out());

        Path cut = dir.resolve("cut.jsonl");
        String text = Files.readString(disastros, UTF_8);
        Files.writeString(cut, text.substring(0, text.length() - 20), UTF_8);
        LauncherHarness u = trace("check", cut.toString());
        assertEquals(2, u.awaitExit(), u.describe());
        assertTrue(u.err().startsWith("mboxos: " + cut + ":" + lines.size() + ": not JSON"), u.err());
        assertFalse(u.err().contains("\tat "), "no stack trace: " + u.err());
    }

    @Test
    void statsCountEveryProcessAndBox() throws IOException {
        LauncherHarness s = trace("stats", disastros.toString(), "--json");
        assertEquals(0, s.awaitExit(), s.describe());
        JsonNode stats = new ObjectMapper().readTree(s.out());
        assertEquals(169, stats.get("processes").size(), "disastros and 8 x (1 child + 10 senders + 10 receivers)");
        long boxes = 0;
        for (JsonNode b : stats.get("boxes")) {
            if (b.get("name").asText().startsWith("mailbox-")) {
                boxes++;
                assertEquals(1300, b.get("sends").asLong(), b.toString());
                assertEquals(1300, b.get("receives").asLong(), b.toString());
                assertTrue(b.get("max_depth").asLong() >= 1 && b.get("max_depth").asLong() <= 128, b.toString());
                assertEquals(0, b.get("queued_at_end").asLong(), b.toString());
            }
        }
        assertEquals(8, boxes);

        LauncherHarness table = trace("stats", robin.toString());
        assertEquals(0, table.awaitExit());
        assertTrue(table.out().contains("Robin-Hood-Publish-PID"), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.matches("\\s+4\\s+sheriff\\s+1\\s+.*")), table.out());
    }

    @Test
    void thePerfettoExportHasATrackPerProcessAndAFlowPerMessage() throws IOException {
        Path json = dir.resolve("robin.json");
        LauncherHarness e = trace("export", robin.toString(), "--format", "perfetto", "-o", json.toString());
        assertEquals(0, e.awaitExit(), e.describe());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        Set<String> tracks = new HashSet<>();
        Map<Long, Integer> flowEnds = new HashMap<>();
        for (JsonNode ev : root.get("traceEvents")) {
            if (ev.get("name").asText().equals("thread_name")) {
                tracks.add(ev.get("args").get("name").asText());
            }
            if (ev.has("bind_id")) {
                flowEnds.merge(ev.get("bind_id").asLong(), ev.has("flow_out") ? 1 : 100, Integer::sum);
            }
        }
        assertTrue(tracks.containsAll(Set.of("robinhood (1)", "robin (2)", "john (3)", "sheriff (4)")), tracks.toString());
        long recvs = Files.readAllLines(robin, UTF_8).stream().filter(l -> l.contains("\"ev\":\"recv\"")).count();
        assertEquals(recvs, flowEnds.size());
        flowEnds.forEach((id, ends) -> assertEquals(101, ends, "flow " + id + " has one start and one end"));
    }

    @Test
    void theDrawnRobinhoodShowsItsLifelinesMessagesAndKills() throws IOException {
        Path svg = dir.resolve("robin.svg");
        LauncherHarness d = trace("draw", robin.toString(), "-o", svg.toString());
        assertEquals(0, d.awaitExit(), d.describe());
        String text = svgText(Files.readString(svg, UTF_8));
        for (String s : List.of("robinhood (1)", "robin (2)", "john (3)", "sheriff (4)", "spawn sheriff",
                "Robin-Hood-Publish-PID (box 2) #1", "Little-John-Publish-PID (box 3) #1", "waitpid(4)", "killed -9",
                "exit status -9")) {
            assertTrue(text.contains(s), "'" + s + "' is not drawn:\n" + text);
        }
        assertTrue(text.lines().anyMatch(l -> l.startsWith("kill (in ")), text);

        Path part = dir.resolve("part.png");
        LauncherHarness p = trace("draw", disastros.toString(), "-o", part.toString(), "--pids", "2,3", "--boxes",
                "mailbox-0", "--limit", "30");
        assertEquals(0, p.awaitExit(), p.describe());
        assertTrue(Files.size(part) > 1000);
        assertTrue(p.err().contains("stopped after 30 items"), p.err());
    }

    /** The text a person sees in an SVG: its text elements, one a line, entities decoded. */
    static String svgText(String svg) {
        StringBuilder b = new StringBuilder();
        Matcher m = Pattern.compile("<text[^>]*>([^<]*)</text>").matcher(svg);
        while (m.find()) {
            b.append(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                    .replace("&#160;", " ").replace("&amp;", "&")).append('\n');
        }
        return b.toString();
    }
}
