package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mboxos.api.Errno;
import org.mboxos.api.Message;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.kernel.dev.Clock;
import org.mboxos.kernel.dev.KernelClock;
import org.mboxos.kernel.ipc.Mailbox;
import org.mboxos.kernel.ipc.Owner;
import org.mboxos.kernel.ipc.Shape;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.trace.Trace;

/**
 * The {@link Mailbox} actor on its own: requests are told from the test thread (so they reach
 * the box in the order written) and answers arrive on {@link TestProbe}s. Whether a request is
 * waiting in the box is read from {@link Mailbox.Stat}, which the box answers after every
 * earlier request, so no test has to guess how long anything takes.
 */
class MailboxActorTest {
    private static final Duration REPLY = Duration.ofSeconds(5);
    /** How long a probe must stay silent to count as "got nothing". */
    private static final Duration SILENCE = Duration.ofMillis(150);
    private static final int MAX_LEN = 16;

    private static ActorTestKit testKit;

    private Trace.Recorder recorder;

    @BeforeAll
    static void startTestKit() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stopTestKit() {
        testKit.shutdownTestKit();
    }

    // ---- helpers --------------------------------------------------------------------------

    private ActorRef<Mailbox.Command> box(int capacity) {
        return box(0, capacity);
    }

    private ActorRef<Mailbox.Command> box(long owner, int capacity) {
        Trace trace = new Trace(System::nanoTime);
        recorder = new Trace.Recorder();
        trace.attach(recorder);
        ActorRef<Clock.Command> clock = testKit.spawn(Clock.create(trace, new KernelClock(false)));
        return testKit.spawn(Mailbox.create(1, "t", owner == 0 ? Owner.NAMED : Owner.inboxOf(owner),
                new Shape(capacity, MAX_LEN, 1), 64, clock, trace, null));
    }

