package org.mboxos.kernel.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each rule on small hand-written histories: a clean one, and one broken per rule. */
class HistoryCheckTest {

    /** Builds a trace line by line; seq and t count up by themselves. */
    private static final class History {
        private final List<Trace.Event> events = new ArrayList<>();

        History add(String ev, long pid, Object... kv) {
            long seq = events.size() + 1;
            String json = "{\"seq\":" + seq + ",\"t\":" + seq * 1000 + ",\"ev\":\"" + ev + "\",\"pid\":" + pid
                    + ",\"prog\":\"p" + pid + "\"";
            StringBuilder b = new StringBuilder(json);
            for (int i = 0; i < kv.length; i += 2) {
                Object v = kv[i + 1];
                b.append(",\"").append(kv[i]).append("\":").append(v instanceof String s ? "\"" + s + "\"" : v);
            }
            events.add(TraceFile.parse(b.append('}').toString()));
            return this;
        }

        /** pid 1 spawns 2; 2 opens box 5 and sends two messages to it; 1 opens it and takes both. */
        static History exchange() {
            return new History()
                    .add("boot", 0, "seed", 1)
                    .add("spawn", 0, "child", 1, "program", "init")
                    .add("spawn", 1, "child", 2, "program", "child")
                    .add("mbox-open", 2, "box", 5, "name", "b", "usage", 1, "created", true, "keep", false)
                    .add("mbox-open", 1, "box", 5, "name", "b", "usage", 2, "created", false, "keep", false)
                    .add("send", 2, "box", 5, "name", "b", "msg", 1, "bytes", 3)
                    .add("send", 2, "box", 5, "name", "b", "msg", 2, "bytes", 3);
        }

        Verdict check() {
            return HistoryCheck.of(events);
        }
    }

    private static Violation firstOf(History h) {
        return h.check().first().orElseThrow(() -> new AssertionError("no violation found"));
    }

    @Test
    void aCompleteExchangeIsClean() {
        Verdict v = History.exchange()
                .add("recv", 1, "box", 5, "name", "b", "msg", 1, "from", 2, "bytes", 3, "truncated", false)
                .add("recv", 1, "box", 5, "name", "b", "msg", 2, "from", 2, "bytes", 2, "truncated", true)
                .add("exit", 2, "status", 0, "how", "exit")
                .add("mbox-close", 2, "box", 5, "name", "b", "usage", 1, "how", "exit")
                .add("mbox-close", 1, "box", 5, "name", "b", "usage", 0, "how", "close")
                .add("mbox-free", 0, "box", 5, "name", "b", "reason", "freed at last close")
                .add("exit", 1, "status", 0, "how", "exit")
                .check();
        assertEquals(List.of(), v.violations());
        assertTrue(v.clean());
        assertEquals(14, v.events());
        assertEquals(2, v.messages().receives().size());
        assertEquals(1, v.messages().sendIndex(new Messages.MsgKey(5, 2)));
        v.assertClean().assertAccountedFor(Map.of());
    }

    @Test
    void messagesStillQueuedInABoxThatLivesAreAccountedFor() {
        Verdict v = History.exchange().check();
        assertTrue(v.clean(), v.violations().toString());
        assertEquals(Map.of(5L, 2), v.messages().unresolvedByBox());
        v.assertAccountedFor(Map.of(5L, 2));
        assertThrows(AssertionError.class, () -> v.assertAccountedFor(Map.of()));
    }

    @Test
    void aMessageReceivedTwiceIsReportedWhereItHappens() {
        Violation v = firstOf(History.exchange()
                .add("recv", 1, "box", 5, "name", "b", "msg", 1, "from", 2, "bytes", 3, "truncated", false)
                .add("recv", 1, "box", 5, "name", "b", "msg", 1, "from", 2, "bytes", 3, "truncated", false));
        assertEquals(Rule.MESSAGES, v.rule());
        assertEquals(9, v.seq());
        assertTrue(v.what().contains("received twice"), v.what());
        assertTrue(v.event().contains("\"seq\":9"), v.event());
    }

