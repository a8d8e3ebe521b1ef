package org.mboxos.kernel;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mboxos.api.Sys.Open.CREATE;
import static org.mboxos.kernel.CheckedPrograms.eventually;
import static org.mboxos.kernel.CheckedPrograms.info;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mboxos.api.Errno;
import org.mboxos.api.MboxInfo;
import org.mboxos.api.Program;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;
import org.mboxos.kernel.trace.HistoryCheck;
import org.mboxos.kernel.trace.Trace;

/**
 * Killing a process that waits in a mailbox: what it was sending never arrives, what it was
 * receiving goes to the next live receiver, and the box's counts forget it. Every victim is
 * killed only once the mailbox table (or the trace) shows it waiting.
 */
class MailboxKillTest {
    private static final Map<String, Object> LIMITS = Map.of("kernel.max-mbox-length", 2);

    private final CheckedPrograms checked = new CheckedPrograms();

    // ---- helpers --------------------------------------------------------------------------

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Receives until the box is empty; returns the texts in the order received. */
    private static List<String> drain(Sys sys, int fd) {
        List<String> got = new ArrayList<>();
        while (true) {
            try {
                got.add(sys.mboxRecv(fd, Recv.upTo(64).noWait()).text());
            } catch (SysError e) {
                assertEquals(Errno.EAGAIN, e.errno(), e.getMessage());
                return got;
            }
        }
    }

    private static Trace.Event killOf(KernelHarness k, long pid) {
        return k.events("kill").stream().filter(e -> e.pid() == pid).findFirst().orElseThrow();
    }

    // ---- blocked in send ----------------------------------------------------------------------

    @Test
    void aSenderKilledWhileBlockedOnAFullBoxNeverDeliversItsMessage() {
        Program victim = checked.prog("victim", (sys, args) -> {
            int fd = sys.mboxOpen("k");
            sys.mboxSend(fd, "from-victim"); // blocks: the box is full
            sys.print("victim sent");
            return 0;
        });
        Program survivor = checked.prog("survivor", (sys, args) -> {
            int fd = sys.mboxOpen("k");
            sys.mboxSend(fd, "from-survivor");
            return 0;
        });
        AtomicReference<List<String>> received = new AtomicReference<>();
        Program init = checked.prog("init", (sys, args) -> {
            int fd = sys.mboxOpen("k", 1, CREATE);
            sys.mboxSend(fd, "first");
            long v = sys.spawn("victim");
            eventually().until(() -> info(sys, "k").blockedSenders() == 1);
            long s = sys.spawn("survivor"); // waits behind the victim
            eventually().until(() -> info(sys, "k").blockedSenders() == 2);

            sys.kill(v);
            MboxInfo k = info(sys, "k");
            assertEquals(1, k.blockedSenders(), "the killed sender no longer waits");
            assertEquals(1, k.queued());
            assertEquals(2, k.usage(), "the victim's descriptor was released");
            assertEquals(Sys.KILLED, sys.waitpid(v));

            List<String> got = new ArrayList<>();
            got.add(sys.mboxRecv(fd, Recv.upTo(64)).text()); // makes room: the survivor, not the victim, gets in
            assertEquals(0, sys.waitpid(s));
            got.addAll(drain(sys, fd));
            received.set(got);
            assertEquals(0, info(sys, "k").blockedSenders());
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, victim, survivor)) {
            checked.run(k);
            assertEquals(List.of("first", "from-survivor"), received.get());
            long v = 2;
            Trace.Event kill = killOf(k, v);
            assertEquals("mbox_send(k)", kill.get("blocked_in"));
            assertTrue(k.events("send").stream().noneMatch(e -> e.pid() == v), "the victim's message entered the box");
            assertTrue(k.events().stream().noneMatch(e -> e.pid() == v && e.seq() > kill.seq()
                    && (e.ev().equals("send") || e.ev().equals("print"))));
            Trace.Event withdraw = k.events("withdraw").stream().filter(e -> e.pid() == v).findFirst().orElseThrow();
            assertEquals("send", withdraw.get("call"));
            assertTrue(withdraw.seq() > kill.seq());
            Trace.Event exit = k.events("exit").stream().filter(e -> e.pid() == v).findFirst().orElseThrow();
            assertEquals("killed", exit.get("how"));
            assertEquals((long) Sys.KILLED, exit.getLong("status"));
            HistoryCheck.of(k.events()).assertConsistent().assertAccountedFor(Map.of());
        }
    }

