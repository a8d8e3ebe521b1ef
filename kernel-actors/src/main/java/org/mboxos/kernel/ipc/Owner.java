package org.mboxos.kernel.ipc;

/**
 * Who a {@link Mailbox} belongs to: a pid's inbox, a named box, or a device's buffer that only
 * the device (pid 0) fills.
 */
public record Owner(long pid, boolean userWritable) {
    public static Owner inboxOf(long pid) {
        return new Owner(pid, true);
    }

    public static final Owner NAMED = new Owner(0, true);
    public static final Owner DEVICE = new Owner(0, false);
}
