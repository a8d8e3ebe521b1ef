package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mboxos.api.Errno;
import org.mboxos.api.ProcInfo;
import org.mboxos.api.Program;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;

/**
 * Every {@link Sys} method, called with hostile arguments: nulls; negative, zero, huge and
 * extreme numbers; empty, very long, unicode, control-character and lone-surrogate strings;
 * closed, foreign and wrong-kind descriptors; pid 0, negative, unknown and own pids.
 *
 * <p>Each call runs in a process of its own ({@code case}), which opens one object of every
 * kind first. A call either returns, or fails with a {@link SysError} whose errno is one that
 * docs/semantics.md documents for that call, or (where the arguments are valid and the call
 * waits) blocks in that call until killed. Nothing else: no other exception, no hang. Afterwards a
 * bystander process that was blocked all along still answers, and short sleeps and timeouts
 * still fire. Run in both scheduling modes.
 */
class SysFuzzTest {
    /** Bound for polling ps until a case's process blocks (wall clock). */
    private static final long BLOCK_WAIT_NANOS = 10_000_000_000L;
    private static final long UNKNOWN_PID = 999_999;
    /** How long all the cases of one mode may take (wall clock). */
    private static final Duration RUN_BOUND = Duration.ofMinutes(3);

    private static final long[] LONGS = {0, -1, -2, 1, UNKNOWN_PID, Integer.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE};
    private static final int[] INTS = {0, -1, 1, 24, 80, 129, Integer.MIN_VALUE, Integer.MAX_VALUE};
    private static final String LONG_STRING = "x".repeat(100_000);
    private static final String[] STRINGS = {null, "", LONG_STRING, "héllo ✓ 日本 \uD83D\uDE00",
            "\u0000\u0001\n\r\t\u001b[2J\u007f", "\uD800", "a\uDC00b", "fz"};
    private static final byte[][] DATA = {null, {}, {1, 2, 3}, new byte[2048]};
    private static final long[] TIMEOUTS = {Sys.FOREVER, 0, 1, -5, Long.MIN_VALUE, Long.MAX_VALUE};

    private static final Set<Errno> NONE = EnumSet.noneOf(Errno.class);
    private static final Set<Errno> MBOX = EnumSet.of(Errno.EBADF, Errno.EEXIST, Errno.ENOENT, Errno.EBUSY,
            Errno.ENFILE, Errno.ENAMETOOLONG, Errno.EMSGSIZE, Errno.E2BIG, Errno.EAGAIN, Errno.ETIMEDOUT, Errno.EINVAL,
            Errno.EPERM);

    /** The descriptors a case's process holds when its call runs. */
    record Fds(int box, int lock, int sem, int cond, int barrier, int closed, int foreign) {}

    interface Call {
        void run(Sys sys, Fds fds);
    }

    /** What a case may do. */
    sealed interface Expect {
        /** Returns, or fails with one of {@code errnos}. */
        record Returns(Set<Errno> errnos) implements Expect {}

        /** Fails with one of {@code errnos}. */
        record Fails(Set<Errno> errnos) implements Expect {}

        /** Blocks in a call that ps shows as starting with {@code blockedIn}, until killed. */
        record Blocks(String blockedIn) implements Expect {}

        /** Ends the process with {@code status}. */
        record Exits(int status) implements Expect {}
    }

    record Case(String name, Expect expect, Call call) {}

    /** Descriptor choices: the process's own objects of each kind, a closed one, a foreign one, nonsense. */
    private static final Map<String, ToIntFunction<Fds>> FDS = Map.of(
            "box", Fds::box, "lock", Fds::lock, "sem", Fds::sem, "cond", Fds::cond, "barrier", Fds::barrier,
            "closed", Fds::closed, "foreign", Fds::foreign, "-1", f -> -1, "MIN", f -> Integer.MIN_VALUE,
            "MAX", f -> Integer.MAX_VALUE);

    /** The descriptor choices no object is open at, in a case's process. */
    private static final Set<String> NOT_OPEN = Set.of("closed", "foreign", "-1", "MIN", "MAX");

    private static final List<Case> CASES = cases();

    private static Case returns(String name, Set<Errno> errnos, Call call) {
        return new Case(name, new Expect.Returns(errnos), call);
    }

