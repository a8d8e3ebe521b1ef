package org.mboxos.api;

import java.nio.charset.StandardCharsets;

/**
 * The message a monitor gets when the process it monitors ends ({@link Sys#monitor}): sent by
 * the kernel (sender 0), with the text {@code "DOWN pid status"}.
 */
public record Down(long pid, int status) {
    private static final String PREFIX = "DOWN ";

    /** The monitor message {@code m} carries, or null if {@code m} is not one. */
    public static Down of(Message m) {
        if (m.sender() != 0) {
            return null;
        }
        String[] parts = m.text().split(" ");
        if (parts.length != 3 || !(parts[0] + " ").equals(PREFIX)) {
            return null;
        }
        return new Down(Long.parseLong(parts[1]), Integer.parseInt(parts[2]));
    }

    /** The bytes of this message, as the kernel sends them. */
    public byte[] encode() {
        return (PREFIX + pid + " " + status).getBytes(StandardCharsets.UTF_8);
    }
}
