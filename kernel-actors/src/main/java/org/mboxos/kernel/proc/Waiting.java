package org.mboxos.kernel.proc;

import akka.actor.typed.ActorRef;
import java.util.List;
import org.mboxos.kernel.ipc.Mailbox;

/** Where a PCB's call in progress waits, so that kill can withdraw it from there (xv6's chan). */
sealed interface Waiting {
    Waiting NOWHERE = new Nowhere();

    record Nowhere() implements Waiting {}

    /** In the process table or the registry, which drop a dying process's requests themselves. */
    record InKernel() implements Waiting {}

    record InClock() implements Waiting {}

    /** For the process table to introduce {@code pid}, which the call needs. */
    record Introducing(long pid) implements Waiting {}

    /** In a box: a named one, the keyboard buffer, this process's inbox, or {@code peer}'s inbox (0: none). */
    record InBox(ActorRef<Mailbox.Command> box, long peer) implements Waiting {}

    /** In a lock, semaphore, condition or barrier: the registry withdraws it there (Gone). */
    record InSync() implements Waiting {}

    /** In a select, watching {@code boxes}, with a timeout on the clock under {@code alarm}. */
    record InSelect(List<ActorRef<Mailbox.Command>> boxes, Object alarm) implements Waiting {}

    /** A call whose request {@code server} has taken: waiting for its answer. */
    record ForAnswer(long server) implements Waiting {}

    /** A reply on its way to {@code caller}'s PCB, which says whether it was waiting for it. */
    record Answering(long caller) implements Waiting {}
}
