package org.mboxos.kernel.deadlock;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mboxos.api.Errno;
import org.mboxos.api.Program;
import org.mboxos.api.SysError;
import org.mboxos.kernel.KernelHarness;
import org.mboxos.kernel.trace.Trace;

/**
 * What is not a deadlock (a process outside the set can still act), refuse mode, the whole
 * system deadlocked, and replay in lottery mode.
 */
class DeadlockModesTest {
    private static final Duration SOON = Duration.ofSeconds(10);

    private static int run(KernelHarness k) {
        return k.run("init");
    }

    @Test
    void receiversOfANamedBoxAreNotDeadlockedWhileAThirdProcessCanStillSend() {
        Program receiver = Program.of("receiver", "", (sys, args) -> sys.mboxRecv(sys.mboxOpen("b"), 8).length);
        Program sender = Program.of("sender", "", (sys, args) -> {
            int box = sys.mboxOpen("b");
            sys.sleep(200); // meanwhile both receivers are blocked, and nothing else but this sleeper is alive
            sys.mboxSend(box, new byte[] {1});
            sys.mboxSend(box, new byte[] {2});
            return 0;
        });
        Program init = Program.of("init", "", (sys, args) -> {
            long a = sys.spawn("receiver");
            long b = sys.spawn("receiver");
            long c = sys.spawn("sender");
            return sys.waitpid(a) + sys.waitpid(b) + sys.waitpid(c) - 2;
        });
        try (KernelHarness k = KernelHarness.boot(receiver, sender, init)) {
            assertEquals(0, run(k));
            assertEquals(List.of(), k.events("deadlock"));
        }
    }

    @Test
    void aWaitForASleeperOrForAReceiverOfAnyoneIsNotADeadlock() {
        Program sleeper = Program.of("sleeper", "", (sys, args) -> {
            sys.sleep(150);
            sys.mysend(Long.parseLong(args.get(0)), new byte[] {7}); // wakes a receive from anyone
            return 0;
        });
        Program init = Program.of("init", "", (sys, args) -> {
            long s = sys.spawn("sleeper", Long.toString(sys.getpid()));
            byte[] buf = new byte[4];
            sys.myreceive(-1, buf); // only the sleeper can send: not a deadlock while it sleeps
            return sys.waitpid(s) + buf[0] - 7;
        });
        try (KernelHarness k = KernelHarness.boot(sleeper, init)) {
            assertEquals(0, run(k));
            assertEquals(List.of(), k.events("deadlock"));
        }
    }

    @Test
    void refuseModeFailsTheCallThatWouldCloseTheCycleWithEdeadlk() {
        List<Errno> errors = new CopyOnWriteArrayList<>();
        Program member = Program.of("member", "", (sys, args) -> {
            long other = sys.getpid() == 2 ? 3 : 2;
            int mine = sys.lockOpen("l" + sys.getpid());
            int theirs = sys.lockOpen("l" + other);
            int both = sys.barrierOpen("both", 2);
            sys.lockAcquire(mine);
            sys.barrierWait(both);
            try {
                sys.lockAcquire(theirs);
                sys.lockRelease(theirs);
            } catch (SysError e) {
                errors.add(e.errno()); // the second to ask gives up its own lock: the first goes on
            }
            sys.lockRelease(mine);
            return 0;
        });
        Program init = Program.of("init", "", (sys, args) -> {
            sys.spawn("member");
            sys.spawn("member");
            return sys.waitpid(2) + sys.waitpid(3);
        });
        try (KernelHarness k = KernelHarness.boot(Map.of("kernel.deadlock", "refuse"), member, init)) {
            assertEquals(0, run(k));
            assertEquals(List.of(Errno.EDEADLK), errors);
            assertEquals(List.of(), k.events("deadlock"), "refused, so never formed");
            Trace.Event refused = k.events("deadlock-refused").get(0);
            assertEquals(List.of(refused.pid(), refused.pid() == 2 ? 3L : 2L, refused.pid()), refused.get("cycle"));
        }
    }