    private static TestProbe<Syscall.Result> probe() {
        return testKit.createTestProbe(Syscall.Result.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static TestProbe<Syscall.Result> send(ActorRef<Mailbox.Command> box, long pid, String text) {
        return send(box, pid, text, Sys.FOREVER);
    }

    private static TestProbe<Syscall.Result> send(ActorRef<Mailbox.Command> box, long pid, String text, long timeout) {
        TestProbe<Syscall.Result> p = probe();
        box.tell(new Mailbox.Send(pid, "p" + pid, bytes(text), false, timeout, p.getRef()));
        return p;
    }

    private static TestProbe<Syscall.Result> rendezvous(ActorRef<Mailbox.Command> box, long pid, String text) {
        TestProbe<Syscall.Result> p = probe();
        box.tell(new Mailbox.Send(pid, "p" + pid, bytes(text), true, Sys.FOREVER, p.getRef()));
        return p;
    }

    private static TestProbe<Syscall.Result> recv(ActorRef<Mailbox.Command> box, long pid, Recv how) {
        TestProbe<Syscall.Result> p = probe();
        box.tell(new Mailbox.Receive(pid, "p" + pid, how, Mailbox.IfNone.WAIT, p.getRef()));
        return p;
    }

    private static void expectOk(TestProbe<Syscall.Result> p) {
        assertEquals(Syscall.Result.OK, p.receiveMessage(REPLY));
    }

    private static Message expectReceived(TestProbe<Syscall.Result> p) {
        Syscall.Result r = p.receiveMessage(REPLY);
        return assertInstanceOf(Syscall.Result.Received.class, r, "expected a message, got " + r).message();
    }

    private static void expectReceived(TestProbe<Syscall.Result> p, long sender, String text) {
        Message m = expectReceived(p);
        assertEquals(text, m.text());
        assertEquals(sender, m.sender());
    }

    private static void expectFailed(TestProbe<Syscall.Result> p, Errno errno) {
        Syscall.Result r = p.receiveMessage(REPLY);
        Syscall.Result.Failed f = assertInstanceOf(Syscall.Result.Failed.class, r, "expected " + errno + ", got " + r);
        assertEquals(errno, f.errno(), f.message());
    }

    private static Mailbox.Stats stats(ActorRef<Mailbox.Command> box) {
        TestProbe<Mailbox.Stats> p = testKit.createTestProbe(Mailbox.Stats.class);
        box.tell(new Mailbox.Stat(p.getRef()));
        return p.receiveMessage(REPLY);
    }

    private static boolean isFull(ActorRef<Mailbox.Command> box) {
        TestProbe<Syscall.Result> p = probe();
        box.tell(new Mailbox.IsFull(p.getRef()));
        Syscall.Result.Value v = assertInstanceOf(Syscall.Result.Value.class, p.receiveMessage(REPLY));
        assertTrue(v.value() == 0 || v.value() == 1, "is_full answers 0 or 1, not " + v.value());
        return v.value() == 1;
    }

    private static void assertBlocked(ActorRef<Mailbox.Command> box, int senders, int receivers) {
        Mailbox.Stats s = stats(box);
        assertEquals(senders, s.blockedSenders(), "blocked senders in " + s);
        assertEquals(receivers, s.blockedReceivers(), "blocked receivers in " + s);
    }

    private List<Trace.Event> events(String ev) {
        return recorder.events(ev);
    }

    // ---- ordering -------------------------------------------------------------------------

    @Test
    void messagesAreReceivedInTheOrderSentWithIncreasingIds() {
        var box = box(4);
        expectOk(send(box, 10, "a"));
        expectOk(send(box, 11, "b"));
        expectOk(send(box, 10, "c"));
        assertEquals(3, stats(box).queued());

        expectReceived(recv(box, 20, Recv.upTo(8)), 10, "a");
        expectReceived(recv(box, 20, Recv.upTo(8)), 11, "b");
        expectReceived(recv(box, 21, Recv.upTo(8)), 10, "c");
        assertEquals(0, stats(box).queued());

        List<Long> sent = events("send").stream().map(e -> e.getLong("msg")).toList();
        List<Long> received = events("recv").stream().map(e -> e.getLong("msg")).toList();
        assertEquals(List.of(1L, 2L, 3L), sent);
        assertEquals(sent, received);
        Trace.Event last = events("recv").get(2);
        assertEquals(21, last.pid());
        assertEquals(10L, last.getLong("from"));
        assertEquals(1L, last.getLong("box"));
        assertEquals(false, last.get("truncated"));
    }

    /**
     * The kernel sends as pid 0 (a monitor's DOWN notice into an inbox): when the box is full
     * it waits like any sender, and is served, not taken for a withdrawn process, when room comes.
     */
    @Test
    void theKernelsOwnSendWaitsForRoomLikeAnyOther() {
        var box = box(7, 1);
        expectOk(send(box, 10, "a"));
        TestProbe<Syscall.Result> kernel = send(box, 0, "DOWN 3 0");
        assertBlocked(box, 1, 0);

        expectReceived(recv(box, 7, Recv.upTo(16)), 10, "a");
        expectOk(kernel);
        expectReceived(recv(box, 7, Recv.upTo(16)), 0, "DOWN 3 0");
        assertEquals(List.of(), events("withdraw"), "nobody withdrew");
    }

    @Test
    void receiveTruncatesALongerMessageToMax() {
        var box = box(4);
        expectOk(send(box, 1, "abcdefgh"));
        expectOk(send(box, 1, "xy"));
        Message m = expectReceived(recv(box, 2, Recv.upTo(3)));
        assertEquals("abc", m.text());
        expectReceived(recv(box, 2, Recv.upTo(3)), 1, "xy");
        Trace.Event first = events("recv").get(0);
        assertEquals(3L, first.getLong("bytes"));
        assertEquals(true, first.get("truncated"));
        assertEquals(false, events("recv").get(1).get("truncated"));
    }

    // ---- blocking and wake-ups ------------------------------------------------------------

    @Test
    void blockedReceiveIsServedWhenASendArrives() {
        var box = box(2);
        TestProbe<Syscall.Result> waiting = recv(box, 2, Recv.upTo(8));
        assertBlocked(box, 0, 1);
        waiting.expectNoMessage(SILENCE);

        expectOk(send(box, 1, "wake"));
        expectReceived(waiting, 1, "wake");
        assertBlocked(box, 0, 0);
        assertEquals(0, stats(box).queued());
    }

    @Test
    void blockedSendIsServedWhenAReceiveMakesRoom() {
        var box = box(1);
        expectOk(send(box, 1, "first"));
        TestProbe<Syscall.Result> blocked = send(box, 2, "second");
        assertBlocked(box, 1, 0);
        blocked.expectNoMessage(SILENCE);
        assertEquals(1, events("send").size(), "the blocked message must not be in the box yet");

        expectReceived(recv(box, 3, Recv.upTo(8)), 1, "first");
        expectOk(blocked);
        assertBlocked(box, 0, 0);
        Trace.Event second = events("send").get(1);
        assertEquals(2, second.pid());
        assertEquals(true, second.get("blocked"));
        assertEquals(false, events("send").get(0).get("blocked"));
        expectReceived(recv(box, 3, Recv.upTo(8)), 2, "second");
    }

    @Test
    void blockedSendersAreServedInArrivalOrder() {
        var box = box(1);
        expectOk(send(box, 1, "s1"));
        TestProbe<Syscall.Result> a = send(box, 21, "a");
        TestProbe<Syscall.Result> b = send(box, 22, "b");
        TestProbe<Syscall.Result> c = send(box, 23, "c");
        assertBlocked(box, 3, 0);

        expectReceived(recv(box, 9, Recv.upTo(8)), 1, "s1");
        expectOk(a);
        b.expectNoMessage(SILENCE);
        expectReceived(recv(box, 9, Recv.upTo(8)), 21, "a");
        expectOk(b);
        expectReceived(recv(box, 9, Recv.upTo(8)), 22, "b");
        expectOk(c);
        expectReceived(recv(box, 9, Recv.upTo(8)), 23, "c");
        assertBlocked(box, 0, 0);
    }

    @Test
    void blockedReceiversAreServedInArrivalOrder() {
        var box = box(4);
        TestProbe<Syscall.Result> a = recv(box, 31, Recv.upTo(8));
        TestProbe<Syscall.Result> b = recv(box, 32, Recv.upTo(8));
        TestProbe<Syscall.Result> c = recv(box, 33, Recv.upTo(8));
        assertBlocked(box, 0, 3);

        expectOk(send(box, 1, "x"));
        expectReceived(a, 1, "x");
        expectOk(send(box, 1, "y"));
        expectOk(send(box, 1, "z"));
        expectReceived(b, 1, "y");
        expectReceived(c, 1, "z");
        assertEquals(List.of(31L, 32L, 33L), events("recv").stream().map(Trace.Event::pid).toList());
    }

    @Test
    void aWaiterEnabledByAnotherWaitersProgressIsServedInTheSameStep() {
        var box = box(1);
        expectOk(send(box, 5, "x"));
        TestProbe<Syscall.Result> only6 = recv(box, 9, Recv.upTo(8).from(6)); // first in line
        TestProbe<Syscall.Result> from6 = send(box, 6, "y"); // the box is full
        assertBlocked(box, 1, 1);

        // taking x lets 6's send in, which is what the earlier receiver waits for
        expectReceived(recv(box, 8, Recv.upTo(8)), 5, "x");
        expectOk(from6);
        expectReceived(only6, 6, "y");
        assertBlocked(box, 0, 0);
        assertEquals(0, stats(box).queued());
    }

    // ---- withdraw (the waiter's process was killed) ---------------------------------------

    @Test
    void withdrawDropsAStashedReceiveWhichThenConsumesNothing() {
        var box = box(4);
        TestProbe<Syscall.Result> victim = recv(box, 41, Recv.upTo(8));
        TestProbe<Syscall.Result> other = recv(box, 42, Recv.upTo(8));
        assertBlocked(box, 0, 2);

        box.tell(new Mailbox.Withdraw(41, null));
        assertBlocked(box, 0, 1);
        expectOk(send(box, 1, "m"));
        expectReceived(other, 1, "m");
        victim.expectNoMessage(SILENCE);

        Trace.Event w = events("withdraw").get(0);
        assertEquals(41, w.pid());
        assertEquals("recv", w.get("call"));
        assertTrue(events("recv").stream().noneMatch(e -> e.pid() == 41));
    }

    @Test
    void withdrawDropsAStashedSendWhoseMessageIsNeverEnqueued() {
        var box = box(1);
        expectOk(send(box, 1, "first"));
        TestProbe<Syscall.Result> victim = send(box, 43, "victim");
        assertBlocked(box, 1, 0);

        box.tell(new Mailbox.Withdraw(43, null));
        assertBlocked(box, 0, 0);
        expectReceived(recv(box, 2, Recv.upTo(8)), 1, "first");
        expectFailed(recv(box, 2, Recv.upTo(8).noWait()), Errno.EAGAIN);
        assertEquals(0, stats(box).queued());
        victim.expectNoMessage(SILENCE);
        assertTrue(events("send").stream().noneMatch(e -> e.pid() == 43));
        assertEquals("send", events("withdraw").get(0).get("call"));
    }

    @Test
    void withdrawLeavesOtherProcessesWaitersInPlace() {
        var box = box(4);
        TestProbe<Syscall.Result> a = recv(box, 51, Recv.upTo(8));
        assertBlocked(box, 0, 1);
        box.tell(new Mailbox.Withdraw(99, null)); // nobody waits as 99
        assertBlocked(box, 0, 1);
        expectOk(send(box, 1, "m"));
        expectReceived(a, 1, "m");
        assertTrue(events("withdraw").isEmpty());
    }

    @Test
    void withdrawOfAStashedTimedReceiveAlsoCancelsItsTimeout() {
        var box = box(4);
        TestProbe<Syscall.Result> victim = recv(box, 61, Recv.upTo(8).timeout(100));
        assertBlocked(box, 0, 1);
        box.tell(new Mailbox.Withdraw(61, null));
        victim.expectNoMessage(Duration.ofMillis(300)); // no ETIMEDOUT for a withdrawn waiter
        assertBlocked(box, 0, 0);
    }

    // ---- try and timed calls ---------------------------------------------------------------

    @Test
    void trySendOnAFullBoxAndTryReceiveOnAnEmptyBoxFailWithEagain() {
        var box = box(1);
        expectFailed(recv(box, 2, Recv.upTo(8).noWait()), Errno.EAGAIN);
        expectOk(send(box, 1, "one", 0));
        expectFailed(send(box, 1, "two", 0), Errno.EAGAIN);
        assertBlocked(box, 0, 0);
        assertEquals(1, stats(box).queued());
        expectReceived(recv(box, 2, Recv.upTo(8).noWait()), 1, "one");
        expectFailed(recv(box, 2, Recv.upTo(8).noWait()), Errno.EAGAIN);
        assertEquals(1, events("send").size());
    }

    @Test
    void timedReceiveOnAnEmptyBoxFailsWithEtimedout() {
        var box = box(1);
        long start = System.nanoTime();
        TestProbe<Syscall.Result> p = recv(box, 2, Recv.upTo(8).timeout(80));
        expectFailed(p, Errno.ETIMEDOUT);
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(80).toNanos(), "timed out before its timeout");
        assertBlocked(box, 0, 0);
        // the expired receive takes nothing sent afterwards
        expectOk(send(box, 1, "later"));
        p.expectNoMessage(Duration.ofMillis(50));
        assertEquals(1, stats(box).queued());
    }

    @Test
    void timedSendOnAFullBoxFailsWithEtimedoutAndIsNotEnqueued() {
        var box = box(1);
        expectOk(send(box, 1, "one"));
        long start = System.nanoTime();
        expectFailed(send(box, 2, "two", 80), Errno.ETIMEDOUT);
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(80).toNanos(), "timed out before its timeout");
        assertBlocked(box, 0, 0);
        expectReceived(recv(box, 3, Recv.upTo(8)), 1, "one");
        expectFailed(recv(box, 3, Recv.upTo(8).noWait()), Errno.EAGAIN);
        assertTrue(events("send").stream().noneMatch(e -> e.pid() == 2));
    }

