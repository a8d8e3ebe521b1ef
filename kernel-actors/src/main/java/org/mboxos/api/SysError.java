package org.mboxos.api;

/**
 * A system call failed. Carries the errno and a message that names the call and the cause.
 * The kernel and every other process are unaffected; the caller may catch it and go on.
 */
public final class SysError extends RuntimeException {
    private final Errno errno;

    public SysError(Errno errno, String message) {
        super(errno.name() + ": " + message, null, false, false);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
