package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mboxos.api.Errno;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.kernel.dev.Clock;
import org.mboxos.kernel.dev.KernelClock;
import org.mboxos.kernel.ipc.Mailbox;
import org.mboxos.kernel.ipc.Owner;
import org.mboxos.kernel.ipc.Shape;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.sync.Lock;
import org.mboxos.kernel.sync.SyncObject;
import org.mboxos.kernel.trace.Trace;

/**
 * Fault containment ({@link Contained}): a kernel actor that throws fails its waiters with EIO,
 * traces {@code kernel-fault}, answers every later request with EIO (and the kernel's protocol
 * messages as before), and the rest keeps working. Faults are injected with messages the PCB
 * never sends (a null message body, a null reply address): the kernel checks its users'
 * arguments before they reach these actors, so only a kernel bug can make them throw.
 */
class FaultContainmentTest {
    private static final Duration REPLY = Duration.ofSeconds(5);

    private static ActorTestKit testKit;

    private final Trace.Recorder recorder = new Trace.Recorder();
    private final Trace trace = new Trace(System::nanoTime);

    @BeforeAll
    static void startTestKit() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stopTestKit() {
        testKit.shutdownTestKit();
    }

    FaultContainmentTest() {
        trace.attach(recorder);
    }

    private ActorRef<Mailbox.Command> box(long id, ActorRef<Clock.Command> clock) {
        return testKit.spawn(Mailbox.create(id, "b" + id, Owner.NAMED, new Shape(1, 16, 1), 16, clock, trace, null),
                "box-" + id);
    }

    private static TestProbe<Syscall.Result> probe() {
        return testKit.createTestProbe(Syscall.Result.class);
    }

    private static Mailbox.Receive receive(long pid, TestProbe<Syscall.Result> p) {
        return new Mailbox.Receive(pid, "p" + pid, Recv.upTo(16), Mailbox.IfNone.WAIT, p.ref());
    }

    private static Mailbox.Send send(long pid, String text, TestProbe<Syscall.Result> p) {
        return new Mailbox.Send(pid, "p" + pid, text == null ? null : text.getBytes(StandardCharsets.UTF_8), false,
                Sys.FOREVER, p.ref());
    }

    private static void expectEio(TestProbe<Syscall.Result> p) {
        Syscall.Result.Failed f = assertInstanceOf(Syscall.Result.Failed.class, p.expectMessageClass(Syscall.Result.class, REPLY));
        assertEquals(Errno.EIO, f.errno(), f.message());
    }

    private Trace.Event onlyFault() {
        List<Trace.Event> faults = recorder.events("kernel-fault");
        assertEquals(1, faults.size(), faults.toString());
        return faults.get(0);
    }

    @Test
    void aFailedBoxFailsItsWaitersWithEioTracesTheFaultAndKeepsAnswering() {
        ActorRef<Clock.Command> clock = testKit.spawn(Clock.create(trace, new KernelClock(false)));
        ActorRef<Mailbox.Command> failing = box(7, clock);
        ActorRef<Mailbox.Command> bystander = box(8, clock);
        TestProbe<Syscall.Result> waiter = probe();
        failing.tell(receive(2, waiter));
        TestProbe<Mailbox.Stats> stats = testKit.createTestProbe(Mailbox.Stats.class);
        failing.tell(new Mailbox.Stat(stats.ref()));
        assertEquals(1, stats.expectMessageClass(Mailbox.Stats.class, REPLY).blockedReceivers(), "the receiver waits");

        failing.tell(send(3, null, probe())); // the fault: a null body throws inside the box

        expectEio(waiter);
        Trace.Event fault = onlyFault();
        assertTrue(String.valueOf(fault.get("actor")).endsWith("/box-7"), fault.toJson());
        assertTrue(String.valueOf(fault.get("error")).contains("NullPointerException"), fault.toJson());
        assertEquals(false, fault.get("stopped"));

        TestProbe<Syscall.Result> later = probe();
        failing.tell(send(4, "hello", later));
        expectEio(later);
        failing.tell(receive(4, later));
        expectEio(later);
        TestProbe<Mailbox.Withdrawn> withdrawn = testKit.createTestProbe(Mailbox.Withdrawn.class);
        failing.tell(new Mailbox.Withdraw(4, withdrawn.ref()));
        assertEquals(new Mailbox.Withdrawn(4), withdrawn.expectMessageClass(Mailbox.Withdrawn.class, REPLY));

        TestProbe<Syscall.Result> sender = probe();
        TestProbe<Syscall.Result> receiver = probe();
        bystander.tell(send(5, "still", sender));
        bystander.tell(receive(6, receiver));
        assertEquals(Syscall.Result.OK, sender.expectMessageClass(Syscall.Result.class, REPLY));
        assertInstanceOf(Syscall.Result.Received.class, receiver.expectMessageClass(Syscall.Result.class, REPLY));
    }