    @Test
    void aSenderKilledWhileWaitingWithATimeoutNeitherDeliversNorTimesOut() {
        Program victim = checked.prog("victim", (sys, args) -> {
            int fd = sys.mboxOpen("k");
            try {
                sys.mboxSend(fd, bytes("late"), 200);
            } catch (SysError e) {
                sys.print("victim got " + e.errno());
            }
            return 0;
        });
        AtomicReference<List<String>> received = new AtomicReference<>();
        Program init = checked.prog("init", (sys, args) -> {
            int fd = sys.mboxOpen("k", 1, CREATE);
            sys.mboxSend(fd, "first");
            long v = sys.spawn("victim");
            eventually().until(() -> info(sys, "k").blockedSenders() == 1);
            sys.kill(v);
            assertEquals(Sys.KILLED, sys.waitpid(v));
            // outlive the victim's timeout, then look: nothing of it arrived
            assertThrows(SysError.class, () -> sys.mboxRecv(fd, Recv.upTo(64).from(v).timeout(300)));
            received.set(drain(sys, fd));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, victim)) {
            checked.run(k);
            assertEquals(List.of("first"), received.get());
            assertTrue(k.events("print").isEmpty(), "the killed victim ran on: " + k.events("print"));
            assertTrue(k.events("error").stream().noneMatch(e -> e.pid() == 2), "the victim's call failed after its kill");
        }
    }

    /** "rx": opens box "e", receives one message and records it under its pid. */
    private Program receiverOfE(Map<Long, String> got) {
        return checked.prog("rx", (sys, args) -> {
            int fd = sys.mboxOpen("e");
            got.put(sys.getpid(), sys.mboxRecv(fd, Recv.upTo(64)).text());
            return 0;
        });
    }

    // ---- blocked in receive -------------------------------------------------------------------

    @Test
    void aReceiverKilledWhileBlockedOnAnEmptyBoxLeavesTheNextMessageToTheNextReceiver() {
        Map<Long, String> got = new ConcurrentHashMap<>();
        Program rx = receiverOfE(got);
        Program init = checked.prog("init", (sys, args) -> {
            int fd = sys.mboxOpen("e");
            long r1 = sys.spawn("rx");
            eventually().until(() -> info(sys, "e").blockedReceivers() == 1);
            long r2 = sys.spawn("rx");
            eventually().until(() -> info(sys, "e").blockedReceivers() == 2);

            sys.kill(r1); // first in line
            assertEquals(1, info(sys, "e").blockedReceivers());
            assertEquals(2, info(sys, "e").usage());
            sys.mboxSend(fd, "m");
            assertEquals(0, sys.waitpid(r2));
            assertEquals(Sys.KILLED, sys.waitpid(r1));
            assertEquals(List.of(), drain(sys, fd), "the message was taken by r2, not left behind");
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, rx)) {
            checked.run(k);
            assertEquals(Map.of(3L, "m"), got);
            List<Trace.Event> recvs = k.events("recv");
            assertEquals(1, recvs.size());
            assertEquals(3, recvs.get(0).pid());
            Trace.Event withdraw = k.events("withdraw").get(0);
            assertEquals(2, withdraw.pid());
            assertEquals("recv", withdraw.get("call"));
            assertEquals("mbox_recv(e)", killOf(k, 2).get("blocked_in"));
            HistoryCheck.of(k.events()).assertConsistent().assertAccountedFor(Map.of());
        }
    }