    @Test
    void overtakingWithinOneSendersStreamBreaksFifo() {
        Verdict v = History.exchange()
                .add("recv", 1, "box", 5, "name", "b", "msg", 2, "from", 2, "bytes", 3, "truncated", false)
                .add("recv", 1, "box", 5, "name", "b", "msg", 1, "from", 2, "bytes", 3, "truncated", false)
                .check();
        assertEquals(Map.of(Rule.FIFO, 1), v.countByRule());
        assertTrue(v.first().orElseThrow().what().contains("received [2, 1] is not the sent order [1, 2]"));
    }

    /** In a box opened with PRIORITY a higher priority overtakes; within one priority, FIFO still holds. */
    @Test
    void aHigherPriorityMayOvertakeButNotTheSamePriority() {
        History h = new History()
                .add("boot", 0, "seed", 1)
                .add("spawn", 0, "child", 1, "program", "init")
                .add("mbox-open", 1, "box", 5, "name", "p", "usage", 1, "created", true, "keep", false)
                .add("send", 1, "box", 5, "name", "p", "msg", 1, "bytes", 1, "priority", 1)
                .add("send", 1, "box", 5, "name", "p", "msg", 2, "bytes", 1, "priority", 7)
                .add("send", 1, "box", 5, "name", "p", "msg", 3, "bytes", 1, "priority", 7)
                .add("recv", 1, "box", 5, "name", "p", "msg", 2, "from", 1, "bytes", 1, "truncated", false)
                .add("recv", 1, "box", 5, "name", "p", "msg", 1, "from", 1, "bytes", 1, "truncated", false);
        assertEquals(Map.of(), h.check().countByRule(), h.check().violations().toString());
        h.add("recv", 1, "box", 5, "name", "p", "msg", 3, "from", 1, "bytes", 1, "truncated", false);
        assertEquals(Map.of(), h.check().countByRule(), "every message taken, highest priority first");

        History wrong = new History()
                .add("boot", 0, "seed", 1)
                .add("spawn", 0, "child", 1, "program", "init")
                .add("mbox-open", 1, "box", 5, "name", "p", "usage", 1, "created", true, "keep", false)
                .add("send", 1, "box", 5, "name", "p", "msg", 1, "bytes", 1, "priority", 7)
                .add("send", 1, "box", 5, "name", "p", "msg", 2, "bytes", 1, "priority", 7)
                .add("recv", 1, "box", 5, "name", "p", "msg", 2, "from", 1, "bytes", 1, "truncated", false);
        assertEquals(Map.of(Rule.FIFO, 1), wrong.check().countByRule());
    }

    /**
     * A killed sender's rendezvous message is taken back (discarded) while an older queued
     * message of its stays, to be received or discarded later: found by the chaos campaign
     * (seed 14), which the checker wrongly flagged.
     */
    @Test
    void aTakenBackRendezvousMayBeDiscardedBeforeAnOlderQueuedMessage() {
        History taken = History.exchange()
                .add("discard", 2, "box", 5, "name", "b", "msg", 2, "reason", "sender killed before the rendezvous")
                .add("recv", 1, "box", 5, "name", "b", "msg", 1, "from", 2, "bytes", 3, "truncated", false);
        assertTrue(taken.check().clean(), taken.check().violations().toString());
        History freed = History.exchange()
                .add("discard", 2, "box", 5, "name", "b", "msg", 2, "reason", "sender killed before the rendezvous")
                .add("mbox-free", 0, "box", 5, "name", "b", "reason", "owner killed")
                .add("discard", 2, "box", 5, "name", "b", "msg", 1, "reason", "owner killed");
        assertTrue(freed.check().clean(), freed.check().violations().toString());
    }