    @Test
    void aTimedReceiveServedInTimeNeverTimesOutLater() {
        var box = box(1);
        TestProbe<Syscall.Result> p = recv(box, 2, Recv.upTo(8).timeout(100));
        assertBlocked(box, 0, 1);
        expectOk(send(box, 1, "in time"));
        expectReceived(p, 1, "in time");
        p.expectNoMessage(Duration.ofMillis(250));
    }

    @Test
    void anExpiredWaiterLeavesTheOtherWaitersInLine() {
        var box = box(1);
        expectOk(send(box, 1, "full"));
        TestProbe<Syscall.Result> timed = send(box, 2, "timed", 60);
        TestProbe<Syscall.Result> patient = send(box, 3, "patient");
        expectFailed(timed, Errno.ETIMEDOUT);
        assertBlocked(box, 1, 0);
        expectReceived(recv(box, 9, Recv.upTo(8)), 1, "full");
        expectOk(patient);
        expectReceived(recv(box, 9, Recv.upTo(8)), 3, "patient");
    }

    // ---- strict receive --------------------------------------------------------------------

    @Test
    void strictReceiveOfALongerMessageFailsWithE2bigAndLeavesItQueued() {
        var box = box(2);
        expectOk(send(box, 1, "toolong"));
        expectFailed(recv(box, 2, Recv.upTo(3).strict()), Errno.E2BIG);
        assertEquals(1, stats(box).queued());
        assertTrue(events("recv").isEmpty());
        expectReceived(recv(box, 2, Recv.upTo(7).strict()), 1, "toolong");
        assertEquals(false, events("recv").get(0).get("truncated"));
    }

