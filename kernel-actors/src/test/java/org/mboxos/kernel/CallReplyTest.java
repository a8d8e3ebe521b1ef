package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mboxos.api.Errno;
import org.mboxos.api.Message;
import org.mboxos.api.Program;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;
import org.mboxos.kernel.trace.HistoryCheck;

/** call/reply in one system call (QNX MsgSend/MsgReply): and what kill does on either side. */
class CallReplyTest {
    private final CheckedPrograms checked = new CheckedPrograms();

    private static Errno errnoOf(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(SysError.class, call).errno();
    }

    private static String text(byte[] buf, int n) {
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    /** Answers args[0] calls with the request upper-cased. */
    private final Program upper = checked.prog("upper", (sys, args) -> {
        for (int i = 0; i < Integer.parseInt(args.get(0)); i++) {
            Message m = sys.myreceive(Recv.upTo(64));
            sys.reply(m.sender(), m.text().toUpperCase().getBytes(StandardCharsets.UTF_8));
        }
        return 0;
    });

    @Test
    void aCallReturnsTheServersAnswer() {
        Program init = checked.prog("init", (sys, args) -> {
            long server = sys.spawn("upper", "3");
            byte[] buf = new byte[16];
            assertEquals("HELLO", text(buf, sys.call(server, "hello".getBytes(), buf)));
            assertEquals("AGAIN", text(buf, sys.call(server, "again".getBytes(), buf)));
            byte[] small = new byte[2];
            assertEquals("TR", text(small, sys.call(server, "truncated".getBytes(), small)));
            assertEquals(0, sys.waitpid(server));
            assertEquals(Errno.ESRCH, errnoOf(() -> sys.call(server, "x".getBytes(), buf)), "the server has ended");
            assertEquals(Errno.ESRCH, errnoOf(() -> sys.call(4242, "x".getBytes(), buf)));
            assertEquals(Errno.EDEADLK, errnoOf(() -> sys.call(sys.getpid(), "x".getBytes(), buf)));
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.call(server, "x".getBytes(), null)));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, upper)) {
            checked.run(k);
            HistoryCheck.of(k.events()).assertConsistent();
        }
    }

    @Test
    void aReplyToSomeoneWhoIsNotCallingIsRefused() {
        Program plain = checked.prog("plain", (sys, args) -> {
            sys.mysend(1, "not a call".getBytes());
            sys.sleep(600_000);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long p = sys.spawn("plain");
            Message m = sys.myreceive(Recv.upTo(64));
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.reply(m.sender(), "x".getBytes())));
            assertEquals(Errno.ESRCH, errnoOf(() -> sys.reply(4242, "x".getBytes())));
            assertEquals(Errno.EINVAL, errnoOf(() -> sys.reply(sys.getpid(), "x".getBytes())));
            sys.kill(p);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, plain)) {
            checked.run(k);
        }
    }

    @Test
    void theServerDyingFailsItsCallersAtOnceWhetherTheRequestWasTakenOrNot() {
        Program takes = checked.prog("takes", (sys, args) -> {
            sys.myreceive(Recv.upTo(64)); // takes one request and never answers
            sys.sleep(600_000);
            return 0;
        });
        AtomicReference<Errno> first = new AtomicReference<>();
        AtomicReference<Errno> second = new AtomicReference<>();
        Program caller = checked.prog("caller", (sys, args) -> {
            AtomicReference<Errno> into = args.get(1).equals("1") ? first : second;
            into.set(errnoOf(() -> sys.call(Long.parseLong(args.get(0)), "req".getBytes(), new byte[8])));
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long server = sys.spawn("takes");
            long c1 = sys.spawn("caller", Long.toString(server), "1");
            Ps.awaitBlockedIn(sys, server, "sleep(600000 ms)"); // it took c1's request
            long c2 = sys.spawn("caller", Long.toString(server), "2");
            Ps.awaitBlockedIn(sys, c2, "call(" + server + ")");
            sys.kill(server);
            assertEquals(0, sys.waitpid(c1));
            assertEquals(0, sys.waitpid(c2));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, takes, caller)) {
            checked.run(k);
            assertEquals(Errno.ESRCH, first.get(), "a caller whose request was taken");
            assertEquals(Errno.ESRCH, second.get(), "a caller whose request was still queued");
        }
    }

    @Test
    void aKilledCallersRequestIsTakenBackOrItsAnswerFailsCleanly() {
        AtomicReference<Errno> replyGot = new AtomicReference<>();
        Program server = checked.prog("server", (sys, args) -> {
            Message m = sys.myreceive(Recv.upTo(64));
            sys.mysend(1, "took".getBytes());
            sys.myreceive(1, new byte[8]); // until init has killed the caller
            replyGot.set(errnoOf(() -> sys.reply(m.sender(), "late".getBytes())));
            return 0;
        });
        Program caller = checked.prog("caller", (sys, args) -> {
            sys.call(Long.parseLong(args.get(0)), "req".getBytes(), new byte[8]);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long s = sys.spawn("server");
            long c = sys.spawn("caller", Long.toString(s));
            assertEquals("took", sys.myreceive(Recv.upTo(8).from(s)).text());
            Ps.awaitBlockedIn(sys, c, "call(" + s + ")");
            sys.kill(c);
            sys.mysend(s, "go".getBytes());
            assertEquals(0, sys.waitpid(s));
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, server, caller)) {
            checked.run(k);
            assertEquals(Errno.ESRCH, replyGot.get());
        }
    }

    @Test
    void aCallerKilledBeforeItsRequestIsTakenTakesItBack() {
        Program caller = checked.prog("caller", (sys, args) -> {
            sys.call(1, "req".getBytes(), new byte[8]);
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            long c = sys.spawn("caller");
            sys.select(new int[] {Sys.INBOX}, Sys.FOREVER); // the request is queued, not taken
            sys.kill(c);
            assertEquals(0, sys.myreceive(-1, new byte[8], false), "the request was taken back");
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, caller)) {
            checked.run(k);
            assertEquals("sender killed before the rendezvous", k.events("discard").get(0).get("reason"));
        }
    }

    /**
     * Clients call a server while init kills clients and, now and then, the server (and starts a
     * new one): every call returns the right answer or fails with ESRCH, every answer reaches
     * its caller or fails with ESRCH, and the history checks.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5})
    void randomKillsOfCallersAndServersLoseNoAnswer(long seed) {
        java.util.List<String> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
        Program echo = checked.prog("echo", (sys, args) -> {
            while (true) {
                Message m = sys.myreceive(Recv.upTo(64));
                try {
                    sys.reply(m.sender(), m.data());
                } catch (SysError e) {
                    if (e.errno() != Errno.ESRCH) {
                        wrong.add("reply: " + e);
                    }
                }
            }
        });
        Program client = checked.prog("client", (sys, args) -> {
            byte[] buf = new byte[64];
            for (int i = 0; ; i++) {
                long server = Long.parseLong(new String(sys.mboxRecv(sys.mboxOpen("server"), Recv.upTo(20).timeout(Sys.FOREVER)).data()));
                String req = sys.getpid() + ":" + i;
                try {
                    int n = sys.call(server, req.getBytes(), buf);
                    if (!text(buf, n).equals(req)) {
                        wrong.add("answer " + text(buf, n) + " to " + req);
                    }
                } catch (SysError e) {
                    if (e.errno() != Errno.ESRCH) {
                        wrong.add("call: " + e);
                    }
                }
            }
        });
        Program init = checked.prog("init", (sys, args) -> {
            var random = new java.util.SplittableRandom(seed);
            int box = sys.mboxOpen("server", 64, Sys.Open.CREATE);
            long server = sys.spawn("echo");
            java.util.List<Long> clients = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                clients.add(sys.spawn("client"));
            }
            for (int round = 0; round < 60; round++) {
                while (!sys.mboxIsFull(box)) {
                    sys.mboxSend(box, Long.toString(server));
                }
                sys.sleep(random.nextInt(3));
                int pick = random.nextInt(6);
                if (pick == 5) {
                    sys.kill(server);
                    server = sys.spawn("echo");
                } else if (pick < clients.size()) {
                    sys.kill(clients.get(pick));
                    clients.set(pick, sys.spawn("client"));
                }
                while (sys.mboxIsFull(box) && sys.mboxRecv(box, Recv.upTo(20).noWait()) != null) {
                    // drain stale server pids so clients learn the new one
                }
            }
            for (long c : clients) {
                sys.kill(c);
            }
            sys.kill(server);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(java.util.Map.of("kernel.seed", seed), init, echo, client)) {
            checked.run(k);
            assertEquals(java.util.List.of(), wrong);
            HistoryCheck.of(k.events()).assertConsistent();
            org.junit.jupiter.api.Assertions.assertTrue(k.events("answer").size() > 10, "calls were answered");
        }
    }
}
