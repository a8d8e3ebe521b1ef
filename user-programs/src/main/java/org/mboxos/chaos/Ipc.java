package org.mboxos.chaos;

import static org.mboxos.api.Errno.EAGAIN;
import static org.mboxos.api.Errno.EDEADLK;
import static org.mboxos.api.Errno.ESRCH;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.mboxos.api.Down;
import org.mboxos.api.Message;
import org.mboxos.api.Recv;
import org.mboxos.api.Selected;
import org.mboxos.api.Sys;

/**
 * A worker's pid-addressed calls: {@code mysend}/{@code myreceive}, {@code call}/{@code reply},
 * {@code monitor}/{@code demonitor}, and {@code select} over its boxes and its inbox. It
 * remembers what the documentation's checks depend on: the callers whose request it has taken
 * and not answered (a reply to one fails only with ESRCH: it was killed meanwhile), and the
 * pids it has monitored (every message from sender 0 must be the {@code DOWN} of one of them,
 * with a status that process can end with).
 */
final class Ipc {
    /** A request made with {@code call} starts with this, so that the server knows to reply. */
    private static final String CALL = "call ";
    /** The statuses a worker or init can end with: its own 0..2 (init 0), killed, crashed. */
    private static final Set<Integer> STATUSES = Set.of(0, 1, 2, Sys.KILLED, Sys.CRASHED);

    private final Worker w;
    /** Callers whose request this worker has received and not yet answered, oldest first. */
    private final Set<Long> callers = new LinkedHashSet<>();
    private final Set<Long> monitored = new HashSet<>();

    Ipc(Worker w) {
        this.w = w;
    }

    void mysend() {
        long to = w.peer();
        boolean rendezvous = w.r.nextInt(3) == 0;
        w.check("mysend", Set.of(ESRCH), () -> w.sys.mysend(to, w.payload(""), rendezvous));
    }

    /** Receives from anyone or from one peer (blocking, try or timed), then notes what came. */
    void myreceive() {
        long t = w.timeout();
        if (w.r.nextBoolean()) {
            received(w.checked("myreceive", Worker.timeoutErrors(t), () -> w.sys.myreceive(Recv.upTo(64).timeout(t))));
        } else {
            long from = w.peer();
            received(w.checked("myreceive", Worker.union(Worker.timeoutErrors(t), ESRCH),
                    () -> w.sys.myreceive(Recv.upTo(64).from(from).timeout(t))));
        }
    }

    /**
     * Calls a peer, or now and then init (which never receives: the request stays queued until
     * the caller is killed). ESRCH when the server ends first, whether or not it took the request;
     * the answer is truncated to the buffer, so its length is at most the buffer's.
     */
    void call() {
        long to = w.r.nextInt(6) == 0 ? 1 : w.peer();
        byte[] buf = new byte[w.r.nextBoolean() ? 2 : 64];
        Integer n = w.checked("call", Set.of(to == w.me ? EDEADLK : ESRCH), () -> w.sys.call(to, w.payload(CALL), buf));
        if (n != null && (n < 0 || n > buf.length)) {
            w.tally.fail("pid " + w.me + ": call returned " + n + " bytes into a buffer of " + buf.length);
        }
    }

    /** Serves: takes a message from the inbox (any wait), then answers the oldest caller not yet answered. */
    void serve() {
        myreceive();
        if (!callers.isEmpty() && w.r.nextBoolean()) {
            long caller = callers.iterator().next();
            callers.remove(caller);
            w.check("reply", Set.of(ESRCH), () -> w.sys.reply(caller, w.payload("")));
        }
    }

    /** Monitors a peer or init (never ESRCH: the exit log outlives a run), or stops monitoring a peer. */
    void monitor() {
        if (w.r.nextInt(3) == 0) {
            long pid = w.peer();
            w.check("demonitor", Worker.NONE, () -> w.sys.demonitor(pid)); // a DOWN already sent stays valid
        } else {
            long pid = w.r.nextInt(5) == 0 ? 1 : w.peer();
            monitored.add(pid);
            w.check("monitor", Worker.NONE, () -> w.sys.monitor(pid));
        }
    }

    /**
     * Selects over some of the boxes and the inbox for reading and some boxes for writing, with
     * any timeout. The ready sets must be among those asked, and empty only after a timeout.
     * Then takes, without waiting, a message from one readable descriptor: EAGAIN is allowed, as
     * another process may have taken it (or, in the inbox, a killed caller taken its request back).
     */
    void select() {
        int[] read = IntStream.concat(IntStream.of(Sys.INBOX), Arrays.stream(w.boxes).filter(fd -> fd >= 0)) // -1: closed
                .filter(fd -> w.r.nextBoolean()).toArray();
        int[] write = Arrays.stream(w.boxes).filter(fd -> fd >= 0 && w.r.nextInt(3) == 0).toArray();
        if (read.length + write.length == 0) {
            read = new int[] {Sys.INBOX};
        }
        long t = w.timeout();
        int[] r = read;
        Selected s = w.checked("select", Worker.NONE, () -> w.sys.select(r, write, t));
        if (s == null) {
            return;
        }
        if (!among(s.readable(), read) || !among(s.writable(), write) || (s.timedOut() && t == Sys.FOREVER)) {
            w.tally.fail("pid " + w.me + ": select(" + Arrays.toString(read) + ", " + Arrays.toString(write) + ", " + t
                    + ") returned " + Arrays.toString(s.readable()) + ", " + Arrays.toString(s.writable()));
        }
        if (s.readable().length > 0 && s.readable()[0] == Sys.INBOX) {
            received(w.checked("myreceive", Set.of(EAGAIN), () -> w.sys.myreceive(Recv.upTo(64).noWait())));
        } else if (s.readable().length > 0) {
            int fd = s.readable()[0];
            w.check("mbox_recv", Set.of(EAGAIN), () -> w.sys.mboxRecv(fd, Recv.upTo(64).noWait()));
        }
    }

    private static boolean among(int[] some, int[] all) {
        return Arrays.stream(some).allMatch(fd -> Arrays.stream(all).anyMatch(a -> a == fd));
    }

    /**
     * Notes a message taken from the inbox (null: none): a request to answer later, or a
     * monitor's {@code DOWN}, which must name a monitored pid and a status it can end with.
     */
    private void received(Message m) {
        if (m == null) {
            return;
        }
        if (m.sender() != 0) {
            if (m.text().startsWith(CALL)) {
                callers.add(m.sender());
            }
            return;
        }
        Down d = Down.of(m);
        if (d == null || !monitored.contains(d.pid()) || !STATUSES.contains(d.status())) {
            w.tally.fail("pid " + w.me + ": from sender 0, not the DOWN of a monitored pid: "
                    + new String(m.data(), StandardCharsets.UTF_8));
        }
    }
}
