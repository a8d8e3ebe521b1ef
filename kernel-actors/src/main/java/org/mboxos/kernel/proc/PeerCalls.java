package org.mboxos.kernel.proc;

import akka.actor.typed.ActorRef;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.mboxos.api.Errno;
import org.mboxos.api.Message;
import org.mboxos.api.Sys;
import org.mboxos.kernel.deadlock.Wait;
import org.mboxos.kernel.deadlock.Waits;
import org.mboxos.kernel.ipc.Mailbox;
import org.mboxos.kernel.ipc.Owner;
import org.mboxos.kernel.ipc.Registry;
import org.mboxos.kernel.ipc.Shape;
import org.mboxos.kernel.table.Kernel;

/**
 * The calls addressed by pid, for one PCB: mysend, myreceive, call and reply. The process
 * table introduces another process once ({@link #introduced}); from then on this PCB talks to
 * that process's inbox or PCB directly, and watches it to learn of its end. Runs only on the
 * PCB's turns.
 */
final class PeerCalls {
    private final Pcb pcb;
    /** Other processes' PCBs and inboxes, as the process table introduced them; null until the first. */
    private Map<Long, Syscall.Result.Peer> peers;
    /** A call waiting for its answer, for the deadlock detector; made at the first call taken. */
    private Waits waits;

    PeerCalls(Pcb pcb) {
        this.pcb = pcb;
    }

    /** This process's inbox, opened at first use. Its box id is minus the pid (named boxes count up from 1). */
    ActorRef<Mailbox.Command> inbox() {
        if (pcb.inbox == null) {
            var s = pcb.services.settings();
            pcb.inbox = pcb.spawnInbox(Mailbox.create(-pcb.pid, Registry.INBOX_PREFIX + pcb.pid,
                    Owner.inboxOf(pcb.pid), new Shape(s.maxMboxLength(), s.maxMessageLength(), 1),
                    2 * s.numPcbs(), pcb.services.clock(), pcb.services.trace(), pcb.services.deadlocks()));
        }
        return pcb.inbox;
    }

    /** To {@code pid}'s inbox: queued, rendezvous, or as a call whose answer the caller awaits. */
    void send(long to, byte[] data, Mailbox.Handoff handoff) {
        if (to <= 0) {
            pcb.complete(Syscall.Result.fail(Errno.EINVAL, "pid must be positive, not " + to));
            return;
        }
        if (handoff == Mailbox.Handoff.CALL && to == pcb.pid) {
            pcb.complete(Syscall.Result.fail(Errno.EDEADLK, "a call to yourself would never be answered"));
            return;
        }
        ActorRef<Mailbox.Command> inbox = to == pcb.pid ? inbox() : peerInbox(to);
        if (inbox != null) {
            pcb.syscalls.waitIn(inbox, to, new Mailbox.Send(pcb.pid, pcb.program, data, handoff, 0,
                    Sys.FOREVER, pcb.replies));
        }
    }

    /**
     * From this process's own inbox. A receive from one other process needs to know that it
     * lives, so that process is introduced first.
     */
    void receive(Syscall.MyReceive c) {
        long from = c.how().from();
        if (from == 0) {
            pcb.complete(Syscall.Result.fail(Errno.EINVAL, "pid 0 names no process (negative: any sender)"));
        } else if (from > 0 && from != pcb.pid && peer(from) == null) {
            introduce(from);
        } else {
            receive(c, c.poll() ? Mailbox.IfNone.POLL : Mailbox.IfNone.WAIT);
        }
    }

    private void receive(Syscall.MyReceive c, Mailbox.IfNone ifNone) {
        long from = c.how().from();
        pcb.syscalls.waitIn(inbox(), from > 0 && from != pcb.pid ? from : 0,
                new Mailbox.Receive(pcb.pid, pcb.program, c.how(), ifNone, pcb.replies));
    }

    /** Answers the call process {@code c.pid()} made to this one: straight to the caller's PCB. */
    void reply(Syscall.Reply c) {
        Syscall.Result.Peer caller = peer(c.pid());
        if (c.pid() <= 0 || c.pid() == pcb.pid) {
            pcb.complete(Syscall.Result.fail(Errno.EINVAL, "process " + c.pid() + " cannot be waiting for your answer"));
        } else if (caller == null) {
            introduce(c.pid());
        } else {
            pcb.blockedAt = new Waiting.Answering(c.pid());
            caller.pcb().tell(new Pcb.Answer(pcb.pid, c.data(), pcb.replies));
        }
    }