    @Test
    void aMessageReceivedAfterAnOlderOneOfItsSenderWasDiscardedBreaksFifo() {
        Verdict v = History.exchange()
                .add("discard", 2, "box", 5, "name", "b", "msg", 1, "reason", "taken back")
                .add("recv", 1, "box", 5, "name", "b", "msg", 2, "from", 2, "bytes", 3, "truncated", false)
                .check();
        Violation first = v.first().orElseThrow();
        assertEquals(Rule.FIFO, first.rule());
        assertEquals(9, first.seq());
        assertTrue(first.what().contains("earlier message of the same sender (1) was discarded"), first.what());
    }

    @Test
    void aMessageInAFreedBoxThatIsNeitherReceivedNorDiscardedIsLost() {
        Verdict v = History.exchange()
                .add("recv", 1, "box", 5, "name", "b", "msg", 1, "from", 2, "bytes", 3, "truncated", false)
                .add("mbox-free", 0, "box", 5, "name", "b", "reason", "destroyed")
                .add("exit", 3, "status", 0, "how", "exit") // keeps the trace going
                .check();
        Violation lost = v.only(java.util.Set.of(Rule.DELIVERY)).first().orElseThrow();
        assertEquals(7, lost.seq(), "reported at its send");
        assertTrue(lost.what().contains("(box 5, msg 2) was lost"), lost.what());
    }

    @Test
    void discardsWithAReasonAccountForAFreedBoxAndCloseIt() {
        History h = History.exchange()
                .add("mbox-free", 0, "box", 5, "name", "b", "reason", "destroyed")
                .add("discard", 2, "box", 5, "name", "b", "msg", 1, "reason", "destroyed")
                .add("discard", 2, "box", 5, "name", "b", "msg", 2, "reason", "destroyed");
        assertTrue(h.check().clean(), h.check().violations().toString());
        Violation v = firstOf(h.add("send", 2, "box", 5, "name", "b", "msg", 3, "bytes", 1));
        assertEquals(Rule.AFTER_END, v.rule());
        assertTrue(v.what().contains("after it discarded its queue"), v.what());
    }

    /**
     * An inbox's free is traced by its owner's PCB, which then tells the inbox; what reached the
     * inbox before (a rendezvous its killed sender takes back, a monitor's notice from the
     * kernel) is still served and traced after the free, and discarded with the free's reason.
     * Found by the chaos campaign (seed 2419).
     */
    @Test
    void aBoxServesWhatReachedItBeforeTheFreeUntilItDiscardsForTheFree() {
        History h = History.exchange()
                .add("mbox-free", 0, "box", 5, "name", "b", "reason", "owner killed")
                .add("discard", 2, "box", 5, "name", "b", "msg", 1, "reason", "sender killed before the rendezvous")
                .add("send", 0, "box", 5, "name", "b", "msg", 3, "bytes", 9)
                .add("discard", 2, "box", 5, "name", "b", "msg", 2, "reason", "owner killed")
                .add("discard", 0, "box", 5, "name", "b", "msg", 3, "reason", "owner killed");
        assertTrue(h.check().clean(), h.check().violations().toString());
        Violation v = firstOf(h.add("send", 2, "box", 5, "name", "b", "msg", 4, "bytes", 1));
        assertEquals(Rule.AFTER_END, v.rule());
    }

    @Test
    void aDiscardNeedsAReason() {
        Violation v = firstOf(History.exchange().add("discard", 2, "box", 5, "name", "b", "msg", 1, "reason", ""));
        assertEquals(Rule.DELIVERY, v.rule());
    }

    @Test
    void freesOnceInitHasExitedMayLeaveMessagesUntraced() {
        Verdict v = History.exchange()
                .add("exit", 1, "status", 0, "how", "exit")
                .add("mbox-close", 1, "box", 5, "name", "b", "usage", 1, "how", "exit")
                .add("mbox-free", 0, "box", 5, "name", "b", "reason", "owner exit")
                .check();
        assertTrue(v.clean(), v.violations().toString());
    }

