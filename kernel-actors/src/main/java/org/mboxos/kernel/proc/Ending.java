package org.mboxos.kernel.proc;

import org.mboxos.kernel.Services;
import org.mboxos.kernel.table.Kernel;

/**
 * A process's end as its PCB works it out (exit, kill or fault). The end is complete when the
 * call in progress has left the box (or the clock) it waited in and the inbox has discarded
 * what it held; only then does the process table hear of it, so that nothing the process did
 * is traced after its exit. Plain state of the PCB, touched only on its turns.
 */
final class Ending {
    private final Kernel.Ended how;
    private final Services services;
    /** Where the call in progress is being withdrawn from, until it confirms (null: nowhere or done). */
    private Waiting withdrawing;
    /** The inbox is discarding what it holds. */
    private boolean closingInbox;
    /** The process table has been told: the end is complete. */
    private boolean told;

    Ending(Kernel.Ended how, Services services, Waiting withdrawing, boolean closingInbox) {
        this.how = how;
        this.services = services;
        this.withdrawing = withdrawing;
        this.closingInbox = closingInbox;
        tellTableIfDone();
    }

    /** The inbox has closed ({@code inbox}), or the call in progress has left its box or the clock. */
    void confirmed(boolean inbox) {
        if (inbox) {
            closingInbox = false;
        } else {
            withdrawing = null;
        }
        tellTableIfDone();
    }

    /** {@code peer} has ended: a call still being withdrawn from its inbox cannot be there any more. */
    void peerGone(long peer) {
        if (withdrawing instanceof Waiting.InBox b && b.peer() == peer) {
            withdrawing = null;
            tellTableIfDone();
        }
    }

    /**
     * Whether the process table has been told. From then on every process this one was
     * introduced to will hear of its end from the table ({@link Pcb.PeerGone}).
     */
    boolean told() {
        return told;
    }

    private void tellTableIfDone() {
        if (withdrawing == null && !closingInbox && !told) {
            told = true;
            services.processTable().tell(how);
        }
    }
}