    @Test
    void blockedStrictReceiveFailsWithE2bigWhenALongerMessageArrives() {
        var box = box(2);
        TestProbe<Syscall.Result> p = recv(box, 2, Recv.upTo(2).strict());
        assertBlocked(box, 0, 1);
        expectOk(send(box, 1, "abc"));
        expectFailed(p, Errno.E2BIG);
        assertEquals(1, stats(box).queued());
        expectReceived(recv(box, 3, Recv.upTo(8)), 1, "abc");
    }

    // ---- from filter -----------------------------------------------------------------------

    @Test
    void receiveFromAPidTakesOnlyThatSendersMessages() {
        var box = box(4);
        expectOk(send(box, 1, "a1"));
        expectOk(send(box, 2, "b1"));
        expectOk(send(box, 1, "a2"));
        expectReceived(recv(box, 9, Recv.upTo(8).from(2)), 2, "b1");
        expectFailed(recv(box, 9, Recv.upTo(8).from(2).noWait()), Errno.EAGAIN);
        expectFailed(recv(box, 9, Recv.upTo(8).from(7).noWait()), Errno.EAGAIN);
        expectReceived(recv(box, 9, Recv.upTo(8).from(1)), 1, "a1");
        expectReceived(recv(box, 9, Recv.upTo(8)), 1, "a2");
    }

