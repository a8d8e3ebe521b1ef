package org.mboxos.kernel;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mboxos.api.Sys.Open.CREATE;
import static org.mboxos.api.Sys.Open.EXCLUSIVE;
import static org.mboxos.api.Sys.Open.KEEP;
import static org.mboxos.kernel.CheckedPrograms.eventually;
import static org.mboxos.kernel.CheckedPrograms.info;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.mboxos.api.Errno;
import org.mboxos.api.MboxInfo;
import org.mboxos.api.Message;
import org.mboxos.api.Program;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;
import org.mboxos.kernel.dev.Keyboard;
import org.mboxos.kernel.trace.HistoryCheck;
import org.mboxos.kernel.trace.Trace;

/**
 * Every mailbox system call and every error it can give, as programs see them, through a
 * booted kernel ({@link KernelHarness}). Programs report assertion failures back to the test
 * (see {@link #prog}); a program that must wait for another process to block polls the
 * mailbox table ({@code sys.mboxes()}) or the process table ({@code sys.ps()}) with
 * Awaitility.
 */
class MailboxSyscallTest {
    private static final int MAX_MBOXEN = 4;
    /** Small limits, so that every one of them is cheap to reach. */
    private static final Map<String, Object> LIMITS = Map.of(
            "kernel.max-mboxen", MAX_MBOXEN,
            "kernel.mbox-name-length", 8,
            "kernel.max-mbox-length", 4,
            "kernel.max-message-length", 16);

    private final CheckedPrograms checked = new CheckedPrograms();

    // ---- helpers --------------------------------------------------------------------------

    /** The boxes programs made (the table also lists the kernel's own, e.g. the keyboard buffer). */
    private static List<String> userBoxes(Sys sys) {
        return sys.mboxes().stream().map(MboxInfo::name).filter(n -> !n.equals(Keyboard.BOX)).toList();
    }

