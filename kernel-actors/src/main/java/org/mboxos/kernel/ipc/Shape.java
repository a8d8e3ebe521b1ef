package org.mboxos.kernel.ipc;

/** How big a {@link Mailbox} is: messages, bytes per message, and priority levels (1: plain FIFO). */
public record Shape(int capacity, int maxMessageLength, int priorities) {}