    @Test
    void blockedFilteredReceiveIgnoresOtherSendersAndLetsOthersTakeThem() {
        var box = box(4);
        TestProbe<Syscall.Result> only5 = recv(box, 9, Recv.upTo(8).from(5));
        assertBlocked(box, 0, 1);
        expectOk(send(box, 6, "from6"));
        only5.expectNoMessage(SILENCE);
        assertBlocked(box, 0, 1);
        assertEquals(1, stats(box).queued());

        expectOk(send(box, 5, "from5"));
        expectReceived(only5, 5, "from5");
        expectReceived(recv(box, 8, Recv.upTo(8)), 6, "from6");
    }

    // ---- is_full ---------------------------------------------------------------------------

    @Test
    void isFullIsTrueExactlyWhenASendWouldBlock() {
        var box = box(2);
        assertFalse(isFull(box));
        expectOk(send(box, 1, "1", 0));
        assertFalse(isFull(box));
        expectOk(send(box, 1, "2", 0));
        assertTrue(isFull(box));
        expectFailed(send(box, 1, "3", 0), Errno.EAGAIN);
        expectReceived(recv(box, 2, Recv.upTo(8)), 1, "1");
        assertFalse(isFull(box));
        expectOk(send(box, 1, "3", 0));
        assertTrue(isFull(box));
    }

