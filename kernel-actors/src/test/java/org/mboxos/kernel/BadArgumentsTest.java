package org.mboxos.kernel;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mboxos.api.Errno;
import org.mboxos.api.Program;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;
import org.mboxos.kernel.trace.Trace;

/**
 * Every system call given bad arguments fails with a {@link SysError} carrying the right
 * errno, the failure is traced, and the caller (and the kernel) go on working.
 */
class BadArgumentsTest {
    /** A name no box table will hold with the default kernel.mbox-name-length (32). */
    private static final String NAME_33 = "x".repeat(33);
    private static final String NAME_32 = "y".repeat(32);
    /** A descriptor no test opens. */
    private static final int NEVER_OPENED = 7;
    /** A pid far beyond anything these tests spawn. */
    private static final long NO_SUCH_PID = 999;

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final Program TRUE = Program.of("true", "exits 0", (sys, args) -> 0);

    private static Arguments bad(String what, Errno errno, String call, Consumer<Sys> action) {
        return Arguments.of(what, errno, call, action);
    }

    /** Failures the kernel side detects: each must also be traced as an "error" event. */
    static Stream<Arguments> kernelChecked() {
        return Stream.of(
                bad("kill(0)", Errno.EINVAL, "kill", sys -> sys.kill(0)),
                bad("kill(-1)", Errno.EINVAL, "kill", sys -> sys.kill(-1)),
                bad("kill(unknown pid)", Errno.ESRCH, "kill", sys -> sys.kill(NO_SUCH_PID)),
                bad("kill(ended pid)", Errno.ESRCH, "kill", sys -> {
                    long pid = sys.spawn("true");
                    sys.waitpid(pid);
                    sys.kill(pid);
                }),
                bad("waitpid(0)", Errno.EINVAL, "waitpid", sys -> sys.waitpid(0)),
                bad("waitpid(-1)", Errno.EINVAL, "waitpid", sys -> sys.waitpid(-1)),
                bad("waitpid(own pid)", Errno.EDEADLK, "waitpid", sys -> sys.waitpid(sys.getpid())),
                bad("waitpid(never-used pid)", Errno.ESRCH, "waitpid", sys -> sys.waitpid(NO_SUCH_PID)),
                bad("spawn(\"\")", Errno.ENOENT, "spawn", sys -> sys.spawn("")),
                bad("spawn(unknown)", Errno.ENOENT, "spawn", sys -> sys.spawn("no-such-program")),
                bad("sleep(-1)", Errno.EINVAL, "sleep", sys -> sys.sleep(-1)),
                bad("setpriority(0)", Errno.EINVAL, "setpriority", sys -> sys.setpriority(0)),
                bad("setpriority(-1)", Errno.EINVAL, "setpriority", sys -> sys.setpriority(-1)),
                bad("sleep(MIN_VALUE)", Errno.EINVAL, "sleep", sys -> sys.sleep(Long.MIN_VALUE)),
                bad("mboxSend(never opened)", Errno.EBADF, "mbox_send", sys -> sys.mboxSend(NEVER_OPENED, "hi")),
                bad("mboxRecv(never opened)", Errno.EBADF, "mbox_recv", sys -> sys.mboxRecv(NEVER_OPENED, 16)),
                bad("mboxClose(never opened)", Errno.EBADF, "mbox_close", sys -> sys.mboxClose(NEVER_OPENED)),
                bad("mboxIsFull(never opened)", Errno.EBADF, "mbox_is_full", sys -> sys.mboxIsFull(NEVER_OPENED)),
                bad("mboxSend(-1)", Errno.EBADF, "mbox_send", sys -> sys.mboxSend(-1, "hi")),
                bad("mboxSend(closed fd)", Errno.EBADF, "mbox_send", sys -> {
                    int fd = sys.mboxOpen("closed-box");
                    sys.mboxClose(fd);
                    sys.mboxSend(fd, "hi");
                }),
                bad("mboxClose twice", Errno.EBADF, "mbox_close", sys -> {
                    int fd = sys.mboxOpen("twice");
                    sys.mboxClose(fd);
                    sys.mboxClose(fd);
                }),
                bad("mboxRecv(negative max)", Errno.EINVAL, "mbox_recv", sys -> {
                    int fd = sys.mboxOpen("negmax");
                    sys.mboxRecv(fd, Recv.upTo(-1));
                }),
                bad("mboxSend(message too long)", Errno.EMSGSIZE, "mbox_send", sys -> {
                    int fd = sys.mboxOpen("toolong");
                    sys.mboxSend(fd, new byte[1025]);
                }),
                bad("mysend(nonexistent pid)", Errno.ESRCH, "mysend", sys -> sys.mysend(NO_SUCH_PID, new byte[] {1})),
                bad("mysend(0)", Errno.EINVAL, "mysend", sys -> sys.mysend(0, new byte[] {1})),
                bad("mysend(-1)", Errno.EINVAL, "mysend", sys -> sys.mysend(-1, new byte[] {1})),
                bad("myreceive(negative max)", Errno.EINVAL, "myreceive", sys -> sys.myreceive(Recv.upTo(-1))),
                bad("printAt(-1, 0)", Errno.EINVAL, "print_at", sys -> sys.printAt(-1, 0, "x")),
                bad("printAt(0, -1)", Errno.EINVAL, "print_at", sys -> sys.printAt(0, -1, "x")),
                bad("printAt(row 25 of 25)", Errno.EINVAL, "print_at", sys -> sys.printAt(25, 0, "x")),
                bad("printAt(col 80 of 80)", Errno.EINVAL, "print_at", sys -> sys.printAt(0, 80, "x")),
                bad("clearRow(-1)", Errno.EINVAL, "clear_row", sys -> sys.clearRow(-1)),
                bad("clearRow(25)", Errno.EINVAL, "clear_row", sys -> sys.clearRow(25)),
                bad("mboxSend(timeout -5)", Errno.EINVAL, "mbox_send", sys -> {
                    int fd = sys.mboxOpen("t-5");
                    sys.mboxSend(fd, new byte[] {1}, -5);
                }),
                bad("mboxSend(timeout MIN_VALUE)", Errno.EINVAL, "mbox_send", sys -> {
                    int fd = sys.mboxOpen("tmin");
                    sys.mboxSend(fd, new byte[] {1}, Long.MIN_VALUE);
                }),
                bad("mboxRecv(timeout -5)", Errno.EINVAL, "mbox_recv", sys -> {
                    int fd = sys.mboxOpen("r-5");
                    sys.mboxRecv(fd, Recv.upTo(8).timeout(-5));
                }),
                bad("mboxRecv(timeout MIN_VALUE)", Errno.EINVAL, "mbox_recv", sys -> {
                    int fd = sys.mboxOpen("rmin");
                    sys.mboxRecv(fd, Recv.upTo(8).timeout(Long.MIN_VALUE));
                }),
                bad("myreceive(timeout -5)", Errno.EINVAL, "myreceive", sys -> sys.myreceive(Recv.upTo(8).timeout(-5))),
                bad("myreceive(timeout MIN_VALUE)", Errno.EINVAL, "myreceive",
                        sys -> sys.myreceive(Recv.upTo(8).timeout(Long.MIN_VALUE))));
    }