    @Test
    void refuseModeCoversWaitpidRendezvousAndReceiveToo() {
        List<String> refused = new CopyOnWriteArrayList<>();
        Program member = Program.of("member", "", (sys, args) -> {
            long other = sys.getpid() == 2 ? 3 : 2;
            sys.barrierWait(sys.barrierOpen("both-" + args.get(0), 2));
            try {
                switch (args.get(0)) {
                    case "waitpid" -> sys.waitpid(other);
                    case "rendezvous" -> sys.mysend(other, new byte[] {1}, true);
                    default -> sys.myreceive(other, new byte[1]);
                }
                return 0;
            } catch (SysError e) {
                refused.add(args.get(0) + " " + e.errno());
                switch (args.get(0)) { // let the other one through
                    case "rendezvous" -> sys.myreceive(other, new byte[1]); // takes its message
                    case "receive" -> sys.mysend(other, new byte[] {1});
                    default -> {} // its waitpid returns when this one ends
                }
                return 0;
            }
        });
        for (String kind : List.of("waitpid", "rendezvous", "receive")) {
            Program init = Program.of("init", "", (sys, args) -> {
                sys.spawn("member", kind);
                sys.spawn("member", kind);
                return sys.waitpid(2) + sys.waitpid(3);
            });
            try (KernelHarness k = KernelHarness.boot(Map.of("kernel.deadlock", "refuse"), member, init)) {
                assertEquals(0, run(k), kind);
                assertEquals(List.of(), k.events("deadlock"), kind);
            }
        }
        assertEquals(List.of("waitpid EDEADLK", "rendezvous EDEADLK", "receive EDEADLK"), refused);
    }

    @Test
    void whenEveryProcessIsDeadlockedTheMachineSaysSo() throws Exception {
        Program sem = Program.of("sem", "", (sys, args) -> {
            sys.semDown(sys.semOpen("never", 0));
            return 0;
        });
        Program init = Program.of("init", "", (sys, args) -> {
            long a = sys.spawn("sem");
            sys.spawn("sem");
            return sys.waitpid(a);
        });
        try (KernelHarness k = KernelHarness.boot(sem, init)) {
            var stuck = k.machine().deadlocked().toCompletableFuture();
            k.start("init");
            List<String> waits = stuck.get(KernelHarness.HANG.toSeconds(), TimeUnit.SECONDS);
            assertEquals(List.of("1 init: wait(2)", "2 sem: sem_down(never)", "3 sem: sem_down(never)"), waits);
            Trace.Event d = k.events("deadlock").get(0);
            assertEquals(List.of(1L, 2L, 3L), d.get("members"));
            assertEquals(true, d.get("whole_system"));
        }
    }

    @Test
    void aKeyboardWaitIsADeadlockOnlyOnceNoKeyCanCome() throws Exception {
        Program init = Program.of("init", "", (sys, args) -> sys.getChar() + sys.getChar());
        try (KernelHarness k = KernelHarness.boot(init)) {
            var stuck = k.machine().deadlocked().toCompletableFuture();
            k.machine().type(new byte[] {'x'}, Duration.ofMillis(1));
            k.machine().closeKeyboard();
            k.start("init");
            assertEquals(List.of("1 init: get_char"), stuck.get(KernelHarness.HANG.toSeconds(), TimeUnit.SECONDS));
            assertTrue(k.events("deadlock").get(0).get("waits").toString().contains("get_char"));
        }
    }

    @Test
    void aLotteryRunWithADeadlockReplaysToTheSameTrace() {
        List<String> first = lotteryTrace();
        List<String> second = lotteryTrace();
        assertTrue(first.stream().anyMatch(e -> e.contains("\"ev\":\"deadlock\"")), String.join("\n", first));
        assertEquals(first, second);
    }

    /** A ring of 3 receives forms while pid 1 sleeps (simulated time), then pid 1 kills one member. */
    private static List<String> lotteryTrace() {
        Program member = Program.of("member", "", (sys, args) -> {
            sys.barrierWait(sys.barrierOpen("all", 3));
            return sys.myreceive(2 + (sys.getpid() - 1) % 3, new byte[4]);
        });
        Program init = Program.of("init", "", (sys, args) -> {
            for (int i = 0; i < 3; i++) {
                sys.spawn("member");
            }
            sys.sleep(50);
            sys.kill(3);
            return sys.waitpid(2) + sys.waitpid(3) + sys.waitpid(4);
        });
        try (KernelHarness k = KernelHarness.boot(Map.of("kernel.scheduler", "lottery", "kernel.seed", "7"), member, init)) {
            k.run("init");
            return k.events().stream().map(Trace.Event::toJson).toList();
        }
    }
}
