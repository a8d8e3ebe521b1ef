package org.mboxos.kernel.ipc;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.StashBuffer;
import java.util.function.Function;
import org.mboxos.api.Errno;
import org.mboxos.kernel.dev.Clock;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.trace.Trace;

/**
 * The sends and receives waiting in one {@link Mailbox}, stashed in arrival order with their
 * timeouts on the kernel clock. After every change of the box's state a re-check pass offers
 * each of them, in order, the chance to proceed, until a whole pass serves nobody: no wake-up
 * is lost, and waiters of one kind are served first come, first served. A pass can also carry
 * one reason to drop or fail some of them (a withdrawal, an expiry, a sender's end). Plain
 * state of the box, touched only on its turns.
 */
final class Waiters {
    /** No process: pid 0 is the kernel, which sends too (a monitor's notice into an inbox). */
    private static final long NOBODY = -1;

    /** The Clock's key for a waiter's timeout: unique per box and ticket. */
    private record TimeoutKey(long box, long ticket) {}

    private final long box;
    private final String name;
    private final MessageQueue queue;
    private final StashBuffer<Mailbox.Command> stash;
    private final ActorRef<Clock.Command> clock;
    private final ActorRef<Mailbox.Command> self;
    private final Trace trace;
    private long nextTicket = 1;
    // set only while a re-check pass runs, for the requests it must drop or fail
    private long withdrawing = NOBODY;
    private Errno withdrawFail;
    private long expiring;
    private long goneSender;
    private boolean progress;

    Waiters(long box, String name, MessageQueue queue, StashBuffer<Mailbox.Command> stash,
            ActorRef<Clock.Command> clock, ActorRef<Mailbox.Command> self, Trace trace) {
        this.box = box;
        this.name = name;
        this.queue = queue;
        this.stash = stash;
        this.clock = clock;
        this.self = self;
        this.trace = trace;
    }

    /** A fresh send or receive: served now (then the others re-checked), or stashed until the state allows. */
    void arrive(Mailbox.Request request, Behavior<Mailbox.Command> mailbox) {
        if (serve(request, false)) {
            recheck(mailbox);
            queue.sent(request);
            return;
        }
        long ticket = nextTicket++;
        stash.stash(new Mailbox.Blocked(ticket, request));
        if (request.timeoutMillis() > 0) { // on the kernel clock: simulated, and replayable, in lottery mode
            clock.tell(new Clock.Alarm<>(new TimeoutKey(box, ticket), request.timeoutMillis(), self,
                    new Mailbox.Expired(ticket)));
        }
    }

    /** Done (served or failed): true; must wait: false. */
    private boolean serve(Mailbox.Request request, boolean wasBlocked) {
        return switch (request) {
            case Mailbox.Send s -> queue.offer(s, wasBlocked);
            case Mailbox.Receive r -> queue.take(r);
        };
    }

    /** Re-checks every waiter, in arrival order, until a whole pass serves nobody. */
    void recheck(Behavior<Mailbox.Command> mailbox) {
        while (stash.nonEmpty()) {
            progress = false;
            stash.unstash(mailbox, stash.size(), Function.identity());
            if (!progress) {
                return;
            }
        }
    }

    /** One waiter's turn in a re-check pass: dropped, failed, served, or stashed again at the back. */
    void onBlocked(Mailbox.Blocked b) {
        Mailbox.Request r = b.request();
        if (r.pid() == withdrawing && withdrawFail != null) {
            cancelTimeout(b);
            r.replyTo().tell(Syscall.Result.fail(withdrawFail, callOf(r) + " on box " + name + " would deadlock"));
        } else if (r.pid() == withdrawing) {
            cancelTimeout(b);
            trace.event("withdraw", r.pid(), r.prog(), "box", box, "name", name, "call", callOf(r));
        } else if (b.ticket() == expiring) {
            r.replyTo().tell(Syscall.Result.fail(Errno.ETIMEDOUT, callOf(r) + " on box " + name + " timed out"));
        } else if (r instanceof Mailbox.Receive rcv && goneSender != 0 && rcv.how().from() == goneSender) {
            cancelTimeout(b);
            serve(new Mailbox.Receive(rcv.pid(), rcv.prog(), rcv.how(), Mailbox.IfNone.SENDER_GONE, rcv.replyTo()), true);
            progress = true;
        } else if (serve(r, true)) {
            cancelTimeout(b);
            progress = true;
        } else {
            stash.stash(b);
        }
    }

    private void cancelTimeout(Mailbox.Blocked b) {
        if (b.request().timeoutMillis() > 0) {
            clock.tell(new Clock.CancelAlarm(new TimeoutKey(box, b.ticket())));
        }
    }

    /** {@code pid}'s waiting calls leave (or, with {@code fail}, fail with it). */
    void withdraw(long pid, Errno fail, Behavior<Mailbox.Command> mailbox) {
        withdrawing = pid;
        withdrawFail = fail;
        recheck(mailbox);
        withdrawing = NOBODY;
    }

    /** Receives waiting for {@code pid} alone re-check once more, knowing it will never send again. */
    void senderGone(long pid, Behavior<Mailbox.Command> mailbox) {
        goneSender = pid;
        recheck(mailbox);
        goneSender = 0;
    }

    void expired(long ticket, Behavior<Mailbox.Command> mailbox) {
        expiring = ticket;
        recheck(mailbox);
        expiring = 0;
    }

    /** Every waiter gets {@code failure}; none is left. */
    void failAll(Syscall.Result.Failed failure) {
        stash.forEach(c -> ((Mailbox.Blocked) c).request().replyTo().tell(failure));
        stash.clear();
    }

    /** Waiting senders and receivers, for the mailbox table. */
    int[] counts() {
        int[] blocked = new int[2];
        stash.forEach(c -> blocked[((Mailbox.Blocked) c).request() instanceof Mailbox.Send ? 0 : 1]++);
        return blocked;
    }

    private static String callOf(Mailbox.Request request) {
        return request instanceof Mailbox.Send ? "send" : "recv";
    }
}