    @Test
    void aMessageSentAfterTheOnlyReceiverWasKilledStaysQueuedForTheNextOne() {
        Map<Long, String> got = new ConcurrentHashMap<>();
        Program rx = receiverOfE(got);
        Program init = checked.prog("init", (sys, args) -> {
            int fd = sys.mboxOpen("e");
            long r1 = sys.spawn("rx");
            eventually().until(() -> info(sys, "e").blockedReceivers() == 1);
            sys.kill(r1);
            sys.mboxSend(fd, "kept");
            MboxInfo e = info(sys, "e");
            assertEquals(1, e.queued(), "not consumed by the killed receiver");
            assertEquals(0, e.blockedReceivers());
            long r2 = sys.spawn("rx");
            assertEquals(0, sys.waitpid(r2));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, rx)) {
            checked.run(k);
            assertEquals(Map.of(3L, "kept"), got);
            assertTrue(k.events("recv").stream().noneMatch(e -> e.pid() == 2));
            HistoryCheck.of(k.events()).assertConsistent().assertAccountedFor(Map.of());
        }
    }

    @Test
    void aReceiverKilledWhileBlockedInMyreceiveLosesNothingForOthers() {
        Program rx = checked.prog("rx", (sys, args) -> {
            sys.myreceive(-1, new byte[8]);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long r = sys.spawn("rx");
            eventually().until(() -> "myreceive(any)".equals(
                    sys.ps().stream().filter(p -> p.pid() == r).findFirst().orElseThrow().blockedIn()));
            sys.kill(r);
            assertEquals(Sys.KILLED, sys.waitpid(r));
            SysError e = assertThrows(SysError.class, () -> sys.mysend(r, bytes("x")));
            assertEquals(Errno.ESRCH, e.errno());
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, rx)) {
            checked.run(k);
            assertTrue(k.events("recv").isEmpty());
            Trace.Event free = k.events("mbox-free").stream()
                    .filter(e -> "inbox:2".equals(e.get("name"))).findFirst().orElseThrow();
            assertEquals("owner killed", free.get("reason"));
        }
    }

    // ---- rendezvous ---------------------------------------------------------------------------

    @Test
    void killingARendezvousSenderEndsItAndLeavesTheReceiverWorking() {
        AtomicReference<KernelHarness> harness = new AtomicReference<>();
        Program rv = checked.prog("rv", (sys, args) -> {
            sys.mysend(1, bytes(args.get(0)), true);
            sys.print("returned " + args.get(0));
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long v = sys.spawn("rv", "victim");
            eventually().until(() -> harness.get().events("send").stream().anyMatch(e -> e.pid() == v));
            sys.kill(v);
            assertEquals(Sys.KILLED, sys.waitpid(v));

            long w = sys.spawn("rv", "other");
            byte[] buf = new byte[16];
            int n = sys.myreceive(w, buf);
            assertEquals("other", new String(buf, 0, n, StandardCharsets.UTF_8));
            assertEquals(0, sys.waitpid(w));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, rv)) {
            harness.set(k);
            checked.run(k);
            assertEquals(List.of("returned other"), k.events("print").stream().map(e -> (String) e.get("text")).toList());
            Trace.Event kill = killOf(k, 2);
            assertEquals("mysend(1)", kill.get("blocked_in"));
            assertEquals("killed", k.events("exit").stream().filter(e -> e.pid() == 2).findFirst().orElseThrow().get("how"));
        }
    }

