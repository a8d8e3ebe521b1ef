package org.mboxos.kernel.ipc;

import akka.actor.typed.ActorRef;
import org.mboxos.kernel.deadlock.Detector;
import org.mboxos.kernel.deadlock.Wait;
import org.mboxos.kernel.deadlock.Waits;

/**
 * What one box tells the deadlock detector (docs/semantics.md, Deadlocks): which processes wait
 * in it for good, and for whom. Plain state of the box's {@link MessageQueue}, touched only on
 * the box's turns.
 *
 * <p>Reported: a send that waits for room or a receive that waits for a message, without a
 * timeout (timed calls wait for the clock); a rendezvous send whose message is still queued once
 * the box has served everyone it could. A call served at once reports nothing. In an inbox the
 * waits are definite (for the owner, or for the one sender a receive is from); in a named box
 * they are for anyone (any process may open it); in the keyboard's buffer, for a key.
 */
final class BoxWaits {
    private final Waits waits;
    private final Owner owner;
    private final ActorRef<Mailbox.Command> box;

    BoxWaits(ActorRef<Detector.Command> detector, Owner owner, ActorRef<Mailbox.Command> box) {
        this.waits = new Waits(detector);
        this.owner = owner;
        this.box = box;
    }

    /** {@code r} found no room or no message: it waits (the detector hears of it once). */
    void waiting(Mailbox.Request r) {
        if (r.timeoutMillis() < 0) {
            blocked(r.pid(), Wait.inBox(owner.pid(), !owner.userWritable(), r instanceof Mailbox.Send,
                    r instanceof Mailbox.Receive rcv ? rcv.how().from() : 0));
        }
    }

    /** The rendezvous sender {@code pid}'s message was queued and nobody took it at once: it waits for the owner. */
    void awaitingRendezvous(long pid) {
        blocked(pid, new Wait.ForPid(owner.pid()));
    }

    /** {@code pid}'s call here is over (served, failed, withdrawn or refused). */
    void left(long pid) {
        waits.unblocked(pid);
    }

    /**
     * The kernel (pid 0) sent a message here: in the keyboard's buffer that is a key from the
     * device; in an inbox it is a monitor's notice, which is no key.
     */
    void keyArrived() {
        if (!owner.userWritable()) {
            waits.keyArrived();
        }
    }

    private void blocked(long pid, Wait on) {
        waits.blockedInBox(pid, on, box);
    }
}
