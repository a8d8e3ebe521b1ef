package org.mboxos.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code mboxos bench} as a command: its options and the shape of its --json document. */
class BenchCommandTest {

    private record Ran(int status, String out, String err) {}

    private static Ran bench(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Bench.run(List.of(argv), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonHasRowsAnchorsAndTargetsEvenForOneWorkload() {
        Ran r = bench("--quick", "--only", "W9", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode doc = Json.read(r.out());
        List<String> keys = new ArrayList<>();
        doc.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("machine", "quick", "seconds", "sizes", "kernel", "set", "rows", "anchors", "targets",
                "extras"), keys);
        JsonNode w9 = doc.get("rows").get(0);
        assertEquals("w9", w9.get("id").asText());
        assertTrue(w9.get("kernel").asDouble() > 0);
        assertTrue(w9.get("abq").isNull(), "no baseline is null, not NaN");
        for (String anchor : List.of("posix_mq", "erlang")) {
            assertTrue(doc.get("anchors").get(anchor).get("skipped").asText().contains("--anchors"), anchor);
        }
        for (JsonNode t : doc.get("targets")) {
            boolean judged = t.get("id").asText().equals("w9-lottery");
            assertEquals(judged, !t.get("met").isNull(), t.toString());
        }
    }

    @Test
    void anUnknownWorkloadIsAUsageError() {
        Ran r = bench("--only", "W12");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("no workload 'W12'"), r.err());
    }
}