    /**
     * Failures of the calls whose arguments include a box name, detected by the kernel. Kept
     * apart because their trace events misname the call (see the disabled test below).
     */
    static Stream<Arguments> boxNameCalls() {
        return Stream.of(
                bad("mboxOpen(33 chars)", Errno.ENAMETOOLONG, "mbox_open", sys -> sys.mboxOpen(NAME_33)),
                bad("mboxOpen(\"\")", Errno.EINVAL, "mbox_open", sys -> sys.mboxOpen("")),
                bad("mboxOpen(capacity -1)", Errno.EINVAL, "mbox_open",
                        sys -> sys.mboxOpen("neg", -1, Sys.Open.CREATE)),
                bad("mboxOpen(capacity too big)", Errno.EINVAL, "mbox_open",
                        sys -> sys.mboxOpen("huge", 129, Sys.Open.CREATE)),
                bad("mboxOpen(kernel's inbox name)", Errno.EINVAL, "mbox_open", sys -> sys.mboxOpen("inbox:1")),
                bad("mboxOpen(EXCLUSIVE without CREATE)", Errno.EINVAL, "mbox_open",
                        sys -> sys.mboxOpen("excl", 0, Sys.Open.EXCLUSIVE)),
                bad("mboxOpen(missing, no CREATE)", Errno.ENOENT, "mbox_open", sys -> sys.mboxOpen("missing", 0)),
                bad("mboxDestroy(missing)", Errno.ENOENT, "mbox_destroy", sys -> sys.mboxDestroy("missing")),
                bad("mboxDestroy(keyboard)", Errno.EPERM, "mbox_destroy", sys -> sys.mboxDestroy("keyboard")));
    }