    private static void fails(Errno errno, Executable call) {
        SysError e = assertThrows(SysError.class, call);
        assertEquals(errno, e.errno(), e.getMessage());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static List<Trace.Event> named(List<Trace.Event> events, String name) {
        return events.stream().filter(e -> name.equals(e.get("name"))).toList();
    }

    // ---- open and close ---------------------------------------------------------------------

    @Test
    void openReturnsTheLowestFreeDescriptorAndCountsUsage() {
        Program init = checked.prog("init", (sys, args) -> {
            assertEquals(0, sys.mboxOpen("a"));
            assertEquals(1, sys.mboxOpen("b"));
            assertEquals(2, sys.mboxOpen("a"));
            assertEquals(2, info(sys, "a").usage());
            assertEquals(1, info(sys, "b").usage());
            sys.mboxClose(1);
            assertNull(info(sys, "b"), "b was freed at its last close");
            assertEquals(1, sys.mboxOpen("c"));
            sys.mboxClose(0);
            assertEquals(1, info(sys, "a").usage());
            assertEquals(0, sys.mboxOpen("a"));
            assertEquals(3, sys.mboxOpen("b"));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init)) {
            checked.run(k);
            List<Trace.Event> opensOfA = named(k.events("mbox-open"), "a");
            assertEquals(List.of(1L, 2L, 2L), opensOfA.stream().map(e -> e.getLong("usage")).toList());
            assertEquals(List.of(true, false, false), opensOfA.stream().map(e -> e.get("created")).toList());
            List<Trace.Event> opensOfB = named(k.events("mbox-open"), "b");
            assertEquals(List.of(true, true), opensOfB.stream().map(e -> e.get("created")).toList());
            assertNotEquals(opensOfB.get(0).getLong("box"), opensOfB.get(1).getLong("box"),
                    "a recreated box is a new box");
            // init exited holding a (twice), b and c: released at exit, all freed
            List<Trace.Event> exitCloses = k.events("mbox-close").stream().filter(e -> "exit".equals(e.get("how"))).toList();
            assertEquals(4, exitCloses.size(), exitCloses.toString());
            assertEquals(4, k.events("mbox-free").size());
        }
    }

    @Test
    void openFlagsDecideBetweenCreatingAndOpening() {
        Program init = checked.prog("init", (sys, args) -> {
            int x = sys.mboxOpen("x", 2, CREATE, EXCLUSIVE);
            fails(Errno.EEXIST, () -> sys.mboxOpen("x", 2, CREATE, EXCLUSIVE));
            int again = sys.mboxOpen("x", 0); // no CREATE: opens the existing box
            assertNotEquals(x, again);
            assertEquals(2, info(sys, "x").usage());
            assertEquals(2, info(sys, "x").capacity(), "opening does not change the capacity");
            sys.mboxOpen("x", 0, CREATE); // CREATE without EXCLUSIVE opens it too
            assertEquals(3, info(sys, "x").usage());
            fails(Errno.ENOENT, () -> sys.mboxOpen("nope", 0));
            fails(Errno.ENOENT, () -> sys.mboxOpen("nope", 0, KEEP));
            fails(Errno.EINVAL, () -> sys.mboxOpen("nope", 0, EXCLUSIVE));
            assertEquals(List.of("x"), userBoxes(sys), "a failed open creates nothing");
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init)) {
            checked.run(k);
            assertEquals(3, k.events("mbox-open").size());
        }
    }

    @Test
    void openChecksNameAndCapacityLimits() {
        Program init = checked.prog("init", (sys, args) -> {
            fails(Errno.ENAMETOOLONG, () -> sys.mboxOpen("123456789"));
            sys.mboxOpen("12345678"); // exactly kernel.mbox-name-length
            fails(Errno.EINVAL, () -> sys.mboxOpen(""));
            fails(Errno.EINVAL, () -> sys.mboxOpen("inbox:1"));
            fails(Errno.EINVAL, () -> sys.mboxOpen("big", 5, CREATE));
            fails(Errno.EINVAL, () -> sys.mboxOpen("neg", -1, CREATE));
            sys.mboxOpen("max", 4, CREATE);
            assertEquals(4, info(sys, "max").capacity());
            int dflt = sys.mboxOpen("dflt", 0, CREATE);
            assertEquals(4, info(sys, "dflt").capacity(), "capacity 0 means kernel.max-mbox-length");
            assertEquals(List.of("12345678", "max", "dflt"), userBoxes(sys));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init)) {
            checked.run(k);
        }
    }

    @Test
    void theMailboxTableIsBoundedAndAFreedSlotCanBeReused() {
        Program init = checked.prog("init", (sys, args) -> {
            int kernelBoxes = sys.mboxes().size(); // the keyboard's: not counted against kernel.max-mboxen
            assertEquals(1, kernelBoxes, "the kernel keeps one box of its own");
            int room = MAX_MBOXEN;
            sys.mboxOpen("m0", 0, CREATE, KEEP);
            int m1 = sys.mboxOpen("m1");
            for (int i = 2; i < room; i++) {
                sys.mboxOpen("m" + i);
            }
            fails(Errno.ENFILE, () -> sys.mboxOpen("extra"));
            assertEquals(MAX_MBOXEN + kernelBoxes, sys.mboxes().size());
            assertEquals(room, userBoxes(sys).size());
            int m1again = sys.mboxOpen("m1"); // opening an existing box needs no new slot
            sys.mboxClose(m1);
            sys.mboxClose(m1again); // m1's last close frees its slot
            assertNull(info(sys, "m1"));
            sys.mboxOpen("extra");
            fails(Errno.ENFILE, () -> sys.mboxOpen("more"));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init)) {
            checked.run(k);
        }
    }

    @Test
    void aBoxWithoutKeepIsFreedAtItsLastCloseWithItsQueueAndTheNameCanBeReused() {
        AtomicReference<Long> firstBox = new AtomicReference<>();
        Program init = checked.prog("init", (sys, args) -> {
            int fd = sys.mboxOpen("f");
            int fd2 = sys.mboxOpen("f");
            sys.mboxSend(fd, "lost");
            sys.mboxClose(fd);
            assertEquals(1, info(sys, "f").queued(), "not freed while still open");
            firstBox.set(info(sys, "f").id());
            sys.mboxClose(fd2);
            assertNull(info(sys, "f"));
            fails(Errno.ENOENT, () -> sys.mboxOpen("f", 0));
            int again = sys.mboxOpen("f", 0, CREATE, EXCLUSIVE);
            assertNotEquals(firstBox.get(), info(sys, "f").id());
            fails(Errno.EAGAIN, () -> sys.mboxRecv(again, Recv.upTo(16).noWait()));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init)) {
            checked.run(k);
            long box = firstBox.get();
            Trace.Event free = k.events("mbox-free").stream().filter(e -> e.getLong("box") == box).findFirst().orElseThrow();
            assertEquals("freed at last close", free.get("reason"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !k.events("discard").isEmpty());
            Trace.Event discard = k.events("discard").get(0);
            assertEquals(box, discard.getLong("box"));
            assertEquals(1L, discard.getLong("msg"));
            assertEquals("freed at last close", discard.get("reason"));
            assertTrue(k.events("recv").isEmpty());
            List<Trace.Event> closes = named(k.events("mbox-close"), "f");
            assertEquals(List.of(1L, 0L), closes.subList(0, 2).stream().map(e -> e.getLong("usage")).toList());
            assertEquals(List.of("close", "close"), closes.subList(0, 2).stream().map(e -> e.get("how")).toList());
        }
    }

    @Test
    void disastrosFlowKeepBoxOutlivesItsLastCloseUntilDestroyed() {
        AtomicReference<String> readerGot = new AtomicReference<>();
        Program reader = checked.prog("reader", (sys, args) -> {
            int fd = sys.mboxOpen("dq", 0); // open only: it must exist
            readerGot.set(text(sys.mboxRecv(fd, 16)));
            sys.mboxClose(fd);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int fd = sys.mboxOpen("dq", 2, CREATE, EXCLUSIVE, KEEP);
            sys.mboxSend(fd, "one");
            sys.mboxSend(fd, "two");
            sys.mboxClose(fd);
            MboxInfo kept = info(sys, "dq");
            assertNotNull(kept, "a KEEP box outlives its last close");
            assertEquals(0, kept.usage());
            assertEquals(2, kept.queued());
            assertTrue(kept.keep());
            fails(Errno.EEXIST, () -> sys.mboxOpen("dq", 0, CREATE, EXCLUSIVE));

            assertEquals(0, sys.waitpid(sys.spawn("reader")));
            assertEquals(1, info(sys, "dq").queued());

            int again = sys.mboxOpen("dq", 0);
            fails(Errno.EBUSY, () -> sys.mboxDestroy("dq"));
            sys.mboxClose(again);
            sys.mboxDestroy("dq");
            assertNull(info(sys, "dq"));
            fails(Errno.ENOENT, () -> sys.mboxDestroy("dq"));
            fails(Errno.ENOENT, () -> sys.mboxOpen("dq", 0));
            fails(Errno.EBADF, () -> sys.mboxSend(again, bytes("x"), 0));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, reader)) {
            checked.run(k);
            assertEquals("one", readerGot.get());
            List<Trace.Event> frees = named(k.events("mbox-free"), "dq");
            assertEquals(1, frees.size(), "freed once, by destroy: " + frees);
            assertEquals("destroyed", frees.get(0).get("reason"));
            assertEquals(1, named(k.events("mbox-destroy"), "dq").size());
            await().atMost(Duration.ofSeconds(10)).until(() -> !k.events("discard").isEmpty());
            Trace.Event discard = k.events("discard").get(0);
            assertEquals(2L, discard.getLong("msg"));
            assertEquals("destroyed", discard.get("reason"));
            HistoryCheck.of(k.events()).assertConsistent().assertAccountedFor(Map.of());
        }
    }

    @Test
    void destroyFailsForAMissingOrOpenBox() {
        Program init = checked.prog("init", (sys, args) -> {
            fails(Errno.ENOENT, () -> sys.mboxDestroy("none"));
            int fd = sys.mboxOpen("open");
            fails(Errno.EBUSY, () -> sys.mboxDestroy("open"));
            sys.mboxSend(fd, "still here");
            assertEquals("still here", text(sys.mboxRecv(fd, 16)));
            sys.mboxClose(fd);
            fails(Errno.ENOENT, () -> sys.mboxDestroy("open")); // freed at its last close
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init)) {
            checked.run(k);
            assertTrue(k.events("mbox-destroy").isEmpty());
        }
    }

    @Test
    void exitReleasesEveryBoxTheProcessHolds() {
        Program child = checked.prog("child", (sys, args) -> {
            sys.mboxOpen("held");
            sys.mboxOpen("held");
            sys.mboxOpen("mine");
            return 0; // exits without closing
        });
        Program init = checked.prog("init", (sys, args) -> {
            int fd = sys.mboxOpen("held");
            long c = sys.spawn("child");
            assertEquals(0, sys.waitpid(c));
            assertEquals(1, info(sys, "held").usage());
            assertNull(info(sys, "mine"), "freed when its only holder exited");
            sys.mboxClose(fd);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, child)) {
            checked.run(k);
            List<Trace.Event> byChild = k.events("mbox-close").stream().filter(e -> e.pid() == 2).toList();
            assertEquals(3, byChild.size());
            assertTrue(byChild.stream().allMatch(e -> "exit".equals(e.get("how"))), byChild.toString());
            assertEquals(1, named(k.events("mbox-free"), "mine").size());
        }
    }

    @Test
    void usageCountDropsForEachKilledHolderAndTheLastKillFreesTheBox() {
        AtomicReference<Long> firstBox = new AtomicReference<>();
        Program holder = checked.prog("holder", (sys, args) -> {
            int fd = sys.mboxOpen("u");
            sys.mboxRecv(fd, 16); // nobody ever sends: blocks until killed
            throw new AssertionError("received from a box nobody sends to");
        });
        Program init = checked.prog("init", (sys, args) -> {
            long[] h = {sys.spawn("holder"), sys.spawn("holder"), sys.spawn("holder")};
            eventually().until(() -> info(sys, "u") != null && info(sys, "u").blockedReceivers() == 3);
            firstBox.set(info(sys, "u").id());
            assertEquals(3, info(sys, "u").usage());

            sys.kill(h[0]);
            sys.kill(h[1]);
            MboxInfo u = info(sys, "u");
            assertEquals(1, u.usage(), "two of three holders were killed");
            assertEquals(1, u.blockedReceivers());
            assertEquals(Sys.KILLED, sys.waitpid(h[0]));
            assertEquals(Sys.KILLED, sys.waitpid(h[1]));

            sys.kill(h[2]);
            assertNull(info(sys, "u"), "the last holder was killed: the box is freed");
            int fd = sys.mboxOpen("u", 0, CREATE, EXCLUSIVE);
            assertEquals(0, fd);
            assertEquals(1, info(sys, "u").usage());
            assertNotEquals(firstBox.get(), info(sys, "u").id());
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, holder)) {
            checked.run(k);
            long box = firstBox.get();
            List<Trace.Event> closes = k.events("mbox-close").stream().filter(e -> e.getLong("box") == box).toList();
            assertEquals(List.of(2L, 1L, 0L), closes.stream().map(e -> e.getLong("usage")).toList());
            assertTrue(closes.stream().allMatch(e -> "killed".equals(e.get("how"))), closes.toString());
            assertEquals(List.of(2L, 3L, 4L), closes.stream().map(Trace.Event::pid).toList());
            List<Trace.Event> frees = k.events("mbox-free").stream().filter(e -> e.getLong("box") == box).toList();
            assertEquals(1, frees.size());
            assertTrue(frees.get(0).seq() > closes.get(2).seq());
            assertEquals(3, k.events("withdraw").stream().filter(e -> e.getLong("box") == box).count(),
                    "each killed holder's receive was withdrawn");
            assertTrue(k.events("recv").isEmpty());
        }
    }

    @Test
    void aDescriptorOnlyWorksInTheProcessThatOpenedIt() {
        Program child = checked.prog("child", (sys, args) -> {
            fails(Errno.EBADF, () -> sys.mboxSend(0, bytes("x"), 0));
            fails(Errno.EBADF, () -> sys.mboxRecv(0, Recv.upTo(16).noWait()));
            fails(Errno.EBADF, () -> sys.mboxIsFull(0));
            fails(Errno.EBADF, () -> sys.mboxClose(0));
            assertEquals(0, sys.mboxOpen("other"), "descriptors are numbered per process");
            sys.mboxSend(0, "to other");
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int fd = sys.mboxOpen("p");
            assertEquals(0, fd);
            assertEquals(0, sys.waitpid(sys.spawn("child")));
            fails(Errno.EAGAIN, () -> sys.mboxRecv(fd, Recv.upTo(16).noWait()));
            assertEquals(1, info(sys, "p").usage());
            fails(Errno.EBADF, () -> sys.mboxSend(7, bytes("x")));
            fails(Errno.EBADF, () -> sys.mboxSend(-1, bytes("x")));
            sys.mboxClose(fd);
            fails(Errno.EBADF, () -> sys.mboxSend(fd, bytes("x")));
            fails(Errno.EBADF, () -> sys.mboxRecv(fd, 16));
            fails(Errno.EBADF, () -> sys.mboxClose(fd));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, child)) {
            checked.run(k);
            assertEquals(1, k.events("send").size());
            assertEquals("other", k.events("send").get(0).get("name"));
        }
    }

    // ---- send and receive -------------------------------------------------------------------

    @Test
    void teachingKernelFlowProducerAndConsumerShareABoxByName() {
        List<String> consumed = new CopyOnWriteArrayList<>();
        Program producer = checked.prog("producer", (sys, args) -> {
            int fd = sys.mboxOpen("theMbox");
            for (int i = 0; i < 10; i++) {
                sys.mboxSend(fd, "msg " + i);
            }
            sys.mboxClose(fd);
            return 0;
        });
        Program consumer = checked.prog("consumer", (sys, args) -> {
            int fd = sys.mboxOpen("theMbox");
            for (int i = 0; i < 10; i++) {
                consumed.add(text(sys.mboxRecv(fd, 16)));
            }
            sys.mboxClose(fd);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int fd = sys.mboxOpen("theMbox");
            long c = sys.spawn("consumer");
            long p = sys.spawn("producer");
            assertEquals(0, sys.waitpid(p));
            assertEquals(0, sys.waitpid(c));
            assertFalse(sys.mboxIsFull(fd));
            assertEquals(0, info(sys, "theMbox").queued());
            sys.mboxClose(fd);
            assertNull(info(sys, "theMbox"));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, producer, consumer)) {
            checked.run(k);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                expected.add("msg " + i);
            }
            assertEquals(expected, consumed);
            List<Trace.Event> opens = k.events("mbox-open");
            assertEquals(List.of(1L, 2L, 3L), opens.stream().map(e -> e.getLong("usage")).toList());
            assertEquals(List.of(true, false, false), opens.stream().map(e -> e.get("created")).toList());
            HistoryCheck.of(k.events()).assertConsistent().assertAccountedFor(Map.of());
            assertTrue(k.events("discard").isEmpty());
        }
    }

    @Test
    void receiveTruncatesToMaxAndTooLongSendsFailWithEmsgsize() {
        Program init = checked.prog("init", (sys, args) -> {
            int fd = sys.mboxOpen("t");
            sys.mboxSend(fd, "abcdefgh");
            assertEquals("abc", text(sys.mboxRecv(fd, 3)));
            fails(Errno.EAGAIN, () -> sys.mboxRecv(fd, Recv.upTo(16).noWait())); // the rest is gone
            fails(Errno.EMSGSIZE, () -> sys.mboxSend(fd, bytes("x".repeat(17))));
            sys.mboxSend(fd, bytes("y".repeat(16)));
            assertEquals(1, info(sys, "t").queued());
            Message m = sys.mboxRecv(fd, Recv.upTo(16));
            assertEquals("y".repeat(16), m.text());
            assertEquals(1, m.sender());
            sys.mboxSend(fd, bytes(""));
            assertArrayEquals(new byte[0], sys.mboxRecv(fd, 16), "an empty message is a message");
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init)) {
            checked.run(k);
            Trace.Event first = k.events("recv").get(0);
            assertEquals(3L, first.getLong("bytes"));
            assertEquals(true, first.get("truncated"));
            assertEquals(3, k.events("send").size(), "the too-long message was not sent");
        }
    }

    @Test
    void trySendTimedSendTryReceiveAndTimedReceive() {
        Program init = checked.prog("init", (sys, args) -> {
            int fd = sys.mboxOpen("q", 1, CREATE);
            fails(Errno.EAGAIN, () -> sys.mboxRecv(fd, Recv.upTo(16).noWait()));
            fails(Errno.ETIMEDOUT, () -> sys.mboxRecv(fd, Recv.upTo(16).timeout(30)));
            sys.mboxSend(fd, bytes("first"), 0);
            fails(Errno.EAGAIN, () -> sys.mboxSend(fd, bytes("second"), 0));
            fails(Errno.ETIMEDOUT, () -> sys.mboxSend(fd, bytes("third"), 30));
            MboxInfo q = info(sys, "q");
            assertEquals(1, q.queued());
            assertEquals(0, q.blockedSenders());
            assertEquals(0, q.blockedReceivers());
            assertEquals("first", sys.mboxRecv(fd, Recv.upTo(16).timeout(30)).text());
            fails(Errno.EAGAIN, () -> sys.mboxRecv(fd, Recv.upTo(16).noWait()));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init)) {
            checked.run(k);
            assertEquals(1, k.events("send").size());
            List<String> errnos = k.events("error").stream().map(e -> (String) e.get("errno")).toList();
            assertEquals(List.of("EAGAIN", "ETIMEDOUT", "EAGAIN", "ETIMEDOUT", "EAGAIN"), errnos);
        }
    }

    @Test
    void strictReceiveRefusesALongerMessageWithE2bigAndLeavesItQueued() {
        Program init = checked.prog("init", (sys, args) -> {
            int fd = sys.mboxOpen("s");
            sys.mboxSend(fd, "abcdef");
            sys.mboxSend(fd, "gh");
            fails(Errno.E2BIG, () -> sys.mboxRecv(fd, Recv.upTo(3).strict()));
            fails(Errno.E2BIG, () -> sys.mboxRecv(fd, Recv.upTo(3).strict().noWait()));
            assertEquals(2, info(sys, "s").queued());
            Message m = sys.mboxRecv(fd, Recv.upTo(6).strict());
            assertEquals("abcdef", m.text(), "the refused message is still first in line");
            assertEquals("gh", sys.mboxRecv(fd, Recv.upTo(3).strict()).text());
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init)) {
            checked.run(k);
            assertEquals(2, k.events("recv").size());
        }
    }

    @Test
    void receiveFromAPidTakesOnlyThatSendersMessages() {
        Program sender = checked.prog("sender", (sys, args) -> {
            int fd = sys.mboxOpen("ff");
            for (String a : args) {
                sys.mboxSend(fd, a);
            }
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int fd = sys.mboxOpen("ff");
            long a = sys.spawn("sender", "a1", "a2");
            assertEquals(0, sys.waitpid(a));
            long b = sys.spawn("sender", "b1");
            assertEquals(0, sys.waitpid(b));
            Message m = sys.mboxRecv(fd, Recv.upTo(16).from(b));
            assertEquals("b1", m.text());
            assertEquals(b, m.sender());
            fails(Errno.EAGAIN, () -> sys.mboxRecv(fd, Recv.upTo(16).from(b).noWait()));
            fails(Errno.ETIMEDOUT, () -> sys.mboxRecv(fd, Recv.upTo(16).from(999).timeout(20)));
            assertEquals("a1", sys.mboxRecv(fd, Recv.upTo(16).from(a)).text());
            m = sys.mboxRecv(fd, Recv.upTo(16));
            assertEquals("a2", m.text());
            assertEquals(a, m.sender());
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, sender)) {
            checked.run(k);
        }
    }

    @Test
    void aBlockedReceiverIsWokenByTheNextSend() {
        AtomicReference<Message> got = new AtomicReference<>();
        Program rx = checked.prog("rx", (sys, args) -> {
            int fd = sys.mboxOpen("w");
            got.set(sys.mboxRecv(fd, Recv.upTo(16)));
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int fd = sys.mboxOpen("w");
            long r = sys.spawn("rx");
            eventually().until(() -> info(sys, "w").blockedReceivers() == 1);
            assertEquals("blocked", Ps.row(sys, r).state());
            assertEquals("mbox_recv(w)", Ps.row(sys, r).blockedIn());
            sys.mboxSend(fd, "wake up");
            assertEquals(0, sys.waitpid(r));
            assertEquals(0, info(sys, "w").queued());
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, rx)) {
            checked.run(k);
            assertEquals("wake up", got.get().text());
            assertEquals(1, got.get().sender());
        }
    }

    @Test
    void isFullIsTrueExactlyWhenASendWouldBlock() {
        Program pusher = checked.prog("pusher", (sys, args) -> {
            int fd = sys.mboxOpen("full");
            sys.mboxSend(fd, "4"); // blocks: the box is full
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int fd = sys.mboxOpen("full", 2, CREATE);
            assertFalse(sys.mboxIsFull(fd));
            sys.mboxSend(fd, "1");
            assertFalse(sys.mboxIsFull(fd));
            sys.mboxSend(fd, "2");
            assertTrue(sys.mboxIsFull(fd));
            fails(Errno.EAGAIN, () -> sys.mboxSend(fd, bytes("x"), 0));
            assertEquals("1", text(sys.mboxRecv(fd, 16)));
            assertFalse(sys.mboxIsFull(fd));
            sys.mboxSend(fd, bytes("3"), 0); // succeeds: is_full said it would not block
            assertTrue(sys.mboxIsFull(fd));

            // a real blocked sender agrees with is_full
            long p = sys.spawn("pusher");
            eventually().until(() -> info(sys, "full").blockedSenders() == 1);
            assertTrue(sys.mboxIsFull(fd));
            assertEquals("2", text(sys.mboxRecv(fd, 16)));
            assertEquals(0, sys.waitpid(p), "one receive let the blocked sender in");
            assertTrue(sys.mboxIsFull(fd), "its message filled the box again");
            assertEquals(0, info(sys, "full").blockedSenders());
            assertEquals("3", text(sys.mboxRecv(fd, 16)));
            assertEquals("4", text(sys.mboxRecv(fd, 16)));
            assertFalse(sys.mboxIsFull(fd));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, pusher)) {
            checked.run(k);
            Trace.Event pushed = k.events("send").stream().filter(e -> e.pid() == 2).findFirst().orElseThrow();
            assertEquals(true, pushed.get("blocked"));
        }
    }

    @Test
    void theMailboxTableShowsQueuedMessagesAndWaiters() {
        Program pusher = checked.prog("pusher", (sys, args) -> {
            sys.mboxSend(sys.mboxOpen("tab"), "late");
            return 0;
        });
        Program puller = checked.prog("puller", (sys, args) -> {
            sys.mboxRecv(sys.mboxOpen("empty"), 16);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int tab = sys.mboxOpen("tab", 1, CREATE);
            int empty = sys.mboxOpen("empty", 3, CREATE, KEEP);
            sys.mboxSend(tab, "x");
            long p = sys.spawn("pusher");
            long q = sys.spawn("puller");
            eventually().until(() -> info(sys, "tab").blockedSenders() == 1 && info(sys, "empty").blockedReceivers() == 1);
            assertEquals(new MboxInfo("tab", info(sys, "tab").id(), 2, 1, 1, 1, 0, false), info(sys, "tab"));
            assertEquals(new MboxInfo("empty", info(sys, "empty").id(), 2, 0, 3, 0, 1, true), info(sys, "empty"));
            sys.mboxSend(empty, "go");
            sys.mboxRecv(tab, 16);
            assertEquals(0, sys.waitpid(p));
            assertEquals(0, sys.waitpid(q));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, pusher, puller)) {
            checked.run(k);
        }
    }

    // ---- messages addressed by pid -----------------------------------------------------------

    @Test
    void myreceiveBlocksUntilAQueuedMysendArrives() {
        AtomicReference<String> got = new AtomicReference<>();
        Program rx = checked.prog("rx", (sys, args) -> {
            byte[] buf = new byte[16];
            int n = sys.myreceive(-1, buf);
            got.set(new String(buf, 0, n, StandardCharsets.UTF_8));
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long r = sys.spawn("rx");
            eventually().until(() -> "myreceive(any)".equals(Ps.row(sys, r).blockedIn()));
            sys.mysend(r, bytes("hi there"));
            assertEquals(0, sys.waitpid(r));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, rx)) {
            checked.run(k);
            assertEquals("hi there", got.get());
            Trace.Event recv = k.events("recv").get(0);
            assertEquals(2, recv.pid());
            assertEquals(1L, recv.getLong("from"));
        }
    }

    @Test
    void myreceiveWithoutBlockingReturnsZeroWhenNothingIsQueued() {
        Program tx = checked.prog("tx", (sys, args) -> {
            sys.mysend(1, bytes(args.get(0)));
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            byte[] buf = new byte[16];
            assertEquals(0, sys.myreceive(-1, buf, false));
            long a = sys.spawn("tx", "from-a");
            assertEquals(0, sys.waitpid(a), "a queued mysend returns without a receiver");
            long b = sys.spawn("tx", "from-b");
            assertEquals(0, sys.waitpid(b));
            fails(Errno.ESRCH, () -> sys.myreceive(999, buf, false)); // no such process: it can never send
            assertEquals(6, sys.myreceive(b, buf, false));
            assertEquals("from-b", new String(buf, 0, 6, StandardCharsets.UTF_8));
            byte[] small = new byte[4];
            assertEquals(4, sys.myreceive(a, small), "truncated to the buffer");
            assertEquals("from", text(small));
            assertEquals(0, sys.myreceive(-1, buf, false), "the truncated rest is gone");
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, tx)) {
            checked.run(k);
            assertEquals(true, k.events("recv").get(1).get("truncated"));
        }
    }

    @Test
    void myreceiveGeneralFormReportsTheSender() {
        Program tx = checked.prog("tx", (sys, args) -> {
            sys.mysend(1, bytes("hello"));
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long t = sys.spawn("tx");
            Message m = sys.myreceive(Recv.upTo(16));
            assertEquals(t, m.sender());
            assertEquals("hello", m.text());
            fails(Errno.EAGAIN, () -> sys.myreceive(Recv.upTo(16).noWait()));
            fails(Errno.ETIMEDOUT, () -> sys.myreceive(Recv.upTo(16).timeout(20)));
            sys.mysend(1, bytes("to myself"));
            fails(Errno.E2BIG, () -> sys.myreceive(Recv.upTo(2).strict()));
            assertEquals("to myself", sys.myreceive(Recv.upTo(16).from(1)).text());
            assertEquals(0, sys.waitpid(t));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, tx)) {
            checked.run(k);
        }
    }

    @Test
    void rendezvousMysendReturnsOnlyAfterTheReceiverTookTheMessage() {
        AtomicReference<KernelHarness> harness = new AtomicReference<>();
        Program rv = checked.prog("rv", (sys, args) -> {
            sys.mysend(1, bytes("meet"), true);
            sys.print("returned");
            return 0;
        });
        Program queued = checked.prog("queued", (sys, args) -> {
            sys.mysend(1, bytes("drop"));
            sys.print("returned");
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long r = sys.spawn("rv");
            eventually().until(() -> harness.get().events("send").stream().anyMatch(e -> e.pid() == r));
            assertEquals("blocked", Ps.row(sys, r).state(), "queued but not taken: the rendezvous sender waits");
            assertEquals("mysend(1)", Ps.row(sys, r).blockedIn());
            byte[] buf = new byte[8];
            assertEquals(4, sys.myreceive(r, buf));
            assertEquals(0, sys.waitpid(r));

            long q = sys.spawn("queued");
            assertEquals(0, sys.waitpid(q), "a queued mysend does not wait for the receiver");
            assertEquals(4, sys.myreceive(q, buf, false));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, rv, queued)) {
            harness.set(k);
            checked.run(k);
            Trace.Event send = k.events("send").stream().filter(e -> e.pid() == 2).findFirst().orElseThrow();
            assertEquals(true, send.get("rendezvous"));
            Trace.Event recv = k.events("recv").stream().filter(e -> e.getLong("from") == 2).findFirst().orElseThrow();
            Trace.Event returned = k.events("print").stream().filter(e -> e.pid() == 2).findFirst().orElseThrow();
            assertTrue(recv.seq() < returned.seq(), "the rendezvous sender returned before its message was taken");
            Trace.Event qReturned = k.events("print").stream().filter(e -> e.pid() == 3).findFirst().orElseThrow();
            Trace.Event qRecv = k.events("recv").stream().filter(e -> e.getLong("from") == 3).findFirst().orElseThrow();
            assertTrue(qReturned.seq() < qRecv.seq());
            assertEquals(false, k.events("send").stream().filter(e -> e.pid() == 3).findFirst().orElseThrow().get("rendezvous"));
        }
    }

    @Test
    void mysendBlocksWhileTheInboxIsFull() {
        AtomicReference<KernelHarness> harness = new AtomicReference<>();
        Program flood = checked.prog("flood", (sys, args) -> {
            for (int i = 0; i < 5; i++) {
                sys.mysend(1, bytes("m" + i));
            }
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long f = sys.spawn("flood");
            eventually().until(() -> harness.get().events("send").size() == 4
                    && "mysend(1)".equals(Ps.row(sys, f).blockedIn()));
            byte[] buf = new byte[8];
            for (int i = 0; i < 5; i++) {
                int n = sys.myreceive(f, buf);
                assertEquals("m" + i, new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            assertEquals(0, sys.waitpid(f));
            assertEquals(0, sys.myreceive(-1, buf, false));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, flood)) {
            harness.set(k);
            checked.run(k);
            List<Trace.Event> sends = k.events("send");
            assertEquals(5, sends.size());
            assertEquals(List.of(false, false, false, false, true), sends.stream().map(e -> e.get("blocked")).toList(),
                    "only the fifth send, beyond kernel.max-mbox-length, waited");
        }
    }

    @Test
    void mysendErrors() {
        Program init = checked.prog("init", (sys, args) -> {
            fails(Errno.ESRCH, () -> sys.mysend(999, bytes("x")));
            fails(Errno.EINVAL, () -> sys.mysend(0, bytes("x")));
            fails(Errno.EINVAL, () -> sys.mysend(-3, bytes("x")));
            fails(Errno.EDEADLK, () -> sys.mysend(1, bytes("x"), true));
            fails(Errno.EMSGSIZE, () -> sys.mysend(1, bytes("x".repeat(17))));
            long child = sys.spawn("init-child");
            assertEquals(0, sys.waitpid(child));
            fails(Errno.ESRCH, () -> sys.mysend(child, bytes("too late")));
            byte[] buf = new byte[4];
            assertEquals(0, sys.myreceive(-1, buf, false), "no failed mysend left a message behind");
            return 0;
        });
        Program child = checked.prog("init-child", (sys, args) -> 0);
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, child)) {
            checked.run(k);
            assertTrue(k.events("send").isEmpty());
        }
    }
}
