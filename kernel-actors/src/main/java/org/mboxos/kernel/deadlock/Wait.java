package org.mboxos.kernel.deadlock;

/**
 * What a blocked process waits for: its out-edges in the wait-for graph. Sleeps and timed calls
 * are never reported (the clock ends them), so they have no kind here.
 */
public sealed interface Wait {
    Wait ANYONE = new ForAnyone();
    Wait KEYBOARD = new ForKeyboard();

    /**
     * A definite wait: only process {@code pid} can end it, by acting or by ending (rendezvous
     * mysend, a send to its full inbox, myreceive from it alone, lock_acquire on a lock it owns).
     */
    record ForPid(long pid) implements Wait {}

    /**
     * Any live process can end it: a receive from any sender, and every wait on a named object
     * (box, semaphore, condition, barrier), because any process may open that object by name.
     */
    record ForAnyone() implements Wait {}

    /**
     * waitpid: {@code pid}'s end ends it, and any live process may bring that about by killing it
     * (robinhood's outlaws wait for each other until the sheriff kills one). A cycle of these is a
     * deadlock only when no process outside it is live; refuse mode refuses such a cycle anyway.
     */
    record ForEnd(long pid) implements Wait {}

    /** The process whose action or end ends a {@link ForPid} or {@link ForEnd} wait; 0 for the others. */
    default long target() {
        return switch (this) {
            case ForPid p -> p.pid();
            case ForEnd e -> e.pid();
            case ForAnyone a -> 0;
            case ForKeyboard k -> 0;
        };
    }

    /** Only a key can end it (get_char, a receive from the box named keyboard). */
    record ForKeyboard() implements Wait {}

    /**
     * The wait of a send ({@code send}) or a receive from {@code from} (negative: any sender)
     * that blocks in a box owned by {@code ownerPid} (0: a named box), or in the keyboard's
     * buffer ({@code deviceBox}).
     */
    static Wait inBox(long ownerPid, boolean deviceBox, boolean send, long from) {
        if (deviceBox) {
            return KEYBOARD;
        }
        if (ownerPid == 0) {
            return ANYONE;
        }
        if (send) {
            return new ForPid(ownerPid);
        }
        return from > 0 ? new ForPid(from) : ANYONE;
    }
}
