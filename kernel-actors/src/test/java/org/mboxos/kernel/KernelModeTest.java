package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mboxos.api.Sys.Open.CREATE;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mboxos.api.Errno;
import org.mboxos.api.Program;
import org.mboxos.api.SysError;
import org.mboxos.kernel.dev.Console;
import org.mboxos.kernel.sched.KernelMode;
import org.mboxos.kernel.trace.Trace;

/**
 * System calls in kernel mode ({@code kernel.dispatcher = kernel-mode}): the kernel actors'
 * turns of a call run on the calling program's own thread, so the call completes with no
 * thread switch.
 *
 * <p>What is observed: a trace sink is called synchronously by the actor turn that emits the
 * event, on the thread that runs that turn. The box traces {@code send} and {@code recv} in its
 * own turn; the PCB traces a failed call ({@code error}) in the turn in which it completes the
 * call, which, for a call the box refused, is the PCB's turn on the box's reply. So when those
 * events are emitted on the program's thread, every turn of the call ran there, the result
 * was handed over before the program's tell returned, and {@code Trap} returned it without
 * parking (it checks for the result before it parks). Whether a thread parked is not itself
 * observable (LockSupport keeps no count), and the result is not observable separately from
 * the turn that produced it, so this is the test's proxy for "no park": the PCB's completing
 * turn ran on the caller, nested where it must be ({@link KernelMode#depth()}: 1 for the PCB,
 * 2 for the box the PCB passed the call to).
 *
 * <p>No timing: an actor busy on another thread is left to that thread, so the first calls
 * after boot may be served elsewhere (the box's or the PCB's previous turn can still be ending
 * on its own thread). Once one call has been served wholly on the caller, its actors' runs ended
 * inside that call, and with no other traffic every later call finds them idle: from then on
 * every call must be served inline.
 */
class KernelModeTest {
    private static final int SETTLE = 200;
    private static final int CALLS = 20;

    /** A trace event, the thread its turn ran on, and how deep in kernel mode that was. */
    private record Seen(String ev, String call, Thread thread, int depth) {}

    /** Records, for every event, the thread that emitted it. */
    private static final class Threads implements Trace.Sink {
        final List<Seen> seen = new CopyOnWriteArrayList<>();

        @Override
        public void write(Trace.Event e) {
            seen.add(new Seen(e.ev(), String.valueOf(e.get("call")), Thread.currentThread(), KernelMode.depth()));
        }

        Seen last() {
            return seen.get(seen.size() - 1);
        }
    }

    /** One call of the program: what it emitted (its last event) and on which thread the program ran. */
    private record Call(String what, Seen event, Thread caller) {}

    /**
     * The program: opens a box, then repeats a send, a receive and an oversized send (refused by
     * the box with EMSGSIZE) and records, for each, the last event traced during the call.
     */
    private static List<Call> run(Map<String, Object> settings) throws Exception {
        Threads threads = new Threads();
        List<Call> calls = new CopyOnWriteArrayList<>();
        Program init = Program.of("init", "", (sys, args) -> {
            int fd = sys.mboxOpen("k", 4, CREATE);
            Thread me = Thread.currentThread();
            for (int i = 0; i < SETTLE + CALLS; i++) {
                sys.mboxSend(fd, new byte[] {(byte) i});
                calls.add(new Call("send", threads.last(), me));
                assertArrayEquals(new byte[] {(byte) i}, sys.mboxRecv(fd, 8));
                calls.add(new Call("recv", threads.last(), me));
                try {
                    sys.mboxSend(fd, new byte[2048]);
                    throw new AssertionError("a 2 KB message went into a box of 1 KB messages");
                } catch (SysError e) {
                    assertEquals(Errno.EMSGSIZE, e.errno());
                }
                calls.add(new Call("error", threads.last(), me));
            }
            return 0;
        });
        var config = ConfigFactory.parseMap(Map.of("kernel.max-message-length", 1024)).withFallback(
                ConfigFactory.parseMap(settings)).withFallback(ConfigFactory.load());
        try (Machine m = Machine.boot(config, Ramdisk.empty().with(init), Console.Screen.lines(s -> {}), threads)) {
            int status = m.run("init", List.of()).toCompletableFuture()
                    .get(KernelHarness.HANG.toSeconds(), TimeUnit.SECONDS);
            assertEquals(0, status);
        }
        return calls;
    }

    @Test
    void aSystemCallsTurnsRunOnTheCallersThreadOnceItsActorsAreIdle() throws Exception {
        List<Call> calls = run(Map.of("kernel.dispatcher", "kernel-mode"));
        int first = -1;
        for (int i = 0; i < calls.size() && first < 0; i++) {
            if (calls.get(i).event().thread() == calls.get(i).caller()) {
                first = i;
            }
        }
        assertTrue(first >= 0 && first < 3 * SETTLE, "no call was served on the caller's thread: " + calls.get(0));
        for (Call c : calls.subList(first, calls.size())) {
            assertEquals(c.what(), c.event().ev(), "the call's last event");
            assertTrue(c.event().thread() == c.caller(), c.what() + " was traced on " + c.event().thread()
                    + ", not on the caller " + c.caller());
            if (c.what().equals("error")) {
                assertEquals("mbox_send", c.event().call());
                assertEquals(1, c.event().depth(), "the PCB's turn on the box's reply, right under the trap");
            } else {
                assertEquals(2, c.event().depth(), "the box's turn, inside the PCB's");
            }
        }
    }

    @Test
    void withVirtualThreadsEveryTurnRunsElsewhere() throws Exception {
        for (Call c : run(Map.of("kernel.dispatcher", "virtual-threads"))) {
            assertTrue(c.event().thread() != c.caller(), c.what() + " was traced on the caller's thread");
            assertEquals(0, c.event().depth());
        }
    }

    @Test
    void lotteryModeKeepsItsKernelCpu() throws Exception {
        for (Call c : run(Map.of("kernel.dispatcher", "kernel-mode", "kernel.scheduler", "lottery", "kernel.seed", "7"))) {
            assertTrue(c.event().thread() != c.caller(), c.what() + " was traced on the caller's thread");
            assertEquals(0, c.event().depth());
        }
    }
}
