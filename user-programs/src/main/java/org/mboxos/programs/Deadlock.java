package org.mboxos.programs;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.mboxos.api.Errno;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;

/**
 * Processes that wait for each other forever, one wait kind at a time: {@code deadlock KIND}.
 * pid 1 starts two (three for {@code mixed}) processes whose waits close a cycle, then waits for
 * the first of them, so that every process is blocked and {@code ./mboxos run} reports the
 * deadlock and exits with status 3 (docs/semantics.md, Deadlocks). With kernel.deadlock = refuse,
 * the definite kinds (waitpid, lock, rendezvous, receive, mixed) end instead: the call that would
 * close the cycle fails with EDEADLK, that process gives up and ends, and so does the other.
 */
public final class Deadlock extends Ramfile {
    static final List<String> KINDS = List.of("waitpid", "lock", "rendezvous", "receive", "mixed", "box", "semaphore",
            "condition", "barrier", "keyboard");

    public Deadlock() {
        super("deadlock", "deadlock KIND: processes that wait for each other forever; KIND is one of " + KINDS);
    }

    @Override
    public int main(Sys sys, List<String> args) {
        if (args.isEmpty() || !KINDS.contains(args.get(0))) {
            sys.println("usage: deadlock KIND, KIND one of " + KINDS);
            return 2;
        }
        String kind = args.get(0);
        if (args.size() > 1) {
            try {
                return member(sys, kind, args.get(1), args.size() > 2 ? Long.parseLong(args.get(2)) : 0);
            } catch (SysError e) { // kernel.deadlock = refuse: this wait would have closed the cycle
                sys.println("deadlock: process " + sys.getpid() + " refused: " + e.getMessage());
                return e.errno() == Errno.EDEADLK ? 35 : 1;
            }
        }
        if (kind.equals("keyboard")) {
            sys.println("deadlock: waiting for a key that nobody will type");
            return sys.getChar();
        }
        if (kind.equals("mixed")) {
            return mixed(sys);
        }
        long a = sys.spawn("deadlock", kind, "a", Long.toString(sys.getpid()));
        long b = sys.spawn("deadlock", kind, "b", Long.toString(a));
        sys.mysend(a, Long.toString(b).getBytes(StandardCharsets.UTF_8)); // a learns b's pid
        sys.println("deadlock: processes " + a + " and " + b + " (" + kind + ")");
        return sys.waitpid(a);
    }

    /** A lock holder waits for a process that waits (rendezvous) for one that wants the lock. */
    private static int mixed(Sys sys) {
        long a = sys.spawn("deadlock", "mixed", "a", Long.toString(sys.getpid()));
        sys.myreceive(a, new byte[8]); // a holds the lock
        long c = sys.spawn("deadlock", "mixed", "c");
        long b = sys.spawn("deadlock", "mixed", "b", Long.toString(c));
        sys.mysend(a, Long.toString(b).getBytes(StandardCharsets.UTF_8));
        sys.println("deadlock: processes " + a + ", " + b + " and " + c + " (mixed)");
        return sys.waitpid(a);
    }

    /** Process {@code role}: "a" gets its parent's pid and learns its partner from it; "b" and "c" get theirs. */
    private static int member(Sys sys, String kind, String role, long partner) {
        if (role.equals("a") && !kind.equals("mixed")) {
            partner = pidFrom(sys, partner);
        }
        switch (kind) {
            case "waitpid" -> sys.waitpid(partner);
            case "rendezvous" -> sys.mysend(partner, "hello".getBytes(StandardCharsets.UTF_8), true);
            case "receive" -> sys.myreceive(partner, new byte[8]);
            case "lock" -> {
                int mine = sys.lockOpen("lock-" + role);
                int theirs = sys.lockOpen(role.equals("a") ? "lock-b" : "lock-a");
                int both = sys.barrierOpen("both-hold", 2);
                sys.lockAcquire(mine);
                sys.barrierWait(both);
                sys.lockAcquire(theirs);
            }
            case "mixed" -> mixedMember(sys, role, partner);
            case "box" -> sys.mboxRecv(sys.mboxOpen("box-" + role), 64);
            case "semaphore" -> sys.semDown(sys.semOpen("empty", 0));
            case "condition" -> {
                int lock = sys.lockOpen("guard");
                int cond = sys.condOpen("never");
                sys.lockAcquire(lock);
                sys.condWait(cond, lock);
            }
            case "barrier" -> sys.barrierWait(sys.barrierOpen("three", 3));
            default -> throw new IllegalArgumentException(kind);
        }
        return 0;
    }

    private static void mixedMember(Sys sys, String role, long partner) {
        int lock = sys.lockOpen("mixed");
        switch (role) {
            case "a" -> { // holds the lock, then waits for b (partner: the parent, who names b)
                sys.lockAcquire(lock);
                sys.mysend(partner, "held".getBytes(StandardCharsets.UTF_8));
                sys.waitpid(pidFrom(sys, partner));
            }
            case "b" -> sys.mysend(partner, "hello".getBytes(StandardCharsets.UTF_8), true); // c never receives
            default -> sys.lockAcquire(lock); // c: a holds it
        }
    }

    /** A pid that {@code sender} sends as text. */
    private static long pidFrom(Sys sys, long sender) {
        byte[] buf = new byte[20];
        return Long.parseLong(new String(buf, 0, sys.myreceive(sender, buf), StandardCharsets.UTF_8));
    }
}
