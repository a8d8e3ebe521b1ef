package org.mboxos.api;

/**
 * Thrown into a program's thread when its process has been killed: by the system call it was
 * blocked in, or by the next one it makes. It is an {@link Error} so that {@code catch
 * (Exception e)} in user code cannot swallow it; the kernel ends the thread quietly.
 */
public final class Killed extends Error {
    public Killed(long pid) {
        super("process " + pid + " was killed", null, false, false);
    }
}
