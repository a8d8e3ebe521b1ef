package org.mboxos.api;

/** What {@link Sys#select} found ready: descriptors with a message, descriptors with room. */
public record Selected(int[] readable, int[] writable) {

    /** True when nothing was ready before the timeout. */
    public boolean timedOut() {
        return readable.length == 0 && writable.length == 0;
    }
}