    @Test
    void aKilledRendezvousSendersQueuedMessageIsTakenBack() {
        AtomicReference<KernelHarness> harness = new AtomicReference<>();
        Program rv = checked.prog("rv", (sys, args) -> {
            sys.mysend(1, bytes("victim"), true);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long v = sys.spawn("rv");
            eventually().until(() -> harness.get().events("send").stream().anyMatch(e -> e.pid() == v));
            sys.kill(v);
            byte[] buf = new byte[16];
            assertEquals(0, sys.myreceive(-1, buf, false),
                    "received '" + new String(buf, StandardCharsets.UTF_8).trim() + "' from a killed rendezvous sender");
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, rv)) {
            harness.set(k);
            checked.run(k);
            await().atMost(Duration.ofSeconds(10)).until(() -> !k.events("discard").isEmpty());
            assertEquals(2, k.events("discard").get(0).pid());
            HistoryCheck.of(k.events()).assertConsistent();
        }
    }

    @Test
    void aRendezvousSenderKilledWhileTheInboxIsFullNeverEnqueues() {
        Program filler = checked.prog("filler", (sys, args) -> {
            sys.mysend(1, bytes("f1"));
            sys.mysend(1, bytes("f2"));
            return 0;
        });
        Program rv = checked.prog("rv", (sys, args) -> {
            sys.mysend(1, bytes("victim"), true);
            return 0;
        });
        AtomicReference<List<String>> received = new AtomicReference<>();
        Program init = checked.prog("init", (sys, args) -> {
            assertEquals(0, sys.waitpid(sys.spawn("filler"))); // inbox full: kernel.max-mbox-length = 2
            long v = sys.spawn("rv");
            eventually().until(() -> "mysend(1)".equals(
                    sys.ps().stream().filter(p -> p.pid() == v).findFirst().orElseThrow().blockedIn()));
            sys.kill(v);
            List<String> got = new ArrayList<>();
            byte[] buf = new byte[16];
            int n;
            while ((n = sys.myreceive(-1, buf, false)) > 0) {
                got.add(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            received.set(got);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, filler, rv)) {
            checked.run(k);
            assertEquals(List.of("f1", "f2"), received.get());
            long v = 3;
            assertTrue(k.events("send").stream().noneMatch(e -> e.pid() == v));
            Trace.Event withdraw = k.events("withdraw").stream().filter(e -> e.pid() == v).findFirst().orElseThrow();
            assertEquals("send", withdraw.get("call"));
            assertTrue(((String) withdraw.get("name")).startsWith("inbox:"));
            HistoryCheck.of(k.events()).assertConsistent();
        }
    }

    @Test
    void killingTheReceiverFailsItsRendezvousSendersWithEsrch() {
        AtomicReference<KernelHarness> harness = new AtomicReference<>();
        AtomicReference<Errno> senderGot = new AtomicReference<>();
        Program rx = checked.prog("rx", (sys, args) -> {
            sys.myreceive(1, new byte[8]); // waits for its parent, which never sends
            return 0;
        });
        Program rv = checked.prog("rv", (sys, args) -> {
            try {
                sys.mysend(Long.parseLong(args.get(0)), bytes("hello"), true);
            } catch (SysError e) {
                senderGot.set(e.errno());
            }
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long r = sys.spawn("rx");
            long s = sys.spawn("rv", Long.toString(r));
            eventually().until(() -> harness.get().events("send").stream().anyMatch(e -> e.pid() == s));
            sys.kill(r);
            assertEquals(0, sys.waitpid(s), "the sender returned once its receiver was gone");
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(LIMITS, init, rx, rv)) {
            harness.set(k);
            checked.run(k);
            assertEquals(Errno.ESRCH, senderGot.get());
            await().atMost(Duration.ofSeconds(10)).until(() -> !k.events("discard").isEmpty());
            Trace.Event discard = k.events("discard").get(0);
            assertEquals(3, discard.pid());
            assertEquals("owner killed", discard.get("reason"));
            assertNotNull(k.events("withdraw").stream().filter(e -> e.pid() == 2).findFirst().orElse(null));
            HistoryCheck.of(k.events()).assertConsistent().assertAccountedFor(Map.of());
        }
    }
}