    /** Null arguments: the stubs pass them on, and the kernel refuses them like any other bad argument. */
    static Stream<Arguments> nullArguments() {
        return Stream.of(
                bad("spawn(null)", Errno.EINVAL, "spawn", sys -> sys.spawn(null)),
                bad("spawn(name, null arg)", Errno.EINVAL, "spawn", sys -> sys.spawn("true", (String) null)),
                bad("mboxOpen(null)", Errno.EINVAL, "mbox_open", sys -> sys.mboxOpen(null)),
                bad("mboxDestroy(null)", Errno.EINVAL, "mbox_destroy", sys -> sys.mboxDestroy(null)),
                bad("mboxSend(null data)", Errno.EINVAL, "mbox_send", sys -> {
                    int fd = sys.mboxOpen("nulldata");
                    sys.mboxSend(fd, (byte[]) null);
                }),
                bad("mboxRecv(null how)", Errno.EINVAL, "mbox_recv", sys -> {
                    int fd = sys.mboxOpen("nullhow");
                    sys.mboxRecv(fd, (Recv) null);
                }),
                bad("mysend(null data)", Errno.EINVAL, "mysend", sys -> sys.mysend(1, null)),
                bad("myreceive(null buffer)", Errno.EINVAL, "myreceive", sys -> sys.myreceive(-1, null)),
                bad("myreceive(null how)", Errno.EINVAL, "myreceive", sys -> sys.myreceive(null)),
                bad("mboxSend(null text)", Errno.EINVAL, "mbox_send", sys -> {
                    int fd = sys.mboxOpen("nulltext");
                    sys.mboxSend(fd, (String) null);
                }),
                bad("print(null)", Errno.EINVAL, "print", sys -> sys.print(null)),
                bad("println(null)", Errno.EINVAL, "print", sys -> sys.println(null)),
                bad("printAt(0, 0, null)", Errno.EINVAL, "print_at", sys -> sys.printAt(0, 0, null)));
    }

    /**
     * Boots a kernel whose pid 1 runs {@code action}, then proves it still works: getpid, a
     * spawn and wait, a print.
     */
    private static KernelHarness bootWith(AtomicReference<Throwable> thrown, List<String> afterwards,
            Consumer<Sys> action) {
        Program init = Program.of("init", "", (sys, args) -> {
            try {
                action.accept(sys);
            } catch (Exception e) {
                thrown.set(e);
            }
            afterwards.add("getpid=" + sys.getpid());
            afterwards.add("child=" + sys.waitpid(sys.spawn("true")));
            sys.println("still alive");
            afterwards.add("printed");
            return 0;
        });
        return KernelHarness.boot(init, TRUE);
    }

    private static void assertFailedAndWentOn(KernelHarness k, String what, Errno errno,
            AtomicReference<Throwable> thrown, List<String> afterwards) {
        assertEquals(0, k.run("init"), () -> what + ": pid 1 crashed: " + k.events("crash"));
        assertNotNull(thrown.get(), what + " must fail");
        assertTrue(thrown.get() instanceof SysError, what + " threw " + thrown.get());
        assertEquals(errno, ((SysError) thrown.get()).errno(), what + ": " + thrown.get().getMessage());
        assertEquals(List.of("getpid=1", "child=0", "printed"), afterwards, what + ": the caller goes on working");
        CheckedPrograms.soon().until(() -> k.screen().contains("still alive")); // the console writes asynchronously
    }

    // Every case below checks the errno and that the caller goes on working (assertFailedAndWentOn);
    // the kernel-checked ones also check the trace.