    // ---- argument errors -------------------------------------------------------------------

    @Test
    void aMessageLongerThanTheLimitFailsWithEmsgsize() {
        var box = box(2);
        expectFailed(send(box, 1, "x".repeat(MAX_LEN + 1)), Errno.EMSGSIZE);
        expectOk(send(box, 1, "x".repeat(MAX_LEN)));
        assertEquals(1, stats(box).queued());
    }

    @Test
    void aNegativeReceiveSizeFailsWithEinval() {
        var box = box(2);
        expectOk(send(box, 1, "x"));
        expectFailed(recv(box, 2, Recv.upTo(-1)), Errno.EINVAL);
        assertEquals(1, stats(box).queued());
    }

    // ---- rendezvous ------------------------------------------------------------------------

    @Test
    void rendezvousSendReturnsOnlyOnceTheMessageWasTaken() {
        var box = box(7, 4);
        TestProbe<Syscall.Result> sender = rendezvous(box, 3, "meet");
        assertEquals(1, stats(box).queued());
        assertEquals(1, stats(box).blockedSenders(), "a rendezvous sender waits until its message is taken");
        sender.expectNoMessage(SILENCE);
        expectReceived(recv(box, 7, Recv.upTo(8)), 3, "meet");
        expectOk(sender);
        assertBlocked(box, 0, 0);
        assertEquals(true, events("send").get(0).get("rendezvous"));
    }

    @Test
    void rendezvousSendToYourOwnInboxFailsWithEdeadlk() {
        var box = box(7, 4);
        expectFailed(rendezvous(box, 7, "self"), Errno.EDEADLK);
        assertEquals(0, stats(box).queued());
    }

    @Test
    void withdrawOfARendezvousSenderWhoseMessageIsQueuedTakesTheMessageBack() {
        var box = box(7, 4);
        TestProbe<Syscall.Result> sender = rendezvous(box, 3, "meet");
        assertEquals(1, stats(box).blockedSenders());
        box.tell(new Mailbox.Withdraw(3, null));
        Mailbox.Stats s = stats(box);
        // the sender is gone: it no longer waits, and nobody may take its message any more
        assertEquals(0, s.blockedSenders(), "a withdrawn rendezvous sender still counts as blocked: " + s);
        expectFailed(recv(box, 7, Recv.upTo(8).noWait()), Errno.EAGAIN);
        sender.expectNoMessage(SILENCE);
    }

    // ---- free ------------------------------------------------------------------------------

    @Test
    void freeDiscardsQueuedMessagesFailsBlockedSendersAndStops() {
        var box = box(1);
        expectOk(send(box, 1, "queued"));
        TestProbe<Syscall.Result> blocked = send(box, 2, "blocked");
        assertBlocked(box, 1, 0);

        box.tell(new Mailbox.Free("destroyed", Errno.EBADF));
        expectFailed(blocked, Errno.EBADF);
        TestProbe<Object> watcher = testKit.createTestProbe();
        watcher.expectTerminated(box, REPLY);

        List<Trace.Event> discards = events("discard");
        assertEquals(1, discards.size(), "only the queued message is discarded: " + discards);
        assertEquals(1L, discards.get(0).getLong("msg"));
        assertEquals(1, discards.get(0).pid(), "a discard names the message's sender");
        assertEquals("destroyed", discards.get(0).get("reason"));
        assertTrue(events("send").stream().noneMatch(e -> e.pid() == 2));
    }

    @Test
    void freeFailsBlockedReceiversAndQueuedRendezvousSenders() {
        var box = box(7, 4);
        TestProbe<Syscall.Result> filtered = recv(box, 7, Recv.upTo(8).from(5));
        TestProbe<Syscall.Result> sender = rendezvous(box, 3, "meet");
        assertBlocked(box, 1, 1);

        box.tell(new Mailbox.Free("owner killed", Errno.ESRCH));
        expectFailed(filtered, Errno.ESRCH);
        expectFailed(sender, Errno.ESRCH);
        testKit.createTestProbe().expectTerminated(box, REPLY);
        assertEquals("owner killed", events("discard").get(0).get("reason"));
    }
}
