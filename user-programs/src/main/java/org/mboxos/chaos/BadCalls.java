package org.mboxos.chaos;

import static org.mboxos.api.Errno.EBADF;
import static org.mboxos.api.Errno.EBUSY;
import static org.mboxos.api.Errno.EDEADLK;
import static org.mboxos.api.Errno.EEXIST;
import static org.mboxos.api.Errno.EINVAL;
import static org.mboxos.api.Errno.EMSGSIZE;
import static org.mboxos.api.Errno.ENAMETOOLONG;
import static org.mboxos.api.Errno.ENOENT;
import static org.mboxos.api.Errno.EPERM;
import static org.mboxos.api.Errno.ESRCH;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.mboxos.api.Errno;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;

/**
 * Calls with bad arguments, each with the one errno docs/semantics.md and docs/mailboxes.md
 * give for it. A worker makes one at random now and then, in the middle of everything else; a
 * call that returns, or fails with another errno, is a failure of the run.
 */
final class BadCalls {
    private static final long UNKNOWN_PID = 999_999;

    /** One bad call: its name in failure reports, the errno it must fail with, and the call. */
    private record Bad(String name, Errno errno, Consumer<Worker> call) {}

    private static final List<Bad> ALL = List.of(
            new Bad("kill(0)", EINVAL, w -> w.sys.kill(0)),
            new Bad("kill(unknown pid)", ESRCH, w -> w.sys.kill(UNKNOWN_PID)),
            new Bad("waitpid(-3)", EINVAL, w -> w.sys.waitpid(-3)),
            new Bad("waitpid(own pid)", EDEADLK, w -> w.sys.waitpid(w.me)),
            new Bad("waitpid(unknown pid)", ESRCH, w -> w.sys.waitpid(UNKNOWN_PID)),
            new Bad("sleep(-5)", EINVAL, w -> w.sys.sleep(-5)),
            new Bad("setpriority(0)", EINVAL, w -> w.sys.setpriority(0)),
            new Bad("spawn(no such program)", ENOENT, w -> w.sys.spawn("no-such-program")),
            new Bad("spawn(null)", EINVAL, w -> w.sys.spawn(null)),
            new Bad("print(null)", EINVAL, w -> w.sys.print(null)),
            new Bad("printAt(-1, 0)", EINVAL, w -> w.sys.printAt(-1, 0, "x")),
            new Bad("mboxOpen(\"\")", EINVAL, w -> w.sys.mboxOpen("", 0, Sys.Open.CREATE)),
            new Bad("mboxOpen(null)", EINVAL, w -> w.sys.mboxOpen(null, 0, Sys.Open.CREATE)),
            new Bad("mboxOpen(long name)", ENAMETOOLONG, w -> w.sys.mboxOpen("n".repeat(4096), 0, Sys.Open.CREATE)),
            new Bad("mboxOpen(absent, no CREATE)", ENOENT, w -> w.sys.mboxOpen("absent-box", 0)),
            new Bad("mboxOpen(box-a, EXCLUSIVE)", EEXIST,
                    w -> w.sys.mboxOpen(Workload.BOX_A, 0, Sys.Open.CREATE, Sys.Open.EXCLUSIVE)),
            new Bad("mboxOpen(inbox:1)", EINVAL, w -> w.sys.mboxOpen("inbox:1", 0, Sys.Open.CREATE)),
            new Bad("mboxSend(unknown fd)", EBADF, w -> w.sys.mboxSend(4242, new byte[] {1}, 0)),
            new Bad("mboxSend(lock fd)", EBADF, w -> w.sys.mboxSend(w.locks[0], new byte[] {1}, 0)),
            new Bad("mboxSend(null)", EINVAL, w -> w.sys.mboxSend(w.boxes[0], null, 0)),
            new Bad("mboxSend(timeout -5)", EINVAL, w -> w.sys.mboxSend(w.boxes[0], new byte[] {1}, -5)),
            new Bad("mboxSend(too long)", EMSGSIZE, w -> w.sys.mboxSend(w.boxes[0], new byte[1 << 16], 0)),
            new Bad("mboxRecv(timeout MIN_VALUE)", EINVAL,
                    w -> w.sys.mboxRecv(w.boxes[0], Recv.upTo(8).timeout(Long.MIN_VALUE))),
            new Bad("mboxDestroy(keyboard)", EPERM, w -> w.sys.mboxDestroy("keyboard")),
            new Bad("mboxDestroy(box-a)", EBUSY, w -> w.sys.mboxDestroy(Workload.BOX_A)),
            new Bad("mboxDestroy(absent)", ENOENT, w -> w.sys.mboxDestroy("absent-box")),
            new Bad("close(unknown fd)", EBADF, w -> w.sys.close(4242)),
            new Bad("lockAcquire(semaphore fd)", EBADF, w -> w.sys.lockAcquire(w.sem)),
            new Bad("lockOpen(a semaphore's name)", EINVAL, w -> w.sys.lockOpen(Workload.SEM)),
            new Bad("semOpen(new, -1)", EINVAL, w -> w.sys.semOpen("sem-negative", -1)),
            new Bad("barrierOpen(new, 0)", EINVAL, w -> w.sys.barrierOpen("barrier-empty", 0)),
            new Bad("mysend(0)", EINVAL, w -> w.sys.mysend(0, new byte[] {1})),
            new Bad("mysend(own pid, rendezvous)", EDEADLK, w -> w.sys.mysend(w.me, new byte[] {1}, true)),
            new Bad("mysend(unknown pid)", ESRCH, w -> w.sys.mysend(UNKNOWN_PID, new byte[] {1})),
            new Bad("myreceive(0)", EINVAL, w -> w.sys.myreceive(0, new byte[8])),
            new Bad("myreceive(unknown pid)", ESRCH, w -> w.sys.myreceive(UNKNOWN_PID, new byte[8])),
            new Bad("myreceive(timeout -5)", EINVAL, w -> w.sys.myreceive(Recv.upTo(8).timeout(-5))),
            new Bad("select(null read)", EINVAL, w -> w.sys.select(null, new int[] {w.boxes[0]}, 0)),
            new Bad("select(null write)", EINVAL, w -> w.sys.select(new int[] {Sys.INBOX}, null, 0)),
            new Bad("select(no descriptor)", EINVAL, w -> w.sys.select(new int[0], new int[0], 0)),
            new Bad("select(INBOX for writing)", EINVAL, w -> w.sys.select(new int[0], new int[] {Sys.INBOX}, 0)),
            new Bad("select(unknown fd)", EBADF, w -> w.sys.select(new int[] {4242}, new int[0], 0)),
            new Bad("select(timeout -5)", EINVAL, w -> w.sys.select(new int[] {Sys.INBOX}, new int[0], -5)),
            new Bad("mboxSend(box-p, priority 32)", EINVAL,
                    w -> w.sys.mboxSend(w.boxes[3], new byte[] {1}, Workload.PRIORITIES, 0)),
            new Bad("mboxSend(box-p, priority -1)", EINVAL, w -> w.sys.mboxSend(w.boxes[3], new byte[] {1}, -1, 0)),
            new Bad("mboxSend(plain box, priority 1)", EINVAL, w -> w.sys.mboxSend(w.boxes[1], new byte[] {1}, 1, 0)),
            new Bad("mboxOpen(plain box-b, PRIORITY)", EINVAL,
                    w -> w.sys.mboxOpen(Workload.BOX_B, 0, Sys.Open.CREATE, Sys.Open.PRIORITY)),
            new Bad("call(own pid)", EDEADLK, w -> w.sys.call(w.me, new byte[] {1}, new byte[8])),
            new Bad("call(null request)", EINVAL, w -> w.sys.call(w.peer(), null, new byte[8])),
            new Bad("call(null buffer)", EINVAL, w -> w.sys.call(w.peer(), new byte[] {1}, null)),
            new Bad("call(unknown pid)", ESRCH, w -> w.sys.call(UNKNOWN_PID, new byte[] {1}, new byte[8])),
            new Bad("reply(init, never calling)", EINVAL, w -> w.sys.reply(1, new byte[] {1})),
            new Bad("reply(unknown pid)", ESRCH, w -> w.sys.reply(UNKNOWN_PID, new byte[] {1})),
            new Bad("monitor(0)", EINVAL, w -> w.sys.monitor(0)),
            new Bad("monitor(own pid)", EINVAL, w -> w.sys.monitor(w.me)),
            new Bad("monitor(unknown pid)", ESRCH, w -> w.sys.monitor(UNKNOWN_PID)),
            // demonitor(unknown pid) is no error: cancelling a monitor that is not there does nothing
            new Bad("demonitor(own pid)", EINVAL, w -> w.sys.demonitor(w.me)));

