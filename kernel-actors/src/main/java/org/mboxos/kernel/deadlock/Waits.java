package org.mboxos.kernel.deadlock;

import akka.actor.typed.ActorRef;
import java.util.HashMap;
import java.util.Map;
import org.mboxos.api.Errno;
import org.mboxos.kernel.ipc.Mailbox;
import org.mboxos.kernel.proc.Pcb;

/**
 * The hook a kernel actor reports its blocked processes through, to the {@link Detector}: one
 * per actor, plain state of that actor, touched only on its turns.
 *
 * <p>Contract for the reporting actor: call {@link #blocked} in the turn a process begins to
 * wait there for good (not for a timed wait), and {@link #unblocked} in the turn its wait ends
 * however it ends (served, withdrawn, refused, failed). Because a local tell enqueues at once,
 * the detector then sees every actor's changes in causal order. Nothing is sent for a process
 * that was never reported blocked, so a call served at once costs one empty-set check.
 *
 * <p>Most actors have at most one process reported blocked at a time (a PCB only ever reports
 * its own pid; a box usually has one receiver), so the first report is kept in two fields and
 * a map is made only for a second process blocked at once.
 */
public final class Waits {
    /** For the actors that have a {@code Wait} of their own (a condition's waiter). */
    public static final Wait ANYONE = Wait.ANYONE;

    private final ActorRef<Detector.Command> detector;
    /** A process reported blocked here, and in what; {@code onlyWait} null: none. */
    private long onlyPid;
    private Wait onlyWait;
    /** The other processes reported blocked here, and in what; null until two are at once. */
    private Map<Long, Wait> others;

    /** Reports to {@code detector}; null when kernel.deadlock = off (then nothing is sent). */
    public Waits(ActorRef<Detector.Command> detector) {
        this.detector = detector;
    }

    /**
     * {@code pid} waits here for {@code on}. In refuse mode, if this definite wait closes a
     * cycle, the detector tells {@code at} the {@code refusal}: the actor must then drop the wait
     * (if it is still there), fail it with EDEADLK and report it {@link #unblocked}. Reporting
     * the same wait again sends nothing; a different one (a lock's new owner) replaces it.
     */
    public <T> void blocked(long pid, Wait on, ActorRef<T> at, T refusal) {
        if (detector != null && report(pid, on)) {
            detector.tell(new Detector.Blocked<>(pid, on, at, refusal, null));
        }
    }

    /** {@code pid} waits in {@code box}, which refuses a wait by withdrawing it with EDEADLK. */
    public void blockedInBox(long pid, Wait on, ActorRef<Mailbox.Command> box) {
        if (detector != null && report(pid, on)) {
            detector.tell(new Detector.Blocked<>(pid, on, box, new Mailbox.Withdraw(pid, null, Errno.EDEADLK), box));
        }
    }

    /** {@code pid}'s wait here is over; a no-op unless it was reported blocked. */
    public void unblocked(long pid) {
        if (onlyWait != null && onlyPid == pid) {
            onlyWait = null;
        } else if (others == null || others.remove(pid) == null) {
            return;
        }
        detector.tell(new Detector.Unblocked(pid));
    }

    /** Records that {@code pid} waits for {@code on}; true if that is news (it waited for nothing or something else). */
    private boolean report(long pid, Wait on) {
        if (onlyWait != null && onlyPid == pid) {
            Wait was = onlyWait;
            onlyWait = on;
            return !on.equals(was);
        }
        if (onlyWait == null && (others == null || !others.containsKey(pid))) {
            onlyPid = pid;
            onlyWait = on;
            return true;
        }
        if (others == null) {
            others = new HashMap<>();
        }
        return !on.equals(others.put(pid, on));
    }

    /** From the process table: {@code pid} exists (see {@link Detector.Spawned}). */
    public void spawned(long pid, String program, ActorRef<Pcb.Command> pcb) {
        if (detector != null) {
            detector.tell(new Detector.Spawned(pid, program, pcb));
        }
    }

    /** From the process table: {@code pid}'s end is complete. */
    public void ended(long pid) {
        if (detector != null) {
            detector.tell(new Detector.Ended(pid));
        }
    }

    /** From the keyboard's buffer: a key the device sent has arrived (stored or dropped). */
    public void keyArrived() {
        if (detector != null) {
            detector.tell(new Detector.KeyArrived());
        }
    }
}
