package org.mboxos.api;

/**
 * Error numbers of mboxos system calls, named and numbered after POSIX (Linux values).
 *
 * <p>The seeds' numeric return codes stay derivable: {@link #seedCode()} gives the teaching
 * kernel's spawn codes (-1 no such program, -2 process table full) and -errno otherwise, as a
 * Linux system call would return it.
 */
public enum Errno {
    EPERM(1, "operation not permitted"),
    ENOENT(2, "no such file or program"),
    ESRCH(3, "no such process"),
    EINTR(4, "interrupted"),
    /** A kernel object failed (a fault inside the kernel): it answers every request with EIO from then on. */
    EIO(5, "input/output error: the kernel object failed"),
    EBADF(9, "bad descriptor"),
    EAGAIN(11, "resource temporarily unavailable"),
    EBUSY(16, "resource busy"),
    EEXIST(17, "already exists"),
    EINVAL(22, "invalid argument"),
    ENFILE(23, "table full"),
    ENAMETOOLONG(36, "name too long"),
    EDEADLK(35, "resource deadlock would occur"),
    EMSGSIZE(90, "message too long"),
    E2BIG(7, "buffer too small for the message"),
    ETIMEDOUT(110, "timed out"),
    EOWNERDEAD(130, "previous owner died");

    private final int number;
    private final String text;

    Errno(int number, String text) {
        this.number = number;
        this.text = text;
    }

    /** The POSIX (Linux) error number. */
    public int number() {
        return number;
    }

    /** The standard short description. */
    public String text() {
        return text;
    }

    /**
     * The code a seed's C kernel would return: spawn's -1 (not found) and -2 (table full),
     * and -errno for everything else.
     */
    public int seedCode() {
        return switch (this) {
            case ENOENT -> -1;
            case EAGAIN -> -2;
            default -> -number;
        };
    }
}