    /**
     * The server has taken this process's call: it waits for that server's answer alone, a
     * definite wait for the deadlock detector. In refuse mode, if the wait closes a cycle, the
     * detector fails the call with EDEADLK (sent as this PCB's reply; the server's later reply
     * then finds nobody waiting).
     */
    void taken() {
        long server = ((Syscall.Call) pcb.inProgress).pid();
        pcb.blockedAt = new Waiting.ForAnswer(server);
        if (waits == null) {
            waits = new Waits(pcb.services.deadlocks());
        }
        waits.blocked(pcb.pid, new Wait.ForPid(server), pcb.replies, Syscall.Result.fail(Errno.EDEADLK,
                "call(" + server + ") would deadlock: process " + server + " waits for the caller"));
    }

    /** The call in progress is over, however it ended: a no-op unless it waited for an answer. */
    void callOver() {
        if (waits != null) {
            waits.unblocked(pcb.pid);
        }
    }

    /**
     * A server's answer to this process: it completes the call in progress if that is a call to
     * {@code a.from()} whose request the server has taken; the server learns whether it did.
     */
    void answered(Pcb.Answer a) {
        if (pcb.inProgress instanceof Syscall.Call c && pcb.blockedAt instanceof Waiting.ForAnswer w
                && w.server() == a.from()) {
            byte[] data = a.data().length > c.answer().max() ? Arrays.copyOf(a.data(), c.answer().max()) : a.data();
            pcb.services.trace().detail("answer", pcb.pid, pcb.program, "from", a.from(), "bytes", data.length);
            a.replyTo().tell(Syscall.Result.OK);
            pcb.complete(new Syscall.Result.Received(new Message(a.from(), data)));
        } else {
            a.replyTo().tell(Syscall.Result.fail(Errno.EINVAL, "process " + pcb.pid
                    + " is not waiting for an answer from process " + a.from()));
        }
    }

    /** {@code pid}'s inbox if it has been introduced; else asks the process table and returns null. */
    private ActorRef<Mailbox.Command> peerInbox(long pid) {
        Syscall.Result.Peer peer = peer(pid);
        if (peer != null) {
            return peer.inbox();
        }
        introduce(pid);
        return null;
    }

    /** {@code pid}'s PCB and inbox if it has been introduced, else null. */
    private Syscall.Result.Peer peer(long pid) {
        return peers == null ? null : peers.get(pid);
    }

    private void introduce(long pid) {
        pcb.blockedAt = new Waiting.Introducing(pid);
        pcb.services.processTable().tell(new Kernel.Introduce(pcb.pid, pid, pcb.replies));
    }

    /**
     * The process table's answer to the introduction the call in progress asked for: the call
     * goes on, or fails. A receive from a process that has ended still takes what it sent
     * before, and only then fails with ESRCH instead of waiting forever.
     */
    void introduced(Syscall.Result r, Syscalls syscalls) {
        switch (r) {
            case Syscall.Result.Peer p -> {
                if (peers == null) {
                    peers = new HashMap<>();
                }
                peers.put(p.pid(), p); // the process table says when it ends (PeerGone)
                syscalls.dispatch(pcb.inProgress);
            }
            case Syscall.Result.Failed f when f.errno() == Errno.ESRCH && pcb.inProgress instanceof Syscall.MyReceive c ->
                    receive(c, Mailbox.IfNone.SENDER_GONE);
            default -> pcb.complete(r);
        }
    }

    /**
     * {@code peer} has ended: a call that waits on it fails with ESRCH. A receive from it alone is
     * left to the inbox, which still delivers what it sent (nothing is lost); a send that waits on
     * its inbox means the inbox stopped before the send arrived.
     */
    void peerGone(long peer) {
        if (peers != null) {
            peers.remove(peer);
        }
        boolean waitsOnIt = pcb.blockedAt instanceof Waiting.ForAnswer w && w.server() == peer
                || pcb.blockedAt instanceof Waiting.Answering a && a.caller() == peer
                || pcb.blockedAt instanceof Waiting.InBox in && in.peer() == peer;
        if (pcb.blockedAt instanceof Waiting.InBox in && in.peer() == peer && in.box().equals(pcb.inbox)) {
            pcb.inbox.tell(new Mailbox.SenderGone(peer));
        } else if (waitsOnIt) {
            pcb.complete(Syscall.Result.fail(Errno.ESRCH, "process " + peer + " has ended"));
        }
    }
}