    @ParameterizedTest(name = "{0} -> {1}, traced as {2}")
    @MethodSource({"kernelChecked", "boxNameCalls", "nullArguments"})
    void failedCallIsTracedOnceUnderItsNameAndTheCallerGoesOn(String what, Errno errno, String call,
            Consumer<Sys> action) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        List<String> afterwards = new CopyOnWriteArrayList<>();
        try (KernelHarness k = bootWith(thrown, afterwards, action)) {
            assertFailedAndWentOn(k, what, errno, thrown, afterwards);
            assertEquals(call, assertTracedOnce(k, what, errno).get("call"), what);
            assertTrue(thrown.get().getMessage().contains(call + ": "), "the error message names the call: "
                    + thrown.get().getMessage());
        }
    }

    /** Exactly one "error" event, pid 1's, with {@code errno} and a message; returns it. */
    private static Trace.Event assertTracedOnce(KernelHarness k, String what, Errno errno) {
        var errors = k.events("error");
        assertEquals(1, errors.size(), what + ": exactly the one failed call is traced: " + errors);
        var e = errors.get(0);
        assertEquals(1, e.pid(), what);
        assertEquals("init", e.prog(), what);
        assertEquals(errno.name(), e.get("errno"), what);
        assertTrue(e.get("message") instanceof String m && !m.isBlank(), what + ": " + e);
        return e;
    }

    @Test
    void printOfNullPrintsNothing() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Program init = Program.of("init", "", (sys, args) -> {
            try {
                sys.print(null);
            } catch (SysError e) {
                thrown.set(e);
            }
            sys.println("|after");
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            assertEquals(0, k.run("init"));
            assertEquals(Errno.EINVAL, ((SysError) thrown.get()).errno());
            CheckedPrograms.soon().until(() -> k.screen().endsWith("|after\n"));
            assertEquals("|after\n", k.screen());
        }
    }

    @Test
    void aTimeoutOfForeverIsNoError() {
        List<String> log = new CopyOnWriteArrayList<>();
        Program init = Program.of("init", "", (sys, args) -> {
            int fd = sys.mboxOpen("forever");
            sys.mboxSend(fd, new byte[] {7}, Sys.FOREVER);
            log.add("got " + sys.mboxRecv(fd, Recv.upTo(8).timeout(Sys.FOREVER)).data()[0]);
            sys.mysend(sys.getpid(), new byte[] {8});
            log.add("got " + sys.myreceive(Recv.upTo(8).timeout(Sys.FOREVER)).data()[0]);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            assertEquals(0, k.run("init"));
            assertEquals(List.of("got 7", "got 8"), log);
            assertTrue(k.events("error").isEmpty(), k.events("error").toString());
        }
    }

    @Test
    void mboxNameLengthLimitComesFromTheSettingAndIsInclusive() {
        List<String> results = new CopyOnWriteArrayList<>();
        Program init = Program.of("init", "", (sys, args) -> {
            for (String name : List.of("abcdefgh", "abcdefghi")) {
                try {
                    int fd = sys.mboxOpen(name);
                    sys.mboxClose(fd);
                    results.add(name + ":ok");
                } catch (SysError e) {
                    results.add(name + ":" + e.errno());
                }
            }
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(Map.of("kernel.mbox-name-length", 8), init)) {
            assertEquals(0, k.run("init"));
            assertEquals(List.of("abcdefgh:ok", "abcdefghi:ENAMETOOLONG"), results);
        }
    }

    @Test
    void aNameOfExactlyTheDefaultLimitOpens() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Program init = Program.of("init", "", (sys, args) -> {
            try {
                int fd = sys.mboxOpen(NAME_32);
                sys.mboxSend(fd, "x");
                sys.mboxClose(fd);
            } catch (Exception e) {
                thrown.set(e);
            }
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            assertEquals(0, k.run("init"));
            assertNull(thrown.get());
        }
    }

    @Test
    void aFailedCallLeavesOtherProcessesUnharmed() {
        List<String> log = new CopyOnWriteArrayList<>();
        Program partner = Program.of("partner", "", (sys, args) -> {
            int fd = sys.mboxOpen("shared");
            String text = new String(sys.mboxRecv(fd, 64), java.nio.charset.StandardCharsets.UTF_8);
            log.add("partner got " + text);
            return 0;
        });
        Program init = Program.of("init", "", (sys, args) -> {
            long p = sys.spawn("partner");
            for (Consumer<Sys> bad : List.<Consumer<Sys>>of(s -> s.kill(0), s -> s.waitpid(1), s -> s.sleep(-5),
                    s -> s.mboxSend(NEVER_OPENED, "x"), s -> s.mysend(NO_SUCH_PID, new byte[1]))) {
                try {
                    bad.accept(sys);
                    log.add("no error");
                } catch (SysError e) {
                    log.add(e.errno().name());
                }
            }
            int fd = sys.mboxOpen("shared");
            sys.mboxSend(fd, "hello");
            log.add("partner status " + sys.waitpid(p));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, partner)) {
            assertEquals(0, k.run("init"));
            assertEquals(List.of("EINVAL", "EDEADLK", "EINVAL", "EBADF", "ESRCH", "partner got hello",
                    "partner status 0"), log);
            assertEquals(5, k.events("error").size(), k.events("error").toString());
            assertTrue(k.events("error").stream().allMatch(e -> e.pid() == 1), "only the caller's calls failed");
        }
    }
}
