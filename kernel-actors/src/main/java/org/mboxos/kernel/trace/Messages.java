package org.mboxos.kernel.trace;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a trace says became of each message: its {@code send}, and its {@code recv} or
 * {@code discard} if any, each keyed by the message's identity. Maps iterate in trace order.
 */
public record Messages(Map<MsgKey, Trace.Event> sends, Map<MsgKey, Trace.Event> receives,
        Map<MsgKey, Trace.Event> discards, Map<MsgKey, Integer> sendIndexes) {

    /** A message's identity: its box and its number in that box. */
    public record MsgKey(long box, long msg) {
        @Override
        public String toString() {
            return "(box " + box + ", msg " + msg + ")";
        }
    }

    public Messages {
        sends = Collections.unmodifiableMap(sends);
        receives = Collections.unmodifiableMap(receives);
        discards = Collections.unmodifiableMap(discards);
        sendIndexes = Collections.unmodifiableMap(sendIndexes);
    }

    /** Sent, but neither received nor discarded (still queued, or lost), in send order. */
    public List<MsgKey> unresolved() {
        return sends.keySet().stream().filter(k -> !receives.containsKey(k) && !discards.containsKey(k)).toList();
    }

    /** {@link #unresolved()} counted per box. */
    public Map<Long, Integer> unresolvedByBox() {
        Map<Long, Integer> counts = new TreeMap<>();
        for (MsgKey k : unresolved()) {
            counts.merge(k.box(), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * The position (0, 1, 2...) of message {@code key} among the messages its sender sent to
     * the same box. A sender that numbers its messages per box from 0 and sends one at a time
     * put exactly this number in the payload.
     */
    public int sendIndex(MsgKey key) {
        Integer i = sendIndexes.get(key);
        if (i == null) {
            throw new IllegalArgumentException("no send of " + key);
        }
        return i;
    }
}