    @Test
    void aProcessThatEndedStillHoldingABoxBreaksRelease() {
        Verdict v = History.exchange().add("exit", 2, "status", 0, "how", "exit").check();
        assertEquals(Map.of(Rule.RELEASE, 1), v.countByRule());
        assertTrue(v.first().orElseThrow().what().contains("process 2 ended"), v.violations().toString());
        assertTrue(v.consistent(), "RELEASE is not among the rules that hold at any moment");
    }

    @Test
    void usageMustStepByOneAndOnlyHeldObjectsClose() {
        Violation skip = firstOf(History.exchange()
                .add("mbox-open", 1, "box", 5, "name", "b", "usage", 4, "created", false, "keep", false));
        assertEquals(Rule.USAGE, skip.rule());
        assertTrue(skip.what().contains("usage 4 after 2"), skip.what());
        Violation foreign = firstOf(new History()
                .add("spawn", 0, "child", 1, "program", "init")
                .add("sync-open", 1, "kind", "lock", "id", 1, "name", "l", "usage", 1, "created", true)
                .add("spawn", 1, "child", 2, "program", "x")
                .add("sync-close", 2, "kind", "lock", "id", 1, "name", "l", "usage", 0, "how", "close"));
        assertEquals(Rule.USAGE, foreign.rule());
        assertTrue(foreign.what().contains("process 2 closes lock 1 that it does not hold"), foreign.what());
    }

    @Test
    void oneSpawnAndAtMostOneExitPerPid() {
        Violation twice = firstOf(History.exchange()
                .add("exit", 2, "status", 0, "how", "exit")
                .add("mbox-close", 2, "box", 5, "name", "b", "usage", 1, "how", "exit")
                .add("exit", 2, "status", 0, "how", "exit"));
        assertEquals(Rule.LIFECYCLE, twice.rule());
        assertEquals(10, twice.seq());
        Violation respawn = firstOf(History.exchange().add("spawn", 1, "child", 2, "program", "again"));
        assertEquals(Rule.LIFECYCLE, respawn.rule());
    }

    @Test
    void eventsBeforeTheSpawnOrAfterTheExitBreakCausality() {
        Violation early = firstOf(new History()
                .add("spawn", 0, "child", 1, "program", "init")
                .add("print", 2, "text", "hi")
                .add("spawn", 1, "child", 2, "program", "child"));
        assertEquals(Rule.CAUSALITY, early.rule());
        assertEquals(2, early.seq());
        assertTrue(early.what().contains("before its spawn"), early.what());

        Verdict late = History.exchange()
                .add("exit", 2, "status", -9, "how", "killed")
                .add("mbox-close", 2, "box", 5, "name", "b", "usage", 1, "how", "killed") // clean-up: fine
                .add("discard", 2, "box", 5, "name", "b", "msg", 1, "reason", "destroyed") // fine
                .add("sleep", 2, "ms", 5)
                .check();
        assertEquals(Map.of(Rule.CAUSALITY, 1), late.countByRule(), late.violations().toString());
        assertEquals(11, late.first().orElseThrow().seq());
        assertTrue(late.consistent(), "causality is not among the rules that hold at any moment");
        assertThrows(AssertionError.class, late::assertClean);
    }

    @Test
    void aDecreasingSeqBreaksOrder() {
        History h = History.exchange();
        List<Trace.Event> events = new ArrayList<>(h.events);
        events.add(TraceFile.parse("{\"seq\":3,\"t\":9,\"ev\":\"wake\",\"pid\":1,\"prog\":\"p1\"}"));
        Violation v = HistoryCheck.of(events).first().orElseThrow();
        assertEquals(Rule.ORDER, v.rule());
    }

    @Test
    void anEventWithoutItsFieldsIsASchemaViolationNotACrash() {
        Violation v = firstOf(History.exchange().add("recv", 1, "box", 5, "name", "b"));
        assertEquals(Rule.SCHEMA, v.rule());
        assertEquals("'recv' event without a number 'msg'", v.what());
        assertFalse(v.toString().isEmpty());
    }
}
