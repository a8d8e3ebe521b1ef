package org.mboxos.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's JSON: records by component, a missing figure as null, an anchor as a figure or a reason. */
class JsonTest {
    @Test
    void aRowWithoutBaselineWritesNullNotNaN() {
        String json = Json.write(new Row("w9", "W9 lottery", "s wall", 0.5, Double.NaN, Double.NaN));
        assertEquals("{\"id\":\"w9\",\"workload\":\"W9 lottery\",\"unit\":\"s wall\",\"kernel\":0.5,\"abq\":null,"
                + "\"akka\":null,\"kernel_over_abq\":null,\"kernel_over_akka\":null}", json);
    }

    @Test
    void anAnchorIsAFigureOrTheReasonItWasSkipped() {
        assertEquals("{\"skipped\":\"no erlc\"}", Json.write(new Anchor.Skipped("no erlc")));
        assertEquals("{\"msgs_per_s\":2.0,\"depth\":10,\"rounds_msgs_per_s\":[1.0,2.0,3.0],\"tool\":\"gcc\"}",
                Json.write(new Anchor.Measured(2.0, 10, List.of(1.0, 2.0, 3.0), "gcc", null)));
    }

    @Test
    void aTargetThatCouldNotBeJudgedIsNeitherMetNorNot() {
        assertEquals("{\"id\":\"t\",\"target\":\"x\",\"measure\":\"y\",\"value\":null,\"bound\":1.5,\"at_most\":false,"
                + "\"informational\":false,\"met\":null}", Json.write(new Target("t", "x", "y", Double.NaN, 1.5, false)));
        assertEquals(true, new Target("t", "x", "y", 1.5, 1.5, false).met());
        assertEquals(false, new Target("t", "x", "y", 2.5, 2, true).met());
    }

    @Test
    void readsWhatAnAnchorPrints() {
        var line = Json.read("{\"round\":1,\"messages\":10,\"depth\":32,\"bytes\":32,\"nanos\":5}");
        assertEquals(32, line.get("depth").asInt());
    }
}