    /** The bad calls that depend on the lock the worker holds. */
    private static final List<Bad> LOCKED = List.of(
            new Bad("lockRelease(not held)", EPERM, w -> w.sys.lockRelease(w.locks[1 - Math.max(w.holding, 0)])),
            new Bad("condWait(lock not held)", EPERM, w -> w.sys.condWait(w.cond, w.locks[1 - Math.max(w.holding, 0)])));

    private static final Bad ACQUIRE_HELD = new Bad("lockAcquire(held)", EDEADLK, w -> w.sys.lockAcquire(w.locks[w.holding]));

    private BadCalls() {}

    /** How many kinds of bad call there are. */
    static int kinds() {
        return ALL.size() + LOCKED.size() + 1;
    }

    /** Makes one bad call drawn with {@code w}'s generator and checks that it fails as documented. */
    static void random(Worker w) {
        int i = w.r.nextInt(kinds());
        Bad bad = i < ALL.size() ? ALL.get(i) : i < ALL.size() + LOCKED.size() ? LOCKED.get(i - ALL.size()) : ACQUIRE_HELD;
        if (bad == ACQUIRE_HELD && w.holding < 0) {
            bad = LOCKED.get(0);
        }
        w.tally.badCall();
        Bad b = bad;
        if (w.check(b.name(), Set.of(b.errno()), () -> b.call().accept(w))) {
            w.tally.fail("pid " + w.me + ": " + b.name() + " returned instead of failing with " + b.errno());
        }
    }
}