    @Test
    void aFailedLockFailsItsQueueWithEioAndStillLetsGoOfEndedProcesses() {
        ActorRef<Lock.Command> lock = testKit.spawn(Lock.create(11, "l", trace, null), "lock-11");
        ActorRef<Lock.Command> bystander = testKit.spawn(Lock.create(12, "m", trace, null), "lock-12");
        TestProbe<Syscall.Result> owner = probe();
        TestProbe<Syscall.Result> queued = probe();
        lock.tell(new Lock.Acquire(1, "p1", owner.ref()));
        assertEquals(new Syscall.Result.Value(0), owner.expectMessageClass(Syscall.Result.class, REPLY));
        lock.tell(new Lock.Acquire(2, "p2", queued.ref()));

        lock.tell(new Lock.Release(3, "p3", null)); // the fault: nobody to tell that p3 is not the owner

        expectEio(queued);
        assertTrue(String.valueOf(onlyFault().get("actor")).endsWith("/lock-11"));
        TestProbe<Syscall.Result> later = probe();
        lock.tell(new Lock.Acquire(4, "p4", later.ref()));
        expectEio(later);
        TestProbe<SyncObject.Gone> letGo = testKit.createTestProbe(SyncObject.Gone.class);
        lock.tell(new SyncObject.Gone(1, letGo.ref()));
        assertEquals(1, letGo.expectMessageClass(SyncObject.Gone.class, REPLY).pid(), "an ended owner is still let go of");

        bystander.tell(new Lock.Acquire(5, "p5", later.ref()));
        assertEquals(new Syscall.Result.Value(0), later.expectMessageClass(Syscall.Result.class, REPLY));
    }

    @Test
    void aFailedSleepClockFailsItsSleepersAndStillConfirmsCancels() {
        ActorRef<Clock.Command> clock = testKit.spawn(Clock.create(trace, new KernelClock(false)), "clock");
        TestProbe<Syscall.Result> sleeper = probe();
        clock.tell(new Clock.Sleep(2, "p2", Long.MAX_VALUE, sleeper.ref())); // forever

        clock.tell(new Clock.Deadline(null, null)); // the fault: no time, and no one to tell so

        expectEio(sleeper);
        assertTrue(String.valueOf(onlyFault().get("actor")).endsWith("/clock"));
        TestProbe<Syscall.Result> later = probe();
        clock.tell(new Clock.Sleep(3, "p3", 1, later.ref()));
        expectEio(later);
        TestProbe<Clock.Cancelled> cancelled = testKit.createTestProbe(Clock.Cancelled.class);
        clock.tell(new Clock.Cancel(3, cancelled.ref()));
        assertEquals(new Clock.Cancelled(3), cancelled.expectMessageClass(Clock.Cancelled.class, REPLY));
    }

    @Test
    void anActorThatCannotAnswerAsFailedStopsAndTheFaultIsTraced() {
        ActorRef<String> plain = testKit.spawn(Contained.of(trace, Behaviors.<String>receiveMessage(m -> {
            throw new IllegalStateException("boom: " + m);
        })), "plain");
        TestProbe<String> watcher = testKit.createTestProbe(String.class);
        plain.tell("x");
        watcher.expectTerminated(plain, REPLY);
        Trace.Event fault = onlyFault();
        assertEquals("java.lang.IllegalStateException: boom: x", fault.get("error"));
        assertEquals(true, fault.get("stopped"));
    }
}