    private static Case blocks(String name, String blockedIn, Call call) {
        return new Case(name, new Expect.Blocks(blockedIn), call);
    }

    private static String show(String s) {
        if (s == null) {
            return "null";
        }
        String shown = s.length() > 12 ? s.substring(0, 12) + "...(" + s.length() + ")" : s;
        StringBuilder b = new StringBuilder("\"");
        shown.chars().forEach(c -> b.append(c < 0x20 || c >= 0x7f ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return b.append('"').toString();
    }

    private static String show(byte[] data) {
        return data == null ? "null" : "byte[" + data.length + "]";
    }

    private static String show(Recv how) {
        return how == null ? "null" : "Recv(" + how.max() + ", from " + how.from() + ", " + how.timeoutMillis() + " ms, "
                + (how.truncate() ? "truncate" : "strict") + ")";
    }

    /** Must return normally. */
    private static Case ok(String name, Call call) {
        return returns(name, NONE, call);
    }

    /** Must fail with {@code errno}. */
    private static Case fails(String name, Errno errno, Call call) {
        return new Case(name, new Expect.Fails(EnumSet.of(errno)), call);
    }

    /** Must fail with one of {@code errnos}. */
    private static Case failsWithOneOf(String name, Set<Errno> errnos, Call call) {
        return new Case(name, new Expect.Fails(errnos), call);
    }

    /** Must return, or fail with {@code errno} if {@code invalid}. */
    private static Case check(String name, boolean invalid, Errno errno, Call call) {
        return invalid ? fails(name, errno, call) : ok(name, call);
    }

    private static boolean offScreen(int row, int col) {
        return row < 0 || row >= 25 || col < 0 || col >= 80;
    }

    /** What opening {@code name} must give: EINVAL (null, empty), ENAMETOOLONG, or null if it is a fine name. */
    private static Errno badName(String name) {
        return name == null || name.isEmpty() ? Errno.EINVAL : name.length() > 32 ? Errno.ENAMETOOLONG : null;
    }

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // ---- processes
        c.add(ok("getpid", (sys, f) -> sys.getpid()));
        for (String name : STRINGS) {
            c.add(fails("spawn(" + show(name) + ")", name == null ? Errno.EINVAL : Errno.ENOENT,
                    (sys, f) -> reap(sys, sys.spawn(name))));
        }
        c.add(fails("spawn(true, (String[]) null)", Errno.EINVAL, (sys, f) -> reap(sys, sys.spawn("true", (String[]) null))));
        for (String arg : STRINGS) {
            c.add(check("spawn(true, " + show(arg) + ")", arg == null, Errno.EINVAL,
                    (sys, f) -> reap(sys, sys.spawn("true", arg))));
        }
        for (int status : INTS) {
            c.add(new Case("exit(" + status + ")", new Expect.Exits(status), (sys, f) -> sys.exit(status)));
        }
        for (long pid : LONGS) {
            Errno badPid = pid <= 0 ? Errno.EINVAL : Errno.ESRCH;
            if (pid != 1) { // kill(1) would end the test's init
                c.add(fails("kill(" + pid + ")", badPid, (sys, f) -> sys.kill(pid)));
                c.add(fails("waitpid(" + pid + ")", badPid, (sys, f) -> sys.waitpid(pid)));
            } else {
                c.add(blocks("waitpid(1)", "wait(1)", (sys, f) -> sys.waitpid(pid)));
            }
            if (pid < 0) {
                c.add(fails("sleep(" + pid + ")", Errno.EINVAL, (sys, f) -> sys.sleep(pid)));
            } else if (pid <= 1) {
                c.add(ok("sleep(" + pid + ")", (sys, f) -> sys.sleep(pid)));
            } else {
                c.add(blocks("sleep(" + pid + ")", "sleep(", (sys, f) -> sys.sleep(pid)));
            }
        }
        c.add(fails("waitpid(own pid)", Errno.EDEADLK, (sys, f) -> sys.waitpid(sys.getpid())));
        c.add(ok("yield", (sys, f) -> sys.yield()));
        c.add(ok("getpriority", (sys, f) -> sys.getpriority()));
        for (int tickets : INTS) {
            c.add(check("setpriority(" + tickets + ")", tickets < 1, Errno.EINVAL, (sys, f) -> sys.setpriority(tickets)));
        }
        c.add(ok("ps", (sys, f) -> sys.ps()));
        c.add(ok("random", (sys, f) -> sys.random().nextLong()));
        // ---- console and keyboard
        for (String text : STRINGS) {
            c.add(check("print(" + show(text) + ")", text == null, Errno.EINVAL, (sys, f) -> sys.print(text)));
            c.add(check("println(" + show(text) + ")", text == null, Errno.EINVAL, (sys, f) -> sys.println(text)));
            c.add(check("printAt(0, 0, " + show(text) + ")", text == null, Errno.EINVAL,
                    (sys, f) -> sys.printAt(0, 0, text)));
        }
        for (int row : INTS) {
            for (int col : INTS) {
                c.add(check("printAt(" + row + ", " + col + ")", offScreen(row, col), Errno.EINVAL,
                        (sys, f) -> sys.printAt(row, col, "x")));
            }
            c.add(check("clearRow(" + row + ")", offScreen(row, 0), Errno.EINVAL, (sys, f) -> sys.clearRow(row)));
        }
        c.add(blocks("getChar", "get_char", (sys, f) -> sys.getChar()));
        // ---- named mailboxes
        for (String name : STRINGS) {
            Errno bad = badName(name);
            c.add(check("mboxOpen(" + show(name) + ")", bad != null, bad, (sys, f) -> sys.mboxOpen(name)));
            // a name no box can have: refused as such, or simply not found
            c.add(failsWithOneOf("mboxDestroy(" + show(name) + ")", name == null ? EnumSet.of(Errno.EINVAL)
                    : bad == null ? EnumSet.of(Errno.ENOENT) : EnumSet.of(bad, Errno.ENOENT), (sys, f) -> sys.mboxDestroy(name)));
            Errno sendBad = name == null ? Errno.EINVAL
                    : name.getBytes(StandardCharsets.UTF_8).length > 1024 ? Errno.EMSGSIZE : null;
            c.add(check("mboxSend(box, " + show(name) + ")", sendBad != null, sendBad,
                    (sys, f) -> sys.mboxSend(f.box(), name)));
        }
        c.add(fails("mboxDestroy(keyboard)", Errno.EPERM, (sys, f) -> sys.mboxDestroy("keyboard")));
        c.add(fails("mboxSend(keyboard, one byte)", Errno.EPERM,
                (sys, f) -> sys.mboxSend(sys.mboxOpen("keyboard"), new byte[] {1})));
        c.add(fails("mboxDestroy(own open box)", Errno.EBUSY, (sys, f) -> sys.mboxDestroy("fz-box-" + sys.getpid())));
        List<Sys.Open[]> flagSets = List.of(new Sys.Open[] {}, new Sys.Open[] {Sys.Open.CREATE},
                new Sys.Open[] {Sys.Open.CREATE, Sys.Open.EXCLUSIVE}, new Sys.Open[] {Sys.Open.EXCLUSIVE},
                new Sys.Open[] {Sys.Open.CREATE, Sys.Open.KEEP}, new Sys.Open[] {Sys.Open.KEEP},
                new Sys.Open[] {null});
        for (int capacity : INTS) {
            for (Sys.Open[] flags : flagSets) { // whether fz-o exists depends on earlier cases: any mailbox errno
                c.add(returns("mboxOpen(fz-o, " + capacity + ", " + Arrays.toString(flags) + ")", MBOX,
                        (sys, f) -> sys.mboxOpen("fz-o", capacity, flags)));
            }
            c.add(fails("mboxOpen(fz-o, " + capacity + ", null)", Errno.EINVAL,
                    (sys, f) -> sys.mboxOpen("fz-o", capacity, (Sys.Open[]) null)));
        }
        List<Recv> recvs = new ArrayList<>(List.of(Recv.upTo(-1), Recv.upTo(Integer.MIN_VALUE), Recv.upTo(0).noWait(),
                Recv.upTo(Integer.MAX_VALUE).noWait(), Recv.upTo(8).timeout(1), Recv.upTo(8).timeout(-5),
                Recv.upTo(8).timeout(Long.MIN_VALUE), Recv.upTo(8).from(0).noWait(), Recv.upTo(8).from(-7).noWait(),
                Recv.upTo(8).from(Long.MAX_VALUE).noWait(), Recv.upTo(8).strict().noWait(), Recv.upTo(8),
                Recv.upTo(8).timeout(Long.MAX_VALUE)));
        recvs.add(null);
        for (var fd : FDS.entrySet()) {
            String fdName = fd.getKey();
            ToIntFunction<Fds> pick = fd.getValue();
            boolean box = fdName.equals("box");
            boolean open = !NOT_OPEN.contains(fdName);
            c.add(check("mboxClose(" + fdName + ")", !box, Errno.EBADF, (sys, f) -> sys.mboxClose(pick.applyAsInt(f))));
            c.add(check("close(" + fdName + ")", !open, Errno.EBADF, (sys, f) -> sys.close(pick.applyAsInt(f))));
            c.add(check("mboxIsFull(" + fdName + ")", !box, Errno.EBADF, (sys, f) -> sys.mboxIsFull(pick.applyAsInt(f))));
            for (byte[] data : DATA) {
                for (long timeout : new long[] {Sys.FOREVER, 0, 1, -5, Long.MIN_VALUE, Long.MAX_VALUE}) {
                    Call send = timeout == Sys.FOREVER ? (sys, f) -> sys.mboxSend(pick.applyAsInt(f), data)
                            : (sys, f) -> sys.mboxSend(pick.applyAsInt(f), data, timeout);
                    String name = "mboxSend(" + fdName + ", " + show(data) + (timeout == Sys.FOREVER ? "" : ", " + timeout) + ")";
                    if (data == null || timeout < Sys.FOREVER) {
                        c.add(fails(name, Errno.EINVAL, send));
                    } else if (!box) {
                        c.add(fails(name, Errno.EBADF, send));
                    } else {
                        c.add(check(name, data.length > 1024, Errno.EMSGSIZE, send));
                    }
                }
            }
            for (int max : INTS) {
                Call recv = (sys, f) -> sys.mboxRecv(pick.applyAsInt(f), max);
                String name = "mboxRecv(" + fdName + ", " + max + ")";
                if (!box) {
                    c.add(fails(name, Errno.EBADF, recv));
                } else if (max < 0) {
                    c.add(fails(name, Errno.EINVAL, recv));
                } else {
                    c.add(blocks(name, "mbox_recv(", recv));
                }
            }
            for (Recv how : recvs) {
                Call recv = (sys, f) -> sys.mboxRecv(pick.applyAsInt(f), how);
                String name = "mboxRecv(" + fdName + ", " + show(how) + ")";
                if (how == null || how.timeoutMillis() < Sys.FOREVER) {
                    c.add(fails(name, Errno.EINVAL, recv));
                } else if (!box) {
                    c.add(fails(name, Errno.EBADF, recv));
                } else if (how.max() < 0) {
                    c.add(fails(name, Errno.EINVAL, recv));
                } else if (waits(how)) {
                    c.add(blocks(name, "mbox_recv(", recv));
                } else {
                    c.add(fails(name, how.timeoutMillis() == 0 ? Errno.EAGAIN : Errno.ETIMEDOUT, recv));
                }
            }
        }
        c.add(ok("mboxes", (sys, f) -> sys.mboxes()));
        // ---- synchronisation objects
        for (String name : STRINGS) {
            Errno bad = badName(name);
            c.add(check("lockOpen(" + show(name) + ")", bad != null, bad, (sys, f) -> sys.lockOpen(name)));
            c.add(check("condOpen(" + show(name) + ")", bad != null, bad, (sys, f) -> sys.condOpen(name)));
            for (int value : INTS) {
                Errno semBad = bad != null ? bad : value < 0 ? Errno.EINVAL : null;
                Errno barrierBad = bad != null ? bad : value < 1 ? Errno.EINVAL : null;
                // a fine name is fresh in each case's process ("fz" is freed when the process that opened it ends)
                c.add(check("semOpen(" + show(name) + ", " + value + ")", semBad != null, semBad,
                        (sys, f) -> sys.semOpen(name, value)));
                c.add(check("barrierOpen(" + show(name) + ", " + value + ")", barrierBad != null, barrierBad,
                        (sys, f) -> sys.barrierOpen(name, value)));
            }
        }
        for (var fd : FDS.entrySet()) {
            String n = fd.getKey();
            ToIntFunction<Fds> pick = fd.getValue();
            c.add(check("lockAcquire(" + n + ")", !n.equals("lock"), Errno.EBADF, (sys, f) -> sys.lockAcquire(pick.applyAsInt(f))));
            c.add(fails("lockRelease(" + n + ")", n.equals("lock") ? Errno.EPERM : Errno.EBADF,
                    (sys, f) -> sys.lockRelease(pick.applyAsInt(f))));
            c.add(check("semUp(" + n + ")", !n.equals("sem"), Errno.EBADF, (sys, f) -> sys.semUp(pick.applyAsInt(f))));
            c.add(check("semDown(" + n + ")", !n.equals("sem"), Errno.EBADF, (sys, f) -> sys.semDown(pick.applyAsInt(f))));
            c.add(check("condSignal(" + n + ")", !n.equals("cond"), Errno.EBADF, (sys, f) -> sys.condSignal(pick.applyAsInt(f))));
            c.add(check("condBroadcast(" + n + ")", !n.equals("cond"), Errno.EBADF,
                    (sys, f) -> sys.condBroadcast(pick.applyAsInt(f))));
            if (n.equals("barrier")) {
                c.add(blocks("barrierWait(barrier)", "barrier_wait(", (sys, f) -> sys.barrierWait(f.barrier())));
            } else {
                c.add(fails("barrierWait(" + n + ")", Errno.EBADF, (sys, f) -> sys.barrierWait(pick.applyAsInt(f))));
            }
            for (var other : FDS.entrySet()) {
                ToIntFunction<Fds> pickLock = other.getValue();
                boolean right = n.equals("cond") && other.getKey().equals("lock");
                c.add(fails("condWait(" + n + ", " + other.getKey() + ")", right ? Errno.EPERM : Errno.EBADF,
                        (sys, f) -> sys.condWait(pick.applyAsInt(f), pickLock.applyAsInt(f))));
            }
        }
        c.add(fails("lockAcquire twice", Errno.EDEADLK, (sys, f) -> {
            sys.lockAcquire(f.lock());
            sys.lockAcquire(f.lock());
        }));
        c.add(blocks("condWait(cond, held lock)", "cond_wait(", (sys, f) -> {
            sys.lockAcquire(f.lock());
            sys.condWait(f.cond(), f.lock());
        }));
        c.add(blocks("semDown twice (1 unit)", "sem_down(", (sys, f) -> {
            sys.semDown(f.sem());
            sys.semDown(f.sem());
        }));
        c.add(ok("semUp at Integer.MAX_VALUE units", (sys, f) -> {
            int sem = sys.semOpen("fz-full-" + sys.getpid(), Integer.MAX_VALUE);
            sys.semUp(sem);
        }));
        // ---- messages addressed by pid
        for (long pid : LONGS) {
            if (pid == 1) {
                continue; // init's inbox is not the fuzzer's to fill
            }
            for (byte[] data : DATA) {
                Errno expected = data == null || pid <= 0 ? Errno.EINVAL : Errno.ESRCH;
                c.add(fails("mysend(" + pid + ", " + show(data) + ")", expected, (sys, f) -> sys.mysend(pid, data)));
                c.add(fails("mysend(" + pid + ", " + show(data) + ", rendezvous)", expected,
                        (sys, f) -> sys.mysend(pid, data, true)));
            }
            if (pid < 0) {
                c.add(ok("myreceive(" + pid + ", buf, no wait)", (sys, f) -> sys.myreceive(pid, new byte[8], false)));
            }
            if (pid >= 0) { // 0 names no process; the others never existed
                Errno expected = pid == 0 ? Errno.EINVAL : Errno.ESRCH;
                c.add(fails("myreceive(" + pid + ", buf)", expected, (sys, f) -> sys.myreceive(pid, new byte[8])));
                c.add(fails("myreceive(" + pid + ", buf, no wait)", expected,
                        (sys, f) -> sys.myreceive(pid, new byte[8], false)));
            }
        }
        for (byte[] data : DATA) {
            String shown = show(data);
            if (data == null) {
                c.add(fails("mysend(own pid, null)", Errno.EINVAL, (sys, f) -> sys.mysend(sys.getpid(), data)));
                c.add(fails("mysend(own pid, null, rendezvous)", Errno.EINVAL,
                        (sys, f) -> sys.mysend(sys.getpid(), data, true)));
            } else {
                c.add(check("mysend(own pid, " + shown + ")", data.length > 1024, Errno.EMSGSIZE,
                        (sys, f) -> sys.mysend(sys.getpid(), data)));
                c.add(failsWithOneOf("mysend(own pid, " + shown + ", rendezvous)", EnumSet.of(Errno.EDEADLK, Errno.EMSGSIZE),
                        (sys, f) -> sys.mysend(sys.getpid(), data, true)));
            }
        }
        c.add(fails("myreceive(own pid, null buf)", Errno.EINVAL, (sys, f) -> sys.myreceive(sys.getpid(), null)));
        c.add(ok("myreceive(own pid, buf, no wait)", (sys, f) -> sys.myreceive(sys.getpid(), new byte[8], false)));
        c.add(ok("myreceive(own pid, empty buf) after mysend", (sys, f) -> {
            sys.mysend(sys.getpid(), new byte[] {1, 2});
            assertEquals(0, sys.myreceive(sys.getpid(), new byte[0]), "truncated to the buffer");
        }));
        c.add(blocks("myreceive(any, buf)", "myreceive(", (sys, f) -> sys.myreceive(-1, new byte[8])));
        for (Recv how : recvs) {
            Call recv = (sys, f) -> sys.myreceive(how);
            String name = "myreceive(" + show(how) + ")";
            if (how == null || how.timeoutMillis() < Sys.FOREVER || how.max() < 0 || how.from() == 0) {
                c.add(fails(name, Errno.EINVAL, recv));
            } else if (how.from() == Long.MAX_VALUE) {
                c.add(fails(name, Errno.ESRCH, recv)); // no such process: it can never send
            } else if (waits(how)) {
                c.add(blocks(name, "myreceive(", recv));
            } else {
                c.add(fails(name, how.timeoutMillis() == 0 ? Errno.EAGAIN : Errno.ETIMEDOUT, recv));
            }
        }
        return List.copyOf(c);
    }

    /** True if {@code how} is valid and waits for a message that never comes. */
    private static boolean waits(Recv how) {
        return how != null && how.max() >= 0 && (how.timeoutMillis() == Sys.FOREVER || how.timeoutMillis() == Long.MAX_VALUE);
    }

    private static void reap(Sys sys, long child) {
        assertEquals(0, sys.waitpid(child), "a spawned true exits 0");
    }

    private final CheckedPrograms checked = new CheckedPrograms();
    /** Case index to what its call did: "ok", an errno name, or "threw ..." for anything else. */
    private final Map<Integer, String> outcomes = new ConcurrentHashMap<>();
    private final List<String> wrong = new CopyOnWriteArrayList<>();

    private Program caseProgram() {
        return Program.of("case", "runs one fuzz case", (sys, args) -> {
            int i = Integer.parseInt(args.get(0));
            long pid = sys.getpid();
            Fds fds = new Fds(sys.mboxOpen("fz-box-" + pid), sys.lockOpen("fz-lock-" + pid),
                    sys.semOpen("fz-sem-" + pid, 1), sys.condOpen("fz-cond-" + pid),
                    sys.barrierOpen("fz-bar-" + pid, 2), closedFd(sys, pid), 7);
            try {
                CASES.get(i).call().run(sys, fds);
                outcomes.put(i, "ok");
            } catch (SysError e) {
                outcomes.put(i, e.errno().name());
            } catch (RuntimeException | AssertionError e) {
                outcomes.put(i, "threw " + e);
            }
            return 0;
        });
    }

    private static int closedFd(Sys sys, long pid) {
        int fd = sys.mboxOpen("fz-closed-" + pid);
        sys.close(fd);
        return fd;
    }

    /** Runs every case, then checks a bystander and the kernel's timers. */
    private Program init() {
        return checked.prog("init", (sys, args) -> {
            for (int i = 0; i < 8; i++) { // descriptors 0..7, so that 7 is foreign to every case's process
                sys.mboxOpen("fz-init-" + i);
            }
            int ask = sys.mboxOpen("fz-ask");
            int answer = sys.mboxOpen("fz-answer");
            long bystander = sys.spawn("bystander");
            for (int i = 0; i < CASES.size(); i++) {
                runCase(sys, i);
            }
            sys.mboxSend(ask, "ping");
            assertEquals("pong", new String(sys.mboxRecv(answer, 16)), "the bystander still answers");
            assertEquals(0, sys.waitpid(bystander));
            sys.sleep(1);
            assertEquals(Errno.ETIMEDOUT, assertThrows(SysError.class,
                    () -> sys.mboxRecv(ask, Recv.upTo(8).timeout(2))).errno(), "timeouts still fire");
            return 0;
        });
    }

    private void runCase(Sys sys, int i) {
        Case c = CASES.get(i);
        long child = sys.spawn("case", Integer.toString(i));
        switch (c.expect()) {
            case Expect.Returns r -> {
                int status = sys.waitpid(child);
                String outcome = outcomes.get(i);
                if (status != 0 || outcome == null) {
                    wrong.add(c.name() + ": its process ended with status " + status + ", call outcome " + outcome);
                } else if (!outcome.equals("ok") && r.errnos().stream().noneMatch(e -> e.name().equals(outcome))) {
                    wrong.add(c.name() + ": " + outcome + " (documented: " + r.errnos() + ")");
                }
            }
            case Expect.Fails r -> {
                int status = sys.waitpid(child);
                String outcome = outcomes.get(i);
                if (status != 0 || outcome == null) {
                    wrong.add(c.name() + ": its process ended with status " + status + ", call outcome " + outcome);
                } else if (r.errnos().stream().noneMatch(e -> e.name().equals(outcome))) {
                    wrong.add(c.name() + ": " + outcome + " (expected: " + r.errnos() + ")");
                }
            }
            case Expect.Exits e -> {
                int status = sys.waitpid(child);
                if (status != e.status() || outcomes.containsKey(i)) {
                    wrong.add(c.name() + ": status " + status + ", call outcome " + outcomes.get(i));
                }
            }
            case Expect.Blocks b -> {
                String blocked = awaitBlockedIn(sys, child, b.blockedIn());
                if (blocked != null) {
                    wrong.add(c.name() + ": " + blocked + ", call outcome " + outcomes.get(i));
                    sys.waitpid(child);
                } else {
                    sys.kill(child);
                    int status = sys.waitpid(child);
                    if (status != Sys.KILLED || outcomes.containsKey(i)) {
                        wrong.add(c.name() + ": killed while blocked, status " + status + ", outcome " + outcomes.get(i));
                    }
                }
            }
        }
    }

    /** Null once {@code pid} is blocked in a call shown as starting with {@code call}; else what happened. */
    private static String awaitBlockedIn(Sys sys, long pid, String call) {
        long deadline = System.nanoTime() + BLOCK_WAIT_NANOS;
        ProcInfo last = null;
        while (System.nanoTime() < deadline) {
            last = sys.ps().stream().filter(p -> p.pid() == pid).findFirst().orElse(null);
            if (last == null) {
                return "ended instead of blocking in " + call;
            }
            if (last.state().equals("blocked") && last.blockedIn().startsWith(call)) {
                return null;
            }
            sys.yield();
        }
        return "never blocked in " + call + "; last ps row " + last;
    }

    private static Program bystander() {
        return Program.of("bystander", "answers one ping, after the fuzz", (sys, args) -> {
            int ask = sys.mboxOpen("fz-ask");
            int answer = sys.mboxOpen("fz-answer");
            sys.mboxRecv(ask, 16);
            sys.sleep(1);
            sys.mboxSend(answer, "pong");
            return 0;
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"parallel", "lottery"})
    void everyCallReturnsFailsWithADocumentedErrnoOrBlocksAndTheKernelGoesOn(String scheduler) throws Exception {
        Program truth = Program.of("true", "exits 0", (sys, args) -> 0);
        try (KernelHarness k = KernelHarness.boot(Map.of("kernel.scheduler", scheduler, "kernel.seed", 5),
                init(), caseProgram(), bystander(), truth)) {
            int status = k.start("init").get(RUN_BOUND.toSeconds(), TimeUnit.SECONDS);
            checked.checkFailures();
            assertEquals(0, status, "init's exit status");
            assertTrue(wrong.isEmpty(), wrong.size() + " of " + CASES.size() + " cases misbehaved:\n"
                    + String.join("\n", wrong));
            assertEquals(CASES.size(), k.events("spawn").stream().filter(e -> "case".equals(e.get("program"))).count());
        }
    }
}
