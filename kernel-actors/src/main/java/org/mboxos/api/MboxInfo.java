package org.mboxos.api;

/** One row of the mailbox table. */
public record MboxInfo(
        String name,
        long id,
        int usage,
        int queued,
        int capacity,
        int blockedSenders,
        int blockedReceivers,
        boolean keep) {}
